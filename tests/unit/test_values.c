/* The value API (and values laid out on first read, through dispatched
 * events), timestamps, statuses, Base64 and the seed's two examples. */
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

/* ---- values laid out on first read ------------------------------------ */

/* A dispatched event's containers are laid out from the parse's tape the
 * first time their children are read. These tests read them through every
 * accessor, in different orders, and compare exact text and pointers. */

/* Compact JSON rebuilt through segrecv_value_count / _at / _key_at alone.
 * The inputs below hold no string that needs escaping: one that does fails. */
typedef struct walk {
    char *text;
    size_t len, cap;
    size_t values; /* every value met, the root included */
} walk;

static void walk_put(walk *w, const char *s, size_t n)
{
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + n + 1)
            cap *= 2;
        w->text = realloc(w->text, cap);
        assert_non_null(w->text);
        w->cap = cap;
    }
    memcpy(w->text + w->len, s, n);
    w->len += n;
    w->text[w->len] = '\0';
}

static void walk_quoted(walk *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"' || s[i] == '\\' || (unsigned char)s[i] < 0x20)
            fail_msg("string %.*s needs escaping: not a walk input", (int)n, s);
    walk_put(w, "\"", 1);
    walk_put(w, s, n);
    walk_put(w, "\"", 1);
}

static void walk_value(walk *w, const segrecv_value *v)
{
    size_t len = 0;
    const char *s;
    w->values++;
    switch (segrecv_value_type_of(v)) {
    case SEGRECV_NULL:
        walk_put(w, "null", 4);
        return;
    case SEGRECV_BOOL:
        s = segrecv_value_bool(v) ? "true" : "false";
        walk_put(w, s, strlen(s));
        return;
    case SEGRECV_NUMBER:
        s = segrecv_value_number_text(v, &len);
        assert_non_null(s);
        walk_put(w, s, len);
        return;
    case SEGRECV_STRING:
        s = segrecv_value_string(v, &len);
        assert_non_null(s);
        walk_quoted(w, s, len);
        return;
    case SEGRECV_ARRAY:
    case SEGRECV_OBJECT:
        break;
    default:
        fail_msg("a value of type %d", (int)segrecv_value_type_of(v));
    }
    bool object = segrecv_value_type_of(v) == SEGRECV_OBJECT;
    size_t n = segrecv_value_count(v);
    walk_put(w, object ? "{" : "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            walk_put(w, ",", 1);
        if (object) {
            s = segrecv_value_key_at(v, i, &len);
            if (!s)
                fail_msg("member %zu of %zu has no key", i, n);
            walk_quoted(w, s, len);
            walk_put(w, ":", 1);
        }
        const segrecv_value *child = segrecv_value_at(v, i);
        if (!child)
            fail_msg("child %zu of %zu is missing", i, n);
        walk_value(w, child);
    }
    assert_null(segrecv_value_at(v, n));
    assert_null(segrecv_value_key_at(v, n, NULL));
    walk_put(w, object ? "}" : "]", 1);
}

/* The walk's text (the caller frees it); *values counts what it met. */
static char *walked(const segrecv_value *v, size_t *values)
{
    walk w = {NULL, 0, 0, 0};
    walk_put(&w, "", 0);
    if (v)
        walk_value(&w, v);
    if (values)
        *values = w.values;
    return w.text;
}

/* segrecv_value_to_json into memory of its own (the caller frees it). */
static char *json_of(const segrecv_value *v)
{
    size_t n = segrecv_value_to_json(v, NULL, 0);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    assert_int_equal(segrecv_value_to_json(v, buf, n + 1), n);
    assert_int_equal(strlen(buf), n);
    return buf;
}

/* `v` serialises, and walks, to exactly `want`: in that order, or the walk
 * first (which is then the first read of every container under v). */
static void assert_reads_as(const segrecv_value *v, const char *want, bool walk_first)
{
    char *a = walk_first ? walked(v, NULL) : json_of(v);
    char *b = walk_first ? json_of(v) : walked(v, NULL);
    const char *json = walk_first ? b : a, *walk_text = walk_first ? a : b;
    if (strcmp(json, want) != 0)
        fail_msg("segrecv_value_to_json gave\n  %s\nwant\n  %s", json, want);
    if (strcmp(walk_text, want) != 0)
        fail_msg("the walk gave\n  %s\nwant\n  %s", walk_text, want);
    free(a);
    free(b);
}

/* A receiver of key "segment" with one callback for every type. */
static segrecv_receiver *receiver_for(const segrecv_options *options, segrecv_event_cb cb,
                                      void *user_data)
{
    segrecv_receiver *rcv = segrecv_receiver_new(options);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, "segment", 7), SEGRECV_OK);
    assert_int_equal(segrecv_on_any(rcv, cb, user_data), SEGRECV_OK);
    return rcv;
}

/* One request with the body fed in pieces of `chunk` bytes (0: at once). */
static void send_body(segrecv_receiver *rcv, const char *body, size_t chunk,
                      segrecv_response *resp)
{
    size_t len = strlen(body);
    if (chunk == 0) {
        segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), body, len, resp);
        return;
    }
    segrecv_request *r = segrecv_request_new(rcv);
    assert_non_null(r);
    assert_int_equal(segrecv_request_headers(r, JSON_HEADERS, strlen(JSON_HEADERS)), SEGRECV_OK);
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        assert_int_equal(segrecv_request_body(r, body + off, n), SEGRECV_OK);
    }
    segrecv_request_finish(r, resp);
    segrecv_request_free(r);
}

/* Nested objects and arrays, written compactly: its own to_json text. */
#define SAME_CHILDREN_BODY                                                                   \
    "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":{\"b\":[1,{\"c\":" \
    "[true,{\"d\":\"e\"}]}]},\"list\":[[1,2],{\"x\":null}],\"s\":\"t\"},\"context\":{\"page\":"  \
    "{\"path\":\"/p\"}}}"

static segrecv_status same_children(const segrecv_event *ev, segrecv_reply *reply, void *ud)
{
    (void)reply;
    int *calls = ud;
    (*calls)++;
    const segrecv_value *p = ev->properties;
    assert_non_null(p);
    assert_ptr_equal(segrecv_value_get(ev->raw, "properties"), p);
    assert_ptr_equal(segrecv_value_get(ev->raw, "context"), ev->context);
    /* Each container is first read through a different accessor; every
     * later read, through any accessor, gives the same pointer. */
    const segrecv_value *a = segrecv_value_at(p, 0); /* at() first */
    assert_non_null(a);
    assert_ptr_equal(segrecv_value_at(p, 0), a);
    assert_ptr_equal(segrecv_value_get(p, "a"), a);
    assert_ptr_equal(segrecv_value_find(p, "A"), a);
    const char *key = segrecv_value_key_at(p, 1, NULL);
    assert_string_equal(key, "list");
    assert_ptr_equal(segrecv_value_key_at(p, 1, NULL), key);
    const segrecv_value *b = segrecv_value_path(p, "a.b"); /* path() first */
    assert_non_null(b);
    assert_ptr_equal(segrecv_value_path(p, "a.b"), b);
    assert_ptr_equal(segrecv_value_get(a, "b"), b);
    char buf[256];
    segrecv_value_to_json(b, buf, sizeof buf); /* to_json() first */
    assert_string_equal(buf, "[1,{\"c\":[true,{\"d\":\"e\"}]}]");
    const segrecv_value *b1 = segrecv_value_at(b, 1);
    assert_int_equal(segrecv_value_type_of(b1), SEGRECV_OBJECT);
    assert_ptr_equal(segrecv_value_at(b, 1), b1);
    assert_ptr_equal(segrecv_value_path(p, "a.b.1"), b1);
    const segrecv_value *c = segrecv_value_find(b1, "c"); /* find() first */
    const segrecv_value *d = segrecv_value_path(c, "1.d");
    assert_string_equal(segrecv_value_string(d, NULL), "e");
    assert_ptr_equal(segrecv_value_get(segrecv_value_at(c, 1), "d"), d);
    const segrecv_value *list = segrecv_value_get(p, "list"); /* get() first */
    const segrecv_value *x = segrecv_value_at(segrecv_value_at(list, 1), 0);
    assert_int_equal(segrecv_value_type_of(x), SEGRECV_NULL);
    assert_ptr_equal(segrecv_value_path(p, "list.1.x"), x);
    /* A whole walk and a whole serialisation in between change nothing. */
    assert_reads_as(ev->raw, SAME_CHILDREN_BODY, true);
    assert_reads_as(ev->raw, SAME_CHILDREN_BODY, false);
    assert_ptr_equal(segrecv_value_at(p, 0), a);
    assert_ptr_equal(segrecv_value_key_at(p, 1, NULL), key);
    assert_ptr_equal(segrecv_value_at(a, 0), b);
    assert_ptr_equal(segrecv_value_at(b, 1), b1);
    assert_ptr_equal(segrecv_value_at(b1, 0), c);
    assert_ptr_equal(segrecv_value_at(segrecv_value_at(c, 1), 0), d);
    assert_ptr_equal(segrecv_value_path(segrecv_value_at(p, 1), "1.x"), x);
    assert_ptr_equal(segrecv_value_path(ev->context, "page.path"),
                     segrecv_value_at(segrecv_value_at(ev->context, 0), 0));
    return SEGRECV_OK;
}

static void test_child_read_twice(void **state)
{
    (void)state;
    int calls = 0;
    segrecv_receiver *rcv = receiver_for(NULL, same_children, &calls);
    segrecv_response resp;
    for (size_t chunk = 0; chunk <= 5; chunk += 5) { /* at once, and in 5-byte pieces */
        send_body(rcv, SAME_CHILDREN_BODY, chunk, &resp);
        assert_int_equal(resp.http_status, 200);
    }
    assert_int_equal(calls, 2);
    segrecv_receiver_free(rcv);
}

/* A batch whose envelope context is merged into each event. */
#define ENV_LIBRARY "{\"name\":\"lib\",\"version\":\"1.0\"}"
#define ENV_PAGE "{\"path\":\"/env\",\"tags\":[\"a\",{\"b\":[1,2,{\"c\":null}]}]}"
#define ENV_DEVICE "{\"ids\":[[1],[2,[3]]],\"type\":\"ios\"}"
#define ENV_CONTEXT \
    "{\"library\":" ENV_LIBRARY ",\"page\":" ENV_PAGE ",\"device\":" ENV_DEVICE "}"

#define BATCH_EVENTS 5
static const char *const BATCH_EVENT[BATCH_EVENTS] = {
    "{\"type\":\"track\",\"userId\":\"u0\",\"event\":\"A\",\"context\":{\"ip\":\"1.1.1.1\","
    "\"page\":{\"path\":\"/own\"}}}",
    "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"k\":[1,{\"j\":2}]}}",
    "{\"type\":\"page\",\"userId\":\"u2\",\"name\":\"Home\",\"context\":{\"locale\":\"fr\","
    "\"device\":null}}",
    "{\"type\":\"track\",\"userId\":\"u3\",\"event\":\"B\",\"context\":{}}",
    "{\"type\":\"track\",\"userId\":\"u4\",\"event\":\"C\",\"context\":[]}",
};
/* The event's own keys first, then the envelope's it does not have. */
static const char *const BATCH_CONTEXT[BATCH_EVENTS] = {
    "{\"ip\":\"1.1.1.1\",\"page\":{\"path\":\"/own\"},\"library\":" ENV_LIBRARY
    ",\"device\":" ENV_DEVICE "}",
    ENV_CONTEXT,
    "{\"locale\":\"fr\",\"device\":null,\"library\":" ENV_LIBRARY ",\"page\":" ENV_PAGE "}",
    ENV_CONTEXT,
    ENV_CONTEXT,
};

typedef struct batch_seen {
    int calls;
    bool walk_first;
    /* Children of the envelope's containers, as each event reads them. */
    const segrecv_value *library_name[BATCH_EVENTS];
    const segrecv_value *page_c[BATCH_EVENTS];
    const segrecv_value *device_ids[BATCH_EVENTS];
} batch_seen;

static segrecv_status batch_context(const segrecv_event *ev, segrecv_reply *reply, void *ud)
{
    (void)reply;
    batch_seen *s = ud;
    int i = s->calls++;
    assert_true(i < BATCH_EVENTS);
    assert_non_null(ev->context);
    assert_reads_as(ev->context, BATCH_CONTEXT[i], s->walk_first);
    assert_reads_as(ev->context, BATCH_CONTEXT[i], !s->walk_first);
    assert_reads_as(ev->raw, BATCH_EVENT[i], s->walk_first); /* as received */
    s->library_name[i] = segrecv_value_at(segrecv_value_get(ev->context, "library"), 0);
    s->page_c[i] = segrecv_value_path(ev->context, "page.tags.1.b.2.c");
    s->device_ids[i] = segrecv_value_path(ev->context, "device.ids.1.1");
    return SEGRECV_OK;
}

static void test_batch_shared_context(void **state)
{
    (void)state;
    char body[2048];
    int n = snprintf(body, sizeof body, "{\"batch\":[%s,%s,%s,%s,%s],\"context\":%s}",
                     BATCH_EVENT[0], BATCH_EVENT[1], BATCH_EVENT[2], BATCH_EVENT[3],
                     BATCH_EVENT[4], ENV_CONTEXT);
    assert_true(n > 0 && (size_t)n < sizeof body);
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.flags = SEGRECV_OPT_BATCH;
    batch_seen s;
    segrecv_receiver *rcv = receiver_for(&o, batch_context, &s);
    /* Walk first or serialise first; the body at once, or in 3-byte
     * pieces (strings then get copied out of the chunks). */
    for (int round = 0; round < 4; round++) {
        memset(&s, 0, sizeof s);
        s.walk_first = round % 2 == 0;
        segrecv_response resp;
        send_body(rcv, body, round < 2 ? 0 : 3, &resp);
        if (resp.http_status != 200)
            fail_msg("round %d: HTTP %d %s", round, resp.http_status, resp.body);
        assert_int_equal(s.calls, BATCH_EVENTS);
        /* An envelope container copied into several events is laid out
         * once: every event reads the same children. */
        for (int i = 0; i < BATCH_EVENTS; i++) {
            assert_non_null(s.library_name[i]);
            assert_ptr_equal(s.library_name[i], s.library_name[1]);
            if (i != 0) /* event 0 has a page of its own */
                assert_ptr_equal(s.page_c[i], s.page_c[1]);
            if (i != 2) /* event 2's device is its own null */
                assert_ptr_equal(s.device_ids[i], s.device_ids[1]);
        }
        assert_non_null(s.page_c[1]);
        assert_non_null(s.device_ids[1]);
        assert_null(s.page_c[0]);
        assert_null(s.device_ids[2]);
    }
    segrecv_receiver_free(rcv);
}

/* Properties whose keys change at several depths, with unchanged parts. */
#define NORM_PROPERTIES                                                                      \
    "{\"First Name\":\"Ann\",\"Address\":{\"Postal Code\":\"94103\",\"lines\":[\"a\","       \
    "{\"Line2\":\"b\"}]},\"plain\":{\"a\":[1,{\"b\":2}]},\"userID\":7,\"items\":[{"          \
    "\"productId\":\"p1\",\"tags\":[\"x\"]},{\"productId\":\"p2\",\"tags\":[]}],"            \
    "\"Total Billed ($)\":12.50}"
#define NORM_ADDRESS_WANT "{\"postal_code\":\"94103\",\"lines\":[\"a\",{\"line2\":\"b\"}]}"
#define NORM_PROPERTIES_WANT                                                                 \
    "{\"first_name\":\"Ann\",\"address\":" NORM_ADDRESS_WANT ",\"plain\":{\"a\":[1,{\"b\":"  \
    "2}]},\"user_id\":7,\"items\":[{\"product_id\":\"p1\",\"tags\":[\"x\"]},{\"product_id\":" \
    "\"p2\",\"tags\":[]}],\"total_billed\":12.50}"
#define NORM_CONTEXT "{\"ip\":\"8.8.8.8\",\"page\":{\"path\":\"/p\",\"search\":\"\"}}"
#define NORM_BODY                                                                            \
    "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Viewed\",\"properties\":"              \
    NORM_PROPERTIES ",\"context\":" NORM_CONTEXT ",\"traits\":{\"lastName\":\"Lee\"}}"

static segrecv_status normalize_properties(const segrecv_event *ev, segrecv_reply *reply,
                                           void *ud)
{
    (void)reply;
    int *calls = ud;
    (*calls)++;
    const segrecv_value *p = ev->properties;
    /* A nested object first, before anything under it was read. */
    const segrecv_value *address = segrecv_value_get(p, "Address");
    const segrecv_value *out = NULL;
    size_t need = segrecv_value_normalize(address, NULL, 0, &out);
    assert_true(need > 0);
    assert_null(out);
    void *address_mem = malloc(need);
    assert_non_null(address_mem);
    assert_int_equal(segrecv_value_normalize(address, address_mem, need, &out), need);
    const segrecv_value *address_norm = out;
    assert_non_null(address_norm);
    assert_reads_as(address_norm, NORM_ADDRESS_WANT, true);
    /* Then the whole properties. */
    need = segrecv_value_normalize(p, NULL, 0, &out);
    assert_true(need > 0);
    void *mem = malloc(need);
    assert_non_null(mem);
    assert_int_equal(segrecv_value_normalize(p, mem, need, &out), need);
    const segrecv_value *norm = out;
    assert_non_null(norm);
    assert_reads_as(norm, NORM_PROPERTIES_WANT, false);
    /* The source keeps its keys, and the copies still read right after it
     * was read whole. */
    assert_reads_as(p, NORM_PROPERTIES, true);
    assert_reads_as(ev->raw, NORM_BODY, false);
    assert_reads_as(norm, NORM_PROPERTIES_WANT, true);
    assert_reads_as(address_norm, NORM_ADDRESS_WANT, false);
    /* Unchanged subtrees are shared with the source. */
    assert_ptr_equal(segrecv_value_at(segrecv_value_get(norm, "plain"), 0),
                     segrecv_value_at(segrecv_value_get(p, "plain"), 0));
    assert_ptr_equal(segrecv_value_path(norm, "items.0.tags.0"),
                     segrecv_value_path(p, "items.0.tags.0"));
    /* A changed object's members are new, but strings are borrowed. */
    assert_ptr_equal(segrecv_value_string(segrecv_value_path(norm, "address.lines.1.line2"), NULL),
                     segrecv_value_string(segrecv_value_path(p, "Address.lines.1.Line2"), NULL));
    /* The same copy in the request's memory. */
    const segrecv_value *in_request = NULL;
    assert_int_equal(segrecv_event_normalize(ev, p, &in_request), SEGRECV_OK);
    assert_non_null(in_request);
    assert_true(in_request != p);
    assert_reads_as(in_request, NORM_PROPERTIES_WANT, true);
    /* A tree with no key to change is given back as it is. */
    assert_int_equal(segrecv_event_normalize(ev, ev->context, &out), SEGRECV_OK);
    assert_ptr_equal(out, ev->context);
    assert_int_equal(segrecv_value_normalize(ev->context, NULL, 0, &out), 0);
    assert_ptr_equal(out, ev->context);
    assert_reads_as(ev->context, NORM_CONTEXT, false);
    free(mem);
    free(address_mem);
    return SEGRECV_OK;
}

static segrecv_status normalized_on_dispatch(const segrecv_event *ev, segrecv_reply *reply,
                                             void *ud)
{
    (void)reply;
    int *calls = ud;
    (*calls)++;
    assert_reads_as(ev->properties, NORM_PROPERTIES_WANT, *calls % 2 == 1);
    assert_reads_as(ev->traits, "{\"last_name\":\"Lee\"}", true);
    assert_reads_as(ev->context, NORM_CONTEXT, true); /* as received */
    assert_reads_as(segrecv_value_get(ev->raw, "properties"), NORM_PROPERTIES, false);
    assert_reads_as(ev->properties, NORM_PROPERTIES_WANT, *calls % 2 == 0);
    return SEGRECV_OK;
}

static void test_normalize_event_properties(void **state)
{
    (void)state;
    int calls = 0;
    segrecv_receiver *rcv = receiver_for(NULL, normalize_properties, &calls);
    segrecv_response resp;
    send_body(rcv, NORM_BODY, 0, &resp);
    assert_int_equal(resp.http_status, 200);
    send_body(rcv, NORM_BODY, 4, &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(calls, 2);
    segrecv_receiver_free(rcv);

    /* SEGRECV_OPT_NORMALIZE_KEYS: dispatched already normalised. */
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.flags = SEGRECV_OPT_NORMALIZE_KEYS;
    calls = 0;
    rcv = receiver_for(&o, normalized_on_dispatch, &calls);
    send_body(rcv, NORM_BODY, 0, &resp);
    assert_int_equal(resp.http_status, 200);
    send_body(rcv, NORM_BODY, 0, &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(calls, 2);
    segrecv_receiver_free(rcv);
}

/* Properties with `members` members (the default max_object_keys is 1000):
 * numbers, strings, nested arrays and objects, and one array of `items`
 * arrays. *values counts every value in it. */
static char *big_properties(size_t members, size_t items, size_t *values)
{
    walk w = {NULL, 0, 0, 0};
    char piece[128];
    *values = 1;
    walk_put(&w, "{", 1);
    for (size_t i = 0; i < members; i++) {
        int n = snprintf(piece, sizeof piece, "%s\"k%03zu\":", i ? "," : "", i);
        walk_put(&w, piece, (size_t)n);
        if (i == 1) {
            walk_put(&w, "[", 1);
            for (size_t j = 0; j < items; j++) {
                n = snprintf(piece, sizeof piece, "%s[%zu]", j ? "," : "", j);
                walk_put(&w, piece, (size_t)n);
            }
            walk_put(&w, "]", 1);
            *values += 1 + 2 * items;
            continue;
        }
        switch (i % 4) {
        case 0:
            n = snprintf(piece, sizeof piece, "%zu", i);
            *values += 1;
            break;
        case 1: /* [i,[i,[]],{"a":[i]}] */
            n = snprintf(piece, sizeof piece, "[%zu,[%zu,[]],{\"a\":[%zu]}]", i, i, i);
            *values += 8;
            break;
        case 2: /* {"n":[[i],[[i],null]]} */
            n = snprintf(piece, sizeof piece, "{\"n\":[[%zu],[[%zu],null]]}", i, i);
            *values += 8;
            break;
        default:
            n = snprintf(piece, sizeof piece, "\"s%zu\"", i);
            *values += 1;
            break;
        }
        walk_put(&w, piece, (size_t)n);
    }
    walk_put(&w, "}", 1);
    return w.text;
}

static char *track_with(const char *properties)
{
    const char *head = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Big\",\"properties\":";
    size_t n = strlen(head) + strlen(properties) + 2;
    char *body = malloc(n);
    assert_non_null(body);
    snprintf(body, n, "%s%s}", head, properties);
    return body;
}

typedef struct big_seen {
    int calls;
    const char *properties; /* the text sent */
    const char *body;
    size_t values;
} big_seen;

static segrecv_status walk_big(const segrecv_event *ev, segrecv_reply *reply, void *ud)
{
    (void)reply;
    big_seen *s = ud;
    s->calls++;
    const segrecv_value *p = ev->properties;
    assert_int_equal(segrecv_value_count(p), 1000);
    size_t values;
    char *text = walked(p, &values); /* the first read of everything under p */
    assert_string_equal(text, s->properties);
    assert_int_equal(values, s->values);
    free(text);
    assert_reads_as(p, s->properties, false);
    assert_reads_as(ev->raw, s->body, false);
    char key[8];
    for (size_t i = 0; i < 1000; i++) {
        const segrecv_value *v = segrecv_value_at(p, i);
        snprintf(key, sizeof key, "k%03zu", i);
        assert_string_equal(segrecv_value_key_at(p, i, NULL), key);
        assert_ptr_equal(segrecv_value_get(p, key), v);
        assert_ptr_equal(segrecv_value_at(p, i), v);
    }
    assert_null(segrecv_value_at(p, 1000));
    const segrecv_value *items = segrecv_value_get(p, "k001");
    assert_int_equal(segrecv_value_count(items), 1000);
    assert_string_equal(segrecv_value_number_text(segrecv_value_path(p, "k001.999.0"), NULL),
                        "999");
    assert_ptr_equal(segrecv_value_path(p, "k001.999"), segrecv_value_at(items, 999));
    assert_string_equal(segrecv_value_number_text(segrecv_value_path(p, "k998.n.1.0.0"), NULL),
                        "998");
    assert_string_equal(segrecv_value_string(segrecv_value_get(p, "k999"), NULL), "s999");
    return SEGRECV_OK;
}

static void test_thousand_members(void **state)
{
    (void)state;
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.limits.max_body_bytes = 1 << 20; /* room for the text; keys stay at the default */
    big_seen s = {0};
    segrecv_receiver *rcv = receiver_for(&o, walk_big, &s);
    assert_int_equal(segrecv_receiver_limits(rcv).max_object_keys, 1000);
    size_t values;
    char *properties = big_properties(1000, 1000, &values);
    char *body = track_with(properties);
    s.properties = properties;
    s.body = body;
    s.values = values;
    segrecv_response resp;
    send_body(rcv, body, 0, &resp);
    if (resp.http_status != 200)
        fail_msg("HTTP %d %s", resp.http_status, resp.body);
    send_body(rcv, body, 1000, &resp);
    assert_int_equal(resp.http_status, 200);
    assert_int_equal(s.calls, 2);
    free(body);
    free(properties);

    /* One more member, or one more element, is refused before dispatch. */
    properties = big_properties(1001, 1000, &values);
    body = track_with(properties);
    send_body(rcv, body, 0, &resp);
    assert_int_equal(resp.http_status, 400);
    assert_string_equal(resp.body,
                        "{\"message\":\"An object has more members than the limit allows\"}");
    free(body);
    free(properties);
    properties = big_properties(1000, 1001, &values);
    body = track_with(properties);
    send_body(rcv, body, 0, &resp);
    assert_int_equal(resp.http_status, 400);
    assert_string_equal(resp.body,
                        "{\"message\":\"An array has more elements than the limit allows\"}");
    free(body);
    free(properties);
    assert_int_equal(s.calls, 2);
    segrecv_receiver_free(rcv);
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

/* The fixed-form shortcut and the general reading agree on every day of
 * years at the edges of the calendar's cycles. */
static void test_fixed_form_timestamps_agree(void **state)
{
    (void)state;
    static const int years[] = {1, 2, 3, 4, 99, 100, 399, 400, 401, 1600, 1900, 1969, 1970,
                                2000, 2023, 2024, 2100, 2400, 9999};
    static const int days_in[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= days_in[m - 1]; d++) {
                char fixed[64], general[64];
                snprintf(fixed, sizeof fixed, "%04d-%02d-%02dT13:45:07.891Z", years[i], m, d);
                snprintf(general, sizeof general, "%04d-%02d-%02dT13:45:07.891+00:00", years[i],
                         m, d);
                int64_t a = 0, b = 0;
                bool fa = segrecv__parse_timestamp(fixed, strlen(fixed), &a);
                bool fb = segrecv__parse_timestamp(general, strlen(general), &b);
                if (fa != fb || a != b)
                    fail_msg("%s: %d %lld, general %d %lld", fixed, fa, (long long)a, fb,
                             (long long)b);
            }
        }
    }
}

/* Copies buf[0, len) between guard bytes and checks the copy is exact. */
static bool copy_says_plain(const unsigned char *buf, size_t len)
{
    unsigned char out[260];
    memset(out, 0xEE, sizeof out);
    bool plain = segrecv__copy_plain_text(out + 1, buf, len);
    if (memcmp(out + 1, buf, len) != 0 || out[0] != 0xEE || out[len + 1] != 0xEE)
        fail_msg("len %zu: the copy is not exact", len);
    return plain;
}

/* The copy whose gate lets plain ASCII bodies skip the UTF-8, white-space
 * and escape scans must see an odd byte wherever it sits (vector steps,
 * tails), and copy every byte. */
static void test_plain_text_sees_every_position(void **state)
{
    (void)state;
    unsigned char buf[200];
    static const unsigned char odd[] = {'\f', '\v', '\\', 0x80, 0xC3, 0xFF};
    for (size_t len = 0; len <= sizeof buf; len++) {
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (unsigned char)('a' + i % 26);
        assert_true(copy_says_plain(buf, len));
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof odd; k++) {
                buf[at] = odd[k];
                if (copy_says_plain(buf, len))
                    fail_msg("len %zu: byte 0x%02x at %zu not seen", len, odd[k], at);
            }
            buf[at] = (unsigned char)(at % 2 ? '\t' : '\n'); /* white space JSON allows */
            assert_true(copy_says_plain(buf, len));
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
        cmocka_unit_test(test_child_read_twice),
        cmocka_unit_test(test_batch_shared_context),
        cmocka_unit_test(test_normalize_event_properties),
        cmocka_unit_test(test_thousand_members),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_fixed_form_timestamps_agree),
        cmocka_unit_test(test_plain_text_sees_every_position),
        cmocka_unit_test(test_base64_is_strict),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_seed_identify),
        cmocka_unit_test(test_seed_formatting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
