/* Hostile inputs, one table row each, with the status and message they must
 * get. Every header block and body is placed right before an unreadable page
 * (guard.c), so any over-read crashes; each row runs one-shot and streamed
 * (every chunk again ending at the guard page). */
#include "guard.h"
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct hostile_case hostile_case;
struct hostile_case {
    const char *name;
    const char *headers;                     /* NULL: GOOD_HEADERS */
    const char *body;                        /* NUL-terminated; or made by make() */
    void (*make)(buffer *headers, buffer *body); /* for inputs too big to write out */
    size_t max_body_bytes;                   /* 0: the default limit */
    int http;
    const char *message;                     /* "" for an empty body */
    void (*check)(const segrecv_event *ev);  /* runs in the callback of 200 rows */
};

#define TRACK_START "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"e\""

/* --- generated inputs ------------------------------------------------- */

static void nested_top(buffer *h, buffer *b)
{
    buf_str(h, GOOD_HEADERS);
    buf_repeat(b, "[", 100000);
}

static void nested_property(buffer *h, buffer *b)
{
    buf_str(h, GOOD_HEADERS);
    buf_str(b, TRACK_START ",\"properties\":{\"deep\":");
    buf_repeat(b, "[", 100000);
    buf_repeat(b, "]", 100000);
    buf_str(b, "}}");
}

static void megabyte_string(buffer *h, buffer *b)
{
    buf_str(h, GOOD_HEADERS);
    buf_str(b, TRACK_START ",\"properties\":{\"s\":\"");
    buf_repeat(b, "0123456789abcdef", 65536);
    buf_str(b, "\"}}");
}

static void long_header_line(buffer *h, buffer *b)
{
    buf_str(h, GOOD_AUTH "X-Padding: ");
    buf_repeat(h, "a", 65536);
    buf_str(h, "\r\n\r\n");
    buf_str(b, TRACK_START "}");
}

static void big_base64(buffer *h, buffer *b)
{
    buf_str(h, "Authorization: Basic ");
    buf_repeat(h, "AAAA", 2560); /* 10 KiB of valid Base64 */
    buf_str(h, "\r\n\r\n");
    buf_str(b, TRACK_START "}");
}

/* --- checks made inside the callback ----------------------------------- */

static const segrecv_value *property(const segrecv_event *ev, const char *name)
{
    const segrecv_value *v = segrecv_value_get(ev->properties, name);
    assert_non_null(v);
    return v;
}

static void huge_exponent_kept(const segrecv_event *ev)
{
    const segrecv_value *n = property(ev, "n");
    assert_string_equal(segrecv_value_number_text(n, NULL), "1e400");
    double d;
    assert_int_equal(segrecv_value_double(n, &d), SEGRECV_BAD_REQUEST); /* out of range */
}

static void negative_zero_kept(const segrecv_event *ev)
{
    const segrecv_value *n = property(ev, "n");
    assert_string_equal(segrecv_value_number_text(n, NULL), "-0");
    int64_t i = 1;
    assert_int_equal(segrecv_value_int64(n, &i), SEGRECV_OK);
    assert_int_equal(i, 0);
}

static void thirty_digits_kept(const segrecv_event *ev)
{
    assert_int_equal(ev->user_id.len, 30);
    assert_string_equal(ev->user_id.ptr, "123456789012345678901234567890");
    int64_t i;
    assert_int_equal(segrecv_value_int64(segrecv_value_get(ev->raw, "userId"), &i),
                     SEGRECV_BAD_REQUEST); /* does not fit: no silent rounding */
}

/* --- the table ---------------------------------------------------------- */

static const hostile_case CASES[] = {
    {"truncated body", NULL, TRACK_START ",\"properties\":{\"a\":", NULL, 0, 400,
     "Invalid JSON: premature EOF", NULL},
    {"body shorter than Content-Length", GOOD_AUTH "Content-Length: 100\r\n\r\n", TRACK_START "}",
     NULL, 0, 400, "Request body is shorter than its Content-Length (42 of 100 bytes)", NULL},
    {"body longer than Content-Length", GOOD_AUTH "Content-Length: 10\r\n\r\n", TRACK_START "}",
     NULL, 0, 400, "Request body is longer than its Content-Length of 10 bytes", NULL},
    {"100,000 nested arrays at the top", NULL, NULL, nested_top, 0, 400,
     "Request body must be a JSON object", NULL},
    {"100,000 nested arrays in a property", NULL, NULL, nested_property, 200000, 400,
     "JSON nesting is deeper than the limit allows", NULL},
    {"1 MB string, body limit raised", NULL, NULL, megabyte_string, 2u << 20, 400,
     "A string is longer than the limit allows", NULL},
    {"1 MB string, default limits", NULL, NULL, megabyte_string, 0, 413,
     "Request body exceeds 32768 bytes", NULL},
    {"invalid UTF-8", NULL, "{\"type\":\"track\",\"userId\":\"\xff\",\"event\":\"e\"}", NULL, 0,
     400, "Invalid UTF-8 in a string", NULL},
    {"overlong UTF-8", NULL, "{\"type\":\"track\",\"userId\":\"\xc0\xaf\",\"event\":\"e\"}", NULL,
     0, 400, "Invalid UTF-8 in a string", NULL},
    {"overlong UTF-8 in a key", NULL, TRACK_START ",\"\xe0\x80\xaf\":1}", NULL, 0, 400,
     "Invalid UTF-8 in a string", NULL},
    {"lone surrogate \\ud800", NULL, "{\"type\":\"track\",\"userId\":\"\\ud800\",\"event\":\"e\"}",
     NULL, 0, 400, "Invalid JSON: lone UTF-16 surrogate in a \\u escape", NULL},
    /* Fuzz finding: the escape used to win when the body was split after it. */
    {"lone surrogate in a string yajl refuses", NULL, "{\"a\":\"b\" \"c\\ude00d\"}", NULL, 0, 400,
     "Invalid JSON: after key and value, inside map, I expect ',' or '}'", NULL},
    {"\\u0000 in type", NULL, "{\"type\":\"tr\\u0000ack\",\"userId\":\"u1\",\"event\":\"e\"}",
     NULL, 0, 400, "Field 'type' contains a NUL character", NULL},
    {"\\u0000 in userId", NULL, "{\"type\":\"track\",\"userId\":\"u\\u00001\",\"event\":\"e\"}",
     NULL, 0, 400, "Field 'user_id' contains a NUL character", NULL},
    {"\\u0000 in event", NULL, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"\\u0000\"}", NULL,
     0, 400, "Field 'event' contains a NUL character", NULL},
    {"duplicated type with different values", NULL, TRACK_START ",\"type\":\"identify\"}", NULL,
     0, 400, "Field 'type' is given more than once", NULL},
    {"top-level array", NULL, "[" TRACK_START "}]", NULL, 0, 400,
     "Request body must be a JSON object", NULL},
    {"top-level string", NULL, "\"track\"", NULL, 0, 400, "Request body must be a JSON object",
     NULL},
    {"top-level number", NULL, "42", NULL, 0, 400, "Request body must be a JSON object", NULL},
    {"top-level null", NULL, "null", NULL, 0, 400, "Request body must be a JSON object", NULL},
    {"number 1e400", NULL, TRACK_START ",\"properties\":{\"n\":1e400}}", NULL, 0, 200, "",
     huge_exponent_kept},
    {"number -0", NULL, TRACK_START ",\"properties\":{\"n\":-0}}", NULL, 0, 200, "",
     negative_zero_kept},
    {"30-digit user id", NULL,
     "{\"type\":\"track\",\"userId\":123456789012345678901234567890,\"event\":\"e\"}", NULL, 0,
     200, "", thirty_digits_kept},
    {"empty body", NULL, "", NULL, 0, 400, "Empty request body", NULL},
    {"header line without a colon", GOOD_AUTH "Content-Type application/json\r\n\r\n",
     TRACK_START "}", NULL, 0, 400, "Malformed header line 2: no ':'", NULL},
    {"64 KB header line", NULL, NULL, long_header_line, 0, 431,
     "Request headers exceed 16384 bytes", NULL},
    {"10 KB of Base64 credentials", NULL, NULL, big_base64, 0, 401,
     "Basic credentials exceed 256 bytes", NULL},
    {"Basic with nothing after it", "Authorization: Basic\r\n\r\n", TRACK_START "}", NULL, 0, 401,
     "Missing Basic credentials", NULL},
    {"Basic and spaces only", "Authorization: Basic   \r\n\r\n", TRACK_START "}", NULL, 0, 401,
     "Missing Basic credentials", NULL},
    {"Bearer x", "Authorization: Bearer x\r\n\r\n", TRACK_START "}", NULL, 0, 401,
     "Unsupported authorization scheme: expected Basic", NULL},
    {"two Authorization headers", GOOD_AUTH GOOD_AUTH "\r\n", TRACK_START "}", NULL, 0, 400,
     "Duplicate Authorization header", NULL},
};

/* --- running a row --------------------------------------------------------- */

typedef struct run_state {
    const hostile_case *c;
    int calls;
} run_state;

static segrecv_status on_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    run_state *s = user_data;
    s->calls++;
    if (s->c->check)
        s->c->check(ev);
    return SEGRECV_OK;
}

static void assert_outcome(const hostile_case *c, const segrecv_response *res, int calls,
                           const char *how)
{
    char message[SEGRECV_RESPONSE_BODY_MAX];
    response_message(res, message, sizeof message);
    if (res->http_status != c->http || strcmp(message, c->message) != 0)
        fail_msg("%s (%s): got %d \"%s\", want %d \"%s\"", c->name, how, res->http_status,
                 message, c->http, c->message);
    assert_int_equal(calls, c->http == 200 ? 1 : 0);
}

/* Streamed: each chunk copied to end at the guard page before it is fed. */
static void run_streamed(segrecv_receiver *rcv, const guarded *headers, const char *body,
                         size_t body_len, segrecv_response *res)
{
    size_t chunk = body_len <= 2048 ? 1 : 4093;
    guarded room = guard_room(chunk);
    segrecv_request *r = segrecv_request_new(rcv);
    assert_non_null(r);
    segrecv_status st = segrecv_request_headers(r, headers->data, headers->len);
    for (size_t at = 0; st == SEGRECV_OK && at < body_len; at += chunk) {
        size_t n = body_len - at < chunk ? body_len - at : chunk;
        st = segrecv_request_body(r, guard_place(&room, body + at, n), n);
    }
    segrecv_request_finish(r, res);
    segrecv_request_free(r);
    guard_release(&room);
}

static void run_case(void **state)
{
    const hostile_case *c = *state;
    buffer hb = {0}, bb = {0};
    if (c->make) {
        c->make(&hb, &bb);
    } else {
        buf_str(&hb, c->headers ? c->headers : GOOD_HEADERS);
        buf_str(&bb, c->body);
    }
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.limits.max_body_bytes = c->max_body_bytes;
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, API_KEY, strlen(API_KEY)), SEGRECV_OK);
    run_state rs = {c, 0};
    assert_int_equal(segrecv_on_any(rcv, on_event, &rs), SEGRECV_OK);

    guarded headers = guard_copy(hb.data, hb.len), body = guard_copy(bb.data, bb.len);
    segrecv_response res;
    segrecv_handle(rcv, headers.data, headers.len, body.data, body.len, &res);
    assert_outcome(c, &res, rs.calls, "one-shot");
    rs.calls = 0;
    run_streamed(rcv, &headers, body.data, body.len, &res);
    assert_outcome(c, &res, rs.calls, "streamed");

    guard_release(&headers);
    guard_release(&body);
    segrecv_receiver_free(rcv);
    buf_free(&hb);
    buf_free(&bb);
}

int main(void)
{
    struct CMUnitTest tests[sizeof CASES / sizeof CASES[0]];
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        memset(&tests[i], 0, sizeof tests[i]);
        tests[i].name = CASES[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)&CASES[i];
    }
    return cmocka_run_group_tests_name("hostile inputs", tests, NULL, NULL);
}
