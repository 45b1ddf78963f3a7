/* The small JavaScript rules that Segment's facade accessors depend on,
 * ported exactly so that libsegrecv's accessors give the same answers:
 * obj-case lookups, truthiness, `||`, trim, is-email and parseFloat. */
#include "semantic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- obj-case ------------------------------------------------------------ */

static bool objcase_ignored(unsigned char c)
{
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.');
}

static unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Does the normalised key equal path[0..plen) or a prefix of it followed by
 * '.'? *used is the length of path it covers. */
static bool key_covers(const char *key, size_t klen, const char *path, size_t plen, size_t *used)
{
    size_t j = 0;
    for (size_t i = 0; i < klen; i++) {
        unsigned char c = (unsigned char)key[i];
        if (objcase_ignored(c))
            continue;
        if (j == plen || ascii_lower(c) != (unsigned char)path[j])
            return false;
        j++;
    }
    if (j < plen && path[j] != '.')
        return false;
    *used = j;
    return true;
}

/* Paths come from this library ("address.postalCode"); longer ones never match. */
#define PATH_MAX_BYTES 64

const segrecv_value *segrecv__objcase(const segrecv_value *obj, const char *path)
{
    char norm[PATH_MAX_BYTES];
    size_t plen = 0;
    for (const char *p = path; *p; p++) {
        if (objcase_ignored((unsigned char)*p))
            continue;
        if (plen == sizeof norm)
            return NULL;
        norm[plen++] = (char)ascii_lower((unsigned char)*p);
    }
    const char *rest = norm;
    for (;;) {
        /* Arrays and strings only have index keys, which no path of ours
         * names, so only objects can match. */
        if (!obj || obj->type != SEGRECV_OBJECT || plen == 0)
            return NULL;
        const segrecv__member *hit = NULL;
        size_t used = 0;
        const segrecv__member *members = segrecv__members(obj);
        for (uint32_t i = 0; i < obj->len && !hit; i++) {
            const segrecv__member *m = &members[i];
            if (key_covers(m->key, m->key_len, rest, plen, &used))
                hit = m;
        }
        if (!hit)
            return NULL;
        if (used == plen || hit->value.type == SEGRECV_NULL)
            return &hit->value; /* the leaf, or the null obj-case stops at */
        rest += used + 1;
        plen -= used + 1;
        if (plen == 0)
            return &hit->value;
        obj = &hit->value;
    }
}

/* ---- truthiness and || --------------------------------------------------- */

bool segrecv__js_truthy(const segrecv_value *v)
{
    if (!v)
        return false;
    switch (v->type) {
    case SEGRECV_BOOL:
        return v->boolean != 0;
    case SEGRECV_NUMBER:
        /* Number("1e-400") is 0 in JavaScript too: strtod's underflow agrees. */
        return strtod(v->u.text, NULL) != 0.0;
    case SEGRECV_STRING:
        return v->len > 0;
    case SEGRECV_ARRAY:
    case SEGRECV_OBJECT:
        return true;
    default:
        return false;
    }
}

const segrecv_value *segrecv__js_or(const segrecv_value *const *ops, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (segrecv__js_truthy(ops[i]))
            return ops[i];
    return n ? ops[n - 1] : NULL;
}

/* ---- white space, line terminators --------------------------------------- */

/* The code point of the UTF-8 character starting at s[i] (valid UTF-8 is
 * guaranteed by the parser); *n is its length. */
static uint32_t decode_at(const unsigned char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = s[i];
    size_t want = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + want > len)
        want = 1;
    uint32_t cp = want == 1 ? c : want == 2 ? c & 0x1Fu : want == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t k = 1; k < want; k++)
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    *n = want;
    return cp;
}

/* The start of the UTF-8 character that ends at s[end - 1]. */
static size_t char_start_before(const unsigned char *s, size_t end)
{
    size_t i = end - 1;
    while (i > 0 && (s[i] & 0xC0) == 0x80 && end - i < 4)
        i--;
    return i;
}

static bool is_line_terminator(uint32_t cp)
{
    return cp == 0x0A || cp == 0x0D || cp == 0x2028 || cp == 0x2029;
}

/* ECMAScript WhiteSpace and LineTerminator (Unicode 15's Zs category). */
static bool is_js_space(uint32_t cp)
{
    switch (cp) {
    case 0x09: case 0x0B: case 0x0C: case 0x20: case 0xA0: case 0xFEFF:
    case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        return true;
    default:
        return (cp >= 0x2000 && cp <= 0x200A) || is_line_terminator(cp);
    }
}

void segrecv__js_trim(const char *str, size_t len, size_t *start, size_t *end)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t a = 0, b = len, n;
    while (a < b && is_js_space(decode_at(s, len, a, &n)))
        a += n;
    while (b > a) {
        size_t i = char_start_before(s, b);
        if (!is_js_space(decode_at(s, len, i, &n)))
            break;
        b = i;
    }
    *start = a;
    *end = b;
}

/* ---- is-email ------------------------------------------------------------ */

/* Is there a character before position i (exclusive) that '.' matches? */
static bool dot_matches_before(const unsigned char *s, size_t len, size_t i)
{
    if (i == 0)
        return false;
    size_t n;
    return !is_line_terminator(decode_at(s, len, char_start_before(s, i), &n));
}

bool segrecv__js_is_email(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t at = 0; at < len; at++) {
        if (s[at] != '@' || !dot_matches_before(s, len, at))
            continue;
        /* .+ then a literal '.' then .+, all on the same line. */
        size_t i = at + 1, n;
        bool any = false;
        while (i < len) {
            uint32_t cp = decode_at(s, len, i, &n);
            if (is_line_terminator(cp))
                break;
            if (cp == '.' && any && i + 1 < len &&
                !is_line_terminator(decode_at(s, len, i + 1, &n)))
                return true;
            any = true;
            i += n;
        }
    }
    return false;
}

/* ---- parseFloat ------------------------------------------------------------ */

static size_t digits_at(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && s[j] >= '0' && s[j] <= '9')
        j++;
    return j - i;
}

bool segrecv__js_parse_float(const char *str, size_t len, size_t *start, size_t *span,
                             double *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t a = 0, n;
    while (a < len && is_js_space(decode_at(s, len, a, &n)))
        a += n;
    size_t i = a;
    if (i < len && (str[i] == '+' || str[i] == '-'))
        i++;
    static const char INF[] = "Infinity";
    size_t end;
    bool inf = false;
    if (len - i >= sizeof INF - 1 && memcmp(str + i, INF, sizeof INF - 1) == 0) {
        end = i + sizeof INF - 1;
        inf = true;
    } else {
        size_t whole = digits_at(str, len, i), frac = 0;
        end = i + whole;
        if (end < len && str[end] == '.') {
            frac = digits_at(str, len, end + 1);
            if (whole || frac)
                end += 1 + frac;
        }
        if (!whole && !frac)
            return false;
        if (end < len && (str[end] == 'e' || str[end] == 'E')) {
            size_t e = end + 1;
            if (e < len && (str[e] == '+' || str[e] == '-'))
                e++;
            size_t exp = digits_at(str, len, e);
            if (exp)
                end = e + exp;
        }
    }
    /* strtod would read "0x1A" as hex where parseFloat stops after the 0. */
    if (end - i == 1 && str[i] == '0')
        *out = str[a] == '-' ? -0.0 : 0.0;
    else if (inf)
        *out = str[a] == '-' ? -HUGE_VAL : HUGE_VAL;
    else
        *out = strtod(str + a, NULL); /* the same literal: it stops where we do */
    *start = a;
    *span = end - a;
    return true;
}
