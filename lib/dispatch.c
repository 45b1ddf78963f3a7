/* One valid event to its callback: the idempotency claim first, then the
 * callback, whose answer must be one a Segment endpoint may give. */
#include "internal.h"

#include <string.h>

static const segrecv__handler *handler_for(const segrecv_receiver *rcv, segrecv_type type)
{
    if (rcv->on[type].cb)
        return &rcv->on[type];
    return rcv->any.cb ? &rcv->any : NULL;
}

bool segrecv__has_handler(const segrecv_receiver *rcv, segrecv_type type)
{
    return handler_for(rcv, type) != NULL;
}

static const char *default_message(segrecv_status st)
{
    switch (st) {
    case SEGRECV_BAD_REQUEST:
        return "Event rejected";
    case SEGRECV_FAILED:
        return "Event handler failed";
    case SEGRECV_UNAVAILABLE:
        return "Temporarily unavailable; retry later";
    default:
        return NULL;
    }
}

static bool accepted(segrecv_status st)
{
    return st == SEGRECV_OK || st == SEGRECV_ACCEPTED;
}

segrecv__verdict segrecv__dispatch(segrecv_request *r, const segrecv_event *ev)
{
    segrecv_receiver *rcv = r->receiver;
    const segrecv__handler *h = handler_for(rcv, ev->type);
    segrecv__verdict v = {SEGRECV_OK, NULL};
    const segrecv_dedupe *d = &rcv->dedupe;
    bool claimed = false;
    if (d->claim && ev->message_id.len > 0) {
        if (!d->claim(d->ctx, ev->message_id.ptr, ev->message_id.len)) {
            atomic_fetch_add(&rcv->duplicates, 1);
            return v; /* accepted before: answered as accepted, not dispatched again */
        }
        claimed = true;
    }
    segrecv_reply reply = {NULL};
    v.status = h->cb(ev, &reply, h->user_data);
    switch (v.status) {
    case SEGRECV_OK:
    case SEGRECV_ACCEPTED:
    case SEGRECV_BAD_REQUEST:
    case SEGRECV_FAILED:
    case SEGRECV_UNAVAILABLE:
        if (reply.message) {
            v.message = segrecv__reply_copy(&r->arena, reply.message);
            if (!v.message) {
                v.status = SEGRECV_NOMEM;
                v.message = "Out of memory";
            }
        } else {
            v.message = default_message(v.status);
        }
        break;
    default:
        v.message = segrecv__messagef(&r->arena, "Event handler returned an invalid status (%d)",
                                      (int)v.status);
        v.status = SEGRECV_FAILED;
        break;
    }
    if (claimed && !accepted(v.status))
        d->release(d->ctx, ev->message_id.ptr, ev->message_id.len);
    return v;
}
