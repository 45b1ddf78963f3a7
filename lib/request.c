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

segrecv_status segrecv__failf(segrecv_request *r, segrecv_status status, const char *fmt, ...)
{
    if (r->status != SEGRECV_OK)
        return r->status;
    va_list ap;
    va_start(ap, fmt);
    char *message = segrecv__arena_vprintf(&r->arena, fmt, ap);
    va_end(ap);
    if (message && strlen(message) > MESSAGE_MAX)
        message[segrecv__utf8_floor(message, MESSAGE_MAX)] = '\0';
    return segrecv__fail(r, status, message);
}

static void request_clear(segrecv_request *r)
{
    r->phase = SEGRECV__PHASE_HEADERS;
    r->status = SEGRECV_OK;
    r->message = NULL;
    memset(&r->headers, 0, sizeof r->headers);
    r->headers.content_length = -1;
    r->api_key.ptr = NULL;
    r->api_key.len = 0;
    r->body_bytes = 0;
    r->parser.yajl = NULL;
    memset(&r->event, 0, sizeof r->event);
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
    segrecv__builder_free(&r->builder);
    segrecv__arena_free(&r->arena);
    segrecv__free(&r->receiver->alloc, r);
}

void segrecv_request_reset(segrecv_request *r)
{
    if (!r)
        return;
    segrecv__parser_close(&r->parser);
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
    if (atomic_load(&r->receiver->maintenance))
        return segrecv__fail(r, SEGRECV_UNAVAILABLE, "Receiver is in maintenance; retry later");
    st = segrecv__headers_check(r);
    if (st != SEGRECV_OK)
        return st;
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

/* Parse at most `len` bytes; a limit passed inside the chunk is reported
 * after the bytes before it, so every way of splitting the body agrees. */
static segrecv_status feed(segrecv_request *r, const char *chunk, size_t len)
{
    const char *message = NULL;
    segrecv_status st = segrecv__parser_feed(&r->parser, chunk, len, &message);
    if (st != SEGRECV_OK)
        return segrecv__fail(r, st, message);
    r->body_bytes += len;
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
    uint64_t limit = r->receiver->limits.max_body_bytes;
    int64_t declared = r->headers.content_length;
    uint64_t room = limit - r->body_bytes;
    if (declared >= 0 && (uint64_t)declared - r->body_bytes < room)
        room = (uint64_t)declared - r->body_bytes;
    if (len <= room)
        return feed(r, chunk, len);
    if (feed(r, chunk, (size_t)room) != SEGRECV_OK)
        return r->status;
    if (declared >= 0 && (uint64_t)declared < limit)
        return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                              "Request body is longer than its Content-Length of %lld bytes",
                              (long long)declared);
    return segrecv__failf(r, SEGRECV_TOO_LARGE, "Request body exceeds %zu bytes",
                          r->receiver->limits.max_body_bytes);
}

static const segrecv__handler *handler_for(const segrecv_receiver *rcv, segrecv_type type)
{
    if (rcv->on[type].cb)
        return &rcv->on[type];
    return rcv->any.cb ? &rcv->any : NULL;
}

static segrecv_status dispatch(segrecv_request *r)
{
    const segrecv__handler *h = handler_for(r->receiver, r->event.type);
    if (!h)
        return segrecv__failf(r, SEGRECV_NOT_IMPLEMENTED, "Unsupported call type '%s'",
                              segrecv_type_name(r->event.type));
    segrecv_reply reply = {NULL};
    segrecv_status st = h->cb(&r->event, &reply, h->user_data);
    switch (st) {
    case SEGRECV_OK:
    case SEGRECV_ACCEPTED:
    case SEGRECV_BAD_REQUEST:
    case SEGRECV_FAILED:
    case SEGRECV_UNAVAILABLE:
        break;
    default:
        return segrecv__failf(r, SEGRECV_FAILED, "Event handler returned an invalid status (%d)",
                              (int)st);
    }
    const char *message = NULL;
    if (reply.message) {
        size_t len = strlen(reply.message);
        if (len > SEGRECV__REPLY_MAX)
            len = segrecv__utf8_floor(reply.message, SEGRECV__REPLY_MAX);
        message = segrecv__arena_strdup(&r->arena, reply.message, len);
        if (!message)
            return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
    } else if (st == SEGRECV_BAD_REQUEST) {
        message = "Event rejected";
    } else if (st == SEGRECV_FAILED) {
        message = "Event handler failed";
    } else if (st == SEGRECV_UNAVAILABLE) {
        message = "Temporarily unavailable; retry later";
    }
    r->status = st;
    r->message = message;
    return st;
}

static segrecv_status finish_body(segrecv_request *r)
{
    int64_t declared = r->headers.content_length;
    if (declared >= 0 && r->body_bytes < (uint64_t)declared)
        return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                              "Request body is shorter than its Content-Length (%llu of %lld "
                              "bytes)",
                              (unsigned long long)r->body_bytes, (long long)declared);
    if (r->body_bytes == 0)
        return segrecv__fail(r, SEGRECV_BAD_REQUEST, "Empty request body");
    const char *message = NULL;
    segrecv_status st = segrecv__parser_end(&r->parser, &message);
    if (st != SEGRECV_OK)
        return segrecv__fail(r, st, message);
    st = segrecv__event_build(r);
    if (st != SEGRECV_OK)
        return st;
    if (!handler_for(r->receiver, r->event.type))
        return segrecv__failf(r, SEGRECV_NOT_IMPLEMENTED, "Unsupported call type '%s'",
                              segrecv_type_name(r->event.type));
    st = segrecv__event_validate(r);
    if (st != SEGRECV_OK)
        return st;
    return dispatch(r);
}

static void respond(const segrecv_request *r, segrecv_response *response)
{
    response->status = r->status;
    response->http_status = segrecv_status_http(r->status);
    response->body_len = 0;
    response->body[0] = '\0';
    response->content_type = NULL;
    if (r->message) {
        response->body_len =
            segrecv__message_json(r->message, response->body, sizeof response->body);
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
