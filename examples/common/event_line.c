/* An event as one output line: its canonical JSON, or its semantic fields. */
#include "event_line.h"

#include <stdlib.h>

typedef size_t (*to_json_fn)(const segrecv_event *ev, char *buf, size_t cap);

/* Both writers are snprintf-like: ask again with room enough when the text
 * did not fit. One byte more than it needs leaves space for the newline.
 * Both write at least "{}"; 0 means building the text ran out of memory. */
static char *line_of(to_json_fn write, const segrecv_event *ev, char *local, size_t cap,
                     size_t *len)
{
    char *buf = local;
    size_t n = write(ev, buf, cap);
    if (n == 0)
        return NULL;
    if (n + 2 > cap) {
        buf = malloc(n + 2);
        if (!buf)
            return NULL;
        if (write(ev, buf, n + 2) != n) {
            free(buf);
            return NULL;
        }
    }
    buf[n] = '\n';
    buf[n + 1] = '\0';
    *len = n + 1;
    return buf;
}

char *event_line(const segrecv_event *ev, char *local, size_t cap, size_t *len)
{
    return line_of(segrecv_event_to_json, ev, local, cap, len);
}

char *semantic_line(const segrecv_event *ev, char *local, size_t cap, size_t *len)
{
    return line_of(segrecv_event_semantic_json, ev, local, cap, len);
}
