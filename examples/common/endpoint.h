/* The receiver configuration shared by segrecv-server and segrecv-check:
 * accepted keys, forbidden keys, the call types to register, the signing
 * secret and the option flags. */
#ifndef EXAMPLES_ENDPOINT_H
#define EXAMPLES_ENDPOINT_H

#include "strlist.h"

#include <segrecv.h>

/* The key Segment's own documentation uses; accepted when none is given. */
#define ENDPOINT_EXAMPLE_KEY "segment"
/* The answers the host gives before the library is asked. */
#define ENDPOINT_NOT_FOUND_JSON "{\"message\":\"Not found\"}"
#define ENDPOINT_NOT_POST_JSON "{\"message\":\"Method not allowed; use POST\"}"

/* One bit per segrecv_type. */
#define ENDPOINT_ALL_TYPES ((1u << SEGRECV_TYPE_COUNT) - 1u)

typedef struct endpoint_config {
    strlist api_keys;           /* accepted */
    strlist forbidden_keys;     /* known but not allowed: 403 */
    unsigned types;             /* bit (1u << type) for each type to register */
    const char *signing_secret; /* require X-Signature under this secret; NULL: no */
    unsigned flags;             /* segrecv_option_flag bits for every receiver */
} endpoint_config;

/* 1 when the last segment of the `len`-byte `path` is "batch" (/v1/batch,
 * /batch): where Segment's SDKs and RudderStack post batches. A query
 * string is ignored. */
int endpoint_is_batch_path(const char *path, size_t len);

/* Parse a comma list of call type names ("identify,track") into a mask.
 * Empty items are skipped. Returns 0, or -1 after telling `prog`'s user
 * which name is unknown. */
int endpoint_parse_types(const char *prog, const char *list, unsigned *mask);

/* A receiver with cfg->flags plus `flags`, the keys, the key check (for
 * forbidden keys), the signing secret and `cb` registered for each type in
 * cfg->types. `cfg` must outlive the receiver. NULL, after telling `prog`'s
 * user why, when a key is invalid, the library cannot verify signatures or
 * memory runs out. */
segrecv_receiver *endpoint_receiver(const char *prog, const endpoint_config *cfg,
                                    unsigned flags, segrecv_event_cb cb, void *user_data);

#endif
