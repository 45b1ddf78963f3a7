/* segrecv-check's input: a body, or a raw HTTP request. */
#ifndef CHECK_INPUT_H
#define CHECK_INPUT_H

#include "buffer.h"

/* Read all of `path` (NULL or "-" = stdin) into `out`. Returns 0 or -1. */
int input_read(const char *path, buffer *out);

/* A raw request split into its parts; pointers into the input. */
typedef struct raw_request {
    const char *method;  /* request line's method, method_len bytes */
    size_t method_len;
    const char *target;  /* request line's target ("/v1/batch"), target_len bytes */
    size_t target_len;
    const char *headers; /* header lines, without the request line or blank line */
    size_t headers_len;
    const char *body;    /* what follows the blank line */
    size_t body_len;
} raw_request;

/* Split "METHOD TARGET HTTP/x.y" CRLF header lines CRLF CRLF body.
 * Returns 0, or -1 when the request line is missing or malformed. */
int raw_request_split(const char *data, size_t len, raw_request *out);

#endif
