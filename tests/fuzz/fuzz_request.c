/* libFuzzer harness: whole requests, one-shot and streamed.
 *
 * Input: 4 option bytes, then the request. The request is split after the
 * first "\r\n\r\n": the header block (blank line included unless option bit
 * 2 strips it) and the body; with no blank line it is all headers.
 *   byte 0  bit 0 streamed headers as name/value pairs (when they split
 *                 cleanly), bit 1 end pairs explicitly, bit 2 strip the
 *                 blank line, bit 3 lenient timestamps, bit 4 small limits
 *                 (byte 3), bit 5 per-type callbacks (else catch-all),
 *                 bit 6 key-check callback, bit 7 maintenance mode
 *   byte 1  bits 0-2 the callback's answer, bit 3 a reply message, bit 4
 *           reply taken from the event's user id, bits 5-7 a type left
 *           without a callback (per-type mode)
 *   byte 2  chunk sizes for the streamed body; bit 5 batches accepted,
 *           bit 4 all-or-nothing batches
 *   byte 3  limits, when byte 0 bit 4 is set
 * Invariants: allowed statuses only, body JSON when non-empty, callbacks see
 * only valid events, one-shot and streamed answers are byte-identical (and
 * dispatch the same events). With batches, one request may dispatch many
 * events and its status sums theirs: the checks tied to one callback answer
 * are then relaxed to the statuses that answer can lead to. */
#include "fuzz_check.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_KEY "writekey"

static const segrecv_status ANSWERS[] = {
    SEGRECV_OK, SEGRECV_ACCEPTED, SEGRECV_BAD_REQUEST, SEGRECV_FAILED, SEGRECV_UNAVAILABLE,
    (segrecv_status)42, /* not an answer: must become 500 */
};
#define ANSWER_COUNT (sizeof ANSWERS / sizeof ANSWERS[0])

typedef struct plan {
    unsigned mode, answer_bits, chunk_bits, limit_bits;
    segrecv_status answer;
    bool reply, reply_from_event, lenient, maintenance, key_cb, batch;
} plan;

/* What the callbacks saw during one run. */
typedef struct run_log {
    int calls;
    char *reply;      /* the message the callback replied with (copy) */
    char *event_json; /* canonical JSON of the dispatched events, one after another */
    size_t event_json_len;
} run_log;

static bool present(segrecv_str s)
{
    return s.ptr && s.len > 0;
}

static void check_str(segrecv_str s)
{
    if (!s.ptr)
        return;
    FUZZ_CHECK(s.ptr[s.len] == '\0');
    FUZZ_CHECK(memchr(s.ptr, '\0', s.len) == NULL);
}

static void check_time(const segrecv_time *t, bool lenient)
{
    check_str(t->text);
    if (!t->text.ptr) {
        FUZZ_CHECK(!t->parsed);
        return;
    }
    if (!lenient)
        FUZZ_CHECK(t->parsed);
    int64_t ms;
    bool ok = segrecv__parse_timestamp(t->text.ptr, t->text.len, &ms);
    FUZZ_CHECK(ok == (t->parsed != 0));
    FUZZ_CHECK(!ok || ms == t->ms);
}

static void check_object_or_null(const segrecv_value *v)
{
    FUZZ_CHECK(!v || segrecv_value_type_of(v) == SEGRECV_OBJECT);
}

/* A member of the canonical event JSON, compared with the event itself. */
static void check_canonical_str(const segrecv_value *canon, const char *name, segrecv_str s)
{
    const segrecv_value *v = segrecv_value_get(canon, name);
    if (!s.ptr) {
        FUZZ_CHECK(v == NULL);
        return;
    }
    size_t len;
    const char *text = segrecv_value_string(v, &len);
    FUZZ_CHECK(text && len == s.len && memcmp(text, s.ptr, len) == 0);
}

static void check_canonical_value(const segrecv_value *canon, const char *name,
                                  const segrecv_value *want)
{
    const segrecv_value *v = segrecv_value_get(canon, name);
    FUZZ_CHECK((v == NULL) == (want == NULL));
    FUZZ_CHECK(fuzz_value_equal(v, want));
}

/* segrecv_event_to_json re-parses and carries the event's fields exactly. */
static void check_canonical(const segrecv_event *ev, run_log *log)
{
    size_t len;
    char *json = fuzz_event_json(ev, &len);
    FUZZ_CHECK(fuzz_json_valid(json, len));
    segrecv_allocator alloc = segrecv__allocator_or_default(NULL);
    segrecv__arena arena;
    segrecv__arena_init(&arena, &alloc);
    segrecv_limits wide;
    memset(&wide, 0, sizeof wide);
    wide.max_depth = 128;
    wide.max_string_bytes = wide.max_object_keys = UINT32_MAX;
    segrecv_value *canon;
    const char *message;
    segrecv_status st = segrecv__json_parse(&arena, &wide, json, len, false, &canon, &message);
    FUZZ_CHECK(st == SEGRECV_OK);
    check_canonical_str(canon, "type", ev->type_name);
    check_canonical_str(canon, "message_id", ev->message_id);
    check_canonical_str(canon, "user_id", ev->user_id);
    check_canonical_str(canon, "anonymous_id", ev->anonymous_id);
    check_canonical_str(canon, "group_id", ev->group_id);
    check_canonical_str(canon, "previous_id", ev->previous_id);
    check_canonical_str(canon, "event", ev->event);
    check_canonical_str(canon, "timestamp", ev->timestamp.text);
    check_canonical_str(canon, "sent_at", ev->sent_at.text);
    check_canonical_value(canon, "context", ev->context);
    check_canonical_value(canon, "integrations", ev->integrations);
    check_canonical_value(canon, "traits", ev->traits);
    check_canonical_value(canon, "properties", ev->properties);
    check_canonical_value(canon, "settings", ev->settings);
    segrecv__arena_free(&arena);
    char *all = realloc(log->event_json, log->event_json_len + len + 1);
    FUZZ_CHECK(all != NULL);
    memcpy(all + log->event_json_len, json, len + 1);
    log->event_json = all;
    log->event_json_len += len;
    free(json);
}

/* The raw event serialises to JSON that parses back to the same tree. */
static void check_raw(const segrecv_value *raw)
{
    size_t len;
    char *json = fuzz_value_json(raw, &len);
    FUZZ_CHECK(fuzz_json_valid(json, len));
    free(json);
}

static void check_event(const segrecv_event *ev, const plan *p)
{
    FUZZ_CHECK((unsigned)ev->type < SEGRECV_TYPE_COUNT);
    FUZZ_CHECK(ev->type_name.ptr && strcmp(ev->type_name.ptr, segrecv_type_name(ev->type)) == 0);
    FUZZ_CHECK(present(ev->api_key));
    check_str(ev->api_key);
    segrecv_str strs[] = {ev->message_id, ev->user_id, ev->anonymous_id, ev->version,
                          ev->channel, ev->event, ev->name, ev->category, ev->group_id,
                          ev->previous_id};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        check_str(strs[i]);
    switch (ev->type) {
    case SEGRECV_ALIAS:
        FUZZ_CHECK(present(ev->previous_id) && present(ev->user_id));
        break;
    case SEGRECV_DELETE:
        FUZZ_CHECK(present(ev->user_id));
        break;
    default:
        FUZZ_CHECK(present(ev->user_id) || present(ev->anonymous_id));
        if (ev->type == SEGRECV_TRACK)
            FUZZ_CHECK(present(ev->event));
        if (ev->type == SEGRECV_GROUP)
            FUZZ_CHECK(present(ev->group_id));
        break;
    }
    if (ev->message_id.ptr)
        FUZZ_CHECK(segrecv__utf8_chars(ev->message_id.ptr, ev->message_id.len) <= 100);
    check_time(&ev->timestamp, p->lenient);
    check_time(&ev->sent_at, p->lenient);
    check_time(&ev->received_at, p->lenient);
    check_time(&ev->original_timestamp, p->lenient);
    check_object_or_null(ev->context);
    check_object_or_null(ev->integrations);
    check_object_or_null(ev->traits);
    check_object_or_null(ev->properties);
    check_object_or_null(ev->settings);
    FUZZ_CHECK(segrecv_value_type_of(ev->raw) == SEGRECV_OBJECT);
}

/* The callbacks' user_data: the plan and the log of the run under way. */
typedef struct harness {
    const plan *p;
    run_log *current;
} harness;

static segrecv_status on_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    const harness *h = user_data;
    const plan *p = h->p;
    run_log *log = h->current;
    log->calls++;
    check_event(ev, p);
    check_canonical(ev, log);
    check_raw(ev->raw);
    if (p->reply) {
        const char *msg = "Rejected by the fuzz harness";
        if (p->reply_from_event && present(ev->user_id))
            msg = ev->user_id.ptr;
        free(log->reply);
        log->reply = strdup(msg);
        FUZZ_CHECK(log->reply != NULL);
        reply->message = msg;
    }
    return p->answer;
}

static segrecv_limits limits_from(unsigned bits)
{
    static const size_t body[] = {0, 64, 2048, 200000};
    static const size_t depth[] = {0, 2, 127, 128};
    segrecv_limits l;
    memset(&l, 0, sizeof l);
    l.max_body_bytes = body[bits & 3];
    l.max_depth = depth[(bits >> 2) & 3];
    l.max_string_bytes = (bits & 0x10) ? 16 : 0;
    l.max_header_bytes = (bits & 0x20) ? 64 : 0;
    l.max_object_keys = (bits & 0x40) ? 4 : 0;
    l.max_api_key_bytes = (bits & 0x80) ? 4 : 0;
    return l;
}

static segrecv_receiver *receiver_for(const plan *p, harness *log)
{
    segrecv_options o;
    memset(&o, 0, sizeof o);
    if (p->mode & 0x10)
        o.limits = limits_from(p->limit_bits);
    o.flags = p->lenient ? SEGRECV_OPT_LENIENT_TIMESTAMPS : 0;
    if (p->batch)
        o.flags |= SEGRECV_OPT_BATCH |
                   ((p->chunk_bits & 0x10) ? SEGRECV_OPT_BATCH_ALL_OR_NOTHING : 0);
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    FUZZ_CHECK(rcv != NULL);
    if (segrecv_add_api_key(rcv, API_KEY, strlen(API_KEY)) != SEGRECV_OK)
        FUZZ_CHECK(segrecv_receiver_limits(rcv).max_api_key_bytes < strlen(API_KEY));
    FUZZ_CHECK(segrecv_add_api_key(rcv, "k", 1) == SEGRECV_OK);
    if (p->mode & 0x20) {
        unsigned skipped = (p->answer_bits >> 5) % SEGRECV_TYPE_COUNT;
        for (unsigned t = 0; t < SEGRECV_TYPE_COUNT; t++)
            if (t != skipped)
                FUZZ_CHECK(segrecv_on(rcv, (segrecv_type)t, on_event, log) == SEGRECV_OK);
    } else {
        FUZZ_CHECK(segrecv_on_any(rcv, on_event, log) == SEGRECV_OK);
    }
    if (p->key_cb)
        FUZZ_CHECK(segrecv_set_key_check(rcv, fuzz_key_check, NULL) == SEGRECV_OK);
    if (p->maintenance)
        FUZZ_CHECK(segrecv_set_maintenance(rcv, 1) == SEGRECV_OK);
    return rcv;
}

/* Header pairs, split by the rules of a raw block; false when a line would
 * fail before reaching the per-header checks (the block path alone covers it). */
typedef struct header_pair {
    const char *name, *value;
    size_t name_len, value_len;
} header_pair;

static bool split_headers(const char *block, size_t len, size_t limit, header_pair *out,
                          size_t *count)
{
    *count = 0;
    if (len > limit)
        return false;
    const char *p = block, *end = block + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end, *next = nl ? nl + 1 : end;
        if (line_end > p && line_end[-1] == '\r')
            line_end--;
        if (line_end == p)
            return next == end;
        const char *colon = memchr(p, ':', (size_t)(line_end - p));
        if (*p == ' ' || *p == '\t' || !colon || colon == p || colon[-1] == ' ' ||
            colon[-1] == '\t')
            return false;
        out[*count] = (header_pair){p, colon + 1, (size_t)(colon - p),
                                    (size_t)(line_end - colon - 1)};
        (*count)++;
        p = next;
    }
    return true;
}

static size_t next_chunk(unsigned *state, unsigned bits, size_t left)
{
    static const size_t max[] = {4, 16, 256, SIZE_MAX};
    size_t cap = max[bits >> 6];
    *state = *state * 1103515245u + 12345u;
    size_t n = cap == SIZE_MAX ? left : 1 + (*state >> 16) % cap;
    return n < left ? n : left;
}

struct request_bytes {
    const char *headers, *body;
    size_t headers_len, body_len;
};
typedef struct request_bytes request_bytes;

static void stream(segrecv_request *r, const plan *p, const request_bytes *in, bool pairs,
                   bool one_chunk, segrecv_response *out)
{
    header_pair *hp = malloc((in->headers_len + 1) * sizeof *hp);
    FUZZ_CHECK(hp != NULL);
    size_t n = 0;
    size_t limit = segrecv_receiver_limits(r->receiver).max_header_bytes;
    if (pairs && split_headers(in->headers, in->headers_len, limit, hp, &n)) {
        /* Keep going after a failure: errors must stick. */
        for (size_t i = 0; i < n; i++)
            segrecv_request_header(r, hp[i].name, hp[i].name_len, hp[i].value, hp[i].value_len);
        if (p->mode & 0x02)
            segrecv_request_headers_end(r);
    } else {
        segrecv_request_headers(r, in->headers, in->headers_len);
    }
    free(hp);
    unsigned state = p->chunk_bits;
    size_t at = 0;
    while (at < in->body_len) {
        size_t c = one_chunk ? in->body_len : next_chunk(&state, p->chunk_bits, in->body_len - at);
        segrecv_request_body(r, in->body + at, c);
        if (state & 0x100)
            segrecv_request_body(r, in->body + at, 0);
        at += c;
    }
    segrecv_request_finish(r, out);
}

static const int ALLOWED_HTTP[] = {200, 202, 400, 401, 403, 413, 415, 431, 500, 501, 503};

static const char *default_message(segrecv_status answer)
{
    switch (answer) {
    case SEGRECV_OK:
    case SEGRECV_ACCEPTED:
        return NULL;
    case SEGRECV_BAD_REQUEST:
        return "Event rejected";
    case SEGRECV_FAILED:
        return "Event handler failed";
    case SEGRECV_UNAVAILABLE:
        return "Temporarily unavailable; retry later";
    default:
        return "Event handler returned an invalid status (42)";
    }
}

/* memmem without _GNU_SOURCE. */
static bool contains(const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= hay_len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

static void check_response(const segrecv_response *res, const run_log *log, const plan *p,
                           const request_bytes *in)
{
    bool allowed = false;
    for (size_t i = 0; i < sizeof ALLOWED_HTTP / sizeof ALLOWED_HTTP[0]; i++)
        allowed |= res->http_status == ALLOWED_HTTP[i];
    FUZZ_CHECK(allowed);
    FUZZ_CHECK(res->http_status == segrecv_status_http(res->status));
    FUZZ_CHECK(res->status != SEGRECV_INVALID_ARGUMENT && res->status != SEGRECV_NOMEM);
    FUZZ_CHECK(res->body_len < SEGRECV_RESPONSE_BODY_MAX && strlen(res->body) == res->body_len);
    FUZZ_CHECK((res->body_len == 0) == (res->content_type == NULL));
    char *message = NULL;
    size_t message_len = 0;
    if (res->body_len) {
        FUZZ_CHECK(strcmp(res->content_type, "application/json") == 0);
        message = fuzz_response_message(res, p->batch, &message_len);
        /* Never the key, unless the body itself carries it (a type name). */
        FUZZ_CHECK(!contains(message, message_len, API_KEY) ||
                   contains(in->body, in->body_len, API_KEY));
    }
    FUZZ_CHECK(log->calls <= 1 || p->batch);
    if (log->calls == 0) {
        FUZZ_CHECK(res->status != SEGRECV_OK && res->status != SEGRECV_ACCEPTED);
        FUZZ_CHECK(message != NULL);
        FUZZ_CHECK(res->status != SEGRECV_UNAVAILABLE || p->maintenance);
        FUZZ_CHECK(res->status != SEGRECV_FAILED || p->key_cb);
    } else if (p->batch) {
        /* Statuses the callback's answer can sum to over a batch. */
        FUZZ_CHECK(!p->maintenance);
        segrecv_status a = p->answer, s = res->status;
        if (a == SEGRECV_OK || a == SEGRECV_ACCEPTED)
            FUZZ_CHECK(s == a || s == SEGRECV_OK);
        else if (a == SEGRECV_BAD_REQUEST)
            FUZZ_CHECK(s == SEGRECV_BAD_REQUEST || s == SEGRECV_OK);
        else if (a == SEGRECV_UNAVAILABLE)
            FUZZ_CHECK(s == SEGRECV_UNAVAILABLE);
        else
            FUZZ_CHECK(s == SEGRECV_FAILED);
    } else {
        FUZZ_CHECK(!p->maintenance);
        bool valid_answer = p->answer != (segrecv_status)42;
        FUZZ_CHECK(res->status == (valid_answer ? p->answer : SEGRECV_FAILED));
        if (valid_answer && log->reply) {
            /* The reply, cut on a character boundary to fit. */
            size_t reply_len = strlen(log->reply);
            FUZZ_CHECK(message && message_len <= reply_len && message_len <= 512);
            FUZZ_CHECK(memcmp(message, log->reply, message_len) == 0);
            FUZZ_CHECK(reply_len > 100 || message_len == reply_len);
        } else {
            const char *want = default_message(p->answer);
            FUZZ_CHECK((want == NULL) == (message == NULL));
            FUZZ_CHECK(!want || strcmp(message, want) == 0);
        }
    }
    free(message);
}

static void log_clear(run_log *log)
{
    free(log->reply);
    free(log->event_json);
    memset(log, 0, sizeof *log);
}

static bool same_response(const segrecv_response *a, const segrecv_response *b)
{
    return a->status == b->status && a->http_status == b->http_status &&
           a->body_len == b->body_len && memcmp(a->body, b->body, a->body_len) == 0;
}

static bool same_event(const run_log *a, const run_log *b)
{
    return a->calls == b->calls && a->event_json_len == b->event_json_len &&
           (a->event_json_len == 0 || memcmp(a->event_json, b->event_json, a->event_json_len) == 0);
}

static request_bytes split_request(const char *data, size_t size, bool strip_blank)
{
    request_bytes in = {data, data + size, size, 0};
    for (size_t i = 0; i + 4 <= size; i++) {
        if (memcmp(data + i, "\r\n\r\n", 4) == 0) {
            in.headers_len = strip_blank ? i + 2 : i + 4;
            in.body = data + i + 4;
            in.body_len = size - i - 4;
            break;
        }
    }
    return in;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    plan p;
    memset(&p, 0, sizeof p);
    p.mode = data[0];
    p.answer_bits = data[1];
    p.chunk_bits = data[2];
    p.limit_bits = data[3];
    p.answer = ANSWERS[(p.answer_bits & 7) % ANSWER_COUNT];
    p.reply = (p.answer_bits & 0x08) != 0;
    p.reply_from_event = (p.answer_bits & 0x10) != 0;
    p.lenient = (p.mode & 0x08) != 0;
    p.key_cb = (p.mode & 0x40) != 0;
    p.maintenance = (p.mode & 0x80) != 0;
    p.batch = (p.chunk_bits & 0x20) != 0;
    request_bytes in = split_request((const char *)data + 4, size - 4, (p.mode & 0x04) != 0);

    run_log logs[3];
    memset(logs, 0, sizeof logs);
    harness h = {&p, &logs[0]};
    segrecv_receiver *rcv = receiver_for(&p, &h);
    segrecv_response res[3];
    /* 0: one-shot; 1: streamed in chunks; 2: the same request object after a
     * reset, the other header form, the body in one chunk. */
    segrecv_handle(rcv, in.headers, in.headers_len, in.body, in.body_len, &res[0]);
    check_response(&res[0], &logs[0], &p, &in);
    h.current = &logs[1];
    segrecv_request *r = segrecv_request_new(rcv);
    FUZZ_CHECK(r != NULL);
    stream(r, &p, &in, (p.mode & 0x01) != 0, false, &res[1]);
    check_response(&res[1], &logs[1], &p, &in);
    segrecv_request_reset(r);
    h.current = &logs[2];
    stream(r, &p, &in, (p.mode & 0x01) == 0, true, &res[2]);
    check_response(&res[2], &logs[2], &p, &in);
    segrecv_request_free(r);
    segrecv_receiver_free(rcv);

    for (int i = 1; i < 3; i++) {
        if (!same_response(&res[0], &res[i])) {
            fprintf(stderr, "one-shot: %d %s\nstreamed run %d: %d %s\n", res[0].http_status,
                    res[0].body, i, res[i].http_status, res[i].body);
            FUZZ_CHECK(!"one-shot and streamed responses differ");
        }
        FUZZ_CHECK(same_event(&logs[0], &logs[i]));
    }
    for (int i = 0; i < 3; i++)
        log_clear(&logs[i]);
    return 0;
}
