/* libFuzzer harness: the Authorization header and its Base64.
 *
 * Input: byte 0 options (bit 0 key-check callback, bit 1 also send the
 * header in a raw block, bit 2 a 8-byte credentials limit), the rest is the
 * Authorization value. Checks segrecv__base64_check and the decoder against
 * a strict reference decoder written here, then runs the header through a
 * request with a key list and compares status and message with a model of
 * the documented behaviour. */
#include "fuzz_check.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char BODY[] = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}";
#define NUL_KEY "nul\0key"
#define NUL_KEY_LEN 7

/* Strict RFC 4648 decoding, one 4-character group at a time. */
static long ref_decode(const char *s, size_t n, unsigned char *out)
{
    if (n == 0 || n % 4 != 0)
        return -1;
    long o = 0;
    for (size_t g = 0; g < n; g += 4) {
        unsigned v[4], pads = 0;
        for (int k = 0; k < 4; k++) {
            char c = s[g + k];
            if (c == '=') {
                if (g + 4 != n || k < 2)
                    return -1;
                v[k] = 0;
                pads++;
                continue;
            }
            const char *at = c ? strchr(ALPHABET, c) : NULL;
            if (!at || pads)
                return -1;
            v[k] = (unsigned)(at - ALPHABET);
        }
        unsigned long bits = (unsigned long)v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
        if ((pads == 1 && (bits & 0xFF)) || (pads == 2 && (bits & 0xFFFF)))
            return -1; /* non-zero pad bits: not the canonical encoding */
        out[o++] = (unsigned char)(bits >> 16);
        if (pads < 2)
            out[o++] = (unsigned char)(bits >> 8);
        if (pads < 1)
            out[o++] = (unsigned char)bits;
    }
    return o;
}

static void check_base64(const char *s, size_t n)
{
    unsigned char *want = malloc(n + 1);
    char *got = malloc(n + 2);
    FUZZ_CHECK(want && got);
    long want_len = ref_decode(s, n, want);
    FUZZ_CHECK(segrecv__base64_check(s, n) == want_len);
    if (want_len >= 0) {
        FUZZ_CHECK(segrecv__base64_decode(s, n, got) == (size_t)want_len);
        FUZZ_CHECK(memcmp(got, want, (size_t)want_len) == 0);
    }
    free(want);
    free(got);
}

typedef struct expect {
    int http;
    char message[80]; /* "" for an empty body */
    char key[300];    /* the accepted key, for the callback */
    size_t key_len;
} expect;

static void set(expect *e, int http, const char *message)
{
    e->http = http;
    snprintf(e->message, sizeof e->message, "%s", message);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* What the documented rules answer for this value. */
static expect model(const char *v, size_t n, bool block, bool key_cb, size_t max_key)
{
    expect e;
    memset(&e, 0, sizeof e);
    const size_t header_limit = 16384;
    const size_t auth_bytes = 13 + n + 4, ct_bytes = 12 + 16 + 4; /* name, value, ": ", CRLF */
    if ((block && n + 49 > header_limit) || auth_bytes > header_limit) {
        set(&e, 431, "Request headers exceed 16384 bytes");
        return e;
    }
    while (n && is_space(v[0]))
        v++, n--;
    while (n && is_space(v[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            set(&e, 400, "Malformed header: control character in a value");
            return e;
        }
    }
    if (auth_bytes + ct_bytes > header_limit) {
        set(&e, 431, "Request headers exceed 16384 bytes");
        return e;
    }
    size_t scheme = 0;
    while (scheme < n && !is_space(v[scheme]))
        scheme++;
    if (scheme != 5 || strncasecmp(v, "basic", 5) != 0) {
        set(&e, 401, "Unsupported authorization scheme: expected Basic");
        return e;
    }
    size_t at = scheme;
    while (at < n && is_space(v[at]))
        at++;
    if (at == n) {
        set(&e, 401, "Missing Basic credentials");
        return e;
    }
    unsigned char *plain = malloc(n);
    FUZZ_CHECK(plain != NULL);
    long plain_len = ref_decode(v + at, n - at, plain);
    const unsigned char *colon = plain_len > 0 ? memchr(plain, ':', (size_t)plain_len) : NULL;
    if (plain_len < 0) {
        set(&e, 401, "Malformed Basic credentials: invalid Base64");
    } else if ((size_t)plain_len > max_key) {
        e.http = 401;
        snprintf(e.message, sizeof e.message, "Basic credentials exceed %zu bytes", max_key);
    } else if (!colon) {
        set(&e, 401, "Malformed Basic credentials: no ':' after the API key");
    } else if (colon == plain) {
        set(&e, 401, "Empty API key");
    } else {
        e.key_len = (size_t)(colon - plain);
        memcpy(e.key, plain, e.key_len);
        bool listed = (e.key_len == 8 && memcmp(e.key, "writekey", 8) == 0) ||
                      (e.key_len == NUL_KEY_LEN && memcmp(e.key, NUL_KEY, NUL_KEY_LEN) == 0);
        if (listed || (key_cb && e.key_len == 5 && memcmp(e.key, "cb-ok", 5) == 0))
            set(&e, 200, "");
        else if (key_cb && e.key_len == 5 && memcmp(e.key, "cb-no", 5) == 0)
            set(&e, 403, "Key revoked");
        else if (key_cb && e.key_len == 6 && memcmp(e.key, "cb-bad", 6) == 0)
            set(&e, 500, "API key check failed");
        else
            set(&e, 401, "Invalid API key");
    }
    free(plain);
    return e;
}

static segrecv_status on_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    const expect *e = user_data;
    FUZZ_CHECK(e->http == 200);
    FUZZ_CHECK(ev->api_key.len == e->key_len && memcmp(ev->api_key.ptr, e->key, e->key_len) == 0);
    FUZZ_CHECK(ev->api_key.ptr[ev->api_key.len] == '\0');
    return SEGRECV_OK;
}

static void check_answer(const segrecv_response *res, const expect *e)
{
    if (res->http_status != e->http)
        fprintf(stderr, "got %d %s, want %d %s\n", res->http_status, res->body, e->http,
                e->message);
    FUZZ_CHECK(res->http_status == e->http);
    if (!e->message[0]) {
        FUZZ_CHECK(res->body_len == 0);
        return;
    }
    size_t len;
    char *message = fuzz_response_message(res, false, &len);
    FUZZ_CHECK(strcmp(message, e->message) == 0);
    free(message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    const char *v = (const char *)data + 1;
    size_t n = size - 1;
    check_base64(v, n);

    bool key_cb = opt & 1;
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.limits.max_api_key_bytes = (opt & 4) ? 8 : 0;
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    FUZZ_CHECK(rcv != NULL);
    size_t max_key = segrecv_receiver_limits(rcv).max_api_key_bytes;
    FUZZ_CHECK(segrecv_add_api_key(rcv, "writekey", 8) == SEGRECV_OK);
    FUZZ_CHECK(segrecv_add_api_key(rcv, NUL_KEY, NUL_KEY_LEN) == SEGRECV_OK);
    if (key_cb)
        FUZZ_CHECK(segrecv_set_key_check(rcv, fuzz_key_check, NULL) == SEGRECV_OK);

    /* Name/value pairs: the value exactly as fuzzed. */
    expect e = model(v, n, false, key_cb, max_key);
    FUZZ_CHECK(segrecv_on_any(rcv, on_event, &e) == SEGRECV_OK);
    segrecv_response res;
    segrecv_request *r = segrecv_request_new(rcv);
    FUZZ_CHECK(r != NULL);
    segrecv_request_header(r, "Authorization", 13, v, n);
    segrecv_request_header(r, "Content-Type", 12, "application/json", 16);
    segrecv_request_body(r, BODY, strlen(BODY));
    segrecv_request_finish(r, &res);
    check_answer(&res, &e);
    segrecv_request_free(r);

    /* A raw block, when the value holds no line break. */
    if ((opt & 2) && !memchr(v, '\n', n)) {
        expect eb = model(v, n, true, key_cb, max_key);
        FUZZ_CHECK(segrecv_on_any(rcv, on_event, &eb) == SEGRECV_OK);
        char *block = malloc(n + 64);
        FUZZ_CHECK(block != NULL);
        size_t len = 0;
        memcpy(block + len, "Authorization:", 14), len += 14;
        memcpy(block + len, v, n), len += n;
        memcpy(block + len, "\r\nContent-Type:application/json\r\n\r\n", 35), len += 35;
        segrecv_handle(rcv, block, len, BODY, strlen(BODY), &res);
        check_answer(&res, &eb);
        free(block);
    }
    segrecv_receiver_free(rcv);
    return 0;
}
