/* yajl callbacks that record the body as a tape: one token per value, in
 * document order, each container token knowing how many tokens its subtree
 * spans. Nothing else is built while yajl runs; the members of an object or
 * the items of an array are laid out from the tape the first time they are
 * read (lazy.c), so a request only pays for the parts of the event its
 * callbacks look at. The tape is kept across requests. */
#include "internal.h"

#include <string.h>

struct segrecv__frame {
    uint32_t token; /* the container's token on the tape */
    uint32_t count; /* children so far */
    uint32_t limit; /* children allowed */
    bool events;    /* a batch's array of events */
};

/* A tape this long is given back at reset rather than kept for the next request. */
#define TAPE_KEEP_TOKENS 4096u

void segrecv__builder_init(segrecv__builder *b, segrecv__arena *arena,
                           const segrecv_allocator *alloc, const segrecv_limits *limits)
{
    memset(b, 0, sizeof *b);
    b->arena = arena;
    b->alloc = alloc;
    b->limits = limits;
    b->max_string_bytes = limits->max_string_bytes;
    b->max_object_keys = (uint32_t)limits->max_object_keys;
    b->max_depth = (uint32_t)limits->max_depth;
    b->error = SEGRECV_OK;
}

void segrecv__builder_free(segrecv__builder *b)
{
    segrecv__free(b->alloc, b->tape);
    segrecv__free(b->alloc, b->frames);
    b->tape = NULL;
    b->frames = NULL;
    b->tape_cap = b->frame_cap = 0;
}

void segrecv__builder_reset(segrecv__builder *b)
{
    if (b->tape_cap > TAPE_KEEP_TOKENS) {
        segrecv__free(b->alloc, b->tape);
        b->tape = NULL;
        b->tape_cap = 0;
    }
    b->tape_len = 0;
    b->depth = 0;
    b->top = NULL;
    b->pending_key = NULL;
    b->pending_key_len = 0;
    b->root = NULL;
    b->yajl = NULL; /* went with the request's arena */
    b->chunk_offset = b->root_end = 0;
    b->batch = false;
    b->chunk = NULL;
    b->chunk_len = 0;
    b->watch = NULL;
    b->reserve = NULL;
    b->layout_bytes = 0;
    atomic_store_explicit(&b->reserve_used, 0, memory_order_relaxed);
    b->error = SEGRECV_OK;
    b->error_message = NULL;
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

static bool grow(segrecv__builder *b, void **array, uint32_t *cap, size_t elem, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? (size_t)*cap * 2 : 64;
    while (n < need)
        n *= 2;
    if (n > UINT32_MAX || n > SIZE_MAX / elem)
        return false;
    void *p = segrecv__realloc(b->alloc, *array, n * elem);
    if (!p)
        return false;
    *array = p;
    *cap = (uint32_t)n;
    return true;
}

static const char *root_message(const segrecv__builder *b)
{
    return b->batch ? "Request body must be a JSON object or an array of events"
                    : "Request body must be a JSON object";
}

#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NOINLINE __attribute__((noinline))
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define NOINLINE
#endif

/* A problem the parser's strict scans saw (parse.c) stops yajl when the
 * token after it is delivered. */
static inline bool strict_ok(segrecv__builder *b)
{
    return LIKELY(!b->watch) || b->watch(b->watch_ctx);
}

static segrecv__token *too_many(segrecv__builder *b, const segrecv__frame *f)
{
    stop(b, SEGRECV_BAD_REQUEST,
         f->events ? "The batch has more events than the limit allows"
         : b->tape[f->token].value.type == SEGRECV_OBJECT
             ? "An object has more members than the limit allows"
             : "An array has more elements than the limit allows");
    return NULL;
}

static bool grow_tape(segrecv__builder *b)
{
    if (grow(b, (void **)&b->tape, &b->tape_cap, sizeof *b->tape, (size_t)b->tape_len + 1))
        return true;
    out_of_memory(b);
    return false;
}

/* The next token, with the pending key (stale, and never read, for an
 * array's items); the caller has checked the room. */
static inline segrecv__token *append(segrecv__builder *b)
{
    segrecv__token *t = &b->tape[b->tape_len++];
    t->key = b->pending_key;
    t->key_len = b->pending_key_len;
    t->span = 1;
    return t;
}

/* Does text yajl delivers lie in the chunk being parsed? Then *at is its
 * place in the arena copy (chunk_len is 0 without a chunk). */
static inline bool in_chunk(const segrecv__builder *b, const char *s, size_t len, uintptr_t *at)
{
    *at = (uintptr_t)s - (uintptr_t)b->chunk;
    return *at <= b->chunk_len && len <= b->chunk_len - *at;
}

/* The next token of the tape inside the open container, counted in it;
 * NULL after stop(). */
static inline segrecv__token *push(segrecv__builder *b)
{
    segrecv__frame *f = b->top;
    if (UNLIKELY(f->count == f->limit))
        return too_many(b, f);
    f->count++;
    if (UNLIKELY(b->tape_len == b->tape_cap) && !grow_tape(b))
        return NULL;
    return append(b);
}

/* Where the root value ends in the body: only white space may follow. */
static void mark_root_end(segrecv__builder *b)
{
    b->root_end = b->chunk_offset + (b->yajl ? yajl_get_bytes_consumed(b->yajl) : 0);
}

/* A scalar as the whole body: only the tests' and tools' any_root parses. */
static int scalar_root(segrecv__builder *b, const segrecv_value *v)
{
    if (!b->any_root)
        return stop(b, SEGRECV_BAD_REQUEST, root_message(b));
    segrecv_value *root = segrecv__arena_alloc(b->arena, sizeof *root);
    if (!root)
        return out_of_memory(b);
    *root = *v;
    b->root = root;
    mark_root_end(b);
    return YAJL_CONTINUE;
}

static int add_scalar(segrecv__builder *b, segrecv_value v)
{
    if (UNLIKELY(!strict_ok(b)))
        return YAJL_STOP;
    if (UNLIKELY(!b->top))
        return scalar_root(b, &v);
    segrecv__token *t = push(b);
    if (UNLIKELY(!t))
        return YAJL_STOP;
    t->value = v;
    return YAJL_CONTINUE;
}

static const char *copy_text(segrecv__builder *b, const char *s, size_t len)
{
    char *copy = segrecv__arena_strdup(b->arena, s, len);
    if (!copy)
        out_of_memory(b);
    return copy;
}

/* A NUL-terminated copy of text yajl delivers. Text that lies in the chunk
 * being parsed (no escapes, not split across chunks) is already in the arena
 * copy of that chunk: it is used in place, its closing quote or delimiter
 * overwritten by the NUL (nothing reads that byte again). Only a copy made
 * here can hold a NUL byte (from \u0000): yajl refuses raw control bytes. */
static inline const char *in_arena(segrecv__builder *b, const char *s, size_t len, bool *copied)
{
    uintptr_t at;
    if (LIKELY(in_chunk(b, s, len, &at))) {
        char *p = b->chunk_copy + at;
        p[len] = '\0';
        *copied = false;
        return p;
    }
    *copied = true;
    return copy_text(b, s, len);
}

static int on_null(void *ctx)
{
    return add_scalar(ctx, (segrecv_value){.type = SEGRECV_NULL});
}

static int on_boolean(void *ctx, int value)
{
    return add_scalar(ctx, (segrecv_value){.type = SEGRECV_BOOL, .boolean = value ? 1 : 0});
}

/* Every check and case, for text the fast path below does not take. */
NOINLINE static int on_text_slow(segrecv__builder *b, uint8_t type,
                                                  const char *s, size_t len)
{
    if (len > b->max_string_bytes)
        return stop(b, SEGRECV_BAD_REQUEST, type == SEGRECV_NUMBER
                                                ? "A number is longer than the limit allows"
                                                : "A string is longer than the limit allows");
    bool copied;
    const char *text = in_arena(b, s, len, &copied);
    if (!text)
        return YAJL_STOP;
    return add_scalar(b, (segrecv_value){.type = type, .copied = copied, .len = (uint32_t)len,
                                         .u.text = text});
}

/* The usual string or number: in place in the chunk, inside a container
 * with room, nothing to watch. Kept free of calls so that it needs no stack
 * frame: it runs for most tokens of every body. */
static inline int on_text(segrecv__builder *b, uint8_t type, const char *s, size_t len)
{
    uintptr_t at;
    segrecv__frame *f = b->top;
    if (UNLIKELY(b->watch || !f || f->count == f->limit || b->tape_len == b->tape_cap ||
                 len > b->max_string_bytes || !in_chunk(b, s, len, &at)))
        return on_text_slow(b, type, s, len);
    f->count++;
    char *text = b->chunk_copy + at;
    text[len] = '\0';
    segrecv__token *t = append(b);
    t->value = (segrecv_value){.type = type, .len = (uint32_t)len, .u.text = text};
    return YAJL_CONTINUE;
}

static int on_number(void *ctx, const char *s, size_t len)
{
    return on_text(ctx, SEGRECV_NUMBER, s, len);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    return on_text(ctx, SEGRECV_STRING, (const char *)s, len);
}

NOINLINE static int on_map_key_slow(segrecv__builder *b, const char *s,
                                                     size_t len)
{
    if (!strict_ok(b))
        return YAJL_STOP;
    if (len > b->max_string_bytes)
        return stop(b, SEGRECV_BAD_REQUEST, "A string is longer than the limit allows");
    bool copied;
    const char *key = in_arena(b, s, len, &copied);
    if (!key)
        return YAJL_STOP;
    b->pending_key = key;
    b->pending_key_len = (uint32_t)len;
    return YAJL_CONTINUE;
}

/* A key waits for its value; the usual one, in place, takes no call. */
static int on_map_key(void *ctx, const unsigned char *s, size_t len)
{
    segrecv__builder *b = ctx;
    uintptr_t at;
    if (UNLIKELY(b->watch || len > b->max_string_bytes || !in_chunk(b, (const char *)s, len, &at)))
        return on_map_key_slow(b, (const char *)s, len);
    char *key = b->chunk_copy + at;
    key[len] = '\0';
    b->pending_key = key;
    b->pending_key_len = (uint32_t)len;
    return YAJL_CONTINUE;
}

NOINLINE static int open_container_slow(segrecv__builder *b, uint8_t type)
{
    if (!strict_ok(b))
        return YAJL_STOP;
    bool batch_root = b->batch && b->depth == 0 && type == SEGRECV_ARRAY;
    if (b->depth == 0 && !b->any_root && type != SEGRECV_OBJECT && !batch_root)
        return stop(b, SEGRECV_BAD_REQUEST, root_message(b));
    if (b->depth >= b->max_depth)
        return stop(b, SEGRECV_BAD_REQUEST, "JSON nesting is deeper than the limit allows");
    if (b->depth == b->frame_cap &&
        !grow(b, (void **)&b->frames, &b->frame_cap, sizeof *b->frames, (size_t)b->depth + 1))
        return out_of_memory(b);
    if (b->depth)
        b->top = &b->frames[b->depth - 1]; /* the frames may have moved */
    /* The events of a batch: a top-level array, or the envelope's "batch". */
    bool events = batch_root || (b->batch && b->depth == 1 && type == SEGRECV_ARRAY &&
                                 b->tape[0].value.type == SEGRECV_OBJECT &&
                                 b->pending_key_len == 5 && memcmp(b->pending_key, "batch", 5) == 0);
    uint32_t index = b->tape_len;
    segrecv__token *t;
    if (b->top) {
        t = push(b);
    } else { /* the root */
        t = b->tape_len < b->tape_cap || grow_tape(b) ? append(b) : NULL;
        if (t) {
            t->key = NULL;
            t->key_len = 0;
        }
    }
    if (!t)
        return YAJL_STOP;
    t->value = (segrecv_value){.type = type, .lazy = 1, .u.builder = b};
    atomic_init(&t->children, NULL);
    segrecv__frame *f = &b->frames[b->depth++];
    b->top = f;
    f->token = index;
    f->count = 0;
    f->limit = events ? (uint32_t)b->limits->max_batch_events : b->max_object_keys;
    f->events = events;
    return YAJL_CONTINUE;
}

/* The whole body has been read: its root, and room for every container's
 * children (counted as the containers closed) so that laying them out later
 * cannot run out of memory. */
static int close_root(segrecv__builder *b)
{
    size_t bytes = b->layout_bytes;
    segrecv_value *root = segrecv__arena_alloc(b->arena, sizeof *root);
    unsigned char *reserve = bytes ? segrecv__arena_alloc(b->arena, bytes) : NULL;
    if (!root || (bytes && !reserve))
        return out_of_memory(b);
    b->reserve = reserve;
    atomic_store_explicit(&b->reserve_used, 0, memory_order_relaxed);
    *root = segrecv__lazy_value(&b->tape[0]);
    b->root = root;
    mark_root_end(b);
    return YAJL_CONTINUE;
}

static int close_container(void *ctx)
{
    segrecv__builder *b = ctx;
    if (!strict_ok(b))
        return YAJL_STOP;
    segrecv__frame *f = &b->frames[--b->depth];
    b->top = b->depth ? f - 1 : NULL;
    segrecv__token *t = &b->tape[f->token];
    t->span = b->tape_len - f->token;
    t->value.len = f->count;
    /* The room its children take once laid out (lazy.c): one member or item
     * per token, so never more than the tape itself. */
    size_t child = t->value.type == SEGRECV_OBJECT ? sizeof(segrecv__member) : sizeof(segrecv_value);
    b->layout_bytes += (size_t)f->count * child;
    return b->depth == 0 ? close_root(b) : YAJL_CONTINUE;
}

/* A container inside another, with room for both and nothing to watch:
 * the usual case, kept free of calls like on_text(). */
static inline int open_container(segrecv__builder *b, uint8_t type)
{
    segrecv__frame *parent = b->top;
    if (UNLIKELY(!parent || b->watch || b->batch || parent->count == parent->limit ||
                 b->depth >= b->max_depth || b->depth == b->frame_cap ||
                 b->tape_len == b->tape_cap))
        return open_container_slow(b, type);
    parent->count++;
    uint32_t index = b->tape_len;
    segrecv__token *t = append(b);
    t->value = (segrecv_value){.type = type, .lazy = 1, .u.builder = b};
    atomic_init(&t->children, NULL);
    segrecv__frame *f = parent + 1;
    b->top = f;
    b->depth++;
    f->token = index;
    f->count = 0;
    f->limit = b->max_object_keys;
    f->events = false;
    return YAJL_CONTINUE;
}

static int on_start_map(void *ctx)
{
    return open_container(ctx, SEGRECV_OBJECT);
}

static int on_start_array(void *ctx)
{
    return open_container(ctx, SEGRECV_ARRAY);
}

const yajl_callbacks segrecv__builder_callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = close_container,
    .yajl_start_array = on_start_array,
    .yajl_end_array = close_container,
};
