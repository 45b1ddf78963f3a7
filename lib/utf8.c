/* Strict UTF-8 checks, and the \u-escape watcher that catches the lone
 * surrogates yajl would otherwise turn into '?' without a word. */
#include "internal.h"

#include <string.h>

bool segrecv__utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* Fast path: eight ASCII bytes at a time. */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            if (c == 0xED)
                hi = 0x9F; /* UTF-16 surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return false; /* C0, C1 (overlong), F5..FF, stray continuation */
        }
        if (len - i <= n)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        i += n + 1;
    }
    return true;
}

/* The same rules over a body that arrives in pieces: one pass over the raw
 * bytes replaces a check of every string (JSON outside strings is ASCII, and
 * yajl writes escapes as valid UTF-8; lone surrogates are the escape scan's). */
void segrecv__utf8_stream_init(segrecv__utf8_stream *u)
{
    memset(u, 0, sizeof u[0]);
    u->error_at = UINT64_MAX;
}

static void utf8_fail(segrecv__utf8_stream *u, uint64_t at)
{
    if (u->error_at == UINT64_MAX)
        u->error_at = at;
    u->need = 0;
}

void segrecv__utf8_stream_feed(segrecv__utf8_stream *u, const unsigned char *s, size_t len)
{
    size_t i = 0;
    if (u->error_at != UINT64_MAX) {
        u->offset += len;
        return;
    }
    while (i < len) {
        if (u->need == 0) {
            /* Fast path: sixteen ASCII bytes at a time. */
            while (i + 16 <= len) {
                uint64_t a, b;
                memcpy(&a, s + i, 8);
                memcpy(&b, s + i + 8, 8);
                if ((a | b) & 0x8080808080808080ull)
                    break;
                i += 16;
            }
            if (i == len)
                break;
            unsigned c = s[i++];
            if (c < 0x80)
                continue;
            u->lo = 0x80;
            u->hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                u->need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                u->need = 2;
                if (c == 0xE0)
                    u->lo = 0xA0; /* overlong */
                if (c == 0xED)
                    u->hi = 0x9F; /* UTF-16 surrogates */
            } else if (c >= 0xF0 && c <= 0xF4) {
                u->need = 3;
                if (c == 0xF0)
                    u->lo = 0x90; /* overlong */
                if (c == 0xF4)
                    u->hi = 0x8F; /* above U+10FFFF */
            } else {
                utf8_fail(u, u->offset + i - 1);
                break;
            }
            continue;
        }
        unsigned c = s[i++];
        if (c < u->lo || c > u->hi) {
            utf8_fail(u, u->offset + i - 1);
            break;
        }
        u->lo = 0x80;
        u->hi = 0xBF;
        u->need--;
    }
    u->offset += len;
}

void segrecv__utf8_stream_finish(segrecv__utf8_stream *u)
{
    if (u->need)
        utf8_fail(u, u->offset);
}

size_t segrecv__utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

size_t segrecv__utf8_floor(const char *s, size_t len)
{
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

enum {
    SCAN_TEXT = 0,       /* outside any escape */
    SCAN_BACKSLASH,      /* just read '\' */
    SCAN_HEX,            /* reading the 4 hex digits of \uXXXX */
    SCAN_WANT_BACKSLASH  /* after a high surrogate: "\uDC00".."\uDFFF" must follow */
};

void segrecv__escape_scan_init(segrecv__escape_scan *s)
{
    memset(s, 0, sizeof *s);
    s->error_at = UINT64_MAX;
}

int segrecv__hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void scan_error(segrecv__escape_scan *s, uint64_t at)
{
    if (s->error_at == UINT64_MAX)
        s->error_at = at;
    s->state = SCAN_TEXT;
    s->want_low = 0;
}

static void scan_unit_done(segrecv__escape_scan *s, uint64_t at)
{
    bool high = s->unit >= 0xD800 && s->unit <= 0xDBFF;
    bool low = s->unit >= 0xDC00 && s->unit <= 0xDFFF;
    s->state = SCAN_TEXT;
    if (s->want_low) {
        s->want_low = 0;
        if (!low)
            scan_error(s, at);
    } else if (high) {
        s->want_low = 1;
        s->state = SCAN_WANT_BACKSLASH;
    } else if (low) {
        scan_error(s, at);
    }
}

/* A backslash can only stand inside a string in valid JSON, so the scan
 * needs no other JSON state; invalid text is yajl's to refuse. */
void segrecv__escape_scan_feed(segrecv__escape_scan *s, const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s->state == SCAN_TEXT) {
            const unsigned char *bs = memchr(p + i, '\\', len - i);
            if (!bs)
                break;
            i = (size_t)(bs - p) + 1;
            s->state = SCAN_BACKSLASH;
            continue;
        }
        unsigned char c = p[i];
        uint64_t at = s->offset + i;
        i++;
        switch (s->state) {
        case SCAN_BACKSLASH:
            if (c == 'u') {
                s->state = SCAN_HEX;
                s->hex_left = 4;
                s->unit = 0;
            } else if (s->want_low) {
                scan_error(s, at);
            } else {
                s->state = SCAN_TEXT; /* \\, \", \n ... (yajl checks which) */
            }
            break;
        case SCAN_HEX: {
            int v = segrecv__hex_value(c);
            if (v < 0) {
                s->state = SCAN_TEXT; /* not an escape: yajl refuses it */
                s->want_low = 0;
                break;
            }
            s->unit = (uint16_t)(s->unit << 4 | (unsigned)v);
            if (--s->hex_left == 0)
                scan_unit_done(s, at);
            break;
        }
        case SCAN_WANT_BACKSLASH:
            if (c == '\\')
                s->state = SCAN_BACKSLASH;
            else
                scan_error(s, at);
            break;
        default:
            s->state = SCAN_TEXT;
            break;
        }
    }
    s->offset += len;
}

bool segrecv__escape_scan_idle(const segrecv__escape_scan *s)
{
    return s->state == SCAN_TEXT;
}

bool segrecv__escape_scan_finish(segrecv__escape_scan *s)
{
    if (s->state == SCAN_WANT_BACKSLASH)
        scan_error(s, s->offset);
    return s->error_at == UINT64_MAX;
}
