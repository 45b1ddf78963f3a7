/* libFuzzer harness: many requests in a row on one request object.
 *
 * A request object is reused from request to request and remembers the
 * last Authorization header that named a listed key; values are laid out
 * lazily on first read. (This harness found that keeping the yajl handle
 * from one body to the next let a leftover partial token or white space
 * change the next answer: see regressions/fuzz_sequence.) Here one object (and the receiver's pooled one,
 * through segrecv_handle) sees several requests with mixed outcomes, some
 * reset mid-body, and every event is walked value by value.
 *
 * Input: 1 option byte, then requests separated by 0xFF (never valid in
 * JSON text). Each request is 1 control byte, then its bytes.
 *   option byte   bit 0 key-check callback, bit 1 batches, bit 2 lenient
 *                 timestamps, bits 4-6 the callback's answer
 *   control byte  bits 0-1 headers: 0 the request's own block up to the
 *                 first "\r\n\r\n" (the rest is the body), 1-3 a canned
 *                 block with another Authorization (all bytes are body);
 *                 bits 2-3 chunk sizes; bit 4 reset mid-body (no answer);
 *                 bit 5 one-shot segrecv_handle instead of the object;
 *                 bit 6 headers as name/value pairs when the block is canned
 * Invariant: each answered request gets the same status, body and events as
 * the same request on a FRESH request object. Events are walked with
 * segrecv_value_at / segrecv_value_key_at / segrecv_value_to_json. */
#include "fuzz_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REQUESTS 16

static const segrecv_status ANSWERS[] = {SEGRECV_OK, SEGRECV_ACCEPTED, SEGRECV_BAD_REQUEST,
                                         SEGRECV_FAILED, SEGRECV_UNAVAILABLE};

static const char *const CANNED[4][2] = {
    {NULL, NULL},
    {"Authorization", "Basic d3JpdGVrZXk6"}, /* writekey: listed */
    {"Authorization", "Basic Y2Itb2s6"},     /* cb-ok: the key callback's */
    {"Authorization", "Basic azo="},         /* k: listed */
};

/* What one run dispatched: event count and a hash of their canonical JSON. */
typedef struct run_log {
    int calls;
    uint64_t hash;
} run_log;

static segrecv_status answer;
static run_log *current;

static uint64_t fnv(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Every node through the index accessors (lazy layout runs here), and its
 * serialisation checked as JSON. */
static void walk(const segrecv_value *v)
{
    if (!v)
        return;
    segrecv_value_type t = segrecv_value_type_of(v);
    size_t n = segrecv_value_count(v), len;
    for (size_t i = 0; i < n; i++) {
        if (t == SEGRECV_OBJECT) {
            const char *key = segrecv_value_key_at(v, i, &len);
            FUZZ_CHECK(key && key[len] == '\0');
        }
        const segrecv_value *child = segrecv_value_at(v, i);
        FUZZ_CHECK(child != NULL);
        walk(child);
    }
    FUZZ_CHECK(segrecv_value_at(v, n) == NULL);
    if (t == SEGRECV_STRING) {
        const char *s = segrecv_value_string(v, &len);
        FUZZ_CHECK(s && s[len] == '\0');
    }
    size_t need = segrecv_value_to_json(v, NULL, 0);
    char *buf = malloc(need + 1);
    FUZZ_CHECK(buf && segrecv_value_to_json(v, buf, need + 1) == need);
    FUZZ_CHECK(fuzz_json_valid(buf, need));
    free(buf);
}

static segrecv_status on_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    (void)user_data;
    walk(ev->raw); /* first, so the walk is what lays the values out */
    walk(ev->context);
    walk(ev->traits);
    walk(ev->properties);
    size_t len;
    char *json = fuzz_event_json(ev, &len);
    current->calls++;
    current->hash = fnv(current->hash, json, len + 1);
    free(json);
    return answer;
}

typedef struct one_request {
    unsigned control;
    const char *headers, *body; /* headers NULL: canned */
    size_t headers_len, body_len;
} one_request;

static one_request parse_request(const char *data, size_t size)
{
    one_request q = {size ? (unsigned char)data[0] : 0, NULL, NULL, 0, 0};
    if (size)
        data++, size--;
    q.body = data;
    q.body_len = size;
    if (q.control & 3)
        return q;
    q.headers = data;
    q.headers_len = size;
    q.body_len = 0;
    for (size_t i = 0; i + 4 <= size; i++) {
        if (memcmp(data + i, "\r\n\r\n", 4) == 0) {
            q.headers_len = i + 4;
            q.body = data + i + 4;
            q.body_len = size - i - 4;
            break;
        }
    }
    return q;
}

/* The canned headers as a raw block (for segrecv_handle). */
static size_t canned_block(const one_request *q, char *buf, size_t cap)
{
    const char *const *h = CANNED[q->control & 3];
    int n = snprintf(buf, cap, "%s: %s\r\nContent-Type: application/json\r\n\r\n", h[0], h[1]);
    return (size_t)n;
}

static void send_headers(segrecv_request *r, const one_request *q)
{
    if (q->headers) {
        segrecv_request_headers(r, q->headers, q->headers_len);
    } else if (q->control & 0x40) {
        const char *const *h = CANNED[q->control & 3];
        segrecv_request_header(r, h[0], strlen(h[0]), h[1], strlen(h[1]));
        segrecv_request_header(r, "content-type", 12, "application/json", 16);
        segrecv_request_headers_end(r);
    } else {
        char block[256];
        segrecv_request_headers(r, block, canned_block(q, block, sizeof block));
    }
}

/* Feeds the body in chunks; false when the request was reset mid-body. */
static bool send(segrecv_request *r, const one_request *q, bool chunked, segrecv_response *out)
{
    static const size_t max[] = {1, 7, 64, SIZE_MAX};
    send_headers(r, q);
    size_t cap = chunked ? max[(q->control >> 2) & 3] : SIZE_MAX;
    size_t stop = (q->control & 0x10) ? q->body_len / 2 : SIZE_MAX;
    unsigned state = q->control;
    for (size_t at = 0; at < q->body_len;) {
        if (at >= stop) {
            segrecv_request_reset(r);
            return false;
        }
        state = state * 1103515245u + 12345u;
        size_t c = cap == SIZE_MAX ? q->body_len : 1 + (state >> 16) % cap;
        if (c > q->body_len - at)
            c = q->body_len - at;
        segrecv_request_body(r, q->body + at, c);
        at += c;
    }
    if (stop != SIZE_MAX) {
        segrecv_request_reset(r); /* reset with the body all fed, never finished */
        return false;
    }
    segrecv_request_finish(r, out);
    segrecv_request_reset(r);
    return true;
}

static void one_shot(segrecv_receiver *rcv, const one_request *q, segrecv_response *out)
{
    char block[256];
    const char *h = q->headers;
    size_t hlen = q->headers_len;
    if (!h) {
        hlen = canned_block(q, block, sizeof block);
        h = block;
    }
    segrecv_handle(rcv, h, hlen, q->body, q->body_len, out);
}

static bool same(const segrecv_response *a, const segrecv_response *b)
{
    return a->status == b->status && a->http_status == b->http_status &&
           a->body_len == b->body_len && memcmp(a->body, b->body, a->body_len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    answer = ANSWERS[((opt >> 4) & 7) % (sizeof ANSWERS / sizeof ANSWERS[0])];
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.flags = ((opt & 2) ? SEGRECV_OPT_BATCH : 0) | ((opt & 4) ? SEGRECV_OPT_LENIENT_TIMESTAMPS : 0);
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    FUZZ_CHECK(rcv != NULL);
    FUZZ_CHECK(segrecv_add_api_key(rcv, "writekey", 8) == SEGRECV_OK);
    FUZZ_CHECK(segrecv_add_api_key(rcv, "k", 1) == SEGRECV_OK);
    FUZZ_CHECK(segrecv_on_any(rcv, on_event, NULL) == SEGRECV_OK);
    if (opt & 1)
        FUZZ_CHECK(segrecv_set_key_check(rcv, fuzz_key_check, NULL) == SEGRECV_OK);
    segrecv_request *kept = segrecv_request_new(rcv);
    FUZZ_CHECK(kept != NULL);

    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    for (int n = 0; n < MAX_REQUESTS && p <= end; n++) {
        const char *sep = memchr(p, 0xFF, (size_t)(end - p));
        const char *stop = sep ? sep : end;
        one_request q = parse_request(p, (size_t)(stop - p));
        p = stop + 1;

        run_log seq = {0, 14695981039346656037ull}, fresh = seq;
        segrecv_response res_seq, res_fresh;
        current = &seq;
        bool answered = true;
        if ((q.control & 0x20) && !(q.control & 0x10))
            one_shot(rcv, &q, &res_seq);
        else
            answered = send(kept, &q, true, &res_seq);
        if (!answered)
            continue;
        current = &fresh;
        segrecv_request *r = segrecv_request_new(rcv);
        FUZZ_CHECK(r != NULL);
        send(r, &q, false, &res_fresh);
        segrecv_request_free(r);
        if (!same(&res_seq, &res_fresh)) {
            fprintf(stderr, "request %d in sequence: %d %s\nfresh request object: %d %s\n", n,
                    res_seq.http_status, res_seq.body, res_fresh.http_status, res_fresh.body);
            FUZZ_CHECK(!"a request's answer depends on the requests before it");
        }
        FUZZ_CHECK(seq.calls == fresh.calls && seq.hash == fresh.hash);
    }
    segrecv_request_free(kept);
    segrecv_receiver_free(rcv);
    return 0;
}
