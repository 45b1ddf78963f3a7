#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

static segrecv_status record(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    recorder *rec = user_data;
    rec->calls++;
    rec->last_type = ev->type;
    size_t n = segrecv_event_to_json(ev, rec->last_json, sizeof rec->last_json);
    assert_true(n < sizeof rec->last_json);
    snprintf(rec->last_api_key, sizeof rec->last_api_key, "%s", ev->api_key.ptr);
    reply->message = rec->answer_message;
    return rec->answer;
}

segrecv_receiver *test_receiver(recorder *rec, const segrecv_options *options)
{
    memset(rec, 0, sizeof *rec);
    rec->answer = SEGRECV_OK;
    segrecv_receiver *rcv = segrecv_receiver_new(options);
    assert_non_null(rcv);
    assert_int_equal(segrecv_add_api_key(rcv, "segment", 7), SEGRECV_OK);
    for (int t = 0; t < SEGRECV_TYPE_COUNT; t++)
        assert_int_equal(segrecv_on(rcv, (segrecv_type)t, record, rec), SEGRECV_OK);
    return rcv;
}

static void begin(recorder *rec)
{
    rec->calls = 0;
    rec->last_json[0] = '\0';
}

static void fill(const segrecv_response *resp, const recorder *rec, outcome *out)
{
    out->http = resp->http_status;
    out->status = resp->status;
    memcpy(out->body, resp->body, sizeof out->body);
    out->content_type = resp->content_type;
    assert_int_equal(strlen(resp->body), resp->body_len);
    assert_int_equal(out->http, segrecv_status_http(out->status));
    out->calls = rec->calls;
    snprintf(out->event_json, sizeof out->event_json, "%s", rec->calls ? rec->last_json : "");
}

void run_oneshot(segrecv_receiver *rcv, recorder *rec, const char *headers, const char *body,
                 size_t body_len, outcome *out)
{
    begin(rec);
    segrecv_response resp;
    segrecv_status st = segrecv_handle(rcv, headers, strlen(headers), body, body_len, &resp);
    assert_int_equal(st, resp.status);
    fill(&resp, rec, out);
}

static void feed_pieces(segrecv_request *r, const char *body, size_t len, size_t chunk)
{
    size_t off = 0;
    while (off < len) {
        size_t n = chunk && len - off > chunk ? chunk : len - off;
        if (segrecv_request_body(r, body + off, n) != SEGRECV_OK)
            return; /* decided: the rest need not be read */
        off += n;
    }
}

void run_streamed(segrecv_receiver *rcv, recorder *rec, const char *headers, const char *body,
                  size_t body_len, size_t chunk, outcome *out)
{
    begin(rec);
    segrecv_request *r = segrecv_request_new(rcv);
    assert_non_null(r);
    if (segrecv_request_headers(r, headers, strlen(headers)) == SEGRECV_OK)
        feed_pieces(r, body, body_len, chunk);
    segrecv_response resp;
    segrecv_status st = segrecv_request_finish(r, &resp);
    assert_int_equal(st, resp.status);
    fill(&resp, rec, out);
    segrecv_request_free(r);
}

void run_split(segrecv_receiver *rcv, recorder *rec, const char *headers, const char *body,
               size_t body_len, size_t split, outcome *out)
{
    begin(rec);
    segrecv_request *r = segrecv_request_new(rcv);
    assert_non_null(r);
    if (segrecv_request_headers(r, headers, strlen(headers)) == SEGRECV_OK &&
        segrecv_request_body(r, body, split) == SEGRECV_OK)
        segrecv_request_body(r, body + split, body_len - split);
    segrecv_response resp;
    segrecv_request_finish(r, &resp);
    fill(&resp, rec, out);
    segrecv_request_free(r);
}

void assert_same_outcome(const outcome *want, const outcome *got, const char *how)
{
    if (want->http != got->http || strcmp(want->body, got->body) != 0 ||
        want->calls != got->calls || strcmp(want->event_json, got->event_json) != 0)
        fail_msg("%s: expected HTTP %d %s (calls %d)\n got HTTP %d %s (calls %d)\n event %s\n vs %s",
                 how, want->http, want->body, want->calls, got->http, got->body, got->calls,
                 want->event_json, got->event_json);
}

void assert_every_split(segrecv_receiver *rcv, recorder *rec, const char *headers,
                        const char *body, size_t body_len, const outcome *expected)
{
    outcome got;
    char how[64];
    /* Every byte for ordinary bodies; about 500 cuts across the big ones. */
    size_t step = body_len > 4096 ? body_len / 500 : 1;
    for (size_t split = 0; split <= body_len; split += step) {
        run_split(rcv, rec, headers, body, body_len, split, &got);
        snprintf(how, sizeof how, "split at byte %zu", split);
        assert_same_outcome(expected, &got, how);
    }
    run_streamed(rcv, rec, headers, body, body_len, 1, &got);
    assert_same_outcome(expected, &got, "byte by byte");
    run_streamed(rcv, rec, headers, body, body_len, 7, &got);
    assert_same_outcome(expected, &got, "7-byte chunks");
}

const char *response_message(const outcome *out, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (!out->body[0])
        return buf;
    char err[128];
    yajl_val root = yajl_tree_parse(out->body, err, sizeof err);
    if (!root)
        fail_msg("response body is not JSON: %s (%s)", out->body, err);
    const char *path[] = {"message", NULL};
    yajl_val msg = yajl_tree_get(root, path, yajl_t_string);
    if (!msg)
        fail_msg("response body has no message: %s", out->body);
    snprintf(buf, cap, "%s", YAJL_GET_STRING(msg));
    yajl_tree_free(root);
    return buf;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}
