/* The receiver configuration shared by segrecv-server and segrecv-check:
 * accepted keys, forbidden keys, the call types to register. */
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
    strlist api_keys;       /* accepted */
    strlist forbidden_keys; /* known but not allowed: 403 */
    unsigned types;         /* bit (1u << type) for each type to register */
} endpoint_config;

/* Parse a comma list of call type names ("identify,track") into a mask.
 * Empty items are skipped. Returns 0, or -1 after telling `prog`'s user
 * which name is unknown. */
int endpoint_parse_types(const char *prog, const char *list, unsigned *mask);

/* A receiver with the keys, the key check (for forbidden keys) and `cb`
 * registered for each type in cfg->types. `cfg` must outlive the receiver.
 * NULL, after telling `prog`'s user why, when a key is invalid or memory
 * runs out. */
segrecv_receiver *endpoint_receiver(const char *prog, const endpoint_config *cfg,
                                    segrecv_event_cb cb, void *user_data);

#endif
