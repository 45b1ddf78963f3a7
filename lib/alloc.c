/* The allocator hooks: every allocation of the library goes through here;
 * and the clearing of per-request structs. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void *default_malloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size);
}

static void *default_realloc(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    return realloc(ptr, size);
}

static void default_free(void *ctx, void *ptr)
{
    (void)ctx;
    free(ptr);
}

segrecv_allocator segrecv__allocator_or_default(const segrecv_allocator *a)
{
    if (a && a->malloc && a->realloc && a->free)
        return *a;
    segrecv_allocator d = {default_malloc, default_realloc, default_free, NULL};
    return d;
}

void *segrecv__malloc(const segrecv_allocator *a, size_t size)
{
    return a->malloc(a->ctx, size ? size : 1);
}

void *segrecv__realloc(const segrecv_allocator *a, void *ptr, size_t size)
{
    return a->realloc(a->ctx, ptr, size ? size : 1);
}

void segrecv__free(const segrecv_allocator *a, void *ptr)
{
    if (ptr)
        a->free(a->ctx, ptr);
}

/* Out of line on purpose: with the size unknown here, this is the C
 * library's vectorised memset. gcc inlines a memset of a few hundred bytes
 * of known size as `rep stos`, whose start-up cost on the x86-64 machines
 * measured (docs/performance.md) was several times the work. A link-time
 * optimised build may inline this again. */
void segrecv__clear(void *p, size_t n)
{
    memset(p, 0, n);
}
