/* The Segment Spec rules per call type, applied to a typed event. */
#include "internal.h"

#define MESSAGE_ID_MAX_CHARS 100

static bool present(segrecv_str s)
{
    return s.ptr != NULL && s.len > 0;
}

static segrecv__verdict missing(segrecv_request *r, const segrecv_event *ev, const char *name)
{
    segrecv__verdict v = {SEGRECV_BAD_REQUEST, NULL};
    v.message = segrecv__messagef(&r->arena, "Missing required field '%s' for %s", name,
                                  segrecv_type_name(ev->type));
    return v;
}

segrecv__verdict segrecv__event_validate(segrecv_request *r, const segrecv_event *ev)
{
    static const segrecv__verdict ok = {SEGRECV_OK, NULL};
    switch (ev->type) {
    case SEGRECV_ALIAS:
        if (!present(ev->previous_id))
            return missing(r, ev, "previous_id");
        if (!present(ev->user_id))
            return missing(r, ev, "user_id");
        break;
    case SEGRECV_DELETE:
        if (!present(ev->user_id))
            return missing(r, ev, "user_id");
        break;
    default:
        if (!present(ev->user_id) && !present(ev->anonymous_id)) {
            segrecv__verdict v = {SEGRECV_BAD_REQUEST, NULL};
            v.message = segrecv__messagef(&r->arena,
                                          "Missing identity: one of 'user_id' or 'anonymous_id' "
                                          "is required for %s",
                                          segrecv_type_name(ev->type));
            return v;
        }
        if (ev->type == SEGRECV_TRACK && !present(ev->event))
            return missing(r, ev, "event");
        if (ev->type == SEGRECV_GROUP && !present(ev->group_id))
            return missing(r, ev, "group_id");
        break;
    }
    /* A character is at least a byte: short ids need no count. */
    if (ev->message_id.len > MESSAGE_ID_MAX_CHARS &&
        segrecv__utf8_chars(ev->message_id.ptr, ev->message_id.len) > MESSAGE_ID_MAX_CHARS) {
        segrecv__verdict v = {SEGRECV_BAD_REQUEST,
                              "Field 'message_id' is longer than 100 characters"};
        return v;
    }
    return ok;
}
