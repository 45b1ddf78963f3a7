/* JSON output with yajl_gen: values, canonical events and response bodies.
 * yajl_gen's few allocations come from memory on the stack, so writing JSON
 * never calls malloc and never fails for want of memory. */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

/* yajl_gen needs its struct (about 600 bytes) and a 2 KiB buffer that the
 * print callback makes it release at once: 8 KiB is ample. */
#define GEN_MEMORY 8192

typedef struct gen_memory {
    _Alignas(16) unsigned char bytes[GEN_MEMORY];
    size_t used;
} gen_memory;

static void *gen_malloc(void *ctx, size_t size)
{
    gen_memory *m = ctx;
    size = (size + 15) & ~(size_t)15;
    if (GEN_MEMORY - m->used < size)
        return NULL;
    void *p = m->bytes + m->used;
    m->used += size;
    return p;
}

static void *gen_realloc(void *ctx, void *ptr, size_t size)
{
    (void)ptr; /* never called with a print callback set: the buffer is gone */
    return gen_malloc(ctx, size);
}

static void gen_free(void *ctx, void *ptr)
{
    (void)ctx;
    (void)ptr;
}

/* snprintf-style sink: counts everything, stores what fits. */
typedef struct sink {
    char *buf;
    size_t cap;
    size_t len;
} sink;

static void sink_write(void *ctx, const char *s, size_t len)
{
    sink *k = ctx;
    if (k->cap > 0 && k->len < k->cap - 1) {
        size_t room = k->cap - 1 - k->len;
        memcpy(k->buf + k->len, s, len < room ? len : room);
    }
    k->len += len;
}

static void sink_close(sink *k)
{
    if (k->cap > 0)
        k->buf[k->len < k->cap ? k->len : k->cap - 1] = '\0';
}

typedef struct writer {
    gen_memory memory;
    yajl_alloc_funcs funcs;
    sink out;
    yajl_gen gen;
} writer;

static bool writer_open(writer *w, char *buf, size_t cap)
{
    w->memory.used = 0;
    w->funcs = (yajl_alloc_funcs){gen_malloc, gen_realloc, gen_free, &w->memory};
    w->out = (sink){buf, cap, 0};
    w->gen = yajl_gen_alloc(&w->funcs);
    if (!w->gen)
        return false;
    yajl_gen_config(w->gen, yajl_gen_print_callback, sink_write, &w->out);
    return true;
}

static size_t writer_close(writer *w)
{
    yajl_gen_free(w->gen);
    sink_close(&w->out);
    return w->out.len;
}

static void put_str(yajl_gen g, const char *s, size_t len)
{
    yajl_gen_string(g, (const unsigned char *)s, len);
}

static void put_value(yajl_gen g, const segrecv_value *v)
{
    switch (v->type) {
    case SEGRECV_NULL:
        yajl_gen_null(g);
        break;
    case SEGRECV_BOOL:
        yajl_gen_bool(g, v->boolean);
        break;
    case SEGRECV_NUMBER:
        yajl_gen_number(g, v->u.text, v->len);
        break;
    case SEGRECV_STRING:
        put_str(g, v->u.text, v->len);
        break;
    case SEGRECV_ARRAY: {
        yajl_gen_array_open(g);
        const segrecv_value *items = segrecv__items(v);
        for (uint32_t i = 0; i < v->len; i++)
            put_value(g, &items[i]);
        yajl_gen_array_close(g);
        break;
    }
    case SEGRECV_OBJECT: {
        yajl_gen_map_open(g);
        const segrecv__member *members = segrecv__members(v);
        for (uint32_t i = 0; i < v->len; i++) {
            put_str(g, members[i].key, members[i].key_len);
            put_value(g, &members[i].value);
        }
        yajl_gen_map_close(g);
        break;
    }
    default:
        break;
    }
}

size_t segrecv_value_to_json(const segrecv_value *value, char *buf, size_t cap)
{
    writer w;
    if (!value || !writer_open(&w, buf, cap)) {
        if (cap > 0)
            buf[0] = '\0';
        return 0;
    }
    put_value(w.gen, value);
    return writer_close(&w);
}

static void put_field_str(yajl_gen g, const char *name, segrecv_str s)
{
    if (!s.ptr)
        return;
    put_str(g, name, strlen(name));
    put_str(g, s.ptr, s.len);
}

static void put_field_value(yajl_gen g, const char *name, const segrecv_value *v)
{
    if (!v)
        return;
    put_str(g, name, strlen(name));
    put_value(g, v);
}

/* version keeps its JSON type (1 or "1.1"), unlike ids, which become strings. */
static const segrecv_value *raw_version(const segrecv_event *ev)
{
    const segrecv_value *v = segrecv_value_get(ev->raw, "version");
    return v && (v->type == SEGRECV_NUMBER || v->type == SEGRECV_STRING) ? v : NULL;
}

size_t segrecv_event_to_json(const segrecv_event *ev, char *buf, size_t cap)
{
    writer w;
    if (!ev || !writer_open(&w, buf, cap)) {
        if (cap > 0)
            buf[0] = '\0';
        return 0;
    }
    yajl_gen g = w.gen;
    yajl_gen_map_open(g);
    put_field_str(g, "type", ev->type_name);
    put_field_str(g, "message_id", ev->message_id);
    put_field_str(g, "user_id", ev->user_id);
    put_field_str(g, "anonymous_id", ev->anonymous_id);
    put_field_str(g, "group_id", ev->group_id);
    put_field_str(g, "previous_id", ev->previous_id);
    put_field_str(g, "event", ev->event);
    put_field_str(g, "name", ev->name);
    put_field_str(g, "category", ev->category);
    put_field_str(g, "channel", ev->channel);
    put_field_value(g, "version", raw_version(ev));
    put_field_str(g, "timestamp", ev->timestamp.text);
    put_field_str(g, "sent_at", ev->sent_at.text);
    put_field_str(g, "received_at", ev->received_at.text);
    put_field_str(g, "original_timestamp", ev->original_timestamp.text);
    put_field_value(g, "context", ev->context);
    put_field_value(g, "integrations", ev->integrations);
    put_field_value(g, "traits", ev->traits);
    put_field_value(g, "properties", ev->properties);
    put_field_value(g, "settings", ev->settings);
    yajl_gen_map_close(g);
    return writer_close(&w);
}

static void put_error(yajl_gen g, const segrecv__event_error *e)
{
    yajl_gen_map_open(g);
    put_str(g, "index", 5);
    char n[24];
    int len = snprintf(n, sizeof n, "%zu", e->index);
    yajl_gen_number(g, n, (size_t)len);
    if (e->message_id.ptr) {
        put_str(g, "message_id", 10);
        put_str(g, e->message_id.ptr, e->message_id.len);
    }
    put_str(g, "status", 6);
    len = snprintf(n, sizeof n, "%d", segrecv_status_http(e->status));
    yajl_gen_number(g, n, (size_t)len);
    put_str(g, "message", 7);
    put_str(g, e->message, strlen(e->message));
    yajl_gen_map_close(g);
}

/* {"message": ..., "errors": [the first `kept` errors], "errors_omitted": n} */
static size_t errors_json_once(const char *msg, const segrecv__event_error *errors, size_t count,
                               size_t kept, char *buf, size_t cap)
{
    writer w;
    if (!writer_open(&w, buf, cap))
        return SIZE_MAX;
    yajl_gen_map_open(w.gen);
    put_str(w.gen, "message", 7);
    put_str(w.gen, msg, strlen(msg));
    put_str(w.gen, "errors", 6);
    yajl_gen_array_open(w.gen);
    for (size_t i = 0; i < kept; i++)
        put_error(w.gen, &errors[i]);
    yajl_gen_array_close(w.gen);
    if (kept < count) {
        put_str(w.gen, "errors_omitted", 14);
        char n[24];
        int len = snprintf(n, sizeof n, "%zu", count - kept);
        yajl_gen_number(w.gen, n, (size_t)len);
    }
    yajl_gen_map_close(w.gen);
    return writer_close(&w);
}

size_t segrecv__response_json(const char *msg, const segrecv__event_error *errors, size_t count,
                              char *buf, size_t cap)
{
    /* Keep as many errors as fit; the message alone always fits (it is cut). */
    for (size_t kept = count; count > 0; kept = kept > 8 ? kept * 3 / 4 : kept - 1) {
        size_t n = errors_json_once(msg, errors, count, kept, buf, cap);
        if (n < cap)
            return n;
        if (kept == 0)
            break;
    }
    return segrecv__message_json(msg, buf, cap);
}

static size_t message_json_once(const char *msg, size_t len, char *buf, size_t cap)
{
    writer w;
    if (!writer_open(&w, buf, cap))
        return SIZE_MAX;
    yajl_gen_map_open(w.gen);
    put_str(w.gen, "message", 7);
    put_str(w.gen, msg, len);
    yajl_gen_map_close(w.gen);
    return writer_close(&w);
}

size_t segrecv__message_json(const char *msg, char *buf, size_t cap)
{
    size_t len = strlen(msg);
    for (;;) {
        size_t n = message_json_once(msg, len, buf, cap);
        if (n < cap || len == 0)
            return n < cap ? n : 0;
        /* Escapes made it longer than the buffer: cut the message and retry. */
        len = segrecv__utf8_floor(msg, len - (n - cap + 1 < len ? n - cap + 1 : len));
    }
}
