/* Allocation failure at every allocation of a request's whole life: receiver
 * setup, key list, request object, headers, body, dispatch, response. For
 * each N the Nth allocation fails (once, then in a second sweep for good);
 * the library must answer 500 "Out of memory" or the status it answers with
 * memory (a message may come out shorter), leak nothing, and answer the next
 * request exactly as before. */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#ifdef SEGRECV_TEST_GZIP
#include <zlib.h>
#endif

typedef struct counting_alloc {
    size_t calls;    /* malloc and realloc calls so far */
    size_t fail_at;  /* the call that fails; 0: none */
    bool fail_after; /* every later call fails too */
    long live;       /* blocks not yet freed */
} counting_alloc;

static bool should_fail(counting_alloc *a)
{
    a->calls++;
    return a->fail_at && (a->calls == a->fail_at || (a->fail_after && a->calls > a->fail_at));
}

static void *ca_malloc(void *ctx, size_t size)
{
    counting_alloc *a = ctx;
    if (should_fail(a))
        return NULL;
    void *p = malloc(size);
    a->live += p != NULL;
    return p;
}

static void *ca_realloc(void *ctx, void *ptr, size_t size)
{
    counting_alloc *a = ctx;
    if (should_fail(a))
        return NULL;
    void *p = realloc(ptr, size);
    a->live += p != NULL && ptr == NULL;
    return p;
}

static void ca_free(void *ctx, void *ptr)
{
    counting_alloc *a = ctx;
    a->live -= ptr != NULL;
    free(ptr);
}

typedef struct scenario {
    const char *name;
    const char *headers; /* a raw block */
    bool pairs;          /* streamed: send the block's lines as name/value pairs */
    const char *body;    /* NULL: made by make() */
    char *(*make)(size_t *len);
    size_t chunk;        /* 0: one-shot through segrecv_handle; else streamed */
    bool key_cb;
    segrecv_status answer;
    const char *reply;
    int http; /* what the request gets with memory */
} scenario;

typedef struct outcome {
    int http;
    segrecv_status status;
    char body[SEGRECV_RESPONSE_BODY_MAX];
    int calls;
} outcome;

typedef struct run {
    const scenario *s;
    const char *body;
    size_t body_len;
    int calls;
} run;

static segrecv_status on_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)ev;
    run *r = user_data;
    r->calls++;
    reply->message = r->s->reply;
    return r->s->answer;
}

static segrecv_status on_key(const char *key, size_t len, segrecv_reply *reply, void *user_data)
{
    (void)key;
    (void)len;
    (void)user_data;
    reply->message = "API token expired";
    return SEGRECV_FORBIDDEN;
}

static void send_pairs(segrecv_request *r, const char *block)
{
    const char *p = block;
    while (*p && !(p[0] == '\r' && p[1] == '\n')) {
        const char *colon = strchr(p, ':'), *eol = strstr(p, "\r\n");
        const char *value = colon + 1;
        while (*value == ' ')
            value++;
        segrecv_request_header(r, p, (size_t)(colon - p), value, (size_t)(eol - value));
        p = eol + 2;
    }
    segrecv_request_headers_end(r);
}

static void record(outcome *out, const segrecv_response *res, int calls)
{
    out->http = res->http_status;
    out->status = res->status;
    snprintf(out->body, sizeof out->body, "%s", res->body);
    out->calls = calls;
}

/* One request on `*reuse` (streamed) or through the receiver's pool. */
static void request(run *rn, segrecv_receiver *rcv, segrecv_request **reuse, outcome *out)
{
    segrecv_response res;
    rn->calls = 0;
    if (rn->s->chunk == 0) {
        segrecv_handle(rcv, rn->s->headers, strlen(rn->s->headers), rn->body, rn->body_len,
                       &res);
        record(out, &res, rn->calls);
        return;
    }
    if (!*reuse)
        *reuse = segrecv_request_new(rcv);
    if (!*reuse) { /* what a host answers when it cannot even start */
        memset(out, 0, sizeof *out);
        out->http = 500;
        out->status = SEGRECV_NOMEM;
        snprintf(out->body, sizeof out->body, "{\"message\":\"Out of memory\"}");
        return;
    }
    segrecv_request *r = *reuse;
    if (rn->s->pairs)
        send_pairs(r, rn->s->headers);
    else
        segrecv_request_headers(r, rn->s->headers, strlen(rn->s->headers));
    for (size_t at = 0; at < rn->body_len; at += rn->s->chunk) {
        size_t n = rn->body_len - at < rn->s->chunk ? rn->body_len - at : rn->s->chunk;
        segrecv_request_body(r, rn->body + at, n);
    }
    segrecv_request_finish(r, &res);
    record(out, &res, rn->calls);
    segrecv_request_reset(r);
}

enum life_end { SETUP_FAILED, COMPLETED };

/* Receiver setup, one request with failures armed, one without. */
static enum life_end life(run *rn, counting_alloc *a, outcome *first, outcome *second,
                          size_t *warm_calls)
{
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.allocator = (segrecv_allocator){ca_malloc, ca_realloc, ca_free, a};
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    if (!rcv)
        return SETUP_FAILED;
    segrecv_status st = segrecv_add_api_key(rcv, API_KEY, strlen(API_KEY));
    if (st != SEGRECV_OK) {
        assert_int_equal(st, SEGRECV_NOMEM);
        segrecv_receiver_free(rcv);
        return SETUP_FAILED;
    }
    assert_int_equal(segrecv_on_any(rcv, on_event, rn), SEGRECV_OK);
    if (rn->s->key_cb)
        assert_int_equal(segrecv_set_key_check(rcv, on_key, NULL), SEGRECV_OK);
    segrecv_request *reuse = NULL;
    request(rn, rcv, &reuse, first);
    a->fail_at = 0; /* memory is back */
    size_t before = a->calls;
    request(rn, rcv, &reuse, second);
    *warm_calls = a->calls - before;
    segrecv_request_free(reuse);
    segrecv_receiver_free(rcv);
    return COMPLETED;
}

static bool same_status(const outcome *a, const outcome *b)
{
    return a->http == b->http && a->status == b->status && a->calls == b->calls;
}

static bool same(const outcome *a, const outcome *b)
{
    return same_status(a, b) && strcmp(a->body, b->body) == 0;
}

static void sweep(const scenario *s, const char *body, size_t body_len)
{
    run rn = {s, body, body_len, 0};
    counting_alloc a = {0, 0, false, 0};
    outcome base, again;
    size_t warm;
    assert_int_equal(life(&rn, &a, &base, &again, &warm), COMPLETED);
    assert_int_equal(a.live, 0);
    assert_int_equal(base.http, s->http);
    assert_true(same(&base, &again));
    /* After warm-up a request allocates nothing (design: arena reuse). */
    assert_int_equal(warm, 0);
    size_t total = a.calls;
    size_t nomem = 0;
    for (int after = 0; after <= 1; after++) {
        for (size_t n = 1; n <= total + 1; n++) {
            counting_alloc f = {0, n, after != 0, 0};
            outcome first, second;
            if (life(&rn, &f, &first, &second, &warm) == COMPLETED) {
                bool out_of_memory = first.http == 500 && first.status == SEGRECV_NOMEM &&
                                     strcmp(first.body, "{\"message\":\"Out of memory\"}") == 0;
                if (!out_of_memory && !same_status(&first, &base))
                    fail_msg("%s: allocation %zu%s failed: got %d %s, want %d %s or 500", s->name,
                             n, after ? " and later" : "", first.http, first.body, base.http,
                             base.body);
                nomem += out_of_memory;
                if (!same(&second, &base))
                    fail_msg("%s: after allocation %zu failed, the next request got %d %s",
                             s->name, n, second.http, second.body);
            }
            if (f.live != 0)
                fail_msg("%s: allocation %zu failed: %ld blocks leaked", s->name, n, f.live);
        }
    }
    assert_true(nomem > 0); /* failures did reach the request, not only the setup */
}

/* ~20 KB: many members, escapes and non-ASCII, so the arena needs several
 * blocks and yajl's buffers grow while the body streams in. */
static char *many_members(size_t *len)
{
    buffer b = {0};
    buf_str(&b, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Big\",\"properties\":{");
    char member[160];
    for (int i = 0; i < 250; i++) {
        snprintf(member, sizeof member,
                 "%s\"key_%d\":\"value \\\"%d\\\" caf\\u00e9 \xe6\x9d\xb1 \\ud83d\\ude00 %0*d\"",
                 i ? "," : "", i, i, i % 40, 7);
        buf_str(&b, member);
    }
    buf_str(&b, "}}");
    *len = b.len;
    return b.data;
}

/* Strings of 2.7-11 KB with escapes: yajl's lexer and decode buffers grow
 * (to 16 KiB) while a string streams in, asking the arena for new blocks. */
static char *long_strings(size_t *len)
{
    buffer b = {0};
    buf_str(&b, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Long\",\"properties\":{");
    for (int i = 0; i < 4; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s\"s%d\":\"", i ? "," : "", i);
        buf_str(&b, key);
        buf_repeat(&b, "abc\\n\\u00e9", (size_t)(250 + 250 * i));
        buf_str(&b, "\"");
    }
    buf_str(&b, "}}");
    *len = b.len;
    return b.data;
}

#ifdef SEGRECV_TEST_GZIP
/* The many-member body, gzip-compressed: inflating allocates too. */
static char *gzipped(size_t *len)
{
    size_t plain_len;
    char *plain = many_members(&plain_len);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, (uLong)plain_len);
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    z.next_in = (unsigned char *)plain;
    z.avail_in = (uInt)plain_len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *len = z.total_out;
    deflateEnd(&z);
    free(plain);
    return (char *)out;
}
#define GZIP_HEADERS GOOD_AUTH "Content-Type: application/json\r\nContent-Encoding: gzip\r\n\r\n"
#endif

/* --- scenarios -------------------------------------------------------------- */

#define JSON_HEADERS GOOD_AUTH "Content-Type: application/json\r\n\r\n"
#define TRACK "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\"}"

static const scenario SCENARIOS[] = {
    {"valid, one-shot", JSON_HEADERS, false, TRACK, NULL, 0, false, SEGRECV_OK, NULL, 200},
    {"valid, streamed", JSON_HEADERS, false, TRACK, NULL, 5, false, SEGRECV_ACCEPTED, NULL, 202},
    {"valid, header pairs", JSON_HEADERS, true, TRACK, NULL, 3, false, SEGRECV_OK, NULL, 200},
    {"many members, 7-byte chunks", JSON_HEADERS, false, NULL, many_members, 7, false, SEGRECV_OK,
     NULL, 200},
    {"many members, one-shot", JSON_HEADERS, false, NULL, many_members, 0, false, SEGRECV_OK,
     NULL, 200},
    {"long strings, 100-byte chunks", JSON_HEADERS, false, NULL, long_strings, 100, false,
     SEGRECV_OK, NULL, 200},
    {"long strings, one-shot", JSON_HEADERS, false, NULL, long_strings, 0, false, SEGRECV_OK,
     NULL, 200},
    {"rejected with a reply", JSON_HEADERS, false, TRACK, NULL, 0, false, SEGRECV_BAD_REQUEST,
     "Missing email address", 400},
    {"invalid JSON", JSON_HEADERS, false, "{\"type\":\"track\",,}", NULL, 0, false, SEGRECV_OK,
     NULL, 400},
    {"invalid JSON, streamed", JSON_HEADERS, true, "{\"type\":\"track\",\"userId\":[1,}", NULL,
     2, false, SEGRECV_OK, NULL, 400},
    {"unknown type", JSON_HEADERS, false, "{\"type\":\"tracks\",\"userId\":\"u1\"}", NULL, 0,
     false, SEGRECV_OK, NULL, 501},
    {"missing field", JSON_HEADERS, true, "{\"type\":\"track\",\"userId\":\"u1\"}", NULL, 4,
     false, SEGRECV_OK, NULL, 400},
    {"unknown key", "Authorization: Basic b3RoZXI6\r\n\r\n", false, TRACK, NULL, 0, false,
     SEGRECV_OK, NULL, 401},
    {"key callback with a message", "Authorization: Basic b3RoZXI6\r\n\r\n", true, TRACK, NULL, 6,
     true, SEGRECV_OK, NULL, 403},
#ifdef SEGRECV_TEST_GZIP
    {"gzip body, one-shot", GZIP_HEADERS, false, NULL, gzipped, 0, false, SEGRECV_OK, NULL, 200},
    {"gzip body, 9-byte chunks", GZIP_HEADERS, true, NULL, gzipped, 9, false, SEGRECV_OK, NULL, 200},
#endif
};

static void run_scenario(void **state)
{
    const scenario *s = *state;
    if (s->body) {
        sweep(s, s->body, strlen(s->body));
        return;
    }
    size_t len;
    char *body = s->make(&len);
    sweep(s, body, len);
    free(body);
}

int main(void)
{
    struct CMUnitTest tests[sizeof SCENARIOS / sizeof SCENARIOS[0]];
    for (size_t i = 0; i < sizeof SCENARIOS / sizeof SCENARIOS[0]; i++) {
        memset(&tests[i], 0, sizeof tests[i]);
        tests[i].name = SCENARIOS[i].name;
        tests[i].test_func = run_scenario;
        tests[i].initial_state = (void *)&SCENARIOS[i];
    }
    return cmocka_run_group_tests_name("allocation failure", tests, NULL, NULL);
}
