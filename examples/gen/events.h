/* One random Segment Spec event of a given call type. */
#ifndef GEN_EVENTS_H
#define GEN_EVENTS_H

#include "rng.h"
#include "writer.h"

/* The call types segrecv-gen knows, NULL-terminated. */
extern const char *const GEN_TYPES[];

/* Write one event of `type` ("identify", ...). Returns 0, or -1 when the
 * type is unknown. */
int gen_event(writer *w, rng *r, const char *type);

#endif
