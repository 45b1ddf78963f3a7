/* The events file: one canonical JSON line per accepted event. */
#ifndef EVHTTP_EVENT_FILE_H
#define EVHTTP_EVENT_FILE_H

#include <segrecv.h>

#include <stdio.h>

typedef struct event_file {
    FILE *out;
    const char *name;      /* the path, or "stdout" */
    int owned;             /* opened here: close it */
    unsigned long written; /* events recorded */
} event_file;

/* Open `path` for appending (NULL or "-": stdout). Returns 0, or -1 after
 * saying why. */
int event_file_open(event_file *f, const char *path);
/* The event callback (user_data: the event_file): writes the event's line
 * and flushes it before answering SEGRECV_OK, so an event is never
 * acknowledged before it is recorded. The event loop runs on one thread,
 * so no lock is needed. */
segrecv_status event_file_write(const segrecv_event *event, segrecv_reply *reply,
                                void *user_data);
/* Flush and close; returns 0, or -1 when a write failed. */
int event_file_close(event_file *f);

#endif
