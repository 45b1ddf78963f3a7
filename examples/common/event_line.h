/* An event as one output line: its canonical JSON, or its semantic fields. */
#ifndef EXAMPLES_EVENT_LINE_H
#define EXAMPLES_EVENT_LINE_H

#include <segrecv.h>

#include <stddef.h>

/* The canonical JSON of `ev` followed by '\n', written into `local` when it
 * fits, else into malloc'd memory. Returns the text (free it when it is not
 * `local`) and its length in *len, or NULL when out of memory. */
char *event_line(const segrecv_event *ev, char *local, size_t cap, size_t *len);

/* The same for segrecv_event_semantic_json(ev): the semantic fields that
 * apply to the event and are found, as one JSON object. Call it from the
 * callback that received `ev`. */
char *semantic_line(const segrecv_event *ev, char *local, size_t cap, size_t *len);

#endif
