/* Request headers: a raw block or name/value pairs, checked as they come;
 * the checks that need all of them run when the headers end. */
#include "internal.h"

#include <string.h>

/* RFC 9110 token characters, for header names: one bit per ASCII byte,
 * gathered without a branch per byte. */
static bool is_token(const char *s, size_t len)
{
    static const uint64_t TCHAR[2] = {
        0x03FF6CFA00000000ull, /* 0x00-0x3F: ! # $ % & ' * + - . 0-9 */
        0x57FFFFFFC7FFFFFEull, /* 0x40-0x7F: A-Z ^ _ ` a-z | ~ */
    };
    uint64_t ok = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)s[i];
        ok &= (uint64_t)(c < 128) & (TCHAR[(c >> 6) & 1] >> (c & 63));
    }
    return ok & 1;
}

/* A control byte (below 0x20 but tab, or DEL) in a header value? Words of
 * eight bytes without a byte below 0x20 or a DEL are passed whole. */
static bool has_control(const char *v, size_t len)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, v + i, 8);
        uint64_t del = w ^ (ones * 0x7F);
        if ((((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & high)
            break; /* something in these eight: look byte by byte */
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return true;
    }
    return false;
}

static bool name_is(const char *name, size_t len, const char *want, size_t want_len)
{
    return want_len == len && segrecv__ascii_case_equal(name, want, len);
}
/* For literals: the length is known at compile time. */
#define NAME_IS(name, len, literal) name_is(name, len, literal, sizeof literal - 1)

static void trim(const char **p, size_t *len)
{
    while (*len && (**p == ' ' || **p == '\t')) {
        (*p)++;
        (*len)--;
    }
    while (*len && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t'))
        (*len)--;
}

/* Keep a header we act on: a second copy of it is refused as ambiguous. */
static segrecv_status keep(segrecv_request *r, bool *seen, segrecv_str *slot, const char *what,
                           const char *value, size_t len)
{
    if (*seen)
        return segrecv__failf(r, SEGRECV_BAD_REQUEST, "Duplicate %s header", what);
    *seen = true;
    slot->ptr = segrecv__arena_strdup(&r->arena, value, len);
    slot->len = len;
    return slot->ptr ? SEGRECV_OK : segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
}

static segrecv_status content_length(segrecv_request *r, const char *v, size_t len)
{
    segrecv__headers *h = &r->headers;
    if (h->has_content_length)
        return segrecv__fail(r, SEGRECV_BAD_REQUEST, "Duplicate Content-Length header");
    h->has_content_length = true;
    int64_t n = 0;
    if (len == 0 || len > 18)
        return segrecv__fail(r, SEGRECV_BAD_REQUEST, "Invalid Content-Length header");
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return segrecv__fail(r, SEGRECV_BAD_REQUEST, "Invalid Content-Length header");
        n = n * 10 + (v[i] - '0');
    }
    h->content_length = n;
    return SEGRECV_OK;
}

typedef enum header_kind {
    OTHER_HEADER = 0,
    AUTHORIZATION,
    CONTENT_LENGTH,
    CONTENT_TYPE,
    CONTENT_ENCODING,
    SEGMENT_SETTINGS,
    SIGNATURE,
    TRANSFER_ENCODING,
} header_kind;

/* The headers acted on have lengths of their own: one compare tells. A
 * match is a valid token name, being one of these spelled in another case. */
static header_kind kind_of(const char *name, size_t len)
{
#define NAMED(literal, kind) return NAME_IS(name, len, literal) ? kind : OTHER_HEADER
    switch (len) {
    case 11:
        NAMED("X-Signature", SIGNATURE);
    case 12:
        NAMED("Content-Type", CONTENT_TYPE);
    case 13:
        NAMED("Authorization", AUTHORIZATION);
    case 14:
        NAMED("Content-Length", CONTENT_LENGTH);
    case 16:
        NAMED("Content-Encoding", CONTENT_ENCODING);
    case 17:
        NAMED("Transfer-Encoding", TRANSFER_ENCODING);
    case 18:
        NAMED("X-Segment-Settings", SEGMENT_SETTINGS);
    default:
        return OTHER_HEADER;
    }
#undef NAMED
}

segrecv_status segrecv__header_add(segrecv_request *r, const char *name, size_t name_len,
                                   const char *value, size_t value_len)
{
    segrecv__headers *h = &r->headers;
    h->bytes += name_len + value_len + 4; /* as on the wire: ": " and CRLF */
    size_t limit = r->receiver->limits.max_header_bytes;
    if (h->bytes > limit)
        return segrecv__failf(r, SEGRECV_HEADERS_TOO_LARGE, "Request headers exceed %zu bytes",
                              limit);
    if (name_len == 0)
        return segrecv__fail(r, SEGRECV_BAD_REQUEST, "Malformed header: empty name");
    header_kind kind = kind_of(name, name_len);
    if (kind == OTHER_HEADER && !is_token(name, name_len))
        return segrecv__fail(r, SEGRECV_BAD_REQUEST, "Malformed header: invalid name");
    trim(&value, &value_len);
    if (has_control(value, value_len))
        return segrecv__fail(r, SEGRECV_BAD_REQUEST,
                             "Malformed header: control character in a value");
    switch (kind) {
    case AUTHORIZATION:
        return keep(r, &h->has_authorization, &h->authorization, "Authorization", value,
                    value_len);
    case CONTENT_LENGTH:
        return content_length(r, value, value_len);
    case CONTENT_TYPE:
        return keep(r, &h->has_content_type, &h->content_type, "Content-Type", value, value_len);
    case CONTENT_ENCODING:
        return keep(r, &h->has_content_encoding, &h->content_encoding, "Content-Encoding", value,
                    value_len);
    case SEGMENT_SETTINGS:
        return keep(r, &h->has_settings, &h->settings, "X-Segment-Settings", value, value_len);
    case SIGNATURE:
        return keep(r, &h->has_signature, &h->signature, "X-Signature", value, value_len);
    case TRANSFER_ENCODING:
        h->has_transfer_encoding = true;
        return SEGRECV_OK;
    case OTHER_HEADER:
        break;
    }
    return SEGRECV_OK;
}

segrecv_status segrecv__header_block(segrecv_request *r, const char *block, size_t len)
{
    size_t limit = r->receiver->limits.max_header_bytes;
    if (len > limit)
        return segrecv__failf(r, SEGRECV_HEADERS_TOO_LARGE, "Request headers exceed %zu bytes",
                              limit);
    const char *p = block, *end = block + len;
    unsigned line_no = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        if (line_end > p && line_end[-1] == '\r')
            line_end--;
        line_no++;
        if (line_end == p) { /* the blank line that ends a header block */
            if (next != end)
                return segrecv__fail(r, SEGRECV_BAD_REQUEST,
                                     "Malformed headers: data after the blank line");
            break;
        }
        if (*p == ' ' || *p == '\t')
            return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                                  "Malformed header line %u: folded lines are not accepted",
                                  line_no);
        const char *colon = memchr(p, ':', (size_t)(line_end - p));
        if (!colon)
            return segrecv__failf(r, SEGRECV_BAD_REQUEST, "Malformed header line %u: no ':'",
                                  line_no);
        /* No white space before the colon (RFC 9112, 5.1): a smuggling vector. */
        if (colon == p || colon[-1] == ' ' || colon[-1] == '\t')
            return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                                  "Malformed header line %u: bad header name", line_no);
        segrecv_status st = segrecv__header_add(r, p, (size_t)(colon - p), colon + 1,
                                                (size_t)(line_end - colon - 1));
        if (st != SEGRECV_OK)
            return st;
        p = next;
    }
    return SEGRECV_OK;
}

/* application/json or application/<anything>+json, parameters allowed,
 * charset (if any) UTF-8. */
static bool json_media_type(const char *v, size_t len)
{
    const char *semi = memchr(v, ';', len);
    size_t type_len = semi ? (size_t)(semi - v) : len;
    while (type_len && (v[type_len - 1] == ' ' || v[type_len - 1] == '\t'))
        type_len--;
    bool json = NAME_IS(v, type_len, "application/json") ||
                (type_len > 17 && segrecv__ascii_case_equal(v, "application/", 12) &&
                 segrecv__ascii_case_equal(v + type_len - 5, "+json", 5));
    if (!json || !semi)
        return json;
    /* Look for a charset parameter that is not UTF-8. */
    const char *p = semi, *end = v + len;
    while (p < end) {
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *param_end = memchr(p, ';', (size_t)(end - p));
        if (!param_end)
            param_end = end;
        if ((size_t)(param_end - p) > 8 && segrecv__ascii_case_equal(p, "charset=", 8)) {
            const char *cs = p + 8;
            size_t cs_len = (size_t)(param_end - cs);
            trim(&cs, &cs_len);
            if (cs_len >= 2 && cs[0] == '"' && cs[cs_len - 1] == '"') {
                cs++;
                cs_len -= 2;
            }
            if (!NAME_IS(cs, cs_len, "utf-8") && !NAME_IS(cs, cs_len, "utf8"))
                return false;
        }
        p = param_end;
    }
    return true;
}

segrecv_status segrecv__headers_check(segrecv_request *r)
{
    const segrecv__headers *h = &r->headers;
    bool any_type = r->receiver->flags & SEGRECV_OPT_ANY_CONTENT_TYPE;
    if (h->has_content_type && !any_type &&
        !json_media_type(h->content_type.ptr, h->content_type.len))
        return segrecv__fail(r, SEGRECV_BAD_REQUEST,
                             "Unsupported Content-Type: expected application/json");
    if (h->has_content_encoding) {
        const char *e = h->content_encoding.ptr;
        size_t n = h->content_encoding.len;
        if (NAME_IS(e, n, "gzip") || NAME_IS(e, n, "x-gzip"))
            r->encoding = SEGRECV__ENCODING_GZIP;
        else if (NAME_IS(e, n, "deflate"))
            r->encoding = SEGRECV__ENCODING_DEFLATE;
        else if (!NAME_IS(e, n, "identity"))
            return segrecv__fail(r, SEGRECV_UNSUPPORTED_MEDIA,
                                 "Unsupported Content-Encoding: accepted are gzip, deflate and "
                                 "identity");
    }
    if (h->has_content_length && h->has_transfer_encoding)
        return segrecv__fail(r, SEGRECV_BAD_REQUEST,
                             "Both Content-Length and Transfer-Encoding are set");
    uint64_t limit = segrecv__body_limit(r);
    if (h->has_content_length && (uint64_t)h->content_length > limit)
        return segrecv__failf(r, SEGRECV_TOO_LARGE, "Request body exceeds %llu bytes",
                              (unsigned long long)limit);
    return SEGRECV_OK;
}
