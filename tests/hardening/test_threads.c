/* One receiver shared by 8 threads, 10,000 requests each through
 * segrecv_handle, valid and invalid mixed: every response must be the one
 * its request gets alone, and the counts of dispatched events and of each
 * status must be exact. And one event read by 4 threads at once from its
 * callback: its containers are laid out lazily, on first read, and every
 * thread must see the same text and the same child pointers. Built plainly
 * (counts) and, with SEGRECV_TSAN=ON, under ThreadSanitizer (races). */
#include "support.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define THREADS 8
#define PER_THREAD 10000

#define JSON_HEADERS GOOD_HEADERS
#define FORBIDDEN_KEY "Authorization: Basic ZnJvemVuOg==\r\n\r\n" /* "frozen:" */

typedef struct kind {
    const char *name;
    const char *headers;
    const char *body;
    int http;
    const char *body_text; /* the exact response body */
    int dispatched_as;     /* segrecv_type the callback sees, or -1 */
} kind;

static const kind KINDS[] = {
    {"track", JSON_HEADERS, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\"}", 200,
     "", SEGRECV_TRACK},
    {"identify", JSON_HEADERS, "{\"type\":\"identify\",\"userId\":\"u2\",\"traits\":{\"a\":1}}",
     200, "", SEGRECV_IDENTIFY},
    {"page, callback asks for a retry", JSON_HEADERS,
     "{\"type\":\"page\",\"anonymousId\":\"a1\",\"name\":\"retry\"}", 503,
     "{\"message\":\"Temporarily unavailable; retry later\"}", SEGRECV_PAGE},
    {"group, callback rejects", JSON_HEADERS,
     "{\"type\":\"group\",\"userId\":\"u3\",\"groupId\":\"g1\"}", 400,
     "{\"message\":\"Missing email address\"}", SEGRECV_GROUP},
    {"invalid JSON", JSON_HEADERS, "{\"type\":\"track\",", 400,
     "{\"message\":\"Invalid JSON: premature EOF\"}", -1},
    {"unknown key", "Authorization: Basic b3RoZXI6\r\n\r\n", "{}", 401,
     "{\"message\":\"Invalid API key\"}", -1},
    {"forbidden key", FORBIDDEN_KEY, "{}", 403, "{\"message\":\"Key frozen\"}", -1},
    {"unknown type", JSON_HEADERS, "{\"type\":\"tracks\",\"userId\":\"u1\"}", 501,
     "{\"message\":\"Unsupported call type 'tracks'\"}", -1},
    {"missing event", JSON_HEADERS, "{\"type\":\"track\",\"userId\":\"u1\"}", 400,
     "{\"message\":\"Missing required field 'event' for track\"}", -1},
};
#define KIND_COUNT (sizeof KINDS / sizeof KINDS[0])

static atomic_long dispatched[SEGRECV_TYPE_COUNT];

static segrecv_status on_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)user_data;
    atomic_fetch_add(&dispatched[ev->type], 1);
    if (ev->type == SEGRECV_PAGE && ev->name.ptr && strcmp(ev->name.ptr, "retry") == 0)
        return SEGRECV_UNAVAILABLE;
    if (ev->type == SEGRECV_GROUP) {
        reply->message = "Missing email address";
        return SEGRECV_BAD_REQUEST;
    }
    return SEGRECV_OK;
}

static segrecv_status on_key(const char *key, size_t len, segrecv_reply *reply, void *user_data)
{
    (void)user_data;
    if (len == 6 && memcmp(key, "frozen", 6) == 0) {
        reply->message = "Key frozen";
        return SEGRECV_FORBIDDEN;
    }
    return SEGRECV_UNAUTHORIZED;
}

/* Which kind request i of thread t sends: all kinds, in a different order
 * on every thread. */
static size_t kind_of(int t, int i)
{
    return ((size_t)i * 7 + (size_t)t * 3) % KIND_COUNT;
}

typedef struct worker {
    segrecv_receiver *rcv;
    int t;
    long per_kind[KIND_COUNT];
    long per_http[600]; /* by the status each response actually had */
    long wrong; /* responses that differ from the kind's expected one */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    segrecv_response res;
    for (int i = 0; i < PER_THREAD; i++) {
        const kind *k = &KINDS[kind_of(w->t, i)];
        segrecv_handle(w->rcv, k->headers, strlen(k->headers), k->body, strlen(k->body), &res);
        w->per_kind[kind_of(w->t, i)]++;
        w->per_http[res.http_status >= 0 && res.http_status < 600 ? res.http_status : 0]++;
        if (res.http_status != k->http || strcmp(res.body, k->body_text) != 0) {
            if (w->wrong++ == 0)
                fprintf(stderr, "%s: got %d %s\n", k->name, res.http_status, res.body);
        }
    }
    return NULL;
}

static void shared_receiver(void **state)
{
    (void)state;
    segrecv_receiver *rcv = segrecv_receiver_new(NULL);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, API_KEY, strlen(API_KEY)), SEGRECV_OK);
    assert_int_equal(segrecv_on_any(rcv, on_event, NULL), SEGRECV_OK);
    assert_int_equal(segrecv_set_key_check(rcv, on_key, NULL), SEGRECV_OK);
    for (int i = 0; i < SEGRECV_TYPE_COUNT; i++)
        atomic_init(&dispatched[i], 0);

    worker workers[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        memset(&workers[t], 0, sizeof workers[t]);
        workers[t].rcv = rcv;
        workers[t].t = t;
        assert_int_equal(pthread_create(&threads[t], NULL, work, &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(threads[t], NULL), 0);
    segrecv_receiver_free(rcv);

    /* Expected counts, from the schedule alone. */
    long want_kind[KIND_COUNT] = {0}, want_type[SEGRECV_TYPE_COUNT] = {0};
    long want_http[600] = {0}, got_http[600] = {0};
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < PER_THREAD; i++)
            want_kind[kind_of(t, i)]++;
    long wrong = 0, total = 0;
    for (size_t k = 0; k < KIND_COUNT; k++) {
        long got = 0;
        for (int t = 0; t < THREADS; t++)
            got += workers[t].per_kind[k];
        assert_int_equal(got, want_kind[k]);
        want_http[KINDS[k].http] += want_kind[k];
        if (KINDS[k].dispatched_as >= 0)
            want_type[KINDS[k].dispatched_as] += want_kind[k];
        total += got;
    }
    for (int t = 0; t < THREADS; t++) {
        wrong += workers[t].wrong;
        for (int h = 0; h < 600; h++)
            got_http[h] += workers[t].per_http[h];
    }
    assert_int_equal(total, (long)THREADS * PER_THREAD);
    for (int h = 0; h < 600; h++)
        if (got_http[h] != want_http[h])
            fail_msg("HTTP %d: %ld responses, want %ld", h, got_http[h], want_http[h]);
    assert_int_equal(wrong, 0); /* and each body was the kind's own */
    for (int type = 0; type < SEGRECV_TYPE_COUNT; type++)
        assert_int_equal(atomic_load(&dispatched[type]), want_type[type]);
    assert_true(want_http[200] > 0 && want_http[503] > 0 && want_type[SEGRECV_TRACK] > 0);
}

/* ---- one event, read by 4 threads at once -------------------------------- */

#define READERS 4
#define ROUNDS 100
#define ROOTS 4         /* raw, properties, context, traits */
#define TEXT_CAP 2048
#define SEEN_CAP 256    /* child pointers met in one root, depth first */

/* A track event whose properties, context and traits nest objects and
 * arrays several levels deep; written compactly, so that it is its own
 * segrecv_value_to_json() text. No string needs escaping. */
#define NESTED_PROPERTIES                                                                   \
    "{\"orderId\":\"o-1\",\"total\":27.50,\"coupon\":null,\"products\":[{\"sku\":\"A\","    \
    "\"price\":1.5,\"tags\":[\"x\",\"y\"],\"dims\":{\"w\":1,\"h\":[2,3,{\"d\":4}]}},"       \
    "{\"sku\":\"B\",\"price\":2,\"tags\":[],\"dims\":{}},null],"                            \
    "\"flags\":[true,false,[[],[{}]]]}"
#define NESTED_CONTEXT                                                                      \
    "{\"ip\":\"8.8.8.8\",\"library\":{\"name\":\"analytics.js\",\"version\":\"2.11.1\"},"   \
    "\"page\":{\"path\":\"/a/b\",\"referrer\":\"\",\"tags\":[{\"k\":\"v\"},[1,[2,[3]]]]},"  \
    "\"traits\":{\"email\":\"a@b.c\",\"address\":{\"city\":\"Paris\",\"lines\":[\"1 rue\","  \
    "\"\"]}}}"
#define NESTED_TRAITS                                                                       \
    "{\"plan\":\"pro\",\"nested\":{\"a\":{\"b\":{\"c\":[1,2,{\"d\":[]}]}}},"                \
    "\"list\":[[],{},[null]],\"n\":-0.0e+5}"
#define NESTED_EVENT                                                                        \
    "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Order Completed\","                 \
    "\"messageId\":\"m-1\",\"properties\":" NESTED_PROPERTIES ",\"context\":" NESTED_CONTEXT \
    ",\"traits\":" NESTED_TRAITS ",\"timestamp\":\"2015-02-23T22:28:55.111Z\"}"

static const char *const NESTED_WANT[ROOTS] = {NESTED_EVENT, NESTED_PROPERTIES, NESTED_CONTEXT,
                                               NESTED_TRAITS};

/* What one thread read of one root. */
typedef struct root_reading {
    char walked[TEXT_CAP]; /* rebuilt through segrecv_value_at / segrecv_value_key_at */
    char json[TEXT_CAP];   /* segrecv_value_to_json */
    const segrecv_value *seen[SEEN_CAP];
    size_t seen_len;
    size_t json_len;
    const char *problem; /* NULL, or what the walk found wrong */
} root_reading;

typedef struct reading {
    root_reading roots[ROOTS];
} reading;

typedef struct walker {
    root_reading *r;
    size_t len;
} walker;

static void put(walker *w, const char *s, size_t n)
{
    if (w->len + n >= TEXT_CAP) {
        w->r->problem = "text longer than the buffer";
        return;
    }
    memcpy(w->r->walked + w->len, s, n);
    w->len += n;
    w->r->walked[w->len] = '\0';
}

static void put_quoted(walker *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"' || s[i] == '\\' || (unsigned char)s[i] < 0x20)
            w->r->problem = "a string that needs escaping";
    put(w, "\"", 1);
    put(w, s, n);
    put(w, "\"", 1);
}

/* Compact JSON rebuilt from the accessors alone; every child pointer met,
 * in document order, goes to r->seen. */
static void walk(walker *w, const segrecv_value *v)
{
    size_t len = 0;
    const char *s;
    switch (segrecv_value_type_of(v)) {
    case SEGRECV_NULL:
        put(w, "null", 4);
        return;
    case SEGRECV_BOOL:
        if (segrecv_value_bool(v))
            put(w, "true", 4);
        else
            put(w, "false", 5);
        return;
    case SEGRECV_NUMBER:
        s = segrecv_value_number_text(v, &len);
        put(w, s, len);
        return;
    case SEGRECV_STRING:
        s = segrecv_value_string(v, &len);
        put_quoted(w, s, len);
        return;
    case SEGRECV_ARRAY:
    case SEGRECV_OBJECT:
        break;
    default:
        w->r->problem = "a value of no type";
        return;
    }
    bool object = segrecv_value_type_of(v) == SEGRECV_OBJECT;
    size_t n = segrecv_value_count(v);
    put(w, object ? "{" : "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(w, ",", 1);
        if (object) {
            s = segrecv_value_key_at(v, i, &len);
            if (!s) {
                w->r->problem = "a member without a key";
                return;
            }
            put_quoted(w, s, len);
            put(w, ":", 1);
        }
        const segrecv_value *child = segrecv_value_at(v, i);
        if (!child) {
            w->r->problem = "a missing child";
            return;
        }
        if (w->r->seen_len == SEEN_CAP) {
            w->r->problem = "more children than SEEN_CAP";
            return;
        }
        w->r->seen[w->r->seen_len++] = child;
        walk(w, child);
    }
    if (segrecv_value_at(v, n) || (object && segrecv_value_key_at(v, n, NULL)))
        w->r->problem = "a child past the end";
    put(w, object ? "}" : "]", 1);
}

static void read_root(root_reading *r, const segrecv_value *v, bool json_first)
{
    walker w = {r, 0};
    r->walked[0] = '\0';
    r->seen_len = 0;
    r->problem = v ? NULL : "an absent root";
    if (json_first)
        r->json_len = segrecv_value_to_json(v, r->json, sizeof r->json);
    walk(&w, v);
    if (!json_first)
        r->json_len = segrecv_value_to_json(v, r->json, sizeof r->json);
}

static void roots_of(const segrecv_event *ev, const segrecv_value *roots[ROOTS])
{
    roots[0] = ev->raw;
    roots[1] = ev->properties;
    roots[2] = ev->context;
    roots[3] = ev->traits;
}

typedef struct reader {
    pthread_barrier_t *start;
    const segrecv_event *ev;
    int index;
    reading out;
} reader;

/* All readers leave the barrier together; each starts at another root, and
 * half of them serialise before walking, so that both paths race to lay
 * out the same containers. */
static void *read_event(void *arg)
{
    reader *r = arg;
    const segrecv_value *roots[ROOTS];
    roots_of(r->ev, roots);
    pthread_barrier_wait(r->start);
    for (int k = 0; k < ROOTS; k++) {
        int j = (k + r->index) % ROOTS;
        read_root(&r->out.roots[j], roots[j], r->index % 2 == 1);
    }
    return NULL;
}

typedef struct shared_check {
    int calls;
    char problem[512]; /* the first difference found; "" when none */
    reader readers[READERS];
    reading single;
} shared_check;

static void report(shared_check *c, const char *fmt, ...)
{
    if (c->problem[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->problem, sizeof c->problem, fmt, ap);
    va_end(ap);
}

static const char *const ROOT_NAMES[ROOTS] = {"raw", "properties", "context", "traits"};

/* One reading against the expected text and against the single-threaded
 * reading (text and pointers). */
static void compare_reading(shared_check *c, const char *who, const reading *got)
{
    for (int j = 0; j < ROOTS; j++) {
        const root_reading *g = &got->roots[j], *s = &c->single.roots[j];
        const char *want = NESTED_WANT[j];
        if (g->problem)
            report(c, "%s, %s: %s", who, ROOT_NAMES[j], g->problem);
        else if (strcmp(g->json, want) != 0 || g->json_len != strlen(want))
            report(c, "%s, %s: to_json gave %s (%zu bytes), want %s", who, ROOT_NAMES[j],
                   g->json, g->json_len, want);
        else if (strcmp(g->walked, want) != 0)
            report(c, "%s, %s: the walk gave %s, want %s", who, ROOT_NAMES[j], g->walked, want);
        else if (g->seen_len != s->seen_len)
            report(c, "%s, %s: %zu children, single-threaded %zu", who, ROOT_NAMES[j],
                   g->seen_len, s->seen_len);
        else
            for (size_t i = 0; i < g->seen_len; i++)
                if (g->seen[i] != s->seen[i]) {
                    report(c, "%s, %s: child %zu of the walk is %p, single-threaded %p", who,
                           ROOT_NAMES[j], i, (const void *)g->seen[i],
                           (const void *)s->seen[i]);
                    break;
                }
    }
}

static segrecv_status on_shared_event(const segrecv_event *ev, segrecv_reply *reply,
                                      void *user_data)
{
    (void)reply;
    shared_check *c = user_data;
    c->calls++;
    pthread_barrier_t start;
    if (pthread_barrier_init(&start, NULL, READERS) != 0) {
        report(c, "pthread_barrier_init failed");
        return SEGRECV_FAILED;
    }
    pthread_t threads[READERS];
    int started = 0;
    for (int t = 0; t < READERS; t++) {
        reader *r = &c->readers[t];
        memset(r, 0, sizeof *r);
        r->start = &start;
        r->ev = ev;
        r->index = t;
        if (pthread_create(&threads[t], NULL, read_event, r) != 0)
            break;
        started++;
    }
    if (started < READERS) {
        /* The barrier would never open: nothing can be checked. */
        fprintf(stderr, "pthread_create failed after %d readers\n", started);
        abort();
    }
    for (int t = 0; t < READERS; t++)
        pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&start);

    /* The same walk on this thread alone, now that the readers are done. */
    const segrecv_value *roots[ROOTS];
    roots_of(ev, roots);
    for (int j = 0; j < ROOTS; j++)
        read_root(&c->single.roots[j], roots[j], false);
    char who[32];
    for (int t = 0; t < READERS; t++) {
        snprintf(who, sizeof who, "reader %d", t);
        compare_reading(c, who, &c->readers[t].out);
    }
    compare_reading(c, "single-threaded", &c->single);
    /* The keyed lookups return the children's pointers too. */
    const segrecv_value *h = segrecv_value_at(
        segrecv_value_at(segrecv_value_at(segrecv_value_at(ev->properties, 3), 0), 3), 1);
    if (segrecv_value_get(ev->raw, "properties") != ev->properties ||
        segrecv_value_path(ev->properties, "products.0.dims.h") != h ||
        segrecv_value_path(ev->properties, "products.0.dims.h.2.d") !=
            segrecv_value_at(segrecv_value_at(h, 2), 0))
        report(c, "segrecv_value_get / segrecv_value_path return other pointers than at()");
    return c->problem[0] ? SEGRECV_FAILED : SEGRECV_OK;
}

static void shared_event(void **state)
{
    (void)state;
    segrecv_receiver *rcv = segrecv_receiver_new(NULL);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, API_KEY, strlen(API_KEY)), SEGRECV_OK);
    static shared_check check; /* large: keep it off the stack */
    memset(&check, 0, sizeof check);
    assert_int_equal(segrecv_on(rcv, SEGRECV_TRACK, on_shared_event, &check), SEGRECV_OK);
    /* Each round is a new request: its containers start out not laid out. */
    for (int round = 0; round < ROUNDS; round++) {
        segrecv_response res;
        segrecv_handle(rcv, JSON_HEADERS, strlen(JSON_HEADERS), NESTED_EVENT,
                       strlen(NESTED_EVENT), &res);
        if (check.problem[0])
            fail_msg("round %d: %s", round, check.problem);
        assert_int_equal(res.http_status, 200);
        assert_int_equal(check.calls, round + 1);
    }
    segrecv_receiver_free(rcv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(shared_receiver),
                                       cmocka_unit_test(shared_event)};
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
