/* One request through the stages: headers, auth, body, validate, dispatch,
 * respond. The first failure decides the response and sticks. */
#include "internal.h"

#include <string.h>

segrecv_status segrecv__fail(segrecv_request *r, segrecv_status status, const char *message)
{
    if (r->status == SEGRECV_OK) {
        r->status = status;
        r->message = message ? message : "Out of memory";
        if (!message)
            r->status = SEGRECV_NOMEM; /* formatting the message itself failed */
    }
    return r->status;
}

/* Messages quote what the client sent (a type name): keep them short. */
#define MESSAGE_MAX 300

static const char *messagev(segrecv__arena *arena, const char *fmt, va_list ap)
{
    char *message = segrecv__arena_vprintf(arena, fmt, ap);
    if (message && strlen(message) > MESSAGE_MAX)
        message[segrecv__utf8_floor(message, MESSAGE_MAX)] = '\0';
    return message;
}

const char *segrecv__reply_copy(segrecv__arena *arena, const char *message)
{
    size_t len = strlen(message);
    if (len > SEGRECV__REPLY_MAX)
        len = segrecv__utf8_floor(message, SEGRECV__REPLY_MAX);
    return segrecv__arena_strdup(arena, message, len);
}

const char *segrecv__messagef(segrecv__arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *message = messagev(arena, fmt, ap);
    va_end(ap);
    return message;
}

segrecv_status segrecv__failf(segrecv_request *r, segrecv_status status, const char *fmt, ...)
{
    if (r->status != SEGRECV_OK)
        return r->status;
    va_list ap;
    va_start(ap, fmt);
    const char *message = messagev(&r->arena, fmt, ap);
    va_end(ap);
    return segrecv__fail(r, status, message);
}

static void request_clear(segrecv_request *r)
{
    r->phase = SEGRECV__PHASE_HEADERS;
    r->status = SEGRECV_OK;
    r->message = NULL;
    segrecv__clear(&r->headers, sizeof r->headers);
    r->parser.yajl = NULL; /* freed with the arena */
    r->headers.content_length = -1;
    r->api_key.ptr = NULL;
    r->api_key.len = 0;
    r->body_bytes = 0;
    r->raw_bytes = 0;
    r->encoding = SEGRECV__ENCODING_IDENTITY;
    r->inflater.started = false;
    r->signer = NULL;
    r->auth_deferred = false;
    r->settings = NULL;
    r->errors = NULL;
    r->error_count = 0;
    /* r->event is written whole by segrecv__event_fill() before any read. */
    segrecv__builder_reset(&r->builder);
}

segrecv_request *segrecv_request_new(segrecv_receiver *rcv)
{
    if (!rcv)
        return NULL;
    segrecv_request *r = segrecv__malloc(&rcv->alloc, sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->receiver = rcv;
    segrecv__arena_init(&r->arena, &rcv->alloc);
    segrecv__builder_init(&r->builder, &r->arena, &rcv->alloc, &rcv->limits);
    request_clear(r);
    return r;
}

void segrecv_request_free(segrecv_request *r)
{
    if (!r)
        return;
    segrecv__parser_close(&r->parser);
    segrecv__inflate_close(&r->inflater);
    segrecv__builder_free(&r->builder);
    segrecv__arena_free(&r->arena);
    segrecv__free(&r->receiver->alloc, r);
}

void segrecv_request_reset(segrecv_request *r)
{
    if (!r)
        return;
    segrecv__parser_close(&r->parser);
    segrecv__inflate_close(&r->inflater);
    segrecv__arena_reset(&r->arena);
    request_clear(r);
}

static segrecv_status misuse(segrecv_request *r, const char *what)
{
    return segrecv__fail(r, SEGRECV_INVALID_ARGUMENT, what);
}

segrecv_status segrecv_request_header(segrecv_request *r, const char *name, size_t name_len,
                                      const char *value, size_t value_len)
{
    if (!r)
        return SEGRECV_INVALID_ARGUMENT;
    if (r->status != SEGRECV_OK)
        return r->status;
    if (r->phase != SEGRECV__PHASE_HEADERS)
        return misuse(r, "Header added after the headers ended");
    if ((!name && name_len) || (!value && value_len))
        return misuse(r, "Invalid arguments");
    return segrecv__header_add(r, name ? name : "", name_len, value ? value : "", value_len);
}

segrecv_status segrecv_request_headers_end(segrecv_request *r)
{
    if (!r)
        return SEGRECV_INVALID_ARGUMENT;
    if (r->status != SEGRECV_OK)
        return r->status;
    if (r->phase != SEGRECV__PHASE_HEADERS)
        return misuse(r, "Headers ended twice");
    r->phase = SEGRECV__PHASE_BODY;
    /* Authentication first: an unauthenticated client learns nothing more. */
    segrecv_status st = segrecv__authenticate(r);
    if (st != SEGRECV_OK)
        return st;
    const segrecv_receiver *rcv = r->receiver;
    if (rcv->signing_secret.bytes) {
        if (!r->headers.has_signature)
            return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Missing X-Signature header");
        r->signer = segrecv__signer_new(&r->arena, &rcv->signing_secret);
        if (!r->signer)
            return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
    }
    if (atomic_load(&r->receiver->maintenance))
        return segrecv__fail(r, SEGRECV_UNAVAILABLE, "Receiver is in maintenance; retry later");
    st = segrecv__headers_check(r);
    if (st != SEGRECV_OK)
        return st;
    if (r->headers.has_settings && segrecv__decode_settings(r) != SEGRECV_OK)
        return r->status;
    if (r->encoding != SEGRECV__ENCODING_IDENTITY)
        segrecv__inflate_open(&r->inflater, &r->arena, r->encoding);
    r->builder.batch = (rcv->flags & SEGRECV_OPT_BATCH) != 0;
    st = segrecv__parser_open(&r->parser, &r->arena, &r->builder);
    if (st != SEGRECV_OK)
        return segrecv__fail(r, st, "Out of memory");
    return SEGRECV_OK;
}

segrecv_status segrecv_request_headers(segrecv_request *r, const char *block, size_t len)
{
    if (!r)
        return SEGRECV_INVALID_ARGUMENT;
    if (r->status != SEGRECV_OK)
        return r->status;
    if (r->phase != SEGRECV__PHASE_HEADERS)
        return misuse(r, "Headers given twice");
    if (!block && len)
        return misuse(r, "Invalid arguments");
    segrecv_status st = segrecv__header_block(r, block ? block : "", len);
    if (st != SEGRECV_OK)
        return st;
    return segrecv_request_headers_end(r);
}

uint64_t segrecv__body_limit(const segrecv_request *r)
{
    const segrecv_limits *l = &r->receiver->limits;
    return (r->receiver->flags & SEGRECV_OPT_BATCH) ? l->max_batch_bytes : l->max_body_bytes;
}

/* Parsed bytes (after inflating): a limit passed inside a piece is reported
 * after the bytes before it, so every way of splitting the body agrees. */
static segrecv_status parse_bytes(void *ctx, const char *data, size_t len)
{
    segrecv_request *r = ctx;
    uint64_t limit = segrecv__body_limit(r);
    uint64_t room = limit - r->body_bytes;
    size_t take = len <= room ? len : (size_t)room;
    const char *message = NULL;
    segrecv_status st = segrecv__parser_feed(&r->parser, data, take, &message);
    if (st != SEGRECV_OK)
        return segrecv__fail(r, st, message);
    r->body_bytes += take;
    if (take < len)
        return segrecv__failf(r, SEGRECV_TOO_LARGE, "Request body exceeds %llu bytes",
                              (unsigned long long)limit);
    const segrecv__inflater *inf = &r->inflater;
    if (r->encoding != SEGRECV__ENCODING_IDENTITY && inf->out_bytes > 65536 &&
        inf->out_bytes / r->receiver->limits.max_inflate_ratio > inf->in_bytes)
        return segrecv__failf(r, SEGRECV_TOO_LARGE,
                              "Compressed request body inflates more than %zu times",
                              r->receiver->limits.max_inflate_ratio);
    return SEGRECV_OK;
}

/* Bytes as received: signed, counted against Content-Length, then inflated. */
static segrecv_status take_raw(segrecv_request *r, const char *chunk, size_t len)
{
    if (r->signer)
        segrecv__signer_feed(r->signer, chunk, len);
    r->raw_bytes += len;
    if (r->encoding == SEGRECV__ENCODING_IDENTITY)
        return parse_bytes(r, chunk, len);
    const char *message = NULL;
    segrecv_status st = segrecv__inflate_feed(&r->inflater, chunk, len, parse_bytes, r, &message);
    if (st != SEGRECV_OK)
        return segrecv__fail(r, st, st == SEGRECV_NOMEM ? "Out of memory" : message);
    return SEGRECV_OK;
}

segrecv_status segrecv_request_body(segrecv_request *r, const char *chunk, size_t len)
{
    if (!r)
        return SEGRECV_INVALID_ARGUMENT;
    if (r->status == SEGRECV_OK && r->phase == SEGRECV__PHASE_HEADERS)
        segrecv_request_headers_end(r);
    if (r->status != SEGRECV_OK)
        return r->status;
    if (r->phase != SEGRECV__PHASE_BODY)
        return misuse(r, "Body given after the request finished");
    if (!chunk && len)
        return misuse(r, "Invalid arguments");
    if (len == 0)
        return SEGRECV_OK;
    int64_t declared = r->headers.content_length;
    size_t take = len;
    if (declared >= 0 && (uint64_t)declared - r->raw_bytes < take)
        take = (size_t)((uint64_t)declared - r->raw_bytes);
    if (take_raw(r, chunk, take) != SEGRECV_OK)
        return r->status;
    if (take < len)
        return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                              "Request body is longer than its Content-Length of %lld bytes",
                              (long long)declared);
    return SEGRECV_OK;
}

static segrecv_status end_of_body(segrecv_request *r)
{
    int64_t declared = r->headers.content_length;
    if (declared >= 0 && r->raw_bytes < (uint64_t)declared)
        return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                              "Request body is shorter than its Content-Length (%llu of %lld "
                              "bytes)",
                              (unsigned long long)r->raw_bytes, (long long)declared);
    if (r->raw_bytes == 0)
        return segrecv__fail(r, SEGRECV_BAD_REQUEST, "Empty request body");
    if (r->signer && !segrecv__signer_matches(r->signer, r->headers.signature))
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Invalid X-Signature");
    const char *message = NULL;
    segrecv_status st = SEGRECV_OK;
    if (r->encoding != SEGRECV__ENCODING_IDENTITY)
        st = segrecv__inflate_end(&r->inflater, &message);
    if (st == SEGRECV_OK)
        st = segrecv__parser_end(&r->parser, &message);
    if (st != SEGRECV_OK)
        return segrecv__fail(r, st, message);
    return SEGRECV_OK;
}

/* With SEGRECV_OPT_BODY_WRITE_KEY and no Authorization: the body's writeKey. */
static segrecv_status deferred_auth(segrecv_request *r)
{
    const segrecv_value *key = segrecv_value_get(r->builder.root, "writeKey");
    if (!key || key->type != SEGRECV_STRING)
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED,
                             "Missing Authorization header or writeKey");
    if (key->len == 0)
        return segrecv__fail(r, SEGRECV_UNAUTHORIZED, "Empty API key");
    return segrecv__authenticate_key(r, key->u.text, key->len);
}

static segrecv_status single_event(segrecv_request *r)
{
    /* On a batch receiver the body may reach max_batch_bytes; one event is
     * still held to max_body_bytes. */
    uint64_t event_limit = r->receiver->limits.max_body_bytes;
    if (r->body_bytes > event_limit)
        return segrecv__failf(r, SEGRECV_TOO_LARGE, "Request body exceeds %llu bytes",
                              (unsigned long long)event_limit);
    segrecv__verdict v = segrecv__event_fill(r, r->builder.root, &r->event);
    if (v.status != SEGRECV_OK)
        return segrecv__fail(r, v.status, v.message);
    if (!segrecv__has_handler(r->receiver, r->event.type))
        return segrecv__failf(r, SEGRECV_NOT_IMPLEMENTED, "Unsupported call type '%s'",
                              segrecv_type_name(r->event.type));
    v = segrecv__event_validate(r, &r->event);
    if (v.status != SEGRECV_OK)
        return segrecv__fail(r, v.status, v.message);
    v = segrecv__dispatch(r, &r->event);
    if (v.status == SEGRECV_NOMEM || (v.status == SEGRECV_FAILED && !v.message))
        return segrecv__fail(r, v.status, v.message);
    r->status = v.status;
    r->message = v.message;
    return r->status;
}

static segrecv_status finish_body(segrecv_request *r)
{
    if (end_of_body(r) != SEGRECV_OK)
        return r->status;
    if (r->auth_deferred && deferred_auth(r) != SEGRECV_OK)
        return r->status;
    if (segrecv__is_batch(r))
        return segrecv__batch_run(r);
    return single_event(r);
}

static void respond(const segrecv_request *r, segrecv_response *response)
{
    response->status = r->status;
    response->http_status = segrecv_status_http(r->status);
    response->body_len = 0;
    response->body[0] = '\0';
    response->content_type = NULL;
    if (r->message) {
        response->body_len = segrecv__response_json(r->message, r->errors, r->error_count,
                                                    response->body, sizeof response->body);
        response->content_type = "application/json";
    }
}

segrecv_status segrecv_request_finish(segrecv_request *r, segrecv_response *response)
{
    if (!r || !response)
        return SEGRECV_INVALID_ARGUMENT;
    if (r->phase == SEGRECV__PHASE_FINISHED) {
        misuse(r, "Request finished twice");
    } else {
        if (r->status == SEGRECV_OK && r->phase == SEGRECV__PHASE_HEADERS)
            segrecv_request_headers_end(r);
        if (r->status == SEGRECV_OK)
            finish_body(r);
        r->phase = SEGRECV__PHASE_FINISHED;
    }
    respond(r, response);
    return r->status;
}
