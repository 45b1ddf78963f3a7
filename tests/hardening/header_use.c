/* Compiled (never run) as C99, C11 and C++11 with -Wall -Wextra -pedantic
 * -Werror: the public header must be clean in all three, and usable from C++
 * without casts beyond what C++ always needs. */
#include "segrecv.h"

#include <string.h>

static segrecv_status on_track(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)user_data;
    if (ev->type != SEGRECV_TRACK || segrecv_value_find(ev->properties, "revenue") == 0) {
        reply->message = "Missing revenue";
        return SEGRECV_BAD_REQUEST;
    }
    return SEGRECV_OK;
}

int header_use(const char *headers, size_t headers_len, const char *body, size_t body_len);

int header_use(const char *headers, size_t headers_len, const char *body, size_t body_len)
{
    segrecv_options options;
    memset(&options, 0, sizeof options);
    options.flags = SEGRECV_OPT_LENIENT_TIMESTAMPS;
    segrecv_receiver *rcv = segrecv_receiver_new(&options);
    segrecv_response response;
    segrecv_on(rcv, SEGRECV_TRACK, on_track, 0);
    segrecv_add_api_key(rcv, "key", 3);
    segrecv_handle(rcv, headers, headers_len, body, body_len, &response);
    segrecv_receiver_free(rcv);
    return response.http_status + SEGRECV_VERSION_NUMBER + (int)SEGRECV_STATUS_COUNT_;
}
