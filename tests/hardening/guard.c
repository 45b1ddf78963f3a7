/* Guard pages with mmap + mprotect (see guard.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS is not in POSIX 2008 */
#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void die(const char *what)
{
    perror(what);
    abort();
}

/* `cap` usable bytes, then one PROT_NONE page. */
static guarded map_with_guard(size_t cap)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (cap + page - 1) / page;
    guarded g;
    g.map_len = (data_pages + 1) * page;
    g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g.map == MAP_FAILED)
        die("mmap");
    char *guard = (char *)g.map + data_pages * page;
    if (mprotect(guard, page, PROT_NONE) != 0)
        die("mprotect");
    g.data = guard - cap;
    g.len = cap;
    return g;
}

guarded guard_copy(const void *src, size_t len)
{
    guarded g = map_with_guard(len);
    if (len)
        memcpy(g.data, src, len);
    /* Read-only too: the library must never write into its input. */
    size_t data_bytes = g.map_len - (size_t)sysconf(_SC_PAGESIZE);
    if (data_bytes && mprotect(g.map, data_bytes, PROT_READ) != 0)
        die("mprotect");
    return g;
}

guarded guard_room(size_t cap)
{
    return map_with_guard(cap);
}

const char *guard_place(guarded *g, const void *src, size_t len)
{
    if (len > g->len)
        abort();
    char *at = g->data + g->len - len;
    if (len)
        memcpy(at, src, len);
    return at;
}

void guard_release(guarded *g)
{
    if (g->map && munmap(g->map, g->map_len) != 0)
        die("munmap");
    g->map = NULL;
}
