/* A growable list of borrowed strings, for options that may repeat. */
#include "strlist.h"

#include <stdlib.h>
#include <string.h>

int strlist_add(strlist *list, const char *s)
{
    const char **items = realloc(list->items, (list->count + 1) * sizeof *items);
    if (!items)
        return -1;
    items[list->count++] = s;
    list->items = items;
    return 0;
}

int strlist_has(const strlist *list, const char *s, size_t len)
{
    for (size_t i = 0; i < list->count; i++)
        if (strlen(list->items[i]) == len && memcmp(list->items[i], s, len) == 0)
            return 1;
    return 0;
}

void strlist_free(strlist *list)
{
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
