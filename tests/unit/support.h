/* Shared helpers for the unit tests: a receiver that records what it
 * dispatches, and runners for one-shot and streamed requests. */
#ifndef SEGRECV_TEST_SUPPORT_H
#define SEGRECV_TEST_SUPPORT_H

#include <segrecv.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define AUTH_SEGMENT "Authorization: Basic c2VnbWVudDo=\r\n" /* key "segment" */
#define JSON_HEADERS AUTH_SEGMENT "Content-Type: application/json\r\n"

/* What the event callbacks saw and what they answer. */
typedef struct recorder {
    int calls;
    segrecv_type last_type;
    char last_json[40000];     /* segrecv_event_to_json of the last event */
    char last_api_key[300];
    segrecv_status answer;     /* what the callbacks return */
    const char *answer_message;
} recorder;

/* The outcome of one request, comparable across ways of feeding it. */
typedef struct outcome {
    int http;
    segrecv_status status;
    char body[SEGRECV_RESPONSE_BODY_MAX];
    const char *content_type;
    int calls;
    char event_json[40000];
} outcome;

/* A receiver accepting key "segment" with a recording callback for every type. */
segrecv_receiver *test_receiver(recorder *rec, const segrecv_options *options);

void run_oneshot(segrecv_receiver *rcv, recorder *rec, const char *headers, const char *body,
                 size_t body_len, outcome *out);
/* Headers as a block, the body in pieces of `chunk` bytes (0 = one piece). */
void run_streamed(segrecv_receiver *rcv, recorder *rec, const char *headers, const char *body,
                  size_t body_len, size_t chunk, outcome *out);
/* Headers as a block, the body cut once at `split`. */
void run_split(segrecv_receiver *rcv, recorder *rec, const char *headers, const char *body,
               size_t body_len, size_t split, outcome *out);
/* Every split point (bodies over 4 KiB: about 500 of them) and byte-by-byte
 * feeding give exactly `expected`. */
void assert_every_split(segrecv_receiver *rcv, recorder *rec, const char *headers,
                        const char *body, size_t body_len, const outcome *expected);
void assert_same_outcome(const outcome *want, const outcome *got, const char *how);

/* The "message" of a JSON response body, unescaped only for plain text. */
const char *response_message(const outcome *out, char *buf, size_t cap);

/* Read a whole file into a malloc'd buffer (NUL-terminated); NULL on error. */
char *read_file(const char *path, size_t *len);

#endif
