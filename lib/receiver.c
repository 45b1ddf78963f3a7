/* The receiver: options, limits, key list, callbacks, and a small lock-free
 * pool of request objects for segrecv_handle(). */
#include "internal.h"

#include <string.h>

static const segrecv_limits DEFAULT_LIMITS = {
    .max_body_bytes = 32768,
    .max_header_bytes = 16384,
    .max_depth = 64,
    .max_string_bytes = 16384,
    .max_object_keys = 1000,
    .max_api_key_bytes = 256,
    .max_batch_bytes = 512000,
    .max_batch_events = 2500,
    .max_inflate_ratio = 200,
};

/* yajl_gen fails its 128th nested open (YAJL_MAX_DEPTH counts the top
 * level), so values it can write back hold at most 127; values are at most
 * 4 GiB (uint32 lengths). */
#define DEPTH_CEILING 127
#define LENGTH_CEILING ((size_t)UINT32_MAX)

static size_t pick(size_t wanted, size_t fallback, size_t ceiling)
{
    size_t v = wanted ? wanted : fallback;
    return v < ceiling ? v : ceiling;
}

static segrecv_limits limits_with_defaults(const segrecv_limits *in)
{
    const segrecv_limits *d = &DEFAULT_LIMITS;
    segrecv_limits l;
    l.max_body_bytes = pick(in->max_body_bytes, d->max_body_bytes, LENGTH_CEILING);
    l.max_header_bytes = pick(in->max_header_bytes, d->max_header_bytes, LENGTH_CEILING);
    l.max_depth = pick(in->max_depth, d->max_depth, DEPTH_CEILING);
    l.max_string_bytes = pick(in->max_string_bytes, d->max_string_bytes, LENGTH_CEILING);
    l.max_object_keys = pick(in->max_object_keys, d->max_object_keys, LENGTH_CEILING);
    l.max_api_key_bytes = pick(in->max_api_key_bytes, d->max_api_key_bytes, LENGTH_CEILING);
    l.max_batch_bytes = pick(in->max_batch_bytes, d->max_batch_bytes, LENGTH_CEILING);
    l.max_batch_events = pick(in->max_batch_events, d->max_batch_events, LENGTH_CEILING);
    l.max_inflate_ratio = pick(in->max_inflate_ratio, d->max_inflate_ratio, LENGTH_CEILING);
    return l;
}

#define KNOWN_FLAGS                                                                 \
    (SEGRECV_OPT_LENIENT_TIMESTAMPS | SEGRECV_OPT_BATCH | SEGRECV_OPT_BATCH_ALL_OR_NOTHING | \
     SEGRECV_OPT_BODY_WRITE_KEY | SEGRECV_OPT_NORMALIZE_KEYS | SEGRECV_OPT_ANY_CONTENT_TYPE)

segrecv_receiver *segrecv_receiver_new(const segrecv_options *options)
{
    segrecv_options defaults;
    memset(&defaults, 0, sizeof defaults);
    if (!options)
        options = &defaults;
    if (options->flags & ~(unsigned)KNOWN_FLAGS)
        return NULL;
    segrecv_allocator alloc = segrecv__allocator_or_default(&options->allocator);
    segrecv_receiver *rcv = segrecv__malloc(&alloc, sizeof *rcv);
    if (!rcv)
        return NULL;
    memset(rcv, 0, sizeof *rcv);
    rcv->alloc = alloc;
    rcv->limits = limits_with_defaults(&options->limits);
    rcv->flags = options->flags;
    atomic_init(&rcv->maintenance, 0);
    atomic_init(&rcv->duplicates, 0);
    for (int i = 0; i < SEGRECV__POOL_SIZE; i++)
        atomic_init(&rcv->pool[i], NULL);
    return rcv;
}

void segrecv_receiver_free(segrecv_receiver *rcv)
{
    if (!rcv)
        return;
    for (int i = 0; i < SEGRECV__POOL_SIZE; i++)
        segrecv_request_free(atomic_exchange(&rcv->pool[i], NULL));
    for (size_t i = 0; i < rcv->key_count; i++)
        segrecv__free(&rcv->alloc, rcv->keys[i].bytes);
    segrecv__free(&rcv->alloc, rcv->keys);
    segrecv__free(&rcv->alloc, rcv->signing_secret.bytes);
    segrecv_allocator alloc = rcv->alloc;
    segrecv__free(&alloc, rcv);
}

segrecv_status segrecv_on(segrecv_receiver *rcv, segrecv_type type, segrecv_event_cb cb,
                          void *user_data)
{
    if (!rcv || (unsigned)type >= SEGRECV_TYPE_COUNT)
        return SEGRECV_INVALID_ARGUMENT;
    rcv->on[type].cb = cb;
    rcv->on[type].user_data = user_data;
    return SEGRECV_OK;
}

segrecv_status segrecv_on_any(segrecv_receiver *rcv, segrecv_event_cb cb, void *user_data)
{
    if (!rcv)
        return SEGRECV_INVALID_ARGUMENT;
    rcv->any.cb = cb;
    rcv->any.user_data = user_data;
    return SEGRECV_OK;
}

segrecv_status segrecv_add_api_key(segrecv_receiver *rcv, const char *key, size_t len)
{
    if (!rcv || !key || len == 0 || len > rcv->limits.max_api_key_bytes)
        return SEGRECV_INVALID_ARGUMENT;
    segrecv__key *keys =
        segrecv__realloc(&rcv->alloc, rcv->keys, (rcv->key_count + 1) * sizeof *keys);
    if (!keys)
        return SEGRECV_NOMEM;
    rcv->keys = keys;
    char *copy = segrecv__malloc(&rcv->alloc, len);
    if (!copy)
        return SEGRECV_NOMEM;
    memcpy(copy, key, len);
    keys[rcv->key_count].bytes = copy;
    keys[rcv->key_count].len = len;
    rcv->key_count++;
    return SEGRECV_OK;
}

segrecv_status segrecv_set_key_check(segrecv_receiver *rcv, segrecv_key_cb cb, void *user_data)
{
    if (!rcv)
        return SEGRECV_INVALID_ARGUMENT;
    rcv->key_cb = cb;
    rcv->key_user_data = user_data;
    return SEGRECV_OK;
}

segrecv_status segrecv_set_maintenance(segrecv_receiver *rcv, int on)
{
    if (!rcv)
        return SEGRECV_INVALID_ARGUMENT;
    atomic_store(&rcv->maintenance, on ? 1 : 0);
    return SEGRECV_OK;
}

segrecv_status segrecv_set_signing_secret(segrecv_receiver *rcv, const char *secret, size_t len)
{
    if (!rcv || !secret || len == 0)
        return SEGRECV_INVALID_ARGUMENT;
    if (!segrecv__signatures_supported())
        return SEGRECV_NOT_IMPLEMENTED;
    char *copy = segrecv__malloc(&rcv->alloc, len);
    if (!copy)
        return SEGRECV_NOMEM;
    memcpy(copy, secret, len);
    segrecv__free(&rcv->alloc, rcv->signing_secret.bytes);
    rcv->signing_secret.bytes = copy;
    rcv->signing_secret.len = len;
    return SEGRECV_OK;
}

segrecv_status segrecv_set_dedupe(segrecv_receiver *rcv, const segrecv_dedupe *hooks)
{
    if (!rcv || (hooks && (!hooks->claim || !hooks->release)))
        return SEGRECV_INVALID_ARGUMENT;
    if (hooks)
        rcv->dedupe = *hooks;
    else
        memset(&rcv->dedupe, 0, sizeof rcv->dedupe);
    return SEGRECV_OK;
}

uint64_t segrecv_duplicates(const segrecv_receiver *rcv)
{
    return rcv ? atomic_load(&((segrecv_receiver *)rcv)->duplicates) : 0;
}

segrecv_limits segrecv_receiver_limits(const segrecv_receiver *rcv)
{
    segrecv_limits none;
    memset(&none, 0, sizeof none);
    return rcv ? rcv->limits : none;
}

static segrecv_request *pool_take(segrecv_receiver *rcv)
{
    for (int i = 0; i < SEGRECV__POOL_SIZE; i++) {
        if (!atomic_load_explicit(&rcv->pool[i], memory_order_relaxed))
            continue;
        segrecv_request *r = atomic_exchange(&rcv->pool[i], NULL);
        if (r)
            return r;
    }
    return segrecv_request_new(rcv);
}

static void pool_give(segrecv_receiver *rcv, segrecv_request *r)
{
    segrecv_request_reset(r);
    for (int i = 0; i < SEGRECV__POOL_SIZE; i++) {
        segrecv_request *empty = NULL;
        if (atomic_compare_exchange_strong(&rcv->pool[i], &empty, r))
            return;
    }
    segrecv_request_free(r);
}

static segrecv_status answer_now(segrecv_response *response, segrecv_status st,
                                 const char *message)
{
    response->status = st;
    response->http_status = segrecv_status_http(st);
    response->body_len = segrecv__message_json(message, response->body, sizeof response->body);
    response->content_type = "application/json";
    return st;
}

segrecv_status segrecv_handle(segrecv_receiver *rcv, const char *headers, size_t headers_len,
                              const char *body, size_t body_len, segrecv_response *response)
{
    if (!response)
        return SEGRECV_INVALID_ARGUMENT;
    if (!rcv || (!headers && headers_len) || (!body && body_len))
        return answer_now(response, SEGRECV_INVALID_ARGUMENT, "Invalid arguments");
    segrecv_request *r = pool_take(rcv);
    if (!r)
        return answer_now(response, SEGRECV_NOMEM, "Out of memory");
    if (segrecv_request_headers(r, headers ? headers : "", headers_len) == SEGRECV_OK)
        segrecv_request_body(r, body ? body : "", body_len);
    segrecv_status st = segrecv_request_finish(r, response);
    pool_give(rcv, r);
    return st;
}
