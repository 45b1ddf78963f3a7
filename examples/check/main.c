/* segrecv-check: one request through libsegrecv from the command line,
 * to see what a receiver would answer to a payload, and which events it
 * would dispatch. */
#include "base64.h"
#include "buffer.h"
#include "input.h"
#include "options.h"

#include "../common/endpoint.h"
#include "../common/event_line.h"

#include <segrecv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What the event callback fills: the lines printed after the status. */
typedef struct collected {
    buffer lines;
    int semantic; /* a semantic line after each canonical one */
} collected;

typedef char *(*line_fn)(const segrecv_event *ev, char *local, size_t cap, size_t *len);

static int keep_line(line_fn make, const segrecv_event *event, buffer *lines)
{
    char local[4096];
    size_t len;
    char *line = make(event, local, sizeof local, &len);
    if (line)
        buffer_append(lines, line, len);
    if (line != local)
        free(line);
    return line && !lines->failed;
}

/* The event callback: keep each event's lines until the status is printed.
 * The semantic fields are read here, while the event is valid. */
static segrecv_status collect(const segrecv_event *event, segrecv_reply *reply, void *user_data)
{
    collected *out = user_data;
    if (!keep_line(event_line, event, &out->lines) ||
        (out->semantic && !keep_line(semantic_line, event, &out->lines))) {
        reply->message = "Out of memory";
        return SEGRECV_FAILED;
    }
    return SEGRECV_OK;
}

static int has_header(const strlist *headers, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < headers->count; i++)
        if (strncasecmp(headers->items[i], name, len) == 0 && headers->items[i][len] == ':')
            return 1;
    return 0;
}

static void add_line(buffer *block, const char *line)
{
    buffer_puts(block, line);
    buffer_puts(block, "\r\n");
}

/* What Segment sends with every event, unless --header replaces it. */
static void default_headers(const check_options *o, size_t body_len, buffer *block)
{
    char line[600];
    if (!has_header(&o->headers, "Content-Type"))
        add_line(block, "Content-Type: application/json");
    /* With the body's writeKey accepted, its absence is what is checked. */
    if (!has_header(&o->headers, "Authorization") &&
        !(o->endpoint.flags & SEGRECV_OPT_BODY_WRITE_KEY)) {
        const char *key = o->endpoint.api_keys.items[0];
        char credentials[300], encoded[404];
        snprintf(credentials, sizeof credentials, "%.256s:", key);
        base64_encode((const unsigned char *)credentials, strlen(credentials), encoded);
        snprintf(line, sizeof line, "Authorization: Basic %s", encoded);
        add_line(block, line);
    }
    if (!has_header(&o->headers, "Content-Length") &&
        !has_header(&o->headers, "Transfer-Encoding")) {
        snprintf(line, sizeof line, "Content-Length: %zu", body_len);
        add_line(block, line);
    }
}

/* Through the streaming API, the body cut into `chunk`-byte pieces. */
static void run_streaming(segrecv_receiver *rcv, const buffer *block, const char *body,
                          size_t body_len, size_t chunk, segrecv_response *res)
{
    segrecv_request *req = segrecv_request_new(rcv);
    if (!req) {
        res->http_status = 500;
        snprintf(res->body, sizeof res->body, "{\"message\":\"Out of memory\"}");
        res->body_len = strlen(res->body);
        return;
    }
    segrecv_status st = segrecv_request_headers(req, block->data, block->len);
    for (size_t at = 0; st == SEGRECV_OK && at < body_len; at += chunk) {
        size_t n = body_len - at < chunk ? body_len - at : chunk;
        st = segrecv_request_body(req, body + at, n);
    }
    segrecv_request_finish(req, res);
    segrecv_request_free(req);
}

static int report(const segrecv_response *res, const buffer *events)
{
    printf("HTTP %d\n%s\n", res->http_status, res->body);
    if (events->len)
        fwrite(events->data, 1, events->len, stdout);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "segrecv-check: write error on stdout\n");
        return 1;
    }
    return res->http_status >= 200 && res->http_status < 300 ? 0 : 1;
}

/* Build the header block and the body from the input, or answer at once
 * (405) as the server would for a raw request that is not a POST. A raw
 * request to a batch path sets *batch, as the server would route it. */
static int prepare(const check_options *o, const buffer *input, buffer *block,
                   const char **body, size_t *body_len, int *batch)
{
    *body = input->data;
    *body_len = input->len;
    if (o->raw) {
        raw_request raw;
        if (raw_request_split(input->data, input->len, &raw)) {
            fprintf(stderr, "segrecv-check: --raw input does not start with a request line "
                            "such as 'POST /segment HTTP/1.1'\n");
            return 2;
        }
        if (raw.method_len != 4 || memcmp(raw.method, "POST", 4) != 0) {
            segrecv_response res = {.http_status = 405};
            snprintf(res.body, sizeof res.body, "%s", ENDPOINT_NOT_POST_JSON);
            buffer none = {0};
            return report(&res, &none);
        }
        buffer_append(block, raw.headers, raw.headers_len);
        if (endpoint_is_batch_path(raw.target, raw.target_len))
            *batch = 1;
        *body = raw.body;
        *body_len = raw.body_len;
    } else {
        default_headers(o, input->len, block);
    }
    for (size_t i = 0; i < o->headers.count; i++)
        add_line(block, o->headers.items[i]);
    buffer_append(block, "", 0);
    return CHECK_RUN;
}

static int run(const check_options *o, const buffer *input)
{
    buffer block = {0};
    collected events = {.semantic = o->semantic};
    const char *body;
    size_t body_len;
    int batch = o->batch;
    int rc = prepare(o, input, &block, &body, &body_len, &batch);
    if (rc != CHECK_RUN) {
        buffer_free(&block);
        return rc;
    }
    if (block.failed) {
        fprintf(stderr, "segrecv-check: out of memory\n");
        buffer_free(&block);
        return 1;
    }
    segrecv_receiver *rcv = endpoint_receiver("segrecv-check", &o->endpoint,
                                              batch ? SEGRECV_OPT_BATCH : 0, collect, &events);
    if (!rcv) {
        buffer_free(&block);
        return 2;
    }
    segrecv_response res;
    if (o->chunk)
        run_streaming(rcv, &block, body, body_len, o->chunk, &res);
    else
        segrecv_handle(rcv, block.data, block.len, body, body_len, &res);
    rc = report(&res, &events.lines);
    segrecv_receiver_free(rcv);
    buffer_free(&block);
    buffer_free(&events.lines);
    return rc;
}

int main(int argc, char **argv)
{
    check_options o;
    int rc = check_options_parse(argc, argv, &o);
    if (rc == CHECK_RUN) {
        buffer input = {0};
        rc = input_read(o.input, &input) ? 2 : run(&o, &input);
        buffer_free(&input);
    }
    check_options_free(&o);
    return rc;
}
