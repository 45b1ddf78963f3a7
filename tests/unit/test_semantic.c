/* Semantic accessors (every field and fallback), key normalisation, and
 * SEGRECV_OPT_NORMALIZE_KEYS. The differential test in tests/facade checks
 * the same accessors against Segment's facade on hundreds of events. */
#include "support.h"
#include "semantic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- running one event and keeping what the accessors said ------------- */

typedef struct field_seen {
    int found;
    int has_text;
    char text[512];
    size_t text_len;
    int has_number;
    double number;
    int value_type; /* segrecv_value_type of out.value, SEGRECV_ABSENT when NULL */
    char value_json[1024];
    int time_parsed;
    int64_t ms;
    segrecv_status status;
} field_seen;

typedef struct seen {
    int calls;
    segrecv_type type;
    field_seen f[SEGRECV_FIELD_COUNT];
    char semantic[8192];
    size_t semantic_len;
    char event_json[8192];
    char traits_normalized[4096]; /* segrecv_event_normalize() of traits */
    int fail_allocations;         /* set inside the callback to fail the arena */
} seen;

static seen S;
static int alloc_fail; /* the test allocator fails while this is set */

static void *t_malloc(void *ctx, size_t n)
{
    (void)ctx;
    return alloc_fail ? NULL : malloc(n);
}
static void *t_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return alloc_fail ? NULL : realloc(p, n);
}
static void t_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static segrecv_status capture(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    seen *s = user_data;
    s->calls++;
    s->type = ev->type;
    alloc_fail = s->fail_allocations;
    for (int i = 0; i < SEGRECV_FIELD_COUNT; i++) {
        segrecv_field_value v;
        field_seen *f = &s->f[i];
        f->found = segrecv_event_field(ev, (segrecv_field)i, &v);
        f->status = v.status;
        f->has_text = v.text.ptr != NULL;
        if (v.text.ptr) {
            assert_int_equal(v.text.ptr[v.text.len], '\0');
            snprintf(f->text, sizeof f->text, "%s", v.text.ptr);
            f->text_len = v.text.len;
        }
        f->has_number = v.has_number;
        f->number = v.number;
        f->value_type = segrecv_value_type_of(v.value);
        segrecv_value_to_json(v.value, f->value_json, sizeof f->value_json);
        f->time_parsed = v.time.parsed;
        f->ms = v.time.ms;
    }
    s->semantic_len = segrecv_event_semantic_json(ev, s->semantic, sizeof s->semantic);
    segrecv_event_to_json(ev, s->event_json, sizeof s->event_json);
    const segrecv_value *norm = NULL;
    if (segrecv_event_normalize(ev, ev->traits, &norm) == SEGRECV_OK)
        segrecv_value_to_json(norm, s->traits_normalized, sizeof s->traits_normalized);
    else
        snprintf(s->traits_normalized, sizeof s->traits_normalized, "(failed)");
    alloc_fail = 0;
    return SEGRECV_OK;
}

/* Dispatch `body` on a fresh receiver with `flags`; S holds what was seen. */
static void run_flags(const char *body, unsigned flags)
{
    memset(&S, 0, sizeof S);
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.flags = flags;
    o.allocator = (segrecv_allocator){t_malloc, t_realloc, t_free, NULL};
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, "segment", 7), SEGRECV_OK);
    assert_int_equal(segrecv_on_any(rcv, capture, &S), SEGRECV_OK);
    segrecv_response resp;
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), body, strlen(body), &resp);
    if (resp.http_status != 200)
        fail_msg("HTTP %d %s for %s", resp.http_status, resp.body, body);
    assert_int_equal(S.calls, 1);
    segrecv_receiver_free(rcv);
}

static void run(const char *body)
{
    run_flags(body, 0);
}

/* An identify of user "u" with these traits. */
static void run_traits(const char *traits)
{
    char body[4096];
    snprintf(body, sizeof body, "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":%s}",
             traits);
    run(body);
}

/* A track of user "u" named `event` with these properties. */
static void run_track(const char *event, const char *properties)
{
    char body[4096];
    snprintf(body, sizeof body,
             "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"%s\",\"properties\":%s}",
             event, properties);
    run(body);
}

#define F(name) (&S.f[SEGRECV_FIELD_##name])
#define assert_text(name, want)                                 \
    do {                                                        \
        assert_true(F(name)->found);                            \
        assert_true(F(name)->has_text);                         \
        assert_string_equal(F(name)->text, want);               \
    } while (0)
#define assert_absent(name) assert_false(F(name)->found)
#define assert_value(name, json)                                \
    do {                                                        \
        assert_true(F(name)->found);                            \
        assert_string_equal(F(name)->value_json, json);         \
    } while (0)

/* ---- the seed and the table of fields -------------------------------------- */

static void test_seed_examples(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/seed/formatting.json", SEGRECV_TEST_DATA);
    size_t len;
    char *body = read_file(path, &len);
    assert_non_null(body);
    run(body);
    free(body);
    assert_string_equal(S.semantic,
                        "{\"name\":\"Peter Gibbons\",\"first_name\":\"Peter\",\"last_name\":"
                        "\"Gibbons\",\"created_at\":\"2015-02-23T22:28:55.111Z\",\"city\":"
                        "\"San Francisco\",\"postal_code\":\"94103\"}");
    assert_int_equal(S.semantic_len, strlen(S.semantic));
    assert_true(F(CREATED_AT)->time_parsed);
    assert_int_equal(F(CREATED_AT)->ms, 1424730535111);
    /* The seed's "Formatting" keys, normalised. */
    assert_string_equal(S.traits_normalized,
                        "{\"name\":\"Peter Gibbons\",\"created_at\":\"2015-02-23T22:28:55.111Z\","
                        "\"address\":{\"postal_code\":\"94103\",\"city\":\"San Francisco\"}}");

    snprintf(path, sizeof path, "%s/seed/identify.json", SEGRECV_TEST_DATA);
    body = read_file(path, &len);
    assert_non_null(body);
    run(body);
    free(body);
    assert_string_equal(S.semantic, "{\"email\":\"peter@initech.com\",\"name\":\"Peter Gibbons\","
                                    "\"first_name\":\"Peter\",\"last_name\":\"Gibbons\"}");
}

static void test_field_table(void **state)
{
    (void)state;
    assert_string_equal(segrecv_field_name(SEGRECV_FIELD_EMAIL), "email");
    assert_string_equal(segrecv_field_name(SEGRECV_FIELD_POSTAL_CODE), "postal_code");
    assert_string_equal(segrecv_field_name(SEGRECV_FIELD_PREVIOUS_ID), "previous_id");
    assert_string_equal(segrecv_field_name(SEGRECV_FIELD_COUNT), "unknown");
    assert_string_equal(segrecv_field_name((segrecv_field)-1), "unknown");
    for (int i = 0; i < SEGRECV_FIELD_COUNT; i++) {
        const char *name = segrecv_field_name((segrecv_field)i);
        assert_string_not_equal(name, "unknown");
        char norm[64];
        segrecv_key_normalize(name, strlen(name), norm, sizeof norm);
        assert_string_equal(norm, name); /* names are snake_case already */
        int types = 0;
        for (int t = 0; t < SEGRECV_TYPE_COUNT; t++)
            types += segrecv_field_applies((segrecv_type)t, (segrecv_field)i);
        assert_true(types > 0);
        assert_false(segrecv_field_applies(SEGRECV_DELETE, (segrecv_field)i));
    }
    assert_true(segrecv_field_applies(SEGRECV_TRACK, SEGRECV_FIELD_REVENUE));
    assert_false(segrecv_field_applies(SEGRECV_PAGE, SEGRECV_FIELD_REVENUE));
    assert_false(segrecv_field_applies(SEGRECV_TYPE_COUNT, SEGRECV_FIELD_EMAIL));
    assert_false(segrecv_field_applies(SEGRECV_TRACK, SEGRECV_FIELD_COUNT));
}

/* ---- identify ------------------------------------------------------------------ */

static void test_identify_email(void **state)
{
    (void)state;
    run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"E-Mail\":\"a@b.co\"}}");
    assert_text(EMAIL, "a@b.co");
    assert_int_equal(F(EMAIL)->value_type, SEGRECV_STRING);
    /* A falsy email falls back to an email-shaped user id, in either spelling. */
    run("{\"type\":\"identify\",\"user_id\":\"ann@x.io\",\"traits\":{\"email\":\"\"}}");
    assert_text(EMAIL, "ann@x.io");
    run("{\"type\":\"identify\",\"userId\":\"ann@x\",\"traits\":{}}");
    assert_absent(EMAIL);
    run("{\"type\":\"identify\",\"userId\":\"a\\n@x.io\",\"traits\":{}}");
    assert_absent(EMAIL); /* the regex's '.' never matches a line end */
    run("{\"type\":\"identify\",\"userId\":12345}");
    assert_absent(EMAIL);
    /* A truthy non-string is returned as it is. */
    run_traits("{\"email\":{\"work\":\"w@x.io\"}}");
    assert_value(EMAIL, "{\"work\":\"w@x.io\"}");
    assert_false(F(EMAIL)->has_text);
    assert_string_equal(S.semantic, "{\"email\":{\"work\":\"w@x.io\"}}");
}

static void test_identify_names(void **state)
{
    (void)state;
    run_traits("{\"name\":\"  Peter  Gibbons \"}");
    assert_text(NAME, "Peter  Gibbons");
    assert_string_equal(F(NAME)->value_json, "\"  Peter  Gibbons \"");
    assert_text(FIRST_NAME, "Peter");
    /* After the first space of the trimmed name (facade would say "eter  Gibbons"). */
    assert_text(LAST_NAME, "Gibbons");

    run_traits("{\"first_name\":\" Ann \",\"LAST NAME\":\"Lee\\u3000\"}");
    assert_text(NAME, "Ann Lee");
    assert_int_equal(F(NAME)->value_type, SEGRECV_ABSENT);
    assert_text(FIRST_NAME, "Ann");
    assert_text(LAST_NAME, "Lee");

    run_traits("{\"firstName\":\"Ann\"}");
    assert_absent(NAME); /* both first and last are needed */
    assert_absent(LAST_NAME);

    run_traits("{\"name\":\"Cher\"}");
    assert_text(FIRST_NAME, "Cher");
    assert_absent(LAST_NAME);

    run_traits("{\"name\":\"   \"}");
    assert_text(NAME, "");
    assert_text(FIRST_NAME, "");
    assert_absent(LAST_NAME);

    /* A non-string name does not count; a non-string first name neither. */
    run_traits("{\"name\":5,\"firstName\":7,\"lastName\":\"Lee\"}");
    assert_absent(NAME);
    assert_absent(FIRST_NAME);
    assert_text(LAST_NAME, "Lee");
}

static void test_identify_traits(void **state)
{
    (void)state;
    run_traits("{\"phone\":\"\",\"Phones\":[\"555\",\"556\"],\"websites\":[],\"username\":0,"
               "\"photoUrl\":\"\",\"avatar_url\":\"http://a\",\"TITLE\":\"CEO\",\"gender\":null,"
               "\"description\":0,\"background\":\"\",\"company\":{\"Name\":\"Initech\"}}");
    assert_text(PHONE, "555");
    assert_absent(WEBSITE);
    assert_value(USERNAME, "0"); /* raw lookups return falsy values too */
    assert_true(F(USERNAME)->has_number);
    assert_text(AVATAR, "http://a");
    assert_text(TITLE, "CEO");
    assert_absent(GENDER); /* null is absent */
    assert_text(DESCRIPTION, ""); /* `description || background`: the last operand */
    assert_text(COMPANY_NAME, "Initech");

    run_traits("{\"website\":\"w\",\"websites\":[\"x\"],\"avatar\":\"\",\"photo_url\":0}");
    assert_text(WEBSITE, "w");
    assert_absent(AVATAR); /* "" || 0 || undefined is undefined */
    /* A dotted key is found by its full path. */
    run_traits("{\"company.name\":\"Dotted\"}");
    assert_text(COMPANY_NAME, "Dotted");
}

static int64_t utc_year(int64_t secs)
{
    time_t t = (time_t)secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

static void test_identify_age_and_dates(void **state)
{
    (void)state;
    int64_t now = utc_year((int64_t)time(NULL));
    run_traits("{\"birthday\":\"1990-01-01T00:30:00+01:00\"}");
    assert_true(F(AGE)->found);
    assert_true(F(AGE)->has_number);
    assert_int_equal((int64_t)F(AGE)->number, now - 1989); /* 1989-12-31 in UTC */
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)(now - 1989));
    assert_string_equal(F(AGE)->text, want);
    assert_int_equal(F(AGE)->value_type, SEGRECV_ABSENT);
    assert_text(BIRTHDAY, "1990-01-01T00:30:00+01:00");
    assert_true(F(BIRTHDAY)->time_parsed);

    run_traits("{\"age\":0,\"birthday\":\"1990-01-01\"}");
    assert_value(AGE, "0"); /* age != null wins, even 0 */
    run_traits("{\"age\":\"33\"}");
    assert_text(AGE, "33");
    assert_false(F(AGE)->has_number);
    run_traits("{\"birthday\":\"1990-02-30\"}");
    assert_absent(AGE); /* not a date (facade rolls it to March 2) */
    run_traits("{\"birthday\":\"10-12-1988\"}");
    assert_absent(AGE);
    assert_false(F(BIRTHDAY)->time_parsed);
    run_traits("{\"birthday\":\"1990-01-01t00:00:00z\"}");
    assert_absent(AGE); /* isodate wants upper-case T and Z */

    /* created, then createdAt; falsy values are skipped. */
    run_traits("{\"createdAt\":\"2019-01-01T00:00:00Z\",\"created\":\"\"}");
    assert_text(CREATED_AT, "2019-01-01T00:00:00Z");
    assert_int_equal(F(CREATED_AT)->ms, 1546300800000);
    run_traits("{\"createdAt\":1,\"created\":2}");
    assert_value(CREATED_AT, "2");
    assert_false(F(CREATED_AT)->time_parsed);
    run_traits("{\"created_at\":0}");
    assert_absent(CREATED_AT);
}

static void test_address(void **state)
{
    (void)state;
    run_traits("{\"City\":\"Oakland\",\"ZIP\":\"02139\",\"Address\":{\"city\":\"SF\","
               "\"postal_code\":\"\",\"State\":\"CA\"},\"country\":\"US\","
               "\"address.street\":\"1 Main\"}");
    assert_text(CITY, "SF");
    assert_text(STATE, "CA");
    assert_text(POSTAL_CODE, "02139"); /* postalCode is empty: zip */
    assert_text(COUNTRY, "US");
    /* "Address" is met first and has no street; obj-case never backtracks
     * to the later dotted key, so street falls back to traits.street. */
    assert_absent(STREET);

    run_traits("{\"address.street\":\"1 Main\",\"address\":\"text\",\"city\":\"\"}");
    assert_text(STREET, "1 Main");
    assert_absent(CITY); /* all falsy: identify's chain ends on nothing */

    /* Groups read `properties` as traits when `traits` is missing, and end
     * their chain on the falsy value itself. */
    run("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\",\"properties\":{\"zip\":0,"
        "\"city\":\"\",\"name\":\" Initech \"}}");
    assert_value(POSTAL_CODE, "0");
    assert_absent(CITY);
    assert_text(NAME, " Initech "); /* group names are not trimmed */
}

static void test_group(void **state)
{
    (void)state;
    run("{\"type\":\"group\",\"userId\":\"u\",\"group_id\":\"team@acme.io\",\"traits\":{"
        "\"Industry\":\"Tech\",\"employees\":329,\"plan\":\"\",\"created\":\"2015-02-23\","
        "\"createdAt\":\"2019-01-01T00:00:00Z\",\"email\":null}}");
    assert_text(EMAIL, "team@acme.io");
    assert_text(INDUSTRY, "Tech");
    assert_value(EMPLOYEES, "329");
    assert_true(F(EMPLOYEES)->has_number);
    assert_text(PLAN, "");
    assert_text(CREATED_AT, "2019-01-01T00:00:00Z"); /* groups: createdAt first */
    assert_absent(FIRST_NAME);                       /* identify only */
    assert_string_equal(S.semantic,
                        "{\"email\":\"team@acme.io\",\"created_at\":\"2019-01-01T00:00:00Z\","
                        "\"industry\":\"Tech\",\"employees\":329,\"plan\":\"\"}");
}

/* ---- track --------------------------------------------------------------------- */

static void test_revenue(void **state)
{
    (void)state;
    run_track("Bought", "{\"revenue\":12.50}");
    assert_text(REVENUE, "12.50");
    assert_true(F(REVENUE)->has_number);
    assert_true(F(REVENUE)->number == 12.5);
    assert_string_equal(S.semantic, "{\"revenue\":12.50,\"currency\":\"USD\",\"quantity\":1,"
                                    "\"products\":[]}");

    run_track("Bought", "{\"Revenue\":\" $1$2.5e1x\"}");
    assert_text(REVENUE, "12.5e1");
    assert_true(F(REVENUE)->number == 125.0);
    assert_string_equal(F(REVENUE)->value_json, "\" $1$2.5e1x\"");
    assert_non_null(strstr(S.semantic, "\"revenue\":125,"));

    run_track("Bought", "{\"revenue\":\"$1,234.50\"}");
    assert_true(F(REVENUE)->number == 1.0); /* parseFloat stops at the comma */
    run_track("Bought", "{\"revenue\":\"abc\"}");
    assert_absent(REVENUE);
    run_track("Bought", "{\"revenue\":\"0x1A\"}");
    assert_true(F(REVENUE)->number == 0.0);
    assert_text(REVENUE, "0");
    run_track("Bought", "{\"revenue\":true}");
    assert_absent(REVENUE);

    /* Missing or falsy revenue on an order-completed event: total. */
    static const char *const completed[] = {"Order Completed", "order_completed",
                                            " ORDER COMPLETED_", "Completed Order",
                                            "completedorder", "Completed Order Now"};
    for (size_t i = 0; i < sizeof completed / sizeof *completed; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"%s\",\"properties\":"
                 "{\"revenue\":0,\"total\":\"$45.10\"}}",
                 completed[i]);
        run(body);
        assert_true(F(REVENUE)->found);
        assert_true(F(REVENUE)->number == 45.1);
    }
    static const char *const other[] = {"Order Completed Now", "My Order Completed",
                                        "Order  Completed", "OrderCompleted!", "Product Viewed"};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"%s\",\"properties\":"
                 "{\"total\":30}}",
                 other[i]);
        run(body);
        assert_absent(REVENUE);
    }
}

static void test_track_fields(void **state)
{
    (void)state;
    run_track("E", "{\"CURRENCY\":\"EUR\",\"quantity\":0,\"value\":\"\",\"id\":0,"
                   "\"Order ID\":\"o-9\",\"products\":[null,{\"sku\":\"A\"},null,3]}");
    assert_text(CURRENCY, "EUR");
    assert_text(QUANTITY, "1");
    assert_int_equal(F(QUANTITY)->value_type, SEGRECV_ABSENT);
    assert_true(F(QUANTITY)->has_number);
    assert_text(VALUE, "");
    assert_text(ORDER_ID, "o-9");
    assert_value(PRODUCTS, "[{\"sku\":\"A\"},3]");
    assert_string_equal(S.semantic, "{\"currency\":\"EUR\",\"value\":\"\",\"quantity\":1,"
                                    "\"order_id\":\"o-9\",\"products\":[{\"sku\":\"A\"},3]}");

    run_track("E", "{\"quantity\":\"2\",\"currency\":\"\",\"products\":{\"a\":1}}");
    assert_text(QUANTITY, "2");
    assert_false(F(QUANTITY)->has_number);
    assert_text(CURRENCY, "USD");
    assert_value(PRODUCTS, "[]");

    /* Track email: context.traits, then properties, then the user id. */
    run("{\"type\":\"track\",\"userId\":\"me@x.io\",\"event\":\"E\",\"context\":{\"Traits\":"
        "{\"email\":\"\"}},\"properties\":{\"email\":\"p@x.io\"}}");
    assert_text(EMAIL, "p@x.io");
    run("{\"type\":\"track\",\"userId\":\"me@x.io\",\"event\":\"E\",\"context\":{\"traits\":{}}}");
    assert_text(EMAIL, "me@x.io");
    run("{\"type\":\"track\",\"userId\":\"me@x.io\",\"event\":\"E\",\"context\":{\"traits.email\":"
        "\"dot@x.io\"}}");
    assert_text(EMAIL, "dot@x.io");
}

/* ---- page, screen, alias, delete ---------------------------------------------------- */

static void test_views(void **state)
{
    (void)state;
    run("{\"type\":\"page\",\"userId\":\"u\",\"name\":\"Home\",\"category\":\"Docs\",\"context\":{"
        "\"page\":{\"referrer\":\"\"},\"referrer\":{\"URL\":\"\"}},\"properties\":{\"Title\":\"T\","
        "\"path\":\"/\",\"URL\":\"http://x\",\"search\":\"?q=1\",\"referrer\":0}}");
    assert_text(NAME, "Home");
    assert_text(CATEGORY, "Docs");
    assert_text(FULL_NAME, "Docs Home");
    assert_int_equal(F(FULL_NAME)->value_type, SEGRECV_ABSENT);
    assert_text(TITLE, "T");
    assert_text(PATH, "/");
    assert_text(URL, "http://x");
    assert_text(SEARCH, "?q=1");
    assert_value(REFERRER, "0"); /* all falsy: the last operand */

    run("{\"type\":\"screen\",\"anonymousId\":\"a\",\"name\":\"Home\",\"category\":\"\","
        "\"context\":{"
        "\"referrer\":{\"url\":\"http://r\"},\"traits\":{\"email\":\"s@x.io\"}}}");
    assert_text(FULL_NAME, "Home");
    assert_text(REFERRER, "http://r");
    assert_text(EMAIL, "s@x.io");
    run("{\"type\":\"page\",\"anonymousId\":\"a\",\"category\":\"Docs\"}");
    assert_absent(NAME);
    assert_absent(FULL_NAME);
}

static void test_alias_and_delete(void **state)
{
    (void)state;
    run("{\"type\":\"alias\",\"userId\":\"u\",\"previous_id\":\"anon-1\"}");
    assert_text(PREVIOUS_ID, "anon-1");
    run("{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":0,\"from\":\"f-1\"}");
    assert_text(PREVIOUS_ID, "f-1");
    run("{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":7}");
    assert_value(PREVIOUS_ID, "7");
    assert_string_equal(S.semantic, "{\"previous_id\":7}");
    run("{\"type\":\"delete\",\"userId\":\"u\",\"traits\":{\"email\":\"a@b.co\"}}");
    for (int i = 0; i < SEGRECV_FIELD_COUNT; i++)
        assert_false(S.f[i].found);
    assert_string_equal(S.semantic, "{}");
}

/* ---- the JSON writer ------------------------------------------------------------------ */

static segrecv_status small_buffers(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    (void)user_data;
    char full[512];
    size_t n = segrecv_event_semantic_json(ev, full, sizeof full);
    assert_int_equal(n, strlen(full));
    assert_int_equal(segrecv_event_semantic_json(ev, NULL, 0), n);
    for (size_t cap = 1; cap <= n + 1; cap++) {
        char buf[512];
        memset(buf, 'x', sizeof buf);
        assert_int_equal(segrecv_event_semantic_json(ev, buf, cap), n);
        assert_int_equal(strlen(buf), cap - 1 < n ? cap - 1 : n);
        assert_memory_equal(buf, full, strlen(buf));
        assert_int_equal(buf[cap], 'x');
    }
    return SEGRECV_OK;
}

static void test_semantic_json_snprintf(void **state)
{
    (void)state;
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    assert_int_equal(segrecv_on(rcv, SEGRECV_TRACK, small_buffers, NULL), SEGRECV_OK);
    const char *body = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Order Completed\","
                       "\"properties\":{\"total\":\"$9.99\","
                       "\"products\":[{\"n\":\"\\u00e9\\\"\"}]}}";
    segrecv_response resp;
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), body, strlen(body), &resp);
    assert_int_equal(resp.http_status, 200);
    segrecv_receiver_free(rcv);
    char buf[8] = "zzz";
    assert_int_equal(segrecv_event_semantic_json(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

/* ---- events the library did not dispatch, and running out of memory --------------- */

static void test_hand_made_event(void **state)
{
    (void)state;
    segrecv_allocator a = segrecv__allocator_or_default(NULL);
    segrecv__arena arena;
    segrecv__arena_init(&arena, &a);
    segrecv_limits limits = segrecv_receiver_limits(NULL);
    limits.max_depth = 64;
    limits.max_string_bytes = 1000;
    limits.max_object_keys = 100;
    segrecv_value *root;
    const char *message;
    const char *text = "{\"email\":\"a@b.co\",\"firstName\":\"Ann\",\"lastName\":\"Lee\"}";
    assert_int_equal(
        segrecv__json_parse(&arena, &limits, text, strlen(text), false, &root, &message),
        SEGRECV_OK);
    segrecv_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SEGRECV_IDENTIFY;
    ev.traits = root;
    ev.raw = root;
    segrecv_field_value v;
    assert_true(segrecv_event_field(&ev, SEGRECV_FIELD_EMAIL, &v)); /* borrowed: works */
    assert_string_equal(v.text.ptr, "a@b.co");
    assert_false(segrecv_event_field(&ev, SEGRECV_FIELD_NAME, &v)); /* built: needs a request */
    assert_int_equal(v.status, SEGRECV_INVALID_ARGUMENT);
    assert_null(v.text.ptr);
    const segrecv_value *out = root;
    assert_int_equal(segrecv_event_normalize(&ev, root, &out), SEGRECV_INVALID_ARGUMENT);
    assert_null(out);
    assert_false(segrecv_event_field(NULL, SEGRECV_FIELD_EMAIL, &v));
    assert_false(segrecv_event_field(&ev, SEGRECV_FIELD_EMAIL, NULL));
    assert_false(segrecv_event_field(&ev, SEGRECV_FIELD_COUNT, &v));
    assert_int_equal(v.status, SEGRECV_OK);
    segrecv__arena_free(&arena);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    /* First and last names longer than the arena's free space: joining them
     * needs a new block, which the allocator refuses. */
    static char body[40000];
    int n = snprintf(body, sizeof body, "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{"
                                        "\"firstName\":\"");
    memset(body + n, 'a', 12000);
    n += 12000;
    n += snprintf(body + n, sizeof body - (size_t)n, "\",\"lastName\":\"");
    memset(body + n, 'b', 12000);
    n += 12000;
    snprintf(body + n, sizeof body - (size_t)n, "\",\"email\":\"e@x.io\"}}");
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.limits.max_body_bytes = sizeof body;
    o.allocator = (segrecv_allocator){t_malloc, t_realloc, t_free, NULL};
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, "segment", 7), SEGRECV_OK);
    memset(&S, 0, sizeof S);
    S.fail_allocations = 1;
    assert_int_equal(segrecv_on_any(rcv, capture, &S), SEGRECV_OK);
    segrecv_response resp;
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), body, strlen(body), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_true(F(EMAIL)->found);
    assert_false(F(NAME)->found);
    assert_int_equal(F(NAME)->status, SEGRECV_NOMEM);
    assert_int_equal(S.semantic_len, 0);
    assert_string_equal(S.semantic, "");
    segrecv_receiver_free(rcv);
}

/* ---- the JavaScript rules ---------------------------------------------------------------- */

static void test_js_rules(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool email;
    } emails[] = {
        {"a@b.c", true},         {"a@b.", false},        {"@b.c", false},
        {"a@.c", false},         {"x a@b.c y", true},    {"a@b\n.c", false},
        {"a\n@b.c", false},      {"b\na@b.c", true},     {"a@b.\xe2\x80\xa8", false},
        {"a@b..c", true},        {"a@@b.c", true},       {"\xc3\xa9@\xc3\xa9.\xc3\xa9", true},
        {"", false},             {"a@b\xe2\x80\xa9.c", false},
    };
    for (size_t i = 0; i < sizeof emails / sizeof *emails; i++)
        if (segrecv__js_is_email(emails[i].s, strlen(emails[i].s)) != emails[i].email)
            fail_msg("is_email(%s)", emails[i].s);

    size_t a, b;
    const char *sp = "\xe3\x80\x80\xc2\xa0 x y\t\xef\xbb\xbf\n";
    segrecv__js_trim(sp, strlen(sp), &a, &b);
    assert_int_equal(a, 6);
    assert_int_equal(b, 9);
    segrecv__js_trim("\xc2\x85x", 3, &a, &b); /* U+0085 is not JavaScript space */
    assert_int_equal(a, 0);

    static const struct {
        const char *s;
        bool ok;
        double d;
        const char *lit;
    } floats[] = {
        {" 12.5e1x", true, 125, "12.5e1"}, {".5", true, 0.5, ".5"},   {"5.", true, 5, "5."},
        {"+8", true, 8, "+8"},             {"1e", true, 1, "1"},      {"-0", true, -0.0, "-0"},
        {"0x1A", true, 0, "0"},            {"abc", false, 0, ""},     {".", false, 0, ""},
        {"-Infinityx", true, -HUGE_VAL, "-Infinity"}, {"inf", false, 0, ""}, {"", false, 0, ""},
    };
    for (size_t i = 0; i < sizeof floats / sizeof *floats; i++) {
        size_t start, span;
        double d = 99;
        bool ok = segrecv__js_parse_float(floats[i].s, strlen(floats[i].s), &start, &span, &d);
        assert_int_equal(ok, floats[i].ok);
        if (!ok)
            continue;
        assert_true(d == floats[i].d);
        assert_int_equal(span, strlen(floats[i].lit));
        assert_memory_equal(floats[i].s + start, floats[i].lit, span);
    }
}

static void test_objcase(void **state)
{
    (void)state;
    segrecv_allocator al = segrecv__allocator_or_default(NULL);
    segrecv__arena arena;
    segrecv__arena_init(&arena, &al);
    segrecv_limits limits = segrecv_receiver_limits(NULL);
    limits.max_depth = 64;
    limits.max_string_bytes = 1000;
    limits.max_object_keys = 100;
    segrecv_value *v;
    const char *message;
    const char *text = "{\"\":1,\"-\":2,\"a\":{\"x\":1},\"a.b\":3,\"Post-al Code\":\"P\","
                       "\"n\":null,\"zero\":0,\"s\":\"\",\"neg\":-0.0e5,\"tiny\":1e-400}";
    assert_int_equal(segrecv__json_parse(&arena, &limits, text, strlen(text), false, &v, &message),
                     SEGRECV_OK);
    assert_null(segrecv__objcase(v, "a.b")); /* "a" matched first: no backtracking */
    assert_non_null(segrecv__objcase(v, "a.x"));
    assert_string_equal(segrecv_value_string(segrecv__objcase(v, "postalCode"), NULL), "P");
    assert_int_equal(segrecv_value_type_of(segrecv__objcase(v, "n.deeper")), SEGRECV_NULL);
    assert_null(segrecv__objcase(v, "zero.deeper"));
    assert_null(segrecv__objcase(v, "missing"));
    assert_false(segrecv__js_truthy(segrecv__objcase(v, "zero")));
    assert_false(segrecv__js_truthy(segrecv__objcase(v, "s")));
    assert_false(segrecv__js_truthy(segrecv__objcase(v, "neg")));
    assert_false(segrecv__js_truthy(segrecv__objcase(v, "tiny")));
    assert_false(segrecv__js_truthy(segrecv__objcase(v, "n")));
    assert_true(segrecv__js_truthy(segrecv__objcase(v, "a")));
    const segrecv_value *ops[] = {segrecv__objcase(v, "zero"), segrecv__objcase(v, "s")};
    assert_ptr_equal(segrecv__js_or(ops, 2), ops[1]);
    segrecv__arena_free(&arena);
}

/* ---- normalisation ------------------------------------------------------------------------- */

static void test_key_normalize(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"postalCode", "postal_code"},     {"CreatedAt", "created_at"},
        {"NAME", "name"},                  {"firstName", "first_name"},
        {"first_name", "first_name"},      {"Total Billed", "total_billed"},
        {"userID", "user_id"},             {"userIDs", "user_ids"},
        {"URLs", "urls"},                  {"HTMLParser", "html_parser"},
        {"X-Segment-Settings", "x_segment_settings"}, {"__id__", "id"},
        {"first__name", "first_name"},     {"address2", "address2"},
        {"line2Street", "line2_street"},   {"2ndLine", "2nd_line"},
        {"v2Beta", "v2_beta"},             {"iOS", "i_os"},
        {"$revenue", "revenue"},           {"Total Billed ($)", "total_billed"},
        {"Address.City", "address.city"},  {"a _.b", "a.b"},
        {"a. B", "a.b"},
        {"\xc3\xa9t\xc3\xa9" "Date", "\xc3\xa9t\xc3\xa9" "_date"},
        {"Pr\xc3\xa9nom", "pr\xc3\xa9nom"}, {"", ""},
        {"_", "_"},                        {"$$", "$$"},
        {"ABCsDef", "abcs_def"},           {"Previous ID", "previous_id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *in = cases[i][0], *want = cases[i][1];
        char out[64], again[64];
        size_t n = segrecv_key_normalize(in, strlen(in), out, sizeof out);
        if (strcmp(out, want) != 0)
            fail_msg("normalize(%s) = %s, want %s", in, out, want);
        assert_int_equal(n, strlen(want));
        segrecv_key_normalize(out, n, again, sizeof again); /* idempotent */
        assert_string_equal(again, out);
        assert_true(segrecv__key_matches(out, n, in, strlen(in))); /* still found loosely */
        for (size_t cap = 0; cap <= n; cap++) {                     /* snprintf-style */
            char small[64];
            memset(small, 'x', sizeof small);
            assert_int_equal(segrecv_key_normalize(in, strlen(in), cap ? small : NULL, cap), n);
            if (cap) {
                assert_int_equal(strlen(small), cap - 1);
                assert_memory_equal(small, want, cap - 1);
            }
        }
    }
    assert_int_equal(segrecv_key_normalize(NULL, 5, NULL, 0), 0);
}

static void test_value_normalize(void **state)
{
    (void)state;
    segrecv_allocator al = segrecv__allocator_or_default(NULL);
    segrecv__arena arena;
    segrecv__arena_init(&arena, &al);
    segrecv_limits limits = segrecv_receiver_limits(NULL);
    limits.max_depth = 64;
    limits.max_string_bytes = 1000;
    limits.max_object_keys = 100;
    segrecv_value *v;
    const char *message;
    const char *text = "{\"firstName\":\"Ann\",\"first_name\":\"dup\",\"list\":[1,{\"productId\":"
                       "\"p\",\"ok\":[]}],\"plain\":{\"a\":{\"b\":1}},"
                       "\"Deep\":{\"x\":{\"yZ\":null}}}";
    assert_int_equal(segrecv__json_parse(&arena, &limits, text, strlen(text), false, &v, &message),
                     SEGRECV_OK);
    const segrecv_value *out = NULL;
    size_t need = segrecv_value_normalize(v, NULL, 0, &out);
    assert_true(need > 0);
    assert_null(out);
    unsigned char *mem = malloc(need + 1);
    assert_int_equal(segrecv_value_normalize(v, mem + 1, need - 1, &out), need); /* too small */
    assert_null(out);
    assert_int_equal(segrecv_value_normalize(v, mem + 1, need, &out), need); /* misaligned */
    assert_non_null(out);
    char json[512];
    segrecv_value_to_json(out, json, sizeof json);
    assert_string_equal(json, "{\"first_name\":\"Ann\",\"first_name\":\"dup\",\"list\":[1,{"
                              "\"product_id\":\"p\",\"ok\":[]}],\"plain\":{\"a\":{\"b\":1}},"
                              "\"deep\":{\"x\":{\"y_z\":null}}}");
    /* Unchanged parts are shared, and the source is untouched. */
    assert_ptr_equal(segrecv_value_find(segrecv_value_find(out, "plain"), "a"),
                     segrecv_value_find(segrecv_value_find(v, "plain"), "a"));
    assert_string_equal(segrecv_value_key_at(v, 0, NULL), "firstName");
    assert_string_equal(segrecv_value_string(segrecv_value_find(out, "first_name"), NULL), "Ann");
    free(mem);

    const segrecv_value *plain = segrecv_value_find(v, "plain");
    assert_int_equal(segrecv_value_normalize(plain, NULL, 0, &out), 0);
    assert_ptr_equal(out, plain);
    assert_int_equal(segrecv_value_normalize(NULL, NULL, 0, &out), 0);
    assert_null(out);
    segrecv__arena_free(&arena);
}

static void test_receiver_option(void **state)
{
    (void)state;
    const char *body = "{\"type\":\"identify\",\"userId\":\"u\",\"context\":{\"userAgent\":\"x\"},"
                       "\"traits\":{\"firstName\":\"Ann\",\"Address\":{\"postalCode\":\"1\"},"
                       "\"Total Billed\":5},\"properties\":{\"orderId\":1}}";
    run(body);
    char plain[8192];
    snprintf(plain, sizeof plain, "%s", S.semantic);
    assert_non_null(strstr(S.event_json, "\"firstName\""));

    run_flags(body, SEGRECV_OPT_NORMALIZE_KEYS);
    assert_non_null(strstr(S.event_json,
                           "\"traits\":{\"first_name\":\"Ann\",\"address\":{\"postal_code\":\"1\"},"
                           "\"total_billed\":5},\"properties\":{\"order_id\":1}"));
    assert_non_null(strstr(S.event_json, "\"context\":{\"userAgent\":\"x\"}")); /* as received */
    assert_string_equal(S.semantic, plain); /* the accessors read the same */
    assert_text(POSTAL_CODE, "1");

    /* Batch events are normalised one by one. */
    memset(&S, 0, sizeof S);
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.flags = SEGRECV_OPT_NORMALIZE_KEYS | SEGRECV_OPT_BATCH;
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, "segment", 7), SEGRECV_OK);
    assert_int_equal(segrecv_on_any(rcv, capture, &S), SEGRECV_OK);
    const char *batch = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\","
                        "\"properties\":{\"productId\":1}},{\"type\":\"identify\",\"userId\":\"u\","
                        "\"traits\":{\"lastName\":\"Lee\"}}]}";
    segrecv_response resp;
    segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), batch, strlen(batch), &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(S.calls, 2);
    assert_non_null(strstr(S.event_json, "\"traits\":{\"last_name\":\"Lee\"}"));
    segrecv_receiver_free(rcv);

    o.flags = 1u << 30; /* unknown flags are still refused */
    assert_null(segrecv_receiver_new(&o));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_examples),
        cmocka_unit_test(test_field_table),
        cmocka_unit_test(test_identify_email),
        cmocka_unit_test(test_identify_names),
        cmocka_unit_test(test_identify_traits),
        cmocka_unit_test(test_identify_age_and_dates),
        cmocka_unit_test(test_address),
        cmocka_unit_test(test_group),
        cmocka_unit_test(test_revenue),
        cmocka_unit_test(test_track_fields),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_alias_and_delete),
        cmocka_unit_test(test_semantic_json_snprintf),
        cmocka_unit_test(test_hand_made_event),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_js_rules),
        cmocka_unit_test(test_objcase),
        cmocka_unit_test(test_key_normalize),
        cmocka_unit_test(test_value_normalize),
        cmocka_unit_test(test_receiver_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
