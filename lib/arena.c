/* Per-request bump allocator. Blocks are kept across resets, so a warmed-up
 * request object handles the next request without calling malloc. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define ARENA_FIRST_BLOCK 8192u
#define ARENA_ALIGN 8u
/* Memory kept across resets; a request that needed more gives the rest back. */
#define ARENA_KEEP_BYTES (1024u * 1024u)

struct segrecv__arena_block {
    segrecv__arena_block *next;
    size_t cap;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void segrecv__arena_init(segrecv__arena *arena, const segrecv_allocator *alloc)
{
    arena->alloc = alloc;
    arena->first = NULL;
    arena->current = NULL;
    arena->cursor = arena->limit = NULL;
}

static size_t align_up(size_t n)
{
    return (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
}

static void use_block(segrecv__arena *arena, segrecv__arena_block *b)
{
    arena->current = b;
    arena->cursor = b->data;
    arena->limit = b->data + b->cap;
}

static segrecv__arena_block *block_new(segrecv__arena *arena, size_t need)
{
    size_t cap = arena->current ? arena->current->cap * 2 : ARENA_FIRST_BLOCK;
    while (cap < need)
        cap *= 2;
    segrecv__arena_block *b = segrecv__malloc(arena->alloc, sizeof *b + cap);
    if (!b)
        return NULL;
    b->next = NULL;
    b->cap = cap;
    return b;
}

/* The current block is full: go on in the next one kept from an earlier
 * request, or chain a new one twice as large. */
void *segrecv__arena_alloc_slow(segrecv__arena *arena, size_t size)
{
    if (size > SIZE_MAX / 4)
        return NULL;
    size = align_up(size ? size : 1);
    if ((size_t)(arena->limit - arena->cursor) >= size) {
        void *p = arena->cursor;
        arena->cursor += size;
        return p;
    }
    segrecv__arena_block *b = arena->current ? arena->current->next : arena->first;
    while (b && b->cap < size)
        b = b->next;
    if (!b) {
        b = block_new(arena, size);
        if (!b)
            return NULL;
        segrecv__arena_block **tail = &arena->first;
        while (*tail)
            tail = &(*tail)->next;
        *tail = b;
    }
    use_block(arena, b);
    arena->cursor += size;
    return b->data;
}

char *segrecv__arena_strdup(segrecv__arena *arena, const char *s, size_t len)
{
    char *p = segrecv__arena_alloc(arena, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *segrecv__arena_vprintf(segrecv__arena *arena, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *p = segrecv__arena_alloc(arena, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *segrecv__arena_printf(segrecv__arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = segrecv__arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return p;
}

void segrecv__arena_reset(segrecv__arena *arena)
{
    size_t kept = 0;
    segrecv__arena_block **link = &arena->first;
    while (*link) {
        segrecv__arena_block *b = *link;
        if (kept + b->cap > ARENA_KEEP_BYTES && kept > 0) {
            *link = b->next;
            segrecv__free(arena->alloc, b);
            continue;
        }
        kept += b->cap;
        link = &b->next;
    }
    if (arena->first)
        use_block(arena, arena->first);
    else
        arena->current = NULL, arena->cursor = arena->limit = NULL;
}

void segrecv__arena_free(segrecv__arena *arena)
{
    segrecv__arena_block *b = arena->first;
    while (b) {
        segrecv__arena_block *next = b->next;
        segrecv__free(arena->alloc, b);
        b = next;
    }
    segrecv__arena_init(arena, arena->alloc);
}

/* yajl needs realloc, so each of its allocations carries its size. */
typedef struct yajl_chunk {
    size_t size;
    size_t pad_;
} yajl_chunk;

static void *arena_yajl_malloc(void *ctx, size_t size)
{
    yajl_chunk *c = segrecv__arena_alloc(ctx, sizeof *c + size);
    if (!c)
        return NULL;
    c->size = size;
    return c + 1;
}

static void *arena_yajl_realloc(void *ctx, void *ptr, size_t size)
{
    if (!ptr)
        return arena_yajl_malloc(ctx, size);
    yajl_chunk *old = (yajl_chunk *)ptr - 1;
    if (size <= old->size)
        return ptr;
    void *p = arena_yajl_malloc(ctx, size);
    if (p)
        memcpy(p, ptr, old->size);
    return p;
}

static void arena_yajl_free(void *ctx, void *ptr)
{
    (void)ctx;
    (void)ptr; /* released with the arena */
}

yajl_alloc_funcs segrecv__arena_yajl_funcs(segrecv__arena *arena)
{
    yajl_alloc_funcs f = {arena_yajl_malloc, arena_yajl_realloc, arena_yajl_free, arena};
    return f;
}
