/* The events file: one canonical JSON line per accepted event, written and
 * flushed under a lock, so that lines from concurrent requests never mix. */
#ifndef EXAMPLES_EVENT_LOG_H
#define EXAMPLES_EVENT_LOG_H

#include <segrecv.h>

#include <pthread.h>
#include <stdio.h>

typedef struct event_log {
    FILE *out;
    int owned;              /* opened by us (not stdout) */
    pthread_mutex_t lock;   /* one writer at a time */
    unsigned long written;  /* lines written, under lock */
    const char *name;       /* for messages */
} event_log;

/* Open `path` for appending; NULL or "-" means stdout. Returns 0, or -1
 * after saying why, prefixed with `program`. */
int event_log_open(event_log *log, const char *path, const char *program);
/* The event callback (user_data = the event_log): answers 200 once the
 * line is written and flushed, 500 when it could not be (Segment retries). */
segrecv_status event_log_write(const segrecv_event *event, segrecv_reply *reply,
                               void *user_data);
/* Flush and close. Returns 0, or -1 when the last writes failed. */
int event_log_close(event_log *log);

#endif
