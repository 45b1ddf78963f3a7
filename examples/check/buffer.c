/* A growable byte buffer; a failed allocation is remembered, not fatal,
 * so callers check once at the end. */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

void buffer_append(buffer *b, const char *s, size_t len)
{
    if (b->failed)
        return;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = 1;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void buffer_puts(buffer *b, const char *s)
{
    buffer_append(b, s, strlen(s));
}

void buffer_free(buffer *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
