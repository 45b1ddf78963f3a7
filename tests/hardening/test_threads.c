/* One receiver shared by 8 threads, 10,000 requests each through
 * segrecv_handle, valid and invalid mixed: every response must be the one
 * its request gets alone, and the counts of dispatched events and of each
 * status must be exact. Built plainly (counts) and, with SEGRECV_TSAN=ON,
 * under ThreadSanitizer (races). */
#include "support.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(shared_receiver)};
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
