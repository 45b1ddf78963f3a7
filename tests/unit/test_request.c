/* The status table and every validation rule, one row per case: headers,
 * body, expected HTTP status, message, and what reached the callback. Every
 * row also runs through the streaming API split at every byte boundary. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#define IDENTIFY "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"a@b.co\"}}"

typedef struct request_case {
    const char *name;
    const char *headers;
    const char *body;
    int http;
    const char *message;  /* "" = no body */
    const char *json_has; /* substring of the dispatched event's canonical JSON */
} request_case;

static const request_case CASES[] = {
    /* --- authentication: decided before any body byte is parsed --- */
    {"accepted", JSON_HEADERS, IDENTIFY, 200, "", "\"user_id\":\"u1\""},
    {"no Authorization", "Content-Type: application/json\r\n", IDENTIFY, 401,
     "Missing Authorization header", NULL},
    {"Bearer scheme", "Authorization: Bearer x\r\n", IDENTIFY, 401,
     "Unsupported authorization scheme: expected Basic", NULL},
    {"scheme is case-insensitive", "authorization: bASIC c2VnbWVudDo=\r\n", IDENTIFY, 200, "",
     "\"type\":\"identify\""},
    {"Basic with nothing after it", "Authorization: Basic\r\n", IDENTIFY, 401,
     "Missing Basic credentials", NULL},
    {"Basic and spaces only", "Authorization: Basic    \r\n", IDENTIFY, 401,
     "Missing Basic credentials", NULL},
    {"characters outside Base64 (libb64 would skip them)",
     "Authorization: Basic !!c2Vn*bWVudDo=\r\n", IDENTIFY, 401,
     "Malformed Basic credentials: invalid Base64", NULL},
    {"Base64 without its padding", "Authorization: Basic c2VnbWVudDo\r\n", IDENTIFY, 401,
     "Malformed Basic credentials: invalid Base64", NULL},
    {"bytes after the padding", "Authorization: Basic c2VnbWVudDo=c2Vn\r\n", IDENTIFY, 401,
     "Malformed Basic credentials: invalid Base64", NULL},
    {"non-zero pad bits", "Authorization: Basic c2VnbWVudDp=\r\n", IDENTIFY, 401,
     "Malformed Basic credentials: invalid Base64", NULL},
    {"no colon after the key", "Authorization: Basic c2VnbWVudA==\r\n", IDENTIFY, 401,
     "Malformed Basic credentials: no ':' after the API key", NULL},
    {"empty key", "Authorization: Basic Og==\r\n", IDENTIFY, 401, "Empty API key", NULL},
    {"unknown key", "Authorization: Basic b3RoZXI6\r\n", IDENTIFY, 401, "Invalid API key", NULL},
    {"key that is a prefix of a known key", "Authorization: Basic c2VnbWVu\r\n", IDENTIFY, 401,
     "Malformed Basic credentials: no ':' after the API key", NULL},
    {"a password is ignored", "Authorization: Basic c2VnbWVudDpzZWNyZXQ=\r\n", IDENTIFY, 200,
     "", "\"user_id\":\"u1\""},
    {"two Authorization headers", AUTH_SEGMENT AUTH_SEGMENT, IDENTIFY, 400,
     "Duplicate Authorization header", NULL},
    {"401 before the body is looked at", "Authorization: Basic b3RoZXI6\r\n", "not json", 401,
     "Invalid API key", NULL},
    /* --- header block --- */
    {"LF line ends", "Authorization: Basic c2VnbWVudDo=\nContent-Type: application/json\n\n",
     IDENTIFY, 200, "", "\"user_id\":\"u1\""},
    {"trailing blank line", JSON_HEADERS "\r\n", IDENTIFY, 200, "", "\"user_id\":\"u1\""},
    {"line without a colon", JSON_HEADERS "Bogus\r\n", IDENTIFY, 400,
     "Malformed header line 3: no ':'", NULL},
    {"space before the colon", "Content-Type : application/json\r\n" AUTH_SEGMENT, IDENTIFY,
     400, "Malformed header line 1: bad header name", NULL},
    {"folded line", JSON_HEADERS "X-A: 1\r\n  continued\r\n", IDENTIFY, 400,
     "Malformed header line 4: folded lines are not accepted", NULL},
    {"invalid header name", "X(A): 1\r\n" AUTH_SEGMENT, IDENTIFY, 400,
     "Malformed header: invalid name", NULL},
    {"control character in a value", "X-A: a\x01z\r\n" AUTH_SEGMENT, IDENTIFY, 400,
     "Malformed header: control character in a value", NULL},
    {"data after the blank line", JSON_HEADERS "\r\nX-A: 1\r\n", IDENTIFY, 400,
     "Malformed headers: data after the blank line", NULL},
    /* --- Content-Type, Content-Length, Content-Encoding --- */
    {"no Content-Type", AUTH_SEGMENT, IDENTIFY, 200, "", "\"user_id\":\"u1\""},
    {"text/plain", AUTH_SEGMENT "Content-Type: text/plain\r\n", IDENTIFY, 400,
     "Unsupported Content-Type: expected application/json", NULL},
    {"form encoding (curl's default)",
     AUTH_SEGMENT "Content-Type: application/x-www-form-urlencoded\r\n", IDENTIFY, 400,
     "Unsupported Content-Type: expected application/json", NULL},
    {"charset=utf-8", AUTH_SEGMENT "Content-Type: application/json; charset=UTF-8\r\n",
     IDENTIFY, 200, "", "\"user_id\":\"u1\""},
    {"charset=iso-8859-1", AUTH_SEGMENT "Content-Type: application/json; charset=iso-8859-1\r\n",
     IDENTIFY, 400, "Unsupported Content-Type: expected application/json", NULL},
    {"+json media type", AUTH_SEGMENT "Content-Type: application/vnd.segment+json\r\n", IDENTIFY,
     200, "", "\"user_id\":\"u1\""},
    {"two Content-Types",
     JSON_HEADERS "Content-Type: application/json\r\n", IDENTIFY, 400,
     "Duplicate Content-Type header", NULL},
    {"Content-Length agrees", JSON_HEADERS "Content-Length: 61\r\n", IDENTIFY, 200, "",
     "\"user_id\":\"u1\""},
    {"body shorter than Content-Length", JSON_HEADERS "Content-Length: 62\r\n", IDENTIFY, 400,
     "Request body is shorter than its Content-Length (61 of 62 bytes)", NULL},
    {"body longer than Content-Length", JSON_HEADERS "Content-Length: 60\r\n", IDENTIFY, 400,
     "Request body is longer than its Content-Length of 60 bytes", NULL},
    {"two Content-Lengths", JSON_HEADERS "Content-Length: 61\r\nContent-Length: 61\r\n", IDENTIFY,
     400, "Duplicate Content-Length header", NULL},
    {"Content-Length not a number", JSON_HEADERS "Content-Length: 6a\r\n", IDENTIFY, 400,
     "Invalid Content-Length header", NULL},
    {"negative Content-Length", JSON_HEADERS "Content-Length: -1\r\n", IDENTIFY, 400,
     "Invalid Content-Length header", NULL},
    {"Content-Length over the limit", JSON_HEADERS "Content-Length: 40000\r\n", IDENTIFY, 413,
     "Request body exceeds 32768 bytes", NULL},
    {"Content-Length and Transfer-Encoding",
     JSON_HEADERS "Content-Length: 61\r\nTransfer-Encoding: chunked\r\n", IDENTIFY, 400,
     "Both Content-Length and Transfer-Encoding are set", NULL},
    {"Transfer-Encoding alone (host de-chunks)", JSON_HEADERS "Transfer-Encoding: chunked\r\n",
     IDENTIFY, 200, "", "\"user_id\":\"u1\""},
    {"brotli", JSON_HEADERS "Content-Encoding: br\r\n", IDENTIFY, 415,
     "Unsupported Content-Encoding: accepted are gzip, deflate and identity", NULL},
    {"gzip header on a plain body", JSON_HEADERS "Content-Encoding: gzip\r\n", IDENTIFY, 400,
     "Invalid compressed body: not a valid gzip or deflate stream", NULL},
    {"identity", JSON_HEADERS "Content-Encoding: identity\r\n", IDENTIFY, 200, "",
     "\"user_id\":\"u1\""},
    /* --- body: JSON --- */
    {"empty body", JSON_HEADERS, "", 400, "Empty request body", NULL},
    {"truncated body", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u1\"", 400,
     "Invalid JSON: premature EOF", NULL},
    {"not JSON", JSON_HEADERS, "type=identify", 400, "Invalid JSON: invalid string in json text",
     NULL},
    {"trailing comma", JSON_HEADERS, "{\"type\":\"identify\",}", 400,
     "Invalid JSON: invalid object key (must be a string)", NULL},
    {"trailing garbage", JSON_HEADERS, IDENTIFY " x", 400, "Invalid JSON: trailing garbage",
     NULL},
    {"two events in one body", JSON_HEADERS, IDENTIFY IDENTIFY, 400,
     "Invalid JSON: trailing garbage", NULL},
    /* yajl itself takes a string left open after the value. */
    {"open string after the event", JSON_HEADERS, IDENTIFY "\"", 400,
     "Invalid JSON: trailing garbage", NULL},
    {"open string after white space", JSON_HEADERS, IDENTIFY " \n\"abc", 400,
     "Invalid JSON: trailing garbage", NULL},
    {"white space after the event", JSON_HEADERS, IDENTIFY " \r\n\t ", 200, "", NULL},
    {"top-level array", JSON_HEADERS, "[" IDENTIFY "]", 400, "Request body must be a JSON object",
     NULL},
    {"top-level string", JSON_HEADERS, "\"identify\"", 400, "Request body must be a JSON object",
     NULL},
    {"top-level number", JSON_HEADERS, "12", 400, "Request body must be a JSON object", NULL},
    {"top-level null", JSON_HEADERS, "null", 400, "Request body must be a JSON object", NULL},
    {"raw invalid UTF-8", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"\xff\"}", 400,
     "Invalid UTF-8 in a string", NULL},
    {"overlong UTF-8", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"\xc0\xaf\"}", 400,
     "Invalid UTF-8 in a string", NULL},
    {"UTF-8 surrogate bytes", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"\xed\xa0\x80\"}",
     400, "Invalid UTF-8 in a string", NULL},
    {"invalid UTF-8 in a key", JSON_HEADERS, "{\"type\":\"identify\",\"\xfe\":1}", 400,
     "Invalid UTF-8 in a string", NULL},
    {"lone high surrogate escape", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"a\\ud800b\"}", 400,
     "Invalid JSON: lone UTF-16 surrogate in a \\u escape", NULL},
    {"lone low surrogate escape", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"\\udc00\"}", 400,
     "Invalid JSON: lone UTF-16 surrogate in a \\u escape", NULL},
    {"high surrogate then a non-surrogate", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"\\ud800\\u0041\"}", 400,
     "Invalid JSON: lone UTF-16 surrogate in a \\u escape", NULL},
    {"surrogate pair", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"\\ud83d\\ude00\"}", 200,
     "", "\"user_id\":\"\xf0\x9f\x98\x80\""},
    {"escaped backslash before u", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"\\\\ud800\"}", 200, "", "\"user_id\":\"\\\\ud800\""},
    {"form feed as white space", JSON_HEADERS, "{\"type\":\"identify\",\f\"userId\":\"u1\"}", 400,
     "Invalid JSON: raw form feed or vertical tab", NULL},
    {"raw vertical tab in a string", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u\v1\"}",
     400, "Invalid JSON: invalid character inside string", NULL},
    {"non-ASCII text", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"name\":\"J\xc3\xb6rg \xe6\x9d\xb1\"}}",
     200, "", "J\xc3\xb6rg \xe6\x9d\xb1"},
    /* --- body: Spec fields --- */
    {"missing type", JSON_HEADERS, "{\"userId\":\"u1\"}", 400, "Missing required field 'type'",
     NULL},
    {"empty object", JSON_HEADERS, "{}", 400, "Missing required field 'type'", NULL},
    {"type not a string", JSON_HEADERS, "{\"type\":1,\"userId\":\"u1\"}", 400,
     "Field 'type' must be a string", NULL},
    {"type null", JSON_HEADERS, "{\"type\":null,\"userId\":\"u1\"}", 400,
     "Field 'type' must be a string", NULL},
    {"unknown type", JSON_HEADERS, "{\"type\":\"tracks\",\"userId\":\"u1\"}", 501,
     "Unsupported call type 'tracks'", NULL},
    {"type is case-sensitive", JSON_HEADERS, "{\"type\":\"Identify\",\"userId\":\"u1\"}", 501,
     "Unsupported call type 'Identify'", NULL},
    {"duplicated type", JSON_HEADERS,
     "{\"type\":\"identify\",\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\"}", 400,
     "Field 'type' is given more than once", NULL},
    {"NUL inside type", JSON_HEADERS, "{\"type\":\"identify\\u0000x\",\"userId\":\"u1\"}", 400,
     "Field 'type' contains a NUL character", NULL},
    {"NUL inside userId", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u\\u00001\"}", 400,
     "Field 'user_id' contains a NUL character", NULL},
    {"NUL inside event", JSON_HEADERS,
     "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\\u0000\"}", 400,
     "Field 'event' contains a NUL character", NULL},
    {"NUL inside a trait is kept", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"a\":\"x\\u0000y\"}}", 200, "",
     "\"a\":\"x\\u0000y\""},
    {"no identity", JSON_HEADERS, "{\"type\":\"identify\",\"traits\":{}}", 400,
     "Missing identity: one of 'user_id' or 'anonymous_id' is required for identify", NULL},
    {"empty ids are no identity", JSON_HEADERS,
     "{\"type\":\"page\",\"userId\":\"\",\"anonymousId\":\"\"}", 400,
     "Missing identity: one of 'user_id' or 'anonymous_id' is required for page", NULL},
    {"null ids are absent", JSON_HEADERS,
     "{\"type\":\"screen\",\"userId\":null,\"anonymousId\":null}", 400,
     "Missing identity: one of 'user_id' or 'anonymous_id' is required for screen", NULL},
    {"anonymous id alone", JSON_HEADERS, "{\"type\":\"identify\",\"anonymous_id\":\"a1\"}", 200,
     "", "\"anonymous_id\":\"a1\""},
    {"null userId with anonymousId", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":null,\"anonymousId\":\"a1\"}", 200, "",
     "{\"type\":\"identify\",\"anonymous_id\":\"a1\"}"},
    {"numeric user id keeps its digits", JSON_HEADERS,
     "{\"type\":\"identify\",\"user_id\":12345}", 200, "", "\"user_id\":\"12345\""},
    {"30-digit user id", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":123456789012345678901234567890}", 200, "",
     "\"user_id\":\"123456789012345678901234567890\""},
    {"user id as a boolean", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":true}", 400,
     "Field 'user_id' must be a string", NULL},
    {"user id as an object", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":{\"id\":1}}", 400,
     "Field 'user_id' must be a string", NULL},
    {"both spellings of userId", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u1\",\"user_id\":\"u1\"}", 400,
     "Field 'user_id' is given more than once", NULL},
    {"snake_case everywhere", JSON_HEADERS,
     "{\"type\":\"group\",\"user_id\":\"u\",\"anonymous_id\":\"a\",\"message_id\":\"m\","
     "\"group_id\":\"g\",\"sent_at\":\"2015-02-23T22:28:55.111Z\","
     "\"received_at\":\"2015-02-23T22:28:55.387Z\","
     "\"original_timestamp\":\"2015-02-23T22:28:55Z\"}",
     200, "",
     "{\"type\":\"group\",\"message_id\":\"m\",\"user_id\":\"u\",\"anonymous_id\":\"a\","
     "\"group_id\":\"g\",\"sent_at\":\"2015-02-23T22:28:55.111Z\","
     "\"received_at\":\"2015-02-23T22:28:55.387Z\","
     "\"original_timestamp\":\"2015-02-23T22:28:55Z\"}"},
    {"track needs event", JSON_HEADERS, "{\"type\":\"track\",\"userId\":\"u1\"}", 400,
     "Missing required field 'event' for track", NULL},
    {"track with an empty event", JSON_HEADERS,
     "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"\"}", 400,
     "Missing required field 'event' for track", NULL},
    {"event not a string", JSON_HEADERS, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":7}",
     400, "Field 'event' must be a string", NULL},
    {"track", JSON_HEADERS,
     "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Order Completed\","
     "\"properties\":{\"revenue\":19.990,\"currency\":\"USD\"}}",
     200, "", "\"event\":\"Order Completed\",\"properties\":{\"revenue\":19.990,"},
    {"properties not an object", JSON_HEADERS,
     "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\",\"properties\":\"x\"}", 400,
     "Field 'properties' must be an object", NULL},
    {"traits as an array", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":[]}",
     400, "Field 'traits' must be an object", NULL},
    {"traits null", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":null}",
     200, "", "{\"type\":\"identify\",\"user_id\":\"u1\"}"},
    {"page", JSON_HEADERS,
     "{\"type\":\"page\",\"anonymousId\":\"a\",\"name\":\"Home\",\"category\":null,"
     "\"properties\":{\"url\":\"https://x.io/\"}}",
     200, "", "\"name\":\"Home\",\"properties\":{\"url\":\"https://x.io/\"}"},
    {"screen", JSON_HEADERS, "{\"type\":\"screen\",\"userId\":\"u\",\"name\":\"Feed\"}", 200, "",
     "\"name\":\"Feed\""},
    {"group needs group_id", JSON_HEADERS, "{\"type\":\"group\",\"userId\":\"u1\"}", 400,
     "Missing required field 'group_id' for group", NULL},
    {"numeric group id", JSON_HEADERS, "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":42}",
     200, "", "\"group_id\":\"42\""},
    {"alias needs previous_id", JSON_HEADERS, "{\"type\":\"alias\",\"userId\":\"u1\"}", 400,
     "Missing required field 'previous_id' for alias", NULL},
    {"alias needs user_id", JSON_HEADERS,
     "{\"type\":\"alias\",\"previousId\":\"p\",\"anonymousId\":\"a\"}", 400,
     "Missing required field 'user_id' for alias", NULL},
    {"alias", JSON_HEADERS, "{\"type\":\"alias\",\"previousId\":\"p\",\"userId\":\"u\"}", 200,
     "", "\"user_id\":\"u\",\"previous_id\":\"p\""},
    {"delete needs user_id", JSON_HEADERS, "{\"type\":\"delete\",\"anonymousId\":\"a\"}", 400,
     "Missing required field 'user_id' for delete", NULL},
    {"delete with null and [] context", JSON_HEADERS,
     "{\"type\":\"delete\",\"userId\":\"u\",\"context\":[],\"integrations\":null}", 200, "",
     "{\"type\":\"delete\",\"user_id\":\"u\"}"},
    {"context must be an object", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"context\":[1]}", 400,
     "Field 'context' must be an object", NULL},
    {"integrations as a string", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"integrations\":\"All\"}", 400,
     "Field 'integrations' must be an object", NULL},
    {"context kept exactly", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"context\":{\"userAgent\":\"x\",\"ip\":\"8.8.8.8\","
     "\"screen\":{\"density\":2.0e0}}}",
     200, "", "\"context\":{\"userAgent\":\"x\",\"ip\":\"8.8.8.8\",\"screen\":{\"density\":2.0e0}}"},
    {"message_id of 100 characters", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"messageId\":\""
     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
     "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"
     "89\"}",
     200, "", "\"message_id\":\"\xc3\xa9"},
    {"message_id of 101 characters", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"messageId\":\""
     "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"
     "8901234567890\"}",
     400, "Field 'message_id' is longer than 100 characters", NULL},
    {"version as a number", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u\",\"version\":2}",
     200, "", "\"version\":2"},
    {"version as a string", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"version\":\"1.1\"}", 200, "",
     "\"version\":\"1.1\""},
    {"version as an object", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"version\":{}}", 400,
     "Field 'version' must be a string or a number", NULL},
    {"ISO timestamp with offset", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"timestamp\":\"2015-08-04T01:04:24+00:00\"}", 200,
     "", "\"timestamp\":\"2015-08-04T01:04:24+00:00\""},
    {"timestamp that is not ISO-8601", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"sent_at\":\"sendAt\"}", 400,
     "Field 'sent_at' is not an ISO-8601 timestamp", NULL},
    {"unpadded month", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"timestamp\":\"2015-2-02T00:30:08.276Z\"}", 400,
     "Field 'timestamp' is not an ISO-8601 timestamp", NULL},
    {"timestamp as epoch milliseconds", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"timestamp\":1257894000000}", 400,
     "Field 'timestamp' must be an ISO-8601 timestamp string", NULL},
    {"sentAt null", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u\",\"sentAt\":null}", 200,
     "", "{\"type\":\"identify\",\"user_id\":\"u\"}"},
    {"numbers kept as text", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"a\":1e400,\"b\":-0,\"c\":0.10}}", 200,
     "", "\"traits\":{\"a\":1e400,\"b\":-0,\"c\":0.10}"},
    {"unknown top-level keys are tolerated", JSON_HEADERS,
     "{\"type\":\"identify\",\"userId\":\"u\",\"projectId\":\"p\",\"_metadata\":{}}", 200, "",
     "{\"type\":\"identify\",\"user_id\":\"u\"}"},
};

static void test_cases(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const request_case *c = &CASES[i];
        outcome out;
        char msg[SEGRECV_RESPONSE_BODY_MAX];
        size_t len = strlen(c->body);
        run_oneshot(rcv, &rec, c->headers, c->body, len, &out);
        response_message(&out, msg, sizeof msg);
        if (out.http != c->http || strcmp(msg, c->message) != 0)
            fail_msg("case '%s': expected %d \"%s\", got %d \"%s\"", c->name, c->http, c->message,
                     out.http, msg);
        int dispatched = c->http == 200;
        if (out.calls != dispatched)
            fail_msg("case '%s': callback ran %d times", c->name, out.calls);
        if (c->json_has && !strstr(out.event_json, c->json_has))
            fail_msg("case '%s': event %s lacks %s", c->name, out.event_json, c->json_has);
        assert_true(out.body[0] ? out.content_type != NULL : out.content_type == NULL);
        assert_every_split(rcv, &rec, c->headers, c->body, len, &out);
    }
    segrecv_receiver_free(rcv);
}

/* What a callback answers becomes the response. */
typedef struct answer_case {
    segrecv_status answer;
    const char *reply;
    int http;
    const char *body;
} answer_case;

static void test_callback_answers(void **state)
{
    (void)state;
    static const answer_case answers[] = {
        {SEGRECV_OK, NULL, 200, ""},
        {SEGRECV_OK, "stored", 200, "{\"message\":\"stored\"}"},
        {SEGRECV_ACCEPTED, NULL, 202, ""},
        {SEGRECV_BAD_REQUEST, "Missing email address", 400,
         "{\"message\":\"Missing email address\"}"},
        {SEGRECV_BAD_REQUEST, NULL, 400, "{\"message\":\"Event rejected\"}"},
        {SEGRECV_FAILED, NULL, 500, "{\"message\":\"Event handler failed\"}"},
        {SEGRECV_UNAVAILABLE, NULL, 503, "{\"message\":\"Temporarily unavailable; retry later\"}"},
        {SEGRECV_UNAVAILABLE, "database down", 503, "{\"message\":\"database down\"}"},
        {SEGRECV_FORBIDDEN, "x", 500, "{\"message\":\"Event handler returned an invalid status (4)\"}"},
        {(segrecv_status)77, NULL, 500,
         "{\"message\":\"Event handler returned an invalid status (77)\"}"},
        {SEGRECV_BAD_REQUEST, "quote \" and \\ and \n", 400,
         "{\"message\":\"quote \\\" and \\\\ and \\n\"}"},
    };
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        rec.answer = answers[i].answer;
        rec.answer_message = answers[i].reply;
        outcome out;
        run_oneshot(rcv, &rec, JSON_HEADERS, IDENTIFY, strlen(IDENTIFY), &out);
        assert_int_equal(out.http, answers[i].http);
        assert_string_equal(out.body, answers[i].body);
        assert_int_equal(out.calls, 1);
    }
    segrecv_receiver_free(rcv);
}

static void test_long_reply_is_cut_on_a_character(void **state)
{
    (void)state;
    char reply[2000];
    for (size_t i = 0; i + 2 < sizeof reply; i += 2)
        memcpy(reply + i, "\xc3\xa9", 2); /* é */
    reply[sizeof reply - 2] = '\0';
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    rec.answer = SEGRECV_BAD_REQUEST;
    rec.answer_message = reply;
    outcome out;
    run_oneshot(rcv, &rec, JSON_HEADERS, IDENTIFY, strlen(IDENTIFY), &out);
    char msg[SEGRECV_RESPONSE_BODY_MAX];
    response_message(&out, msg, sizeof msg);
    assert_int_equal(strlen(msg), 512);
    assert_memory_equal(msg, reply, 512);
    segrecv_receiver_free(rcv);
}

static segrecv_status only_any(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    int *seen = user_data;
    seen[ev->type]++;
    return SEGRECV_OK;
}

static void test_unregistered_types_answer_501(void **state)
{
    (void)state;
    segrecv_receiver *rcv = segrecv_receiver_new(NULL);
    segrecv_add_api_key(rcv, "segment", 7);
    int seen[SEGRECV_TYPE_COUNT] = {0};
    segrecv_on(rcv, SEGRECV_TRACK, only_any, seen);
    const char *page = "{\"type\":\"page\",\"userId\":\"u\"}";
    segrecv_response resp;
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), page, strlen(page), &resp);
    assert_int_equal(resp.http_status, 501);
    assert_string_equal(resp.body, "{\"message\":\"Unsupported call type 'page'\"}");
    /* 501 comes before the Spec rules: the partner does not take this type at all. */
    const char *bad_page = "{\"type\":\"page\"}";
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), bad_page, strlen(bad_page), &resp);
    assert_int_equal(resp.http_status, 501);
    /* The catch-all takes what has no callback of its own. */
    segrecv_on_any(rcv, only_any, seen);
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), page, strlen(page), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(seen[SEGRECV_PAGE], 1);
    /* Unregistering a type hands it to the catch-all. */
    const char *track = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}";
    segrecv_on(rcv, SEGRECV_TRACK, NULL, NULL);
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), track, strlen(track), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(seen[SEGRECV_TRACK], 1);
    assert_int_equal(segrecv_on(rcv, SEGRECV_TYPE_COUNT, only_any, NULL),
                     SEGRECV_INVALID_ARGUMENT);
    segrecv_receiver_free(rcv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_callback_answers),
        cmocka_unit_test(test_long_reply_is_cut_on_a_character),
        cmocka_unit_test(test_unregistered_types_answer_501),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
