/* Inputs that end exactly where an unreadable page begins, so any read past
 * their end faults at once (picohttpparser's test trick). */
#ifndef GUARD_H
#define GUARD_H

#include <stddef.h>

typedef struct guarded {
    char *data;  /* the copy: data[len] is the first byte of a PROT_NONE page */
    size_t len;
    void *map;
    size_t map_len;
} guarded;

/* A read-only copy of `len` bytes ending at the guard page. */
guarded guard_copy(const void *src, size_t len);
/* Room for `cap` writable bytes before the guard page; guard_place() copies
 * a chunk so that it ends at the page and returns where it starts. */
guarded guard_room(size_t cap);
const char *guard_place(guarded *g, const void *src, size_t len);
void guard_release(guarded *g);

#endif
