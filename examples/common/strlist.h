/* A growable list of borrowed strings, for options that may repeat. */
#ifndef EXAMPLES_STRLIST_H
#define EXAMPLES_STRLIST_H

#include <stddef.h>

typedef struct strlist {
    const char **items; /* borrowed (argv); the array itself is owned */
    size_t count;
} strlist;

/* Append `s` (not copied). Returns 0, or -1 when out of memory. */
int strlist_add(strlist *list, const char *s);
/* 1 when some item has exactly these `len` bytes. */
int strlist_has(const strlist *list, const char *s, size_t len);
void strlist_free(strlist *list);

#endif
