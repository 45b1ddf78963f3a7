/* Small helpers shared by the hardening tests. */
#ifndef HARDENING_SUPPORT_H
#define HARDENING_SUPPORT_H

#include "segrecv.h"

#include <stddef.h>

/* Headers that authenticate as "writekey" and declare JSON. */
#define GOOD_AUTH "Authorization: Basic d3JpdGVrZXk6\r\n"
#define GOOD_HEADERS GOOD_AUTH "Content-Type: application/json\r\n\r\n"
#define API_KEY "writekey"

/* The "message" of a response body into buf ("" for an empty body); fails
 * the test when the body is not {"message": "..."}. */
const char *response_message(const segrecv_response *res, char *buf, size_t cap);

/* A growable byte buffer for generated inputs. */
typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;
void buf_add(buffer *b, const char *s, size_t len);
void buf_str(buffer *b, const char *s);
void buf_repeat(buffer *b, const char *s, size_t times);
void buf_free(buffer *b);

#endif
