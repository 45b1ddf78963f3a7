/* segrecv-check's input: a body, or a raw HTTP request. */
#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int input_read(const char *path, buffer *out)
{
    int is_stdin = !path || strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "segrecv-check: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buffer_append(out, chunk, n);
    int ok = !ferror(f) && !out->failed;
    if (!ok)
        fprintf(stderr, "segrecv-check: %s: %s\n", is_stdin ? "stdin" : path,
                out->failed ? "out of memory" : "read error");
    if (!is_stdin)
        fclose(f);
    buffer_append(out, "", 0); /* a NUL-terminated (possibly empty) buffer */
    return ok ? 0 : -1;
}

/* The end of the line starting at p, and where the next one starts. */
static const char *line_end(const char *p, const char *end, const char **next)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *next = nl ? nl + 1 : end;
    const char *e = nl ? nl : end;
    return e > p && e[-1] == '\r' ? e - 1 : e;
}

int raw_request_split(const char *data, size_t len, raw_request *out)
{
    const char *end = data + len, *next;
    const char *eol = line_end(data, end, &next);
    /* The request line: three parts separated by single spaces. */
    const char *sp1 = memchr(data, ' ', (size_t)(eol - data));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    if (!sp1 || sp1 == data || !sp2 || sp2 == sp1 + 1 || eol - sp2 < 6 ||
        memcmp(sp2 + 1, "HTTP/", 5) != 0)
        return -1;
    out->method = data;
    out->method_len = (size_t)(sp1 - data);
    out->target = sp1 + 1;
    out->target_len = (size_t)(sp2 - sp1 - 1);
    /* Header lines up to the first empty line; the body is the rest. */
    out->headers = next;
    const char *p = next;
    while (p < end) {
        const char *e = line_end(p, end, &next);
        if (e == p)
            break;
        p = next;
    }
    out->headers_len = (size_t)(p - out->headers);
    out->body = p < end ? next : end;
    out->body_len = (size_t)(end - out->body);
    return 0;
}
