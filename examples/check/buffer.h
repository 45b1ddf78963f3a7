/* A growable byte buffer. */
#ifndef CHECK_BUFFER_H
#define CHECK_BUFFER_H

#include <stddef.h>

typedef struct buffer {
    char *data; /* NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    int failed; /* an allocation failed; data holds what came before */
} buffer;

void buffer_append(buffer *b, const char *s, size_t len);
void buffer_puts(buffer *b, const char *s);
void buffer_free(buffer *b);

#endif
