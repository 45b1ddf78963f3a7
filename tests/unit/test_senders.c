/* Real senders: batches, compression, X-Segment-Settings, X-Signature,
 * idempotency, and the SDKs' writeKey. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define BATCH_HEADERS JSON_HEADERS

/* Collects what the callbacks saw, in order, as "type:message_id" lines. */
typedef struct seen {
    char log[8192];
    int calls;
    segrecv_status answer_for_m3; /* what the event with message_id "m3" gets */
} seen;

static segrecv_status collect(const segrecv_event *ev, segrecv_reply *reply, void *ud)
{
    seen *s = ud;
    s->calls++;
    size_t n = strlen(s->log);
    char json[2048];
    segrecv_event_to_json(ev, json, sizeof json);
    snprintf(s->log + n, sizeof s->log - n, "%s\n", json);
    if (ev->message_id.ptr && strcmp(ev->message_id.ptr, "m3") == 0 &&
        s->answer_for_m3 != SEGRECV_OK) {
        reply->message = "handler says no";
        return s->answer_for_m3;
    }
    return SEGRECV_OK;
}

static segrecv_receiver *batch_receiver(seen *s, unsigned flags)
{
    memset(s, 0, sizeof *s);
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.flags = flags;
    segrecv_receiver *rcv = segrecv_receiver_new(&opt);
    assert_non_null(rcv);
    segrecv_add_api_key(rcv, "segment", 7);
    segrecv_on_any(rcv, collect, s);
    return rcv;
}

static void post(segrecv_receiver *rcv, const char *headers, const char *body, size_t len,
                 segrecv_response *resp)
{
    segrecv_handle(rcv, headers, strlen(headers), body, len, resp);
}

static const char ENVELOPE[] =
    "{\"batch\":["
    "{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"m1\",\"context\":{\"ip\":\"1.1.1.1\"}},"
    "{\"type\":\"track\",\"userId\":\"u1\",\"messageId\":\"m2\"},"
    "{\"type\":\"track\",\"userId\":\"u1\",\"messageId\":\"m3\",\"event\":\"E\"},"
    "\"not an event\","
    "{\"type\":\"tracks\",\"userId\":\"u1\",\"messageId\":\"m5\"},"
    "{\"type\":\"page\",\"anonymousId\":\"a\",\"messageId\":\"m6\",\"integrations\":{\"All\":false}}"
    "],\"context\":{\"ip\":\"9.9.9.9\",\"library\":{\"name\":\"analytics-node\"}},"
    "\"integrations\":{\"All\":true},\"sentAt\":\"2024-01-01T00:00:00Z\",\"writeKey\":\"segment\"}";

static void test_envelope(void **state)
{
    (void)state;
    seen s;
    segrecv_receiver *rcv = batch_receiver(&s, SEGRECV_OPT_BATCH);
    segrecv_response resp;
    post(rcv, BATCH_HEADERS, ENVELOPE, strlen(ENVELOPE), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_string_equal(resp.body,
        "{\"message\":\"3 of 6 events were refused\",\"errors\":["
        "{\"index\":1,\"message_id\":\"m2\",\"status\":400,"
        "\"message\":\"Missing required field 'event' for track\"},"
        "{\"index\":3,\"status\":400,\"message\":\"Event must be a JSON object\"},"
        "{\"index\":4,\"message_id\":\"m5\",\"status\":501,"
        "\"message\":\"Unsupported call type 'tracks'\"}]}");
    assert_int_equal(s.calls, 3);
    /* In order; the envelope's context and integrations merged, the event's keys winning. */
    assert_string_equal(s.log,
        "{\"type\":\"identify\",\"message_id\":\"m1\",\"user_id\":\"u1\","
        "\"sent_at\":\"2024-01-01T00:00:00Z\",\"context\":{\"ip\":\"1.1.1.1\","
        "\"library\":{\"name\":\"analytics-node\"}},\"integrations\":{\"All\":true}}\n"
        "{\"type\":\"track\",\"message_id\":\"m3\",\"user_id\":\"u1\",\"event\":\"E\","
        "\"sent_at\":\"2024-01-01T00:00:00Z\",\"context\":{\"ip\":\"9.9.9.9\","
        "\"library\":{\"name\":\"analytics-node\"}},\"integrations\":{\"All\":true}}\n"
        "{\"type\":\"page\",\"message_id\":\"m6\",\"anonymous_id\":\"a\","
        "\"sent_at\":\"2024-01-01T00:00:00Z\",\"context\":{\"ip\":\"9.9.9.9\","
        "\"library\":{\"name\":\"analytics-node\"}},\"integrations\":{\"All\":false}}\n");
    /* The same bytes cut anywhere give the same answer. */
    for (size_t split = 0; split <= strlen(ENVELOPE); split += 7) {
        segrecv_request *r = segrecv_request_new(rcv);
        segrecv_request_headers(r, BATCH_HEADERS, strlen(BATCH_HEADERS));
        segrecv_request_body(r, ENVELOPE, split);
        segrecv_request_body(r, ENVELOPE + split, strlen(ENVELOPE) - split);
        segrecv_response again;
        segrecv_request_finish(r, &again);
        segrecv_request_free(r);
        assert_string_equal(again.body, resp.body);
    }
    segrecv_receiver_free(rcv);
}

static void test_batch_outcomes(void **state)
{
    (void)state;
    seen s;
    segrecv_receiver *rcv = batch_receiver(&s, SEGRECV_OPT_BATCH);
    segrecv_response resp;
    /* A top-level array, as the Webhooks destination sends. */
    const char *array = "[{\"type\":\"identify\",\"userId\":\"u\"},{\"type\":\"alias\","
                        "\"userId\":\"u\",\"previousId\":\"p\"}]";
    post(rcv, BATCH_HEADERS, array, strlen(array), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(resp.body_len, 0);
    assert_int_equal(s.calls, 2);
    /* Every event refused: 400. */
    const char *bad = "[{\"type\":\"track\",\"userId\":\"u\"},{\"userId\":\"u\"}]";
    post(rcv, BATCH_HEADERS, bad, strlen(bad), &resp);
    assert_int_equal(resp.http_status, 400);
    assert_non_null(strstr(resp.body, "\"message\":\"All 2 events were refused\""));
    assert_non_null(strstr(resp.body, "{\"index\":1,\"status\":400,"
                                      "\"message\":\"Missing required field 'type'\"}"));
    /* A callback asks for a retry: 503 for the whole batch, the others dispatched. */
    const char *three = "[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\",\"messageId\":\"m1\"},"
                        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"B\",\"messageId\":\"m3\"},"
                        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"C\",\"messageId\":\"m4\"}]";
    s.calls = 0;
    s.answer_for_m3 = SEGRECV_UNAVAILABLE;
    post(rcv, BATCH_HEADERS, three, strlen(three), &resp);
    assert_int_equal(resp.http_status, 503);
    assert_string_equal(resp.body, "{\"message\":\"1 of 3 events could not be processed; "
                                   "retry the batch\"}");
    assert_int_equal(s.calls, 3);
    s.answer_for_m3 = SEGRECV_FAILED;
    post(rcv, BATCH_HEADERS, three, strlen(three), &resp);
    assert_int_equal(resp.http_status, 500);
    s.answer_for_m3 = SEGRECV_ACCEPTED;
    post(rcv, BATCH_HEADERS, three, strlen(three), &resp);
    assert_int_equal(resp.http_status, 202);
    /* A callback rejection is an event refusal with the callback's words. */
    s.answer_for_m3 = SEGRECV_BAD_REQUEST;
    post(rcv, BATCH_HEADERS, three, strlen(three), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_string_equal(resp.body, "{\"message\":\"1 of 3 events were refused\",\"errors\":["
                                   "{\"index\":1,\"message_id\":\"m3\",\"status\":400,"
                                   "\"message\":\"handler says no\"}]}");
    /* Malformed envelopes refuse the whole request. */
    const char *not_array = "{\"batch\":{}}";
    post(rcv, BATCH_HEADERS, not_array, strlen(not_array), &resp);
    assert_int_equal(resp.http_status, 400);
    assert_string_equal(resp.body, "{\"message\":\"Field 'batch' must be an array of events\"}");
    post(rcv, BATCH_HEADERS, "[]", 2, &resp);
    assert_string_equal(resp.body, "{\"message\":\"The batch holds no events\"}");
    post(rcv, BATCH_HEADERS, "\"x\"", 3, &resp);
    assert_string_equal(resp.body,
                        "{\"message\":\"Request body must be a JSON object or an array of events\"}");
    /* A single event still works on a batch receiver. */
    const char *one = "{\"type\":\"identify\",\"userId\":\"u\"}";
    post(rcv, BATCH_HEADERS, one, strlen(one), &resp);
    assert_int_equal(resp.http_status, 200);
    segrecv_receiver_free(rcv);
    /* Without SEGRECV_OPT_BATCH an array is no event. */
    rcv = batch_receiver(&s, 0);
    post(rcv, BATCH_HEADERS, array, strlen(array), &resp);
    assert_string_equal(resp.body, "{\"message\":\"Request body must be a JSON object\"}");
    segrecv_receiver_free(rcv);
}

static void test_all_or_nothing(void **state)
{
    (void)state;
    seen s;
    segrecv_receiver *rcv = batch_receiver(&s, SEGRECV_OPT_BATCH | SEGRECV_OPT_BATCH_ALL_OR_NOTHING);
    segrecv_response resp;
    post(rcv, BATCH_HEADERS, ENVELOPE, strlen(ENVELOPE), &resp);
    assert_int_equal(resp.http_status, 400);
    assert_non_null(strstr(resp.body, "\"message\":\"3 of 6 events were refused; none was "
                                      "dispatched\",\"errors\":[{\"index\":1,"));
    assert_int_equal(s.calls, 0);
    segrecv_receiver_free(rcv);
}

static char *repeat_events(size_t n, size_t *len)
{
    const char *one = "{\"type\":\"identify\",\"userId\":\"u\"},";
    char *s = malloc(n * strlen(one) + 16);
    size_t off = 0;
    s[off++] = '[';
    for (size_t i = 0; i < n; i++) {
        memcpy(s + off, one, strlen(one));
        off += strlen(one);
    }
    s[off - 1] = ']';
    s[off] = '\0';
    *len = off;
    return s;
}

static void test_batch_limits(void **state)
{
    (void)state;
    seen s;
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.flags = SEGRECV_OPT_BATCH;
    opt.limits.max_batch_events = 10;
    segrecv_receiver *rcv = segrecv_receiver_new(&opt);
    segrecv_add_api_key(rcv, "segment", 7);
    memset(&s, 0, sizeof s);
    segrecv_on_any(rcv, collect, &s);
    size_t len;
    char *ten = repeat_events(10, &len), *eleven = repeat_events(11, &len);
    segrecv_response resp;
    post(rcv, BATCH_HEADERS, ten, strlen(ten), &resp);
    assert_int_equal(resp.http_status, 200);
    post(rcv, BATCH_HEADERS, eleven, strlen(eleven), &resp);
    assert_int_equal(resp.http_status, 400);
    assert_string_equal(resp.body,
                        "{\"message\":\"The batch has more events than the limit allows\"}");
    free(ten);
    free(eleven);
    segrecv_receiver_free(rcv);
    /* Defaults: 2500 events, 512000 bytes per batch, 32768 per event. */
    rcv = batch_receiver(&s, SEGRECV_OPT_BATCH);
    char *many = repeat_events(2501, &len);
    post(rcv, BATCH_HEADERS, many, len, &resp);
    assert_int_equal(resp.http_status, 400);
    free(many);
    /* One event of three 11000-byte traits (over 32768 bytes), then a small one. */
    char *big = malloc(40000);
    int n = sprintf(big, "[{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{");
    for (int t = 0; t < 3; t++) {
        n += sprintf(big + n, "%s\"t%d\":\"", t ? "," : "", t);
        memset(big + n, 'x', 11000);
        n += 11000;
        big[n++] = '"';
    }
    n += sprintf(big + n, "}},{\"type\":\"identify\",\"userId\":\"v\"}]");
    s.calls = 0;
    post(rcv, BATCH_HEADERS, big, (size_t)n, &resp);
    assert_int_equal(resp.http_status, 200);
    assert_string_equal(resp.body, "{\"message\":\"1 of 2 events were refused\",\"errors\":["
                                   "{\"index\":0,\"status\":413,"
                                   "\"message\":\"Event exceeds 32768 bytes\"}]}");
    assert_int_equal(s.calls, 1);
    free(big);
    segrecv_receiver_free(rcv);
}

/* ---- compression ------------------------------------------------------ */

/* window_bits: 15 + 16 gzip, 15 zlib, -15 raw deflate. */
static unsigned char *squeeze(const char *text, size_t len, int window_bits, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

static void test_compression(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    const char *body = "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Order Completed\","
                       "\"properties\":{\"revenue\":12.5,\"note\":\"caf\xc3\xa9\"}}";
    static const struct {
        const char *encoding;
        int bits;
    } forms[] = {{"gzip", 31}, {"x-gzip", 31}, {"deflate", 15}, {"deflate", -15}, {"GZIP", 31}};
    outcome plain;
    run_oneshot(rcv, &rec, JSON_HEADERS, body, strlen(body), &plain);
    assert_int_equal(plain.http, 200);
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t len;
        unsigned char *z = squeeze(body, strlen(body), forms[i].bits, &len);
        char headers[256];
        snprintf(headers, sizeof headers, JSON_HEADERS "Content-Encoding: %s\r\n",
                 forms[i].encoding);
        outcome got;
        run_oneshot(rcv, &rec, headers, (const char *)z, len, &got);
        assert_same_outcome(&plain, &got, forms[i].encoding);
        assert_every_split(rcv, &rec, headers, (const char *)z, len, &got);
        /* Cut short, or with bytes after the stream's end. */
        run_oneshot(rcv, &rec, headers, (const char *)z, len - 3, &got);
        assert_int_equal(got.http, 400);
        assert_string_equal(got.body,
                            "{\"message\":\"Invalid compressed body: the stream is truncated\"}");
        unsigned char *more = malloc(len + 3);
        memcpy(more, z, len);
        memcpy(more + len, "xyz", 3);
        run_oneshot(rcv, &rec, headers, (const char *)more, len + 3, &got);
        assert_int_equal(got.http, 400);
        assert_string_equal(got.body, "{\"message\":\"Invalid compressed body: data after the "
                                      "end of the stream\"}");
        free(more);
        free(z);
    }
    segrecv_receiver_free(rcv);
}

static void test_gzip_bomb(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    /* 10 MB of spaces inside a string compress to about 10 KB. */
    size_t big = 10u << 20;
    char *text = malloc(big);
    memcpy(text, "{\"type\":\"identify\",\"userId\":\"", 29);
    memset(text + 29, ' ', big - 29);
    size_t len;
    unsigned char *z = squeeze(text, big, 31, &len);
    outcome got;
    run_oneshot(rcv, &rec, JSON_HEADERS "Content-Encoding: gzip\r\n", (const char *)z, len, &got);
    assert_int_equal(got.http, 413);
    assert_string_equal(got.body, "{\"message\":\"Request body exceeds 32768 bytes\"}");
    free(z);
    free(text);
    segrecv_receiver_free(rcv);
    /* The ratio cap: 60 KB of JSON from a few hundred bytes, limits raised. */
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.limits.max_body_bytes = 1 << 20;
    opt.limits.max_string_bytes = 1 << 20;
    rcv = test_receiver(&rec, &opt);
    size_t n = 200000;
    text = malloc(n + 64);
    int k = sprintf(text, "{\"type\":\"identify\",\"userId\":\"");
    memset(text + k, 'a', n);
    strcpy(text + k + n, "\"}");
    z = squeeze(text, strlen(text), 31, &len);
    run_oneshot(rcv, &rec, JSON_HEADERS "Content-Encoding: gzip\r\n", (const char *)z, len, &got);
    assert_int_equal(got.http, 413);
    assert_string_equal(got.body,
                        "{\"message\":\"Compressed request body inflates more than 200 times\"}");
    free(z);
    free(text);
    segrecv_receiver_free(rcv);
}

/* ---- settings and signatures ------------------------------------------- */

static segrecv_status settings_probe(const segrecv_event *ev, segrecv_reply *reply, void *ud)
{
    (void)reply;
    char *out = ud;
    segrecv_value_to_json(ev->settings, out, 256);
    return SEGRECV_OK;
}

static void test_settings_header(void **state)
{
    (void)state;
    segrecv_receiver *rcv = segrecv_receiver_new(NULL);
    segrecv_add_api_key(rcv, "segment", 7);
    char got[256] = "";
    segrecv_on_any(rcv, settings_probe, got);
    const char *body = "{\"type\":\"identify\",\"userId\":\"u\"}";
    segrecv_response resp;
    /* base64 of {"customSettingOne":"custom setting value"} */
    const char *h = JSON_HEADERS
        "X-Segment-Settings: eyJjdXN0b21TZXR0aW5nT25lIjoiY3VzdG9tIHNldHRpbmcgdmFsdWUifQ==\r\n";
    post(rcv, h, body, strlen(body), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_string_equal(got, "{\"customSettingOne\":\"custom setting value\"}");
    post(rcv, JSON_HEADERS "X-Segment-Settings: !!\r\n", body, strlen(body), &resp);
    assert_int_equal(resp.http_status, 400);
    assert_string_equal(resp.body,
                        "{\"message\":\"Malformed X-Segment-Settings header: invalid Base64\"}");
    /* base64 of [1] and of {"a": */
    post(rcv, JSON_HEADERS "X-Segment-Settings: WzFd\r\n", body, strlen(body), &resp);
    assert_string_equal(resp.body, "{\"message\":\"Malformed X-Segment-Settings header: "
                                   "Request body must be a JSON object\"}");
    post(rcv, JSON_HEADERS "X-Segment-Settings: eyJhIjo=\r\n", body, strlen(body), &resp);
    assert_string_equal(resp.body, "{\"message\":\"Malformed X-Segment-Settings header: "
                                   "Invalid JSON: premature EOF\"}");
    segrecv_receiver_free(rcv);
}

static void test_signature(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    assert_int_equal(segrecv_set_signing_secret(rcv, "shh", 3), SEGRECV_OK);
    const char *body = "{\"type\":\"identify\",\"userId\":\"u\"}";
    /* printf %s "$body" | openssl dgst -sha1 -hmac shh */
    const char *good = JSON_HEADERS "X-Signature: 54ac21bcb04a05a3a215563b0bbe1c13a87c5954\r\n";
    const char *upper = JSON_HEADERS "X-Signature: 54AC21BCB04A05A3A215563B0BBE1C13A87C5954\r\n";
    outcome out;
    run_oneshot(rcv, &rec, good, body, strlen(body), &out);
    assert_int_equal(out.http, 200);
    assert_every_split(rcv, &rec, good, body, strlen(body), &out);
    run_oneshot(rcv, &rec, upper, body, strlen(body), &out);
    assert_int_equal(out.http, 200);
    /* One byte changed: the same signature no longer matches. */
    const char *tampered = "{\"type\":\"identify\",\"userId\":\"v\"}";
    run_oneshot(rcv, &rec, good, tampered, strlen(tampered), &out);
    assert_int_equal(out.http, 401);
    assert_int_equal(out.calls, 0);
    run_oneshot(rcv, &rec, JSON_HEADERS, body, strlen(body), &out);
    assert_int_equal(out.http, 401);
    assert_string_equal(out.body, "{\"message\":\"Missing X-Signature header\"}");
    run_oneshot(rcv, &rec, JSON_HEADERS "X-Signature: 00\r\n", body, strlen(body), &out);
    assert_int_equal(out.http, 401);
    assert_string_equal(out.body, "{\"message\":\"Invalid X-Signature\"}");
    assert_int_equal(out.calls, 0);
    segrecv_receiver_free(rcv);
}

/* ---- idempotency -------------------------------------------------------- */

static void test_dedupe_store(void **state)
{
    (void)state;
    assert_null(segrecv_dedupe_store_new(0, 1000, NULL));
    assert_null(segrecv_dedupe_store_new(10, 0, NULL));
    segrecv_dedupe_store *store = segrecv_dedupe_store_new(2, 60000, NULL);
    segrecv_dedupe d = segrecv_dedupe_store_hooks(store);
    assert_int_equal(d.claim(d.ctx, "a", 1), 1);
    assert_int_equal(d.claim(d.ctx, "a", 1), 0);
    assert_int_equal(d.claim(d.ctx, "b", 1), 1);
    d.release(d.ctx, "b", 1);
    assert_int_equal(d.claim(d.ctx, "b", 1), 1);
    /* Bounded: a third id evicts the oldest. */
    assert_int_equal(d.claim(d.ctx, "c", 1), 1);
    assert_int_equal(d.claim(d.ctx, "a", 1), 1);
    assert_int_equal(d.claim(d.ctx, "c", 1), 0);
    segrecv_dedupe_store_free(store);
    /* The window: an id is forgotten after it. */
    store = segrecv_dedupe_store_new(100, 30, NULL);
    d = segrecv_dedupe_store_hooks(store);
    assert_int_equal(d.claim(d.ctx, "x", 1), 1);
    assert_int_equal(d.claim(d.ctx, "x", 1), 0);
    struct timespec pause = {0, 60 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_int_equal(d.claim(d.ctx, "x", 1), 1);
    segrecv_dedupe_store_free(store);
    segrecv_dedupe_store_free(NULL);
}

static void test_replays_dispatch_once(void **state)
{
    (void)state;
    seen s;
    segrecv_receiver *rcv = batch_receiver(&s, SEGRECV_OPT_BATCH);
    segrecv_dedupe_store *store = segrecv_dedupe_store_new(1000, 3600 * 1000, NULL);
    segrecv_dedupe hooks = segrecv_dedupe_store_hooks(store);
    assert_int_equal(segrecv_set_dedupe(rcv, &hooks), SEGRECV_OK);
    segrecv_response resp;
    const char *one = "{\"type\":\"identify\",\"userId\":\"u\",\"messageId\":\"m1\"}";
    post(rcv, BATCH_HEADERS, one, strlen(one), &resp);
    post(rcv, BATCH_HEADERS, one, strlen(one), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(s.calls, 1);
    assert_int_equal(segrecv_duplicates(rcv), 1);
    /* A batch whose middle event asks for a retry: the retry dispatches only it. */
    const char *three = "[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\",\"messageId\":\"m2\"},"
                        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"B\",\"messageId\":\"m3\"},"
                        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"C\",\"messageId\":\"m4\"}]";
    s.calls = 0;
    s.answer_for_m3 = SEGRECV_UNAVAILABLE;
    post(rcv, BATCH_HEADERS, three, strlen(three), &resp);
    assert_int_equal(resp.http_status, 503);
    assert_int_equal(s.calls, 3);
    s.calls = 0;
    s.log[0] = '\0';
    s.answer_for_m3 = SEGRECV_OK;
    post(rcv, BATCH_HEADERS, three, strlen(three), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(s.calls, 1);
    assert_non_null(strstr(s.log, "\"message_id\":\"m3\""));
    assert_int_equal(segrecv_duplicates(rcv), 3);
    /* Invalid hooks are refused; NULL removes them. */
    segrecv_dedupe half = {hooks.claim, NULL, NULL};
    assert_int_equal(segrecv_set_dedupe(rcv, &half), SEGRECV_INVALID_ARGUMENT);
    assert_int_equal(segrecv_set_dedupe(rcv, NULL), SEGRECV_OK);
    s.calls = 0;
    post(rcv, BATCH_HEADERS, one, strlen(one), &resp);
    assert_int_equal(s.calls, 1);
    segrecv_receiver_free(rcv);
    segrecv_dedupe_store_free(store);
}

/* ---- writeKey in the body ------------------------------------------------- */

static void test_body_write_key(void **state)
{
    (void)state;
    recorder rec;
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.flags = SEGRECV_OPT_BODY_WRITE_KEY | SEGRECV_OPT_BATCH;
    segrecv_receiver *rcv = test_receiver(&rec, &opt);
    const char *h = "Content-Type: application/json\r\n";
    const char *good = "{\"batch\":[{\"type\":\"identify\",\"userId\":\"u\"}],\"writeKey\":\"segment\"}";
    const char *wrong = "{\"batch\":[{\"type\":\"identify\",\"userId\":\"u\"}],\"writeKey\":\"nope\"}";
    const char *none = "{\"batch\":[{\"type\":\"identify\",\"userId\":\"u\"}]}";
    const char *single = "{\"type\":\"identify\",\"userId\":\"u\",\"writeKey\":\"segment\"}";
    outcome out;
    run_oneshot(rcv, &rec, h, good, strlen(good), &out);
    assert_int_equal(out.http, 200);
    assert_string_equal(rec.last_api_key, "segment");
    run_oneshot(rcv, &rec, h, single, strlen(single), &out);
    assert_int_equal(out.http, 200);
    run_oneshot(rcv, &rec, h, wrong, strlen(wrong), &out);
    assert_int_equal(out.http, 401);
    assert_string_equal(out.body, "{\"message\":\"Invalid API key\"}");
    assert_int_equal(out.calls, 0);
    run_oneshot(rcv, &rec, h, none, strlen(none), &out);
    assert_string_equal(out.body, "{\"message\":\"Missing Authorization header or writeKey\"}");
    /* An Authorization header, when sent, decides. */
    run_oneshot(rcv, &rec, "Authorization: Basic b3RoZXI6\r\n", good, strlen(good), &out);
    assert_int_equal(out.http, 401);
    segrecv_receiver_free(rcv);
}

static void test_batch_receiver_rules_for_one_event(void **state)
{
    (void)state;
    seen s;
    segrecv_receiver *rcv = batch_receiver(&s, SEGRECV_OPT_BATCH);
    segrecv_response resp;
    /* A single event is still held to 32768 bytes on a batch receiver. */
    char *big = malloc(40000);
    int n = sprintf(big, "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{");
    for (int t = 0; t < 3; t++) {
        n += sprintf(big + n, "%s\"t%d\":\"", t ? "," : "", t);
        memset(big + n, 'x', 11000);
        n += 11000;
        big[n++] = '"';
    }
    n += sprintf(big + n, "}}");
    post(rcv, BATCH_HEADERS, big, (size_t)n, &resp);
    assert_int_equal(resp.http_status, 413);
    assert_string_equal(resp.body, "{\"message\":\"Request body exceeds 32768 bytes\"}");
    free(big);
    const char *lone = "[{\"type\":\"track\",\"userId\":\"u\"}]";
    post(rcv, BATCH_HEADERS, lone, strlen(lone), &resp);
    assert_int_equal(resp.http_status, 400);
    assert_non_null(strstr(resp.body, "\"message\":\"The batch's only event was refused\""));
    segrecv_receiver_free(rcv);
}

static void test_any_content_type(void **state)
{
    (void)state;
    const char *form = AUTH_SEGMENT "Content-Type: application/x-www-form-urlencoded\r\n";
    const char *body = "{\"type\":\"identify\",\"userId\":\"u\"}";
    seen s;
    segrecv_receiver *strict = batch_receiver(&s, 0);
    segrecv_response resp;
    post(strict, form, body, strlen(body), &resp);
    assert_int_equal(resp.http_status, 400);
    segrecv_receiver_free(strict);
    segrecv_receiver *lenient = batch_receiver(&s, SEGRECV_OPT_ANY_CONTENT_TYPE);
    post(lenient, form, body, strlen(body), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(s.calls, 1);
    /* The body must still be JSON. */
    post(lenient, form, "type=identify", 13, &resp);
    assert_int_equal(resp.http_status, 400);
    segrecv_receiver_free(lenient);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelope),
        cmocka_unit_test(test_batch_outcomes),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_batch_limits),
        cmocka_unit_test(test_compression),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_settings_header),
        cmocka_unit_test(test_signature),
        cmocka_unit_test(test_dedupe_store),
        cmocka_unit_test(test_replays_dispatch_once),
        cmocka_unit_test(test_body_write_key),
        cmocka_unit_test(test_batch_receiver_rules_for_one_event),
        cmocka_unit_test(test_any_content_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
