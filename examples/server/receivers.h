/* segrecv-server's two receivers: one for single events (Segment's Direct
 * Integration requests) and one for batches (paths ending in /batch), with
 * the same keys, types, signing secret and, with --dedupe, one shared
 * message_id store, so that a replay is caught whichever path it takes. */
#ifndef SERVER_RECEIVERS_H
#define SERVER_RECEIVERS_H

#include "options.h"

#include <segrecv.h>

#include <stdint.h>

typedef struct receivers {
    segrecv_receiver *single;     /* SEGRECV_OPT_BATCH off: 32768-byte bodies */
    segrecv_receiver *batch;      /* SEGRECV_OPT_BATCH on: 512000-byte bodies */
    segrecv_dedupe_store *dedupe; /* NULL without --dedupe */
} receivers;

/* Segment retries for up to 4 hours: a replay within it is caught. */
#define RECEIVERS_DEDUPE_WINDOW_MS (4LL * 60 * 60 * 1000)

/* Build both receivers from the options, with `cb` for every accepted type.
 * Returns 0, or -1 after reporting why (nothing is left to free). */
int receivers_open(receivers *r, const server_options *o, segrecv_event_cb cb,
                   void *user_data);
/* The receiver that serves `path`. */
segrecv_receiver *receivers_for_path(const receivers *r, const char *path);
/* Events answered as duplicates by either receiver. */
uint64_t receivers_duplicates(const receivers *r);
void receivers_close(receivers *r);

#endif
