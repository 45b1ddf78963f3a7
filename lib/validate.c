/* The Segment Spec rules per call type, applied to a typed event. */
#include "internal.h"

#define MESSAGE_ID_MAX_CHARS 100

static bool present(segrecv_str s)
{
    return s.ptr != NULL && s.len > 0;
}

static segrecv_status require(segrecv_request *r, segrecv_str field, const char *name)
{
    if (present(field))
        return SEGRECV_OK;
    return segrecv__failf(r, SEGRECV_BAD_REQUEST, "Missing required field '%s' for %s", name,
                          segrecv_type_name(r->event.type));
}

segrecv_status segrecv__event_validate(segrecv_request *r)
{
    const segrecv_event *ev = &r->event;
    segrecv_status st = SEGRECV_OK;
    switch (ev->type) {
    case SEGRECV_ALIAS:
        st = require(r, ev->previous_id, "previous_id");
        if (st == SEGRECV_OK)
            st = require(r, ev->user_id, "user_id");
        break;
    case SEGRECV_DELETE:
        st = require(r, ev->user_id, "user_id");
        break;
    default:
        if (!present(ev->user_id) && !present(ev->anonymous_id))
            return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                                  "Missing identity: one of 'user_id' or 'anonymous_id' is "
                                  "required for %s",
                                  segrecv_type_name(ev->type));
        if (ev->type == SEGRECV_TRACK)
            st = require(r, ev->event, "event");
        else if (ev->type == SEGRECV_GROUP)
            st = require(r, ev->group_id, "group_id");
        break;
    }
    if (st != SEGRECV_OK)
        return st;
    if (ev->message_id.ptr &&
        segrecv__utf8_chars(ev->message_id.ptr, ev->message_id.len) > MESSAGE_ID_MAX_CHARS)
        return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                              "Field 'message_id' is longer than %d characters",
                              MESSAGE_ID_MAX_CHARS);
    return SEGRECV_OK;
}
