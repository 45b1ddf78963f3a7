/* Every real Segment payload in tests/data/segment: the valid ones dispatch
 * to the right callback with the right fields (checked against yajl_tree's
 * independent reading of the file); the others are refused, each for the
 * reason listed here. */
#include "support.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define CORPUS SEGRECV_TEST_DATA "/segment"

typedef struct refusal {
    const char *file;
    int http;
    const char *message;
    int lenient_http; /* with SEGRECV_OPT_LENIENT_TIMESTAMPS */
} refusal;

#define NOT_ISO "Field 'sent_at' is not an ISO-8601 timestamp"
#define NO_TYPE "Missing required field 'type'"
static const refusal REFUSED[] = {
    /* PredictionIO's tests put the placeholder "sendAt" in sent_at. */
    {"alias-predictionio-snake-1.json", 400, NOT_ISO, 200},
    {"group-predictionio-snake-1.json", 400, NOT_ISO, 200},
    {"identify-predictionio-snake-1.json", 400, NOT_ISO, 200},
    {"page-predictionio-snake-1.json", 400, NOT_ISO, 200},
    {"screen-predictionio-snake-1.json", 400, NOT_ISO, 200},
    {"track-predictionio-snake-1.json", 400, NOT_ISO, 200},
    /* The Webhooks doc spells the keys "Previous ID" and "User ID". */
    {"alias-segment-docs-webhooks-v1.json", 400, "Missing required field 'previous_id' for alias",
     400},
    /* Tracking API inputs, not partner bodies: batch envelopes and a typeless call. */
    {"batch-analytics-go-identify.json", 400, NO_TYPE, 400},
    {"batch-analytics-go-integrations-track.json", 400, NO_TYPE, 400},
    {"batch-segment-docs-http-api.json", 400, NO_TYPE, 400},
    {"identify-segment-docs-http-api.json", 400, NO_TYPE, 400},
    /* Doc examples that carry no user or anonymous id. */
    {"screen-segment-docs-1.json", 400,
     "Missing identity: one of 'user_id' or 'anonymous_id' is required for screen", 400},
    {"screen-segment-docs-msg91.json", 400,
     "Missing identity: one of 'user_id' or 'anonymous_id' is required for screen", 400},
    /* The negative cases. */
    {"invalid-empty-object-direct-integration-go.json", 400, NO_TYPE, 400},
    {"invalid-missing-type-predictionio.json", 400, NO_TYPE, 400},
    {"invalid-type-direct-integration-go.json", 501, "Unsupported call type 'tracks'", 501},
    {"invalid-type-predictionio.json", 501, "Unsupported call type 'invalid_type'", 501},
};

static const refusal *refusal_for(const char *file)
{
    for (size_t i = 0; i < sizeof REFUSED / sizeof REFUSED[0]; i++)
        if (strcmp(REFUSED[i].file, file) == 0)
            return &REFUSED[i];
    return NULL;
}

/* yajl_tree's reading of a value, written back with yajl_gen: numbers keep
 * their text, so this must equal segrecv_value_to_json's output. */
static void gen_tree(yajl_gen g, yajl_val v)
{
    if (YAJL_IS_OBJECT(v)) {
        yajl_gen_map_open(g);
        for (size_t i = 0; i < v->u.object.len; i++) {
            const char *k = v->u.object.keys[i];
            yajl_gen_string(g, (const unsigned char *)k, strlen(k));
            gen_tree(g, v->u.object.values[i]);
        }
        yajl_gen_map_close(g);
    } else if (YAJL_IS_ARRAY(v)) {
        yajl_gen_array_open(g);
        for (size_t i = 0; i < v->u.array.len; i++)
            gen_tree(g, v->u.array.values[i]);
        yajl_gen_array_close(g);
    } else if (YAJL_IS_STRING(v)) {
        yajl_gen_string(g, (const unsigned char *)v->u.string, strlen(v->u.string));
    } else if (YAJL_IS_NUMBER(v)) {
        yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
    } else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
        yajl_gen_bool(g, YAJL_IS_TRUE(v));
    } else {
        yajl_gen_null(g);
    }
}

static char *tree_json(yajl_val v)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    gen_tree(g, v);
    const unsigned char *buf;
    size_t len;
    yajl_gen_get_buf(g, &buf, &len);
    char *out = strndup((const char *)buf, len);
    yajl_gen_free(g);
    return out;
}

static yajl_val member(yajl_val obj, const char *camel, const char *snake)
{
    const char *p1[] = {camel, NULL}, *p2[] = {snake, NULL};
    yajl_val v = yajl_tree_get(obj, p1, yajl_t_any);
    return v ? v : yajl_tree_get(obj, p2, yajl_t_any);
}

/* The id or string the event should hold for a field, or NULL if absent. */
static const char *expected_text(yajl_val obj, const char *camel, const char *snake)
{
    yajl_val v = member(obj, camel, snake);
    if (!v || YAJL_IS_NULL(v))
        return NULL;
    if (YAJL_IS_NUMBER(v))
        return v->u.number.r;
    return YAJL_IS_STRING(v) ? v->u.string : "(not a string)";
}

static void check_str(const char *file, const char *field, segrecv_str got, const char *want)
{
    if (!want && !got.ptr)
        return;
    if (!want || !got.ptr || strcmp(want, got.ptr) != 0 || strlen(got.ptr) != got.len)
        fail_msg("%s: field %s is '%s', expected '%s'", file, field, got.ptr ? got.ptr : "(absent)",
                 want ? want : "(absent)");
}

static void check_object(const char *file, const char *field, const segrecv_value *got,
                         yajl_val want)
{
    bool want_object = want && YAJL_IS_OBJECT(want);
    if (!want_object) {
        if (got)
            fail_msg("%s: %s should be absent", file, field);
        return;
    }
    if (!got)
        fail_msg("%s: %s missing", file, field);
    char *expected = tree_json(want);
    size_t need = segrecv_value_to_json(got, NULL, 0);
    char *actual = malloc(need + 1);
    segrecv_value_to_json(got, actual, need + 1);
    if (strcmp(expected, actual) != 0)
        fail_msg("%s: %s differs:\n %s\n %s", file, field, actual, expected);
    free(expected);
    free(actual);
}

typedef struct corpus_check {
    const char *file;
    yajl_val tree;
    int calls;
} corpus_check;

static segrecv_status check_event(const segrecv_event *ev, segrecv_reply *reply, void *ud)
{
    (void)reply;
    corpus_check *c = ud;
    c->calls++;
    const char *f = c->file;
    size_t type_len = strcspn(f, "-");
    if (strlen(segrecv_type_name(ev->type)) != type_len ||
        strncmp(segrecv_type_name(ev->type), f, type_len) != 0)
        fail_msg("%s dispatched as %s", f, segrecv_type_name(ev->type));
    yajl_val t = c->tree;
    check_str(f, "user_id", ev->user_id, expected_text(t, "userId", "user_id"));
    check_str(f, "anonymous_id", ev->anonymous_id, expected_text(t, "anonymousId", "anonymous_id"));
    check_str(f, "message_id", ev->message_id, expected_text(t, "messageId", "message_id"));
    check_str(f, "group_id", ev->group_id, expected_text(t, "groupId", "group_id"));
    check_str(f, "previous_id", ev->previous_id, expected_text(t, "previousId", "previous_id"));
    check_str(f, "event", ev->event, expected_text(t, "event", "event"));
    check_str(f, "name", ev->name, expected_text(t, "name", "name"));
    check_str(f, "category", ev->category, expected_text(t, "category", "category"));
    check_str(f, "channel", ev->channel, expected_text(t, "channel", "channel"));
    check_str(f, "version", ev->version, expected_text(t, "version", "version"));
    check_str(f, "timestamp", ev->timestamp.text, expected_text(t, "timestamp", "timestamp"));
    check_str(f, "sent_at", ev->sent_at.text, expected_text(t, "sentAt", "sent_at"));
    check_str(f, "received_at", ev->received_at.text, expected_text(t, "receivedAt", "received_at"));
    check_str(f, "original_timestamp", ev->original_timestamp.text,
              expected_text(t, "originalTimestamp", "original_timestamp"));
    if (ev->timestamp.text.ptr && !ev->timestamp.parsed)
        fail_msg("%s: timestamp not parsed", f);
    check_object(f, "context", ev->context, member(t, "context", "context"));
    check_object(f, "integrations", ev->integrations, member(t, "integrations", "integrations"));
    check_object(f, "traits", ev->traits, member(t, "traits", "traits"));
    check_object(f, "properties", ev->properties, member(t, "properties", "properties"));
    assert_string_equal(ev->api_key.ptr, "segment");
    return SEGRECV_OK;
}

static segrecv_receiver *corpus_receiver(corpus_check *c, unsigned flags)
{
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.flags = flags;
    segrecv_receiver *rcv = segrecv_receiver_new(&opt);
    segrecv_add_api_key(rcv, "segment", 7);
    segrecv_on_any(rcv, check_event, c);
    return rcv;
}

static void test_corpus(void **state)
{
    (void)state;
    DIR *dir = opendir(CORPUS);
    assert_non_null(dir);
    corpus_check c;
    segrecv_receiver *strict = corpus_receiver(&c, 0);
    segrecv_receiver *lenient = corpus_receiver(&c, SEGRECV_OPT_LENIENT_TIMESTAMPS);
    int files = 0, dispatched = 0, refused = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (!strstr(de->d_name, ".json"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", CORPUS, de->d_name);
        size_t len;
        char *body = read_file(path, &len);
        assert_non_null(body);
        char err[256];
        c.file = de->d_name;
        c.tree = yajl_tree_parse(body, err, sizeof err);
        assert_non_null(c.tree);
        files++;
        const refusal *r = refusal_for(de->d_name);
        segrecv_response resp;
        c.calls = 0;
        segrecv_handle(strict, JSON_HEADERS, strlen(JSON_HEADERS), body, len, &resp);
        if (r) {
            char want[512];
            snprintf(want, sizeof want, "{\"message\":\"%s\"}", r->message);
            if (resp.http_status != r->http || strcmp(resp.body, want) != 0 || c.calls != 0)
                fail_msg("%s: got %d %s", de->d_name, resp.http_status, resp.body);
            c.calls = 0;
            segrecv_response lenient_resp;
            segrecv_handle(lenient, JSON_HEADERS, strlen(JSON_HEADERS), body, len, &lenient_resp);
            assert_int_equal(lenient_resp.http_status, r->lenient_http);
            assert_int_equal(c.calls, r->lenient_http == 200);
            refused++;
        } else {
            if (resp.http_status != 200 || c.calls != 1)
                fail_msg("%s: got %d %s", de->d_name, resp.http_status, resp.body);
            dispatched++;
        }
        /* The same through the streaming API, cut at every byte. */
        for (size_t split = 0; split <= len; split += 1) {
            segrecv_request *req = segrecv_request_new(strict);
            c.calls = 0;
            segrecv_request_headers(req, JSON_HEADERS, strlen(JSON_HEADERS));
            segrecv_request_body(req, body, split);
            segrecv_request_body(req, body + split, len - split);
            segrecv_response streamed;
            segrecv_request_finish(req, &streamed);
            segrecv_request_free(req);
            if (streamed.http_status != resp.http_status || strcmp(streamed.body, resp.body) != 0)
                fail_msg("%s split at %zu: %d %s", de->d_name, split, streamed.http_status,
                         streamed.body);
        }
        yajl_tree_free(c.tree);
        free(body);
    }
    closedir(dir);
    print_message("corpus: %d files, %d dispatched, %d refused as listed\n", files, dispatched,
                  refused);
    assert_int_equal(files, 75);
    assert_int_equal(refused, (int)(sizeof REFUSED / sizeof REFUSED[0]));
    segrecv_receiver_free(strict);
    segrecv_receiver_free(lenient);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
