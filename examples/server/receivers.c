/* segrecv-server's two receivers: single events and batches. */
#include "receivers.h"

#include "../common/endpoint.h"

#include <stdio.h>
#include <string.h>

static const char PROG[] = "segrecv-server";

/* One store for both receivers; its hooks are copied into each. */
static int install_dedupe(receivers *r, size_t entries)
{
    r->dedupe = segrecv_dedupe_store_new(entries, RECEIVERS_DEDUPE_WINDOW_MS, NULL);
    if (!r->dedupe) {
        fprintf(stderr, "%s: cannot create a store for %zu message ids\n", PROG, entries);
        return -1;
    }
    segrecv_dedupe hooks = segrecv_dedupe_store_hooks(r->dedupe);
    if (segrecv_set_dedupe(r->single, &hooks) != SEGRECV_OK ||
        segrecv_set_dedupe(r->batch, &hooks) != SEGRECV_OK) {
        fprintf(stderr, "%s: cannot install the message id store\n", PROG);
        return -1;
    }
    return 0;
}

int receivers_open(receivers *r, const server_options *o, segrecv_event_cb cb,
                   void *user_data)
{
    memset(r, 0, sizeof *r);
    unsigned batch_flags = SEGRECV_OPT_BATCH;
    if (o->all_or_nothing)
        batch_flags |= SEGRECV_OPT_BATCH_ALL_OR_NOTHING;
    r->single = endpoint_receiver(PROG, &o->endpoint, 0, cb, user_data);
    if (r->single)
        r->batch = endpoint_receiver(PROG, &o->endpoint, batch_flags, cb, user_data);
    if (!r->single || !r->batch || (o->dedupe && install_dedupe(r, o->dedupe))) {
        receivers_close(r);
        return -1;
    }
    if (o->maintenance) {
        segrecv_set_maintenance(r->single, 1);
        segrecv_set_maintenance(r->batch, 1);
    }
    return 0;
}

segrecv_receiver *receivers_for_path(const receivers *r, const char *path)
{
    return endpoint_is_batch_path(path, strlen(path)) ? r->batch : r->single;
}

uint64_t receivers_duplicates(const receivers *r)
{
    return segrecv_duplicates(r->single) + segrecv_duplicates(r->batch);
}

void receivers_close(receivers *r)
{
    segrecv_receiver_free(r->single);
    segrecv_receiver_free(r->batch);
    /* After the receivers: they hold its hooks. */
    segrecv_dedupe_store_free(r->dedupe);
    memset(r, 0, sizeof *r);
}
