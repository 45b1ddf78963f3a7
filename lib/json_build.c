/* yajl callbacks that build the read-only value tree straight into the
 * request arena. Children of open containers wait on one slot stack (kept
 * across requests) and move into the arena when their container closes. */
#include "internal.h"

#include <string.h>

struct segrecv__slot {
    const char *key;
    uint32_t key_len;
    segrecv_value value;
};

struct segrecv__frame {
    size_t first_slot; /* where this container's children start */
    uint8_t type;      /* SEGRECV_ARRAY or SEGRECV_OBJECT */
    bool events;       /* a batch's array of events */
    const char *key;   /* this container's own key in its parent */
    uint32_t key_len;
};

void segrecv__builder_init(segrecv__builder *b, segrecv__arena *arena,
                           const segrecv_allocator *alloc, const segrecv_limits *limits)
{
    memset(b, 0, sizeof *b);
    b->arena = arena;
    b->alloc = alloc;
    b->limits = limits;
    b->error = SEGRECV_OK;
}

void segrecv__builder_reset(segrecv__builder *b)
{
    b->slot_count = 0;
    b->depth = 0;
    b->pending_key = NULL;
    b->pending_key_len = 0;
    b->root = NULL;
    b->batch = false;
    b->chunk = NULL;
    b->error = SEGRECV_OK;
    b->error_message = NULL;
}

void segrecv__builder_free(segrecv__builder *b)
{
    segrecv__free(b->alloc, b->slots);
    segrecv__free(b->alloc, b->frames);
    b->slots = NULL;
    b->frames = NULL;
    b->slot_cap = b->frame_cap = 0;
}

/* yajl's convention: a callback returns nonzero to go on, 0 to stop. */
enum { YAJL_CONTINUE = 1, YAJL_STOP = 0 };

static int stop(segrecv__builder *b, segrecv_status status, const char *message)
{
    if (b->error == SEGRECV_OK) {
        b->error = status;
        b->error_message = message;
    }
    return YAJL_STOP;
}

static int out_of_memory(segrecv__builder *b)
{
    return stop(b, SEGRECV_NOMEM, "Out of memory");
}

static bool grow(segrecv__builder *b, void **array, size_t *cap, size_t elem, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 32;
    while (n < need)
        n *= 2;
    void *p = segrecv__realloc(b->alloc, *array, n * elem);
    if (!p)
        return false;
    *array = p;
    *cap = n;
    return true;
}

static int add_value(segrecv__builder *b, const segrecv_value *v)
{
    if (b->depth == 0) {
        if (!b->any_root && v->type != SEGRECV_OBJECT && !(b->batch && v->type == SEGRECV_ARRAY))
            return stop(b, SEGRECV_BAD_REQUEST, b->batch ? "Request body must be a JSON object "
                                                           "or an array of events"
                                                         : "Request body must be a JSON object");
        segrecv_value *root = segrecv__arena_alloc(b->arena, sizeof *root);
        if (!root)
            return out_of_memory(b);
        *root = *v;
        b->root = root;
        return YAJL_CONTINUE;
    }
    segrecv__frame *f = &b->frames[b->depth - 1];
    size_t limit = f->events ? b->limits->max_batch_events : b->limits->max_object_keys;
    if (b->slot_count - f->first_slot >= limit)
        return stop(b, SEGRECV_BAD_REQUEST,
                    f->events                   ? "The batch has more events than the limit allows"
                    : f->type == SEGRECV_OBJECT ? "An object has more members than the limit allows"
                                                : "An array has more elements than the limit allows");
    if (!grow(b, (void **)&b->slots, &b->slot_cap, sizeof *b->slots, b->slot_count + 1))
        return out_of_memory(b);
    segrecv__slot *s = &b->slots[b->slot_count++];
    s->key = b->pending_key;
    s->key_len = b->pending_key_len;
    s->value = *v;
    b->pending_key = NULL;
    b->pending_key_len = 0;
    return YAJL_CONTINUE;
}

/* A NUL-terminated copy of text yajl delivers. Text that lies in the chunk
 * being parsed (no escapes, not split across chunks) is already in the arena
 * copy of that chunk: it is used in place, its closing quote or delimiter
 * overwritten by the NUL (nothing reads that byte again). */
static const char *in_arena(segrecv__builder *b, const char *s, size_t len)
{
    uintptr_t at = (uintptr_t)s, start = (uintptr_t)b->chunk;
    if (b->chunk && at >= start && at - start <= b->chunk_len &&
        len <= b->chunk_len - (at - start)) {
        char *p = b->chunk_copy + (at - start);
        p[len] = '\0';
        return p;
    }
    char *copy = segrecv__arena_strdup(b->arena, s, len);
    if (!copy)
        out_of_memory(b);
    return copy;
}

/* A string or key, after the length limit (its UTF-8 is checked over the
 * whole body, in parse.c). */
static const char *take_text(segrecv__builder *b, const unsigned char *s, size_t len, bool *ok)
{
    *ok = false;
    if (len > b->limits->max_string_bytes) {
        stop(b, SEGRECV_BAD_REQUEST, "A string is longer than the limit allows");
        return NULL;
    }
    const char *text = in_arena(b, (const char *)s, len);
    *ok = text != NULL;
    return text;
}

static int on_null(void *ctx)
{
    segrecv_value v = {.type = SEGRECV_NULL};
    return add_value(ctx, &v);
}

static int on_boolean(void *ctx, int value)
{
    segrecv_value v = {.type = SEGRECV_BOOL, .boolean = value ? 1 : 0};
    return add_value(ctx, &v);
}

static int on_number(void *ctx, const char *text, size_t len)
{
    segrecv__builder *b = ctx;
    if (len > b->limits->max_string_bytes)
        return stop(b, SEGRECV_BAD_REQUEST, "A number is longer than the limit allows");
    const char *copy = in_arena(b, text, len);
    if (!copy)
        return YAJL_STOP;
    segrecv_value v = {.type = SEGRECV_NUMBER, .len = (uint32_t)len, .u.text = copy};
    return add_value(b, &v);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    segrecv__builder *b = ctx;
    bool ok;
    const char *copy = take_text(b, s, len, &ok);
    if (!ok)
        return YAJL_STOP;
    segrecv_value v = {.type = SEGRECV_STRING, .len = (uint32_t)len, .u.text = copy};
    return add_value(b, &v);
}

static int on_map_key(void *ctx, const unsigned char *s, size_t len)
{
    segrecv__builder *b = ctx;
    bool ok;
    const char *copy = take_text(b, s, len, &ok);
    if (!ok)
        return YAJL_STOP;
    b->pending_key = copy;
    b->pending_key_len = (uint32_t)len;
    return YAJL_CONTINUE;
}

static int open_container(segrecv__builder *b, uint8_t type)
{
    bool batch_root = b->batch && b->depth == 0 && type == SEGRECV_ARRAY;
    if (b->depth == 0 && !b->any_root && type != SEGRECV_OBJECT && !batch_root)
        return stop(b, SEGRECV_BAD_REQUEST, b->batch ? "Request body must be a JSON object or "
                                                       "an array of events"
                                                     : "Request body must be a JSON object");
    if (b->depth >= b->limits->max_depth)
        return stop(b, SEGRECV_BAD_REQUEST, "JSON nesting is deeper than the limit allows");
    if (!grow(b, (void **)&b->frames, &b->frame_cap, sizeof *b->frames, b->depth + 1))
        return out_of_memory(b);
    segrecv__frame *f = &b->frames[b->depth++];
    f->first_slot = b->slot_count;
    f->type = type;
    /* The events of a batch: a top-level array, or the envelope's "batch". */
    f->events = batch_root || (b->batch && b->depth == 2 && type == SEGRECV_ARRAY &&
                               b->frames[0].type == SEGRECV_OBJECT && b->pending_key_len == 5 &&
                               memcmp(b->pending_key, "batch", 5) == 0);
    f->key = b->pending_key;
    f->key_len = b->pending_key_len;
    b->pending_key = NULL;
    b->pending_key_len = 0;
    return YAJL_CONTINUE;
}

static int close_container(segrecv__builder *b)
{
    segrecv__frame f = b->frames[--b->depth];
    size_t n = b->slot_count - f.first_slot;
    /* slots is still NULL when no value was ever added (NULL + 0 is UB). */
    segrecv__slot *children = n ? b->slots + f.first_slot : NULL;
    segrecv_value v = {.type = f.type, .len = (uint32_t)n};
    if (f.type == SEGRECV_OBJECT) {
        segrecv__member *m = n ? segrecv__arena_alloc(b->arena, n * sizeof *m) : NULL;
        if (n && !m)
            return out_of_memory(b);
        for (size_t i = 0; i < n; i++) {
            m[i].key = children[i].key;
            m[i].key_len = children[i].key_len;
            m[i].value = children[i].value;
        }
        v.u.members = m;
    } else {
        segrecv_value *items = n ? segrecv__arena_alloc(b->arena, n * sizeof *items) : NULL;
        if (n && !items)
            return out_of_memory(b);
        for (size_t i = 0; i < n; i++)
            items[i] = children[i].value;
        v.u.items = items;
    }
    b->slot_count = f.first_slot;
    b->pending_key = f.key;
    b->pending_key_len = f.key_len;
    return add_value(b, &v);
}

static int on_start_map(void *ctx)
{
    return open_container(ctx, SEGRECV_OBJECT);
}

static int on_start_array(void *ctx)
{
    return open_container(ctx, SEGRECV_ARRAY);
}

static int on_end_container(void *ctx)
{
    return close_container(ctx);
}

const yajl_callbacks segrecv__builder_callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_container,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_container,
};
