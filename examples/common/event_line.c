/* An event's canonical JSON as one output line. */
#include "event_line.h"

#include <stdlib.h>

char *event_line(const segrecv_event *ev, char *local, size_t cap, size_t *len)
{
    char *buf = local;
    /* segrecv_event_to_json is snprintf-like: ask again with room enough.
     * One byte more than it needs leaves space for the newline. */
    size_t n = segrecv_event_to_json(ev, buf, cap);
    if (n + 2 > cap) {
        buf = malloc(n + 2);
        if (!buf)
            return NULL;
        segrecv_event_to_json(ev, buf, n + 2);
    }
    buf[n] = '\n';
    buf[n + 1] = '\0';
    *len = n + 1;
    return buf;
}
