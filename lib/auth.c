/* Basic authentication: the API key is the username, the password empty.
 * libb64 skips characters outside the alphabet and decodes past the padding,
 * so the credentials are checked strictly (RFC 4648) before it sees them. */
#include "internal.h"

#include <b64/cdecode.h>
#include <limits.h>
#include <string.h>

static int b64_index(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* The Base64 alphabet as a bit per ASCII byte: no branch per character. */
static bool in_alphabet(unsigned char c)
{
    static const uint64_t ALPHABET[2] = {
        0x03FF880000000000ull, /* 0x00-0x3F: '+' '/' '0'-'9' */
        0x07FFFFFE07FFFFFEull, /* 0x40-0x7F: 'A'-'Z' 'a'-'z' */
    };
    return c < 128 && (ALPHABET[c >> 6] >> (c & 63)) & 1;
}

long segrecv__base64_check(const char *s, size_t len)
{
    if (len == 0 || len % 4 != 0 || len > (size_t)LONG_MAX / 3)
        return -1;
    size_t pad = 0;
    if (s[len - 1] == '=')
        pad = s[len - 2] == '=' ? 2 : 1;
    bool valid = true;
    for (size_t i = 0; i < len - pad; i++)
        valid &= in_alphabet((unsigned char)s[i]);
    if (!valid)
        return -1;
    /* Canonical form: the bits the padding leaves unused must be zero. */
    int last = b64_index((unsigned char)s[len - pad - 1]);
    if ((pad == 1 && (last & 0x03)) || (pad == 2 && (last & 0x0F)))
        return -1;
    return (long)(len / 4 * 3 - pad);
}

size_t segrecv__base64_decode(const char *s, size_t len, char *out)
{
    base64_decodestate state;
    base64_init_decodestate(&state);
    return (size_t)base64_decode_block(s, (int)len, out, &state);
}

bool segrecv__ct_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    /* Time depends only on blen (the candidate), not on where bytes differ. */
    unsigned char diff = (unsigned char)(alen != blen);
    for (size_t i = 0; i < blen; i++) {
        unsigned char ca = i < alen ? (unsigned char)a[i] : 0;
        diff |= (unsigned char)(ca ^ (unsigned char)b[i]);
    }
    return diff == 0;
}

static bool key_listed(const segrecv_receiver *rcv, const char *key, size_t len)
{
    bool found = false;
    for (size_t i = 0; i < rcv->key_count; i++)
        found |= segrecv__ct_equal(rcv->keys[i].bytes, rcv->keys[i].len, key, len);
    return found;
}

/* Remember credentials that named a listed key (the decoded key ends at ':'). */
static void remember(segrecv_request *r, const segrecv_str authorization, const char *key,
                     size_t len)
{
    if (authorization.len > SEGRECV__KNOWN_AUTH_MAX || len >= SEGRECV__KNOWN_AUTH_MAX)
        return;
    memcpy(r->known_authorization, authorization.ptr, authorization.len);
    r->known_authorization_len = authorization.len;
    memcpy(r->known_key, key, len);
    r->known_key[len] = '\0';
    r->known_key_len = len;
}

/* The same bytes as the remembered credentials? Compared in constant time:
 * they are another request's secret. */
static bool known(const segrecv_request *r, const segrecv_str authorization)
{
    return r->known_authorization_len != 0 &&
           segrecv__ct_equal(r->known_authorization, r->known_authorization_len,
                             authorization.ptr, authorization.len);
}

/* The key's verdict: listed (*listed set), else the key callback's. */
static segrecv_status decide_key(segrecv_request *r, const char *key, size_t len, bool *listed)
{
    const segrecv_receiver *rcv = r->receiver;
    r->api_key.ptr = key; /* NUL-terminated by the caller, valid for the request */
    r->api_key.len = len;
    *listed = key_listed(rcv, key, len);
    if (*listed)
        return SEGRECV_OK;
    if (!rcv->key_cb)
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Invalid API key");
    segrecv_reply reply = {NULL};
    segrecv_status st = rcv->key_cb(key, len, &reply, rcv->key_user_data);
    switch (st) {
    case SEGRECV_OK:
        return SEGRECV_OK;
    case SEGRECV_UNAUTHORIZED:
    case SEGRECV_FORBIDDEN:
        if (reply.message)
            return segrecv__fail(r, st, segrecv__reply_copy(&r->arena, reply.message));
        return segrecv__fail(r, st, st == SEGRECV_FORBIDDEN ? "API key is not allowed here"
                                                            : "Invalid API key");
    default:
        return segrecv__fail(r, SEGRECV_FAILED, "API key check failed");
    }
}

segrecv_status segrecv__authenticate_key(segrecv_request *r, const char *key, size_t len)
{
    bool listed;
    return decide_key(r, key, len, &listed);
}

segrecv_status segrecv__authenticate(segrecv_request *r)
{
    const segrecv__headers *h = &r->headers;
    if (!h->has_authorization) {
        if (r->receiver->flags & SEGRECV_OPT_BODY_WRITE_KEY) {
            r->auth_deferred = true; /* the body's writeKey decides */
            return SEGRECV_OK;
        }
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Missing Authorization header");
    }
    if (known(r, h->authorization)) {
        r->api_key.ptr = r->known_key;
        r->api_key.len = r->known_key_len;
        return SEGRECV_OK;
    }
    const char *p = h->authorization.ptr, *end = p + h->authorization.len;
    const char *scheme = p;
    while (p < end && *p != ' ' && *p != '\t')
        p++;
    if (p - scheme != 5 || !segrecv__ascii_case_equal(scheme, "Basic", 5))
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED,
                             "Unsupported authorization scheme: expected Basic");
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end)
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Missing Basic credentials");
    long decoded_len = segrecv__base64_check(p, (size_t)(end - p));
    if (decoded_len < 0)
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Malformed Basic credentials: invalid Base64");
    if ((size_t)decoded_len > r->receiver->limits.max_api_key_bytes)
        return segrecv__failf(r, SEGRECV_UNAUTHORIZED, "Basic credentials exceed %zu bytes",
                              r->receiver->limits.max_api_key_bytes);
    char *plain = segrecv__arena_alloc(&r->arena, (size_t)decoded_len + 1);
    if (!plain)
        return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
    size_t n = segrecv__base64_decode(p, (size_t)(end - p), plain);
    plain[n] = '\0';
    const char *colon = memchr(plain, ':', n);
    if (!colon)
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED,
                             "Malformed Basic credentials: no ':' after the API key");
    size_t key_len = (size_t)(colon - plain);
    if (key_len == 0)
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Empty API key");
    plain[key_len] = '\0';
    bool listed;
    segrecv_status st = decide_key(r, plain, key_len, &listed);
    if (st == SEGRECV_OK && listed)
        remember(r, h->authorization, plain, key_len);
    return st;
}
