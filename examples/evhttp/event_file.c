/* The events file: one canonical JSON line per accepted event. */
#include "event_file.h"

#include "../common/event_line.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int event_file_open(event_file *f, const char *path)
{
    memset(f, 0, sizeof *f);
    if (!path || strcmp(path, "-") == 0) {
        f->out = stdout;
        f->name = "stdout";
        return 0;
    }
    f->out = fopen(path, "a");
    f->owned = 1;
    f->name = path;
    if (!f->out) {
        fprintf(stderr, "segrecv-evhttp: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

segrecv_status event_file_write(const segrecv_event *event, segrecv_reply *reply,
                                void *user_data)
{
    event_file *f = user_data;
    char local[4096];
    size_t len;
    char *line = event_line(event, local, sizeof local, &len);
    if (!line) {
        reply->message = "Out of memory; retry later";
        return SEGRECV_FAILED;
    }
    int ok = fwrite(line, 1, len, f->out) == len && fflush(f->out) == 0;
    if (line != local)
        free(line);
    if (!ok) {
        clearerr(f->out);
        reply->message = "Could not record the event; retry later";
        return SEGRECV_FAILED;
    }
    f->written++;
    return SEGRECV_OK;
}

int event_file_close(event_file *f)
{
    int rc = fflush(f->out) == 0 ? 0 : -1;
    if (f->owned && fclose(f->out) != 0)
        rc = -1;
    return rc;
}
