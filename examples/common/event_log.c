/* The events file: one canonical JSON line per accepted event. */
#include "event_log.h"

#include "event_line.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int event_log_open(event_log *log, const char *path, const char *program)
{
    memset(log, 0, sizeof *log);
    if (!path || strcmp(path, "-") == 0) {
        log->out = stdout;
        log->name = "stdout";
    } else {
        log->out = fopen(path, "a");
        log->owned = 1;
        log->name = path;
        if (!log->out) {
            fprintf(stderr, "%s: %s: %s\n", program, path, strerror(errno));
            return -1;
        }
    }
    if (pthread_mutex_init(&log->lock, NULL) != 0) {
        if (log->owned)
            fclose(log->out);
        return -1;
    }
    return 0;
}

/* Write one whole line and push it to the kernel before answering 200:
 * an event is never acknowledged before it is recorded. */
static int append(event_log *log, const char *line, size_t len)
{
    pthread_mutex_lock(&log->lock);
    int ok = fwrite(line, 1, len, log->out) == len && fflush(log->out) == 0;
    if (ok)
        log->written++;
    else
        clearerr(log->out);
    pthread_mutex_unlock(&log->lock);
    return ok;
}

segrecv_status event_log_write(const segrecv_event *event, segrecv_reply *reply,
                               void *user_data)
{
    event_log *log = user_data;
    char local[4096];
    size_t len;
    char *line = event_line(event, local, sizeof local, &len);
    if (!line) {
        reply->message = "Out of memory; retry later";
        return SEGRECV_FAILED;
    }
    int ok = append(log, line, len);
    if (line != local)
        free(line);
    if (!ok) {
        reply->message = "Could not record the event; retry later";
        return SEGRECV_FAILED;
    }
    return SEGRECV_OK;
}

int event_log_close(event_log *log)
{
    int rc = fflush(log->out) == 0 ? 0 : -1;
    if (log->owned && fclose(log->out) != 0)
        rc = -1;
    pthread_mutex_destroy(&log->lock);
    return rc;
}
