/* Receiver configuration: limits, key checks, maintenance, options,
 * allocator hooks, and the streaming API's rules of use. */
#include "support.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDENTIFY "{\"type\":\"identify\",\"userId\":\"u1\"}"

static void expect(segrecv_receiver *rcv, recorder *rec, const char *headers, const char *body,
                   size_t len, int http, const char *message)
{
    outcome out;
    char msg[SEGRECV_RESPONSE_BODY_MAX];
    run_oneshot(rcv, rec, headers, body, len, &out);
    response_message(&out, msg, sizeof msg);
    if (out.http != http || strcmp(msg, message) != 0)
        fail_msg("expected %d \"%s\", got %d \"%s\"", http, message, out.http, msg);
    assert_every_split(rcv, rec, headers, body, len, &out);
}

/* "[[[[...]]]]" wrapped as a trait, nested `depth` levels below the root. */
static char *nested_event(size_t depth)
{
    size_t arrays = depth - 1; /* the root object is one level */
    char *s = malloc(arrays * 2 + 128);
    size_t n = (size_t)sprintf(s, "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"a\":");
    arrays--; /* traits is one level too */
    for (size_t i = 0; i < arrays; i++)
        s[n++] = '[';
    for (size_t i = 0; i < arrays; i++)
        s[n++] = ']';
    strcpy(s + n, "}}");
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    char *ok = nested_event(64), *deep = nested_event(65);
    expect(rcv, &rec, JSON_HEADERS, ok, strlen(ok), 200, "");
    expect(rcv, &rec, JSON_HEADERS, deep, strlen(deep), 400,
           "JSON nesting is deeper than the limit allows");
    free(ok);
    free(deep);
    segrecv_receiver_free(rcv);
}

static char *long_string_event(size_t len)
{
    char *s = malloc(len + 64);
    size_t n = (size_t)sprintf(s, "{\"type\":\"identify\",\"userId\":\"");
    memset(s + n, 'x', len);
    strcpy(s + n + len, "\"}");
    return s;
}

static void test_string_and_body_limits(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    char *ok = long_string_event(16384), *too_long = long_string_event(16385);
    char *too_big = long_string_event(40000);
    expect(rcv, &rec, JSON_HEADERS, ok, strlen(ok), 200, "");
    expect(rcv, &rec, JSON_HEADERS, too_long, strlen(too_long), 400,
           "A string is longer than the limit allows");
    /* No Content-Length: 413 as soon as byte 32769 arrives, the rest unread. */
    outcome out;
    run_oneshot(rcv, &rec, JSON_HEADERS, too_big, strlen(too_big), &out);
    assert_int_equal(out.http, 413);
    assert_string_equal(out.body, "{\"message\":\"Request body exceeds 32768 bytes\"}");
    run_streamed(rcv, &rec, JSON_HEADERS, too_big, strlen(too_big), 1000, &out);
    assert_int_equal(out.http, 413);
    /* A syntax error inside the first 32768 bytes is reported as such. */
    too_big[0] = 'x';
    run_oneshot(rcv, &rec, JSON_HEADERS, too_big, strlen(too_big), &out);
    assert_int_equal(out.http, 400);
    free(ok);
    free(too_long);
    free(too_big);
    segrecv_receiver_free(rcv);
}

static void test_member_limit(void **state)
{
    (void)state;
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.limits.max_object_keys = 3;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, &opt);
    const char *three = "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"a\":1,\"b\":2,\"c\":3}}";
    const char *four = "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4}}";
    const char *arr = "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"a\":[1,2,3,4]}}";
    expect(rcv, &rec, JSON_HEADERS, three, strlen(three), 200, "");
    expect(rcv, &rec, JSON_HEADERS, four, strlen(four), 400,
           "An object has more members than the limit allows");
    expect(rcv, &rec, JSON_HEADERS, arr, strlen(arr), 400,
           "An array has more elements than the limit allows");
    assert_int_equal(segrecv_receiver_limits(rcv).max_object_keys, 3);
    assert_int_equal(segrecv_receiver_limits(rcv).max_body_bytes, 32768);
    segrecv_receiver_free(rcv);
}

static void test_header_limit(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    size_t big = 64 * 1024;
    char *headers = malloc(big + 128);
    strcpy(headers, JSON_HEADERS "X-Big: ");
    size_t n = strlen(headers);
    memset(headers + n, 'a', big);
    strcpy(headers + n + big, "\r\n");
    expect(rcv, &rec, headers, IDENTIFY, strlen(IDENTIFY), 431,
           "Request headers exceed 16384 bytes");
    /* The same through name/value pairs. */
    segrecv_request *r = segrecv_request_new(rcv);
    assert_int_equal(segrecv_request_header(r, "Authorization", 13, "Basic c2VnbWVudDo=", 18),
                     SEGRECV_OK);
    assert_int_equal(segrecv_request_header(r, "X-Big", 5, headers + n, big),
                     SEGRECV_HEADERS_TOO_LARGE);
    segrecv_response resp;
    assert_int_equal(segrecv_request_finish(r, &resp), SEGRECV_HEADERS_TOO_LARGE);
    assert_int_equal(resp.http_status, 431);
    segrecv_request_free(r);
    free(headers);
    segrecv_receiver_free(rcv);
}

static void test_credentials_limit(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    /* 10 KB of valid Base64 ("AAAA" decodes to three zero bytes). */
    char *headers = malloc(11000);
    strcpy(headers, "Authorization: Basic ");
    size_t n = strlen(headers);
    for (size_t i = 0; i < 10240; i += 4)
        memcpy(headers + n + i, "AAAA", 4);
    strcpy(headers + n + 10240, "\r\n");
    expect(rcv, &rec, headers, IDENTIFY, strlen(IDENTIFY), 401,
           "Basic credentials exceed 256 bytes");
    free(headers);
    assert_int_equal(segrecv_add_api_key(rcv, "", 0), SEGRECV_INVALID_ARGUMENT);
    char long_key[300];
    memset(long_key, 'k', sizeof long_key);
    assert_int_equal(segrecv_add_api_key(rcv, long_key, sizeof long_key),
                     SEGRECV_INVALID_ARGUMENT);
    segrecv_receiver_free(rcv);
}

/* Keys: "expired" -> 401 with a message, "readonly" -> 403, "broken" -> a bad answer. */
static segrecv_status key_check(const char *key, size_t len, segrecv_reply *reply, void *ud)
{
    int *calls = ud;
    (*calls)++;
    if (len == 7 && memcmp(key, "expired", 7) == 0) {
        reply->message = "API token expired";
        return SEGRECV_UNAUTHORIZED;
    }
    if (len == 8 && memcmp(key, "readonly", 8) == 0)
        return SEGRECV_FORBIDDEN;
    if (len == 6 && memcmp(key, "broken", 6) == 0)
        return SEGRECV_ACCEPTED;
    if (len == 5 && memcmp(key, "good2", 5) == 0)
        return SEGRECV_OK;
    return SEGRECV_UNAUTHORIZED;
}

static void test_key_callback(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    int calls = 0;
    segrecv_set_key_check(rcv, key_check, &calls);
    /* base64 of "expired:", "readonly:", "broken:", "good2:", "nobody:", "segment:" */
    expect(rcv, &rec, "Authorization: Basic ZXhwaXJlZDo=\r\n", IDENTIFY, strlen(IDENTIFY), 401,
           "API token expired");
    expect(rcv, &rec, "Authorization: Basic cmVhZG9ubHk6\r\n", IDENTIFY, strlen(IDENTIFY), 403,
           "API key is not allowed here");
    expect(rcv, &rec, "Authorization: Basic YnJva2VuOg==\r\n", IDENTIFY, strlen(IDENTIFY), 500,
           "API key check failed");
    expect(rcv, &rec, "Authorization: Basic bm9ib2R5Og==\r\n", IDENTIFY, strlen(IDENTIFY), 401,
           "Invalid API key");
    expect(rcv, &rec, "Authorization: Basic Z29vZDI6\r\n", IDENTIFY, strlen(IDENTIFY), 200, "");
    assert_string_equal(rec.last_api_key, "good2");
    /* A listed key never reaches the callback. */
    int before = calls;
    expect(rcv, &rec, AUTH_SEGMENT, IDENTIFY, strlen(IDENTIFY), 200, "");
    assert_int_equal(calls, before);
    assert_string_equal(rec.last_api_key, "segment");
    segrecv_receiver_free(rcv);
}

/* One request object remembers credentials that named a listed key; every
 * other header is still decoded and checked, and a key the callback
 * accepted is asked again each time. */
static void test_remembered_credentials(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    int calls = 0;
    segrecv_set_key_check(rcv, key_check, &calls);
    segrecv_request *r = segrecv_request_new(rcv);
    static const struct {
        const char *authorization;
        int http;
        const char *key;
    } steps[] = {
        {"Basic c2VnbWVudDo=", 200, "segment"},
        {"Basic c2VnbWVudDo=", 200, "segment"},     /* remembered */
        {"Basic c2VnbWVudDp=", 401, NULL},          /* last byte differs: not canonical */
        {"basic c2VnbWVudDo=", 200, "segment"},     /* other bytes: decoded again */
        {"Basic c2VnbWVudDo=", 200, "segment"},
        {"Basic bm9ib2R5Og==", 401, NULL},          /* nobody: */
        {"Basic c2VnbWVudDpwdw==", 200, "segment"}, /* segment:pw */
        {"Basic Z29vZDI6", 200, "good2"},           /* the callback's */
        {"Basic Z29vZDI6", 200, "good2"},
        {"Basic c2VnbWVudA==", 401, NULL},          /* segment, no ':' */
        {"Basic c2VnbWVudDo=", 200, "segment"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int calls_before = calls;
        rec.calls = 0;
        assert_int_equal(segrecv_request_header(r, "Authorization", 13, steps[i].authorization,
                                                strlen(steps[i].authorization)),
                         SEGRECV_OK);
        segrecv_request_header(r, "Content-Type", 12, "application/json", 16);
        segrecv_request_body(r, IDENTIFY, strlen(IDENTIFY));
        segrecv_response resp;
        segrecv_request_finish(r, &resp);
        if (resp.http_status != steps[i].http)
            fail_msg("step %zu (%s): %d %s", i, steps[i].authorization, resp.http_status,
                     resp.body);
        if (steps[i].key)
            assert_string_equal(rec.last_api_key, steps[i].key);
        bool asked = strcmp(steps[i].authorization, "Basic Z29vZDI6") == 0 ||
                     strcmp(steps[i].authorization, "Basic bm9ib2R5Og==") == 0;
        assert_int_equal(calls - calls_before, asked ? 1 : 0);
        segrecv_request_reset(r);
    }
    segrecv_request_free(r);
    segrecv_receiver_free(rcv);
}

static void test_no_keys_means_401(void **state)
{
    (void)state;
    segrecv_receiver *rcv = segrecv_receiver_new(NULL);
    recorder rec;
    memset(&rec, 0, sizeof rec);
    segrecv_response resp;
    segrecv_handle(rcv, AUTH_SEGMENT, strlen(AUTH_SEGMENT), IDENTIFY, strlen(IDENTIFY), &resp);
    assert_int_equal(resp.http_status, 401);
    assert_string_equal(resp.body, "{\"message\":\"Invalid API key\"}");
    segrecv_receiver_free(rcv);
}

static void test_maintenance(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    assert_int_equal(segrecv_set_maintenance(rcv, 1), SEGRECV_OK);
    expect(rcv, &rec, JSON_HEADERS, IDENTIFY, strlen(IDENTIFY), 503,
           "Receiver is in maintenance; retry later");
    /* Authentication still comes first. */
    expect(rcv, &rec, "Authorization: Basic b3RoZXI6\r\n", IDENTIFY, strlen(IDENTIFY), 401,
           "Invalid API key");
    segrecv_set_maintenance(rcv, 0);
    expect(rcv, &rec, JSON_HEADERS, IDENTIFY, strlen(IDENTIFY), 200, "");
    segrecv_receiver_free(rcv);
}

static void test_lenient_timestamps(void **state)
{
    (void)state;
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.flags = SEGRECV_OPT_LENIENT_TIMESTAMPS;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, &opt);
    const char *body = "{\"type\":\"identify\",\"userId\":\"u\",\"sent_at\":\"sendAt\"}";
    expect(rcv, &rec, JSON_HEADERS, body, strlen(body), 200, "");
    assert_non_null(strstr(rec.last_json, "\"sent_at\":\"sendAt\""));
    /* Lenient is about the text: a number is still no timestamp string. */
    const char *num = "{\"type\":\"identify\",\"userId\":\"u\",\"timestamp\":1}";
    expect(rcv, &rec, JSON_HEADERS, num, strlen(num), 400,
           "Field 'timestamp' must be an ISO-8601 timestamp string");
    segrecv_receiver_free(rcv);
    opt.flags = 1u << 30;
    assert_null(segrecv_receiver_new(&opt));
}

/* Counting allocator: after warm-up, segrecv_handle() must not allocate. */
typedef struct counting {
    long mallocs;
} counting;

static void *c_malloc(void *ctx, size_t n)
{
    ((counting *)ctx)->mallocs++;
    return malloc(n);
}

static void *c_realloc(void *ctx, void *p, size_t n)
{
    ((counting *)ctx)->mallocs++;
    return realloc(p, n);
}

static void c_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static void test_no_allocation_after_warm_up(void **state)
{
    (void)state;
    counting count = {0};
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.allocator = (segrecv_allocator){c_malloc, c_realloc, c_free, &count};
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, &opt);
    size_t len;
    char *body = read_file(SEGRECV_TEST_DATA "/segment/track-direct-tester-order-completed.json",
                           &len);
    assert_non_null(body);
    const char *bad = "{\"type\":\"track\",\"userId\":\"u\"}";
    segrecv_response resp;
    for (int i = 0; i < 3; i++) {
        segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), body, len, &resp);
        segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), bad, strlen(bad), &resp);
    }
    long warm = count.mallocs;
    assert_true(warm > 0); /* the hooks are really used */
    for (int i = 0; i < 100; i++) {
        segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), body, len, &resp);
        assert_int_equal(resp.http_status, 200);
        segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), bad, strlen(bad), &resp);
        assert_int_equal(resp.http_status, 400);
    }
    assert_int_equal(count.mallocs, warm);
    free(body);
    segrecv_receiver_free(rcv);
}

/* One request object, reused after every kind of ending: every outcome must
 * be the same as on a fresh object, in any order. */
static void test_request_reuse_across_outcomes(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    segrecv_request *r = segrecv_request_new(rcv);
    static const struct {
        const char *body;
        int finish; /* 0: reset half-way, without finishing */
        int http;
        const char *message;
    } steps[] = {
        {IDENTIFY, 1, 200, ""},
        {IDENTIFY, 1, 200, ""},
        {"{\"type\":\"identify\",\"userId\":", 1, 400, "Invalid JSON: premature EOF"},
        {IDENTIFY, 1, 200, ""},
        {IDENTIFY " x", 1, 400, "Invalid JSON: trailing garbage"},
        {IDENTIFY, 1, 200, ""},
        {IDENTIFY IDENTIFY, 1, 400, "Invalid JSON: trailing garbage"},
        {IDENTIFY, 1, 200, ""},
        {"{\"type\":\"identify\",\"userId\":\"u", 0, 0, NULL},
        {IDENTIFY, 1, 200, ""},
        {"{\"type\":\"identify\"}", 1, 400,
         "Missing identity: one of 'user_id' or 'anonymous_id' is required for identify"},
        {IDENTIFY, 1, 200, ""},
        {" ", 1, 400, "Invalid JSON: premature EOF"},
        {IDENTIFY "\"", 1, 400, "Invalid JSON: trailing garbage"},
        {IDENTIFY, 1, 200, ""},
        {"\"abc", 1, 400, "Invalid JSON: premature EOF"},
        {"[1]", 1, 400, "Request body must be a JSON object"},
        {"12", 1, 400, "Request body must be a JSON object"},
        {IDENTIFY, 1, 200, ""},
    };
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            rec.calls = 0;
            segrecv_request_headers(r, JSON_HEADERS, strlen(JSON_HEADERS));
            segrecv_request_body(r, steps[i].body, strlen(steps[i].body));
            if (steps[i].finish) {
                segrecv_response resp;
                segrecv_request_finish(r, &resp);
                outcome out;
                char msg[SEGRECV_RESPONSE_BODY_MAX];
                snprintf(out.body, sizeof out.body, "%s", resp.body);
                response_message(&out, msg, sizeof msg);
                if (resp.http_status != steps[i].http || strcmp(msg, steps[i].message) != 0)
                    fail_msg("pass %d step %zu: expected %d \"%s\", got %d \"%s\"", pass, i,
                             steps[i].http, steps[i].message, resp.http_status, msg);
                assert_int_equal(rec.calls, steps[i].http == 200 ? 1 : 0);
            }
            segrecv_request_reset(r);
        }
    }
    segrecv_request_free(r);
    segrecv_receiver_free(rcv);
}

/* Header names are RFC 9110 tokens: every byte value, at every place of a
 * name long enough for the word-sized and tail paths. */
static void test_header_name_bytes(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    static const char TOKEN_EXTRA[] = "!#$%&'*+-.^_`|~";
    for (unsigned c = 0; c < 256; c++) {
        bool token = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     (c != 0 && strchr(TOKEN_EXTRA, (int)c) != NULL);
        for (size_t at = 0; at < 11; at++) {
            char name[11];
            memcpy(name, "X-Abcdefgh", 10);
            name[10] = 'i';
            name[at] = (char)c;
            segrecv_request *r = segrecv_request_new(rcv);
            segrecv_status st = segrecv_request_header(r, name, sizeof name, "v", 1);
            if ((st == SEGRECV_OK) != token)
                fail_msg("byte 0x%02x at %zu: status %d", c, at, (int)st);
            segrecv_request_free(r);
        }
    }
    segrecv_receiver_free(rcv);
}

static void test_streaming_rules(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    segrecv_request *r = segrecv_request_new(rcv);
    segrecv_response resp;
    /* Pairs, then body without an explicit headers_end: it is implied. */
    assert_int_equal(segrecv_request_header(r, "authorization", 13, " Basic c2VnbWVudDo= ", 20),
                     SEGRECV_OK);
    assert_int_equal(segrecv_request_header(r, "Content-Type", 12, "application/json", 16),
                     SEGRECV_OK);
    assert_int_equal(segrecv_request_body(r, IDENTIFY, 10), SEGRECV_OK);
    assert_int_equal(segrecv_request_header(r, "X", 1, "y", 1), SEGRECV_INVALID_ARGUMENT);
    assert_int_equal(segrecv_request_finish(r, &resp), SEGRECV_INVALID_ARGUMENT);
    assert_int_equal(resp.http_status, 500);
    /* Reset makes it new again. */
    segrecv_request_reset(r);
    assert_int_equal(segrecv_request_headers(r, JSON_HEADERS, strlen(JSON_HEADERS)), SEGRECV_OK);
    assert_int_equal(segrecv_request_body(r, IDENTIFY, strlen(IDENTIFY)), SEGRECV_OK);
    assert_int_equal(segrecv_request_body(r, "", 0), SEGRECV_OK);
    assert_int_equal(segrecv_request_finish(r, &resp), SEGRECV_OK);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(resp.body_len, 0);
    assert_null(resp.content_type);
    assert_int_equal(segrecv_request_body(r, "x", 1), SEGRECV_INVALID_ARGUMENT);
    /* Finish with no headers at all: 401. */
    segrecv_request_reset(r);
    assert_int_equal(segrecv_request_finish(r, &resp), SEGRECV_UNAUTHORIZED);
    /* Errors are sticky: after a 401, the body is not read. */
    segrecv_request_reset(r);
    assert_int_equal(segrecv_request_headers(r, "", 0), SEGRECV_UNAUTHORIZED);
    assert_int_equal(segrecv_request_body(r, IDENTIFY, strlen(IDENTIFY)), SEGRECV_UNAUTHORIZED);
    assert_int_equal(segrecv_request_finish(r, &resp), SEGRECV_UNAUTHORIZED);
    assert_int_equal(rec.calls, 1);
    segrecv_request_free(r);
    /* NULLs are refused, never dereferenced. */
    assert_null(segrecv_request_new(NULL));
    segrecv_request_free(NULL);
    segrecv_request_reset(NULL);
    segrecv_receiver_free(NULL);
    assert_int_equal(segrecv_request_body(NULL, "x", 1), SEGRECV_INVALID_ARGUMENT);
    assert_int_equal(segrecv_handle(rcv, NULL, 5, NULL, 0, &resp), SEGRECV_INVALID_ARGUMENT);
    assert_int_equal(resp.http_status, 500);
    assert_int_equal(segrecv_handle(rcv, "", 0, "", 0, NULL), SEGRECV_INVALID_ARGUMENT);
    assert_int_equal(segrecv_on_any(NULL, NULL, NULL), SEGRECV_INVALID_ARGUMENT);
    assert_int_equal(segrecv_set_maintenance(NULL, 1), SEGRECV_INVALID_ARGUMENT);
    segrecv_receiver_free(rcv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_string_and_body_limits),
        cmocka_unit_test(test_member_limit),
        cmocka_unit_test(test_header_limit),
        cmocka_unit_test(test_credentials_limit),
        cmocka_unit_test(test_key_callback),
        cmocka_unit_test(test_remembered_credentials),
        cmocka_unit_test(test_no_keys_means_401),
        cmocka_unit_test(test_maintenance),
        cmocka_unit_test(test_lenient_timestamps),
        cmocka_unit_test(test_no_allocation_after_warm_up),
        cmocka_unit_test(test_request_reuse_across_outcomes),
        cmocka_unit_test(test_header_name_bytes),
        cmocka_unit_test(test_streaming_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
