/* Checks shared by the fuzz harnesses: an invariant macro that aborts with
 * its text, an independent JSON validator (yajl without the library), and
 * serialisation and structural comparison of value trees. */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include "segrecv.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Unlike assert(), never compiled out: a broken invariant is a finding. */
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

void fuzz_fail(const char *what, const char *file, int line);

/* One complete JSON text, valid UTF-8, nothing after it (yajl's own parser,
 * not the library's builder). */
bool fuzz_json_valid(const char *text, size_t len);

/* Same type, same bytes for strings, numbers and keys, same order. */
bool fuzz_value_equal(const segrecv_value *a, const segrecv_value *b);

/* The full serialisation (malloc'd, NUL-terminated), after checking the
 * snprintf contract at a few capacities. NULL for an absent value. */
char *fuzz_value_json(const segrecv_value *value, size_t *len);
char *fuzz_event_json(const segrecv_event *event, size_t *len);

/* The "message" string of a response body {"message": "..."}: malloc'd.
 * With `batch`, "errors" (array) and "errors_omitted" (number) may follow. */
char *fuzz_response_message(const segrecv_response *response, bool batch, size_t *len);

/* The key callback the harnesses share: "cb-ok" is accepted, "cb-no" is
 * 403 "Key revoked", "cb-bad" gets an invalid answer (500), anything else 401. */
segrecv_status fuzz_key_check(const char *key, size_t len, segrecv_reply *reply,
                              void *user_data);

/* The entry point libFuzzer calls; also called by the replay driver. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
