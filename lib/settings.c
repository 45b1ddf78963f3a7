/* X-Segment-Settings: Base64 of a JSON object with the customer's custom
 * settings, decoded once per request and handed to every event. */
#include "internal.h"

segrecv_status segrecv__decode_settings(segrecv_request *r)
{
    const segrecv_str *h = &r->headers.settings;
    long n = segrecv__base64_check(h->ptr, h->len);
    if (n < 0)
        return segrecv__fail(r, SEGRECV_BAD_REQUEST,
                             "Malformed X-Segment-Settings header: invalid Base64");
    char *json = segrecv__arena_alloc(&r->arena, (size_t)n + 1);
    if (!json)
        return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
    size_t len = segrecv__base64_decode(h->ptr, h->len, json);
    segrecv_value *settings;
    const char *why;
    segrecv_status st = segrecv__json_parse(&r->arena, &r->receiver->limits, json, len, false,
                                            &settings, &why);
    if (st == SEGRECV_NOMEM)
        return segrecv__fail(r, st, "Out of memory");
    if (st != SEGRECV_OK)
        return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                              "Malformed X-Segment-Settings header: %s", why);
    r->settings = settings;
    return SEGRECV_OK;
}
