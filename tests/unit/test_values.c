/* The value API, timestamps, statuses, Base64 and the seed's two examples. */
#include "support.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ---------------------------------------------------------- */

static segrecv__arena arena;
static segrecv_allocator alloc;

static const segrecv_value *parse(const char *text)
{
    segrecv_limits limits = segrecv_receiver_limits(NULL);
    limits.max_depth = 64;
    limits.max_string_bytes = 1 << 20;
    limits.max_object_keys = 1000;
    segrecv_value *root;
    const char *message;
    segrecv_status st = segrecv__json_parse(&arena, &limits, text, strlen(text), true, &root,
                                            &message);
    if (st != SEGRECV_OK)
        fail_msg("parse %s: %s", text, message);
    return root;
}

static int setup(void **state)
{
    (void)state;
    alloc = segrecv__allocator_or_default(NULL);
    segrecv__arena_init(&arena, &alloc);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    segrecv__arena_free(&arena);
    return 0;
}

static void test_value_access(void **state)
{
    (void)state;
    const segrecv_value *v = parse(
        "{\"firstName\":\"Ann\",\"created_at\":\"2019\",\"Created At\":\"later\","
        "\"n\":12345678901234567890,\"f\":-1.5e3,\"t\":true,\"z\":null,\"s\":\"a\\u0000b\","
        "\"address\":{\"postalCode\":\"94103\"},\"products\":[{\"sku\":\"A\"},{\"sku\":\"B\"}],"
        "\"a.b\":1}");
    assert_int_equal(segrecv_value_type_of(v), SEGRECV_OBJECT);
    assert_int_equal(segrecv_value_count(v), 11);
    size_t len;
    assert_string_equal(segrecv_value_key_at(v, 0, &len), "firstName");
    assert_int_equal(len, 9);
    assert_null(segrecv_value_key_at(v, 11, &len));
    /* Exact and loose lookups; the first match in document order wins. */
    assert_null(segrecv_value_get(v, "first_name"));
    assert_string_equal(segrecv_value_string(segrecv_value_find(v, "first_name"), NULL), "Ann");
    assert_string_equal(segrecv_value_string(segrecv_value_find(v, "FIRST-NAME"), NULL), "Ann");
    assert_string_equal(segrecv_value_string(segrecv_value_find(v, "createdAt"), NULL), "2019");
    assert_string_equal(segrecv_value_string(segrecv_value_find(v, "CreatedAt"), NULL), "2019");
    assert_null(segrecv_value_find(v, "created"));
    /* Paths, with array indexes. */
    assert_string_equal(segrecv_value_string(segrecv_value_path(v, "address.postal_code"), NULL),
                        "94103");
    assert_string_equal(segrecv_value_string(segrecv_value_path(v, "products.1.sku"), NULL), "B");
    assert_null(segrecv_value_path(v, "products.2.sku"));
    assert_null(segrecv_value_path(v, "address.zip"));
    assert_null(segrecv_value_path(v, "address..x"));
    /* Numbers keep their text; conversions say when they cannot be exact. */
    const segrecv_value *n = segrecv_value_get(v, "n");
    assert_string_equal(segrecv_value_number_text(n, &len), "12345678901234567890");
    int64_t i64;
    assert_int_equal(segrecv_value_int64(n, &i64), SEGRECV_BAD_REQUEST);
    double d;
    assert_int_equal(segrecv_value_double(segrecv_value_get(v, "f"), &d), SEGRECV_OK);
    assert_true(d == -1500.0);
    assert_int_equal(segrecv_value_int64(segrecv_value_get(v, "f"), &i64), SEGRECV_BAD_REQUEST);
    assert_int_equal(segrecv_value_double(segrecv_value_get(v, "t"), &d), SEGRECV_BAD_REQUEST);
    assert_int_equal(segrecv_value_bool(segrecv_value_get(v, "t")), 1);
    assert_int_equal(segrecv_value_bool(segrecv_value_get(v, "z")), 0);
    assert_int_equal(segrecv_value_type_of(segrecv_value_get(v, "z")), SEGRECV_NULL);
    /* Strings carry their length: an escaped NUL is kept. */
    const char *s = segrecv_value_string(segrecv_value_get(v, "s"), &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 3);
    /* Absent values are safe everywhere. */
    assert_int_equal(segrecv_value_type_of(NULL), SEGRECV_ABSENT);
    assert_null(segrecv_value_get(NULL, "x"));
    assert_null(segrecv_value_find(v, NULL));
    assert_null(segrecv_value_at(NULL, 0));
    assert_int_equal(segrecv_value_count(segrecv_value_get(v, "s")), 0);
    assert_null(segrecv_value_string(n, NULL));
    assert_int_equal(segrecv_value_to_json(NULL, NULL, 0), 0);
    /* A key with a dot is found by exact lookup. */
    assert_non_null(segrecv_value_get(v, "a.b"));
    segrecv__arena_reset(&arena);
}

static void test_value_to_json(void **state)
{
    (void)state;
    const char *text = "{\"a\":[1,2.50,-0,1e400],\"b\":{\"c\":null,\"d\":true},"
                       "\"e\":\"q\\\"\\\\\\n\\u0001\xc3\xa9\",\"f\":[],\"g\":{}}";
    const segrecv_value *v = parse(text);
    char buf[256];
    size_t n = segrecv_value_to_json(v, buf, sizeof buf);
    assert_string_equal(buf, "{\"a\":[1,2.50,-0,1e400],\"b\":{\"c\":null,\"d\":true},"
                             "\"e\":\"q\\\"\\\\\\n\\u0001\xc3\xa9\",\"f\":[],\"g\":{}}");
    assert_int_equal(n, strlen(buf));
    /* snprintf-style: the length needed, and a NUL-terminated prefix. */
    char small[8];
    assert_int_equal(segrecv_value_to_json(v, small, sizeof small), n);
    assert_string_equal(small, "{\"a\":[1");
    assert_int_equal(segrecv_value_to_json(v, NULL, 0), n);
    /* The output parses back to the same text. */
    const segrecv_value *again = parse(buf);
    char buf2[256];
    segrecv_value_to_json(again, buf2, sizeof buf2);
    assert_string_equal(buf, buf2);
    segrecv__arena_reset(&arena);
}

/* ---- timestamps ----------------------------------------------------- */

typedef struct time_case {
    const char *text;
    int ok;
    int64_t ms;
} time_case;

static void test_timestamps(void **state)
{
    (void)state;
    static const time_case cases[] = {
        {"1970-01-01T00:00:00Z", 1, 0},
        {"2015-02-23T22:28:55.111Z", 1, 1424730535111},
        {"2015-02-23T22:28:55.1Z", 1, 1424730535100},
        {"2018-08-23T21:35:02.85860964Z", 1, 1535060102858},
        {"2015-08-04T01:04:24+00:00", 1, 1438650264000},
        {"2015-08-04T03:04:24+0200", 1, 1438650264000},
        {"2015-08-03T20:04:24-05", 1, 1438650264000},
        {"2015-08-04 01:04:24Z", 1, 1438650264000},
        {"2015-08-04T01:04Z", 1, 1438650240000},
        {"2015-08-04T01:04:24", 1, 1438650264000},
        {"2015-08-04", 1, 1438646400000},
        {"2016-02-29T00:00:00Z", 1, 1456704000000},
        {"0001-01-01T00:00:00Z", 1, -62135596800000},
        {"2016-12-31T23:59:60Z", 1, 1483228799000},
        {"2020-05-09 23:54:49.209808489 +0000 UTC m=+70366.298768264", 1, 1589068489209},
        {"2020-05-09 23:54:49.209808489 +0000 UTC", 1, 1589068489209},
        {"2020-05-10 01:54:49 +0200 CEST", 1, 1589068489000},
        {"2015-2-02T00:30:08.276Z", 0, 0},
        {"2015-02-30T00:00:00Z", 0, 0},
        {"2015-02-29T00:00:00Z", 0, 0},
        {"2015-13-01T00:00:00Z", 0, 0},
        {"2015-01-01T24:00:00Z", 0, 0},
        {"2015-01-01T00:60:00Z", 0, 0},
        {"2015-01-01T00:00:00.Z", 0, 0},
        {"2015-01-01T00:00:00Zjunk", 0, 0},
        {"2015-01-01T00:00:00+2", 0, 0},
        {"2024-09-10T14:38:57.524122374Z[GMT]", 0, 0},
        {"sendAt", 0, 0},
        {"", 0, 0},
        {"1257894000000", 0, 0},
        {"10-12-1988", 0, 0},
        {"2020-05-09 23:54:49 +0000 utc", 0, 0},
        {"2020-05-09 23:54:49 +0000 UTC m=", 0, 0},
        {"2016-02-29T12:34:56.789Z", 1, 1456749296789}, /* the fixed form */
        {"1999-12-31T23:59:59.999Z", 1, 946684799999}, /* the fixed form */
        {"0001-01-01T00:00:00.001Z", 1, -62135596799999}, /* the fixed form */
        {"2016-12-31T23:59:60.500Z", 1, 1483228799500}, /* leap second: the general way */
        {"2015-02-29T00:00:00.000Z", 0, 0},
        {"2015-01-01T00:00:0a.000Z", 0, 0},
        {"2015-01-01T00:00:00.00aZ", 0, 0},
        {"2015-01-01T00:00:00.000z", 1, 1420070400000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ms = 0;
        bool ok = segrecv__parse_timestamp(cases[i].text, strlen(cases[i].text), &ms);
        if (ok != (bool)cases[i].ok || (ok && ms != cases[i].ms))
            fail_msg("%s: ok=%d ms=%lld, expected ok=%d ms=%lld", cases[i].text, ok,
                     (long long)ms, cases[i].ok, (long long)cases[i].ms);
    }
}

/* The gate that lets plain ASCII bodies skip the UTF-8 and white-space scans
 * must see an odd byte wherever it sits (vector steps, tails). */
static void test_plain_ascii_sees_every_position(void **state)
{
    (void)state;
    unsigned char buf[200];
    static const unsigned char odd[] = {'\f', '\v', 0x80, 0xC3, 0xFF};
    for (size_t len = 0; len <= sizeof buf; len++) {
        memset(buf, 'a', sizeof buf);
        assert_true(segrecv__plain_ascii(buf, len));
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof odd; k++) {
                buf[at] = odd[k];
                if (segrecv__plain_ascii(buf, len))
                    fail_msg("len %zu: byte 0x%02x at %zu not seen", len, odd[k], at);
            }
            buf[at] = (unsigned char)(at % 2 ? '\t' : '\n'); /* white space JSON allows */
            assert_true(segrecv__plain_ascii(buf, len));
        }
    }
}

/* ---- Base64 --------------------------------------------------------- */

static void test_base64_is_strict(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long len;
    } cases[] = {
        {"c2VnbWVudDo=", 8}, {"c2VnbWVudA==", 7}, {"YWJj", 3}, {"", -1},
        {"c2VnbWVudDo", -1}, {"c2Vn*bWVudDo=", -1}, {"!!c2VnbWVudDo=", -1},
        {"c2VnbWVudDo==", -1}, {"c2VnbWVudDp=", -1}, {"c2VnbWVudB==", -1},
        {"c2Vn bWVudDo=", -1}, {"====", -1}, {"YQ==YWJj", -1}, {"YW=j", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long got = segrecv__base64_check(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].len)
            fail_msg("'%s': %ld, expected %ld", cases[i].text, got, cases[i].len);
    }
    char out[16];
    size_t n = segrecv__base64_decode("c2VnbWVudDo=", 12, out);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "segment:", 8);
    assert_true(segrecv__ct_equal("abc", 3, "abc", 3));
    assert_false(segrecv__ct_equal("abc", 3, "abd", 3));
    assert_false(segrecv__ct_equal("abc", 3, "ab", 2));
    assert_false(segrecv__ct_equal("ab", 2, "abc", 3));
}

/* ---- statuses and version --------------------------------------------- */

static void test_statuses(void **state)
{
    (void)state;
    static const struct {
        segrecv_status st;
        int http;
        const char *name;
    } table[] = {
        {SEGRECV_OK, 200, "OK"},
        {SEGRECV_ACCEPTED, 202, "ACCEPTED"},
        {SEGRECV_BAD_REQUEST, 400, "BAD_REQUEST"},
        {SEGRECV_UNAUTHORIZED, 401, "UNAUTHORIZED"},
        {SEGRECV_FORBIDDEN, 403, "FORBIDDEN"},
        {SEGRECV_TOO_LARGE, 413, "TOO_LARGE"},
        {SEGRECV_UNSUPPORTED_MEDIA, 415, "UNSUPPORTED_MEDIA"},
        {SEGRECV_HEADERS_TOO_LARGE, 431, "HEADERS_TOO_LARGE"},
        {SEGRECV_FAILED, 500, "FAILED"},
        {SEGRECV_NOMEM, 500, "NOMEM"},
        {SEGRECV_NOT_IMPLEMENTED, 501, "NOT_IMPLEMENTED"},
        {SEGRECV_UNAVAILABLE, 503, "UNAVAILABLE"},
        {SEGRECV_INVALID_ARGUMENT, 500, "INVALID_ARGUMENT"},
    };
    assert_int_equal(sizeof table / sizeof table[0], SEGRECV_STATUS_COUNT_);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        assert_int_equal(segrecv_status_http(table[i].st), table[i].http);
        assert_string_equal(segrecv_status_name(table[i].st), table[i].name);
        assert_true(strlen(segrecv_status_str(table[i].st)) > 5);
    }
    assert_string_equal(segrecv_status_name((segrecv_status)99), "UNKNOWN");
    assert_int_equal(segrecv_status_http((segrecv_status)-1), 500);
    assert_non_null(segrecv_status_str((segrecv_status)99));
    char version[32];
    snprintf(version, sizeof version, "%d.%d.%d", SEGRECV_VERSION_MAJOR, SEGRECV_VERSION_MINOR,
             SEGRECV_VERSION_PATCH);
    assert_string_equal(segrecv_version(), version);
    assert_string_equal(segrecv_type_name(SEGRECV_DELETE), "delete");
    assert_string_equal(segrecv_type_name(SEGRECV_TYPE_COUNT), "unknown");
}

/* ---- the seed's examples ---------------------------------------------- */

static void test_seed_identify(void **state)
{
    (void)state;
    size_t len;
    char *body = read_file(SEGRECV_TEST_DATA "/seed/identify.json", &len);
    assert_non_null(body);
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    outcome out;
    run_oneshot(rcv, &rec, JSON_HEADERS, body, len, &out);
    assert_int_equal(out.http, 200);
    assert_int_equal(out.calls, 1);
    assert_int_equal(rec.last_type, SEGRECV_IDENTIFY);
    assert_string_equal(rec.last_json,
        "{\"type\":\"identify\",\"message_id\":\"4f0c6e3c-5b2f-4b4a-9a57-2f1f5cf3b1a2\","
        "\"user_id\":\"12345\",\"version\":\"1.1\",\"timestamp\":\"2015-02-23T22:28:55.111Z\","
        "\"sent_at\":\"2015-02-23T22:28:55.111Z\",\"received_at\":\"2015-02-23T22:28:55.387Z\","
        "\"context\":{\"ip\":\"8.8.8.8\",\"user_agent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X "
        "10_10_2) AppleWebKit/537.36\"},\"traits\":{\"email\":\"peter@initech.com\","
        "\"name\":\"Peter Gibbons\",\"plan\":\"premium\",\"logins\":5}}");
    assert_every_split(rcv, &rec, JSON_HEADERS, body, len, &out);
    free(body);
    segrecv_receiver_free(rcv);
}

static segrecv_status formatting_check(const segrecv_event *ev, segrecv_reply *reply, void *ud)
{
    (void)reply;
    int *checked = ud;
    const segrecv_value *t = ev->traits;
    assert_string_equal(segrecv_value_string(segrecv_value_find(t, "name"), NULL),
                        "Peter Gibbons");
    assert_string_equal(segrecv_value_string(segrecv_value_find(t, "created_at"), NULL),
                        "2015-02-23T22:28:55.111Z");
    assert_string_equal(segrecv_value_string(segrecv_value_path(t, "address.postal_code"), NULL),
                        "94103");
    assert_string_equal(segrecv_value_string(segrecv_value_path(t, "address.city"), NULL),
                        "San Francisco");
    (*checked)++;
    return SEGRECV_OK;
}

static void test_seed_formatting(void **state)
{
    (void)state;
    size_t len;
    char *body = read_file(SEGRECV_TEST_DATA "/seed/formatting.json", &len);
    assert_non_null(body);
    segrecv_receiver *rcv = segrecv_receiver_new(NULL);
    segrecv_add_api_key(rcv, "segment", 7);
    int checked = 0;
    segrecv_on(rcv, SEGRECV_IDENTIFY, formatting_check, &checked);
    segrecv_response resp;
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), body, len, &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(checked, 1);
    free(body);
    segrecv_receiver_free(rcv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_value_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_to_json, setup, teardown),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_plain_ascii_sees_every_position),
        cmocka_unit_test(test_base64_is_strict),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_seed_identify),
        cmocka_unit_test(test_seed_formatting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
