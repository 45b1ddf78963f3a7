/* semantic-dump: run events through segrecv_handle() and print, for each,
 * one line "<http status>\t<segrecv_event_semantic_json>" (the JSON empty
 * when nothing was dispatched). Input: files holding one event each, or with
 * --lines, files holding one event per line. --normalize sets
 * SEGRECV_OPT_NORMALIZE_KEYS. Used by the facade differential test. */
#include <segrecv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADERS                                          \
    "Authorization: Basic c2VnbWVudDo=\r\n" /* "segment" */ \
    "Content-Type: application/json\r\n"

typedef struct capture {
    char *json;
    size_t cap;
    int calls;
} capture;

static segrecv_status on_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    capture *c = user_data;
    size_t n = segrecv_event_semantic_json(ev, c->json, c->cap);
    if (n >= c->cap) {
        char *bigger = realloc(c->json, n + 1);
        if (!bigger)
            return SEGRECV_FAILED;
        c->json = bigger;
        c->cap = n + 1;
        segrecv_event_semantic_json(ev, c->json, c->cap);
    }
    if (n == 0)
        return SEGRECV_FAILED;
    c->calls++;
    return SEGRECV_OK;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void run_one(segrecv_receiver *rcv, capture *c, const char *body, size_t len)
{
    segrecv_response resp;
    c->calls = 0;
    segrecv_handle(rcv, HEADERS, strlen(HEADERS), body, len, &resp);
    printf("%d\t%s\n", resp.http_status, c->calls ? c->json : "");
}

int main(int argc, char **argv)
{
    int lines = 0, first = 1;
    unsigned flags = SEGRECV_OPT_LENIENT_TIMESTAMPS;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "--lines") == 0)
            lines = 1;
        else if (strcmp(argv[first], "--normalize") == 0)
            flags |= SEGRECV_OPT_NORMALIZE_KEYS;
        else {
            fprintf(stderr, "usage: %s [--lines] [--normalize] FILE...\n", argv[0]);
            return 2;
        }
    }
    segrecv_options options;
    memset(&options, 0, sizeof options);
    options.flags = flags;
    segrecv_receiver *rcv = segrecv_receiver_new(&options);
    capture c = {malloc(65536), 65536, 0};
    if (!rcv || !c.json || segrecv_add_api_key(rcv, "segment", 7) != SEGRECV_OK ||
        segrecv_on_any(rcv, on_event, &c) != SEGRECV_OK) {
        fprintf(stderr, "semantic-dump: setup failed\n");
        return 1;
    }
    int rc = 0;
    for (int i = first; i < argc; i++) {
        size_t len;
        char *text = slurp(argv[i], &len);
        if (!text) {
            fprintf(stderr, "semantic-dump: cannot read %s\n", argv[i]);
            rc = 1;
            continue;
        }
        if (!lines) {
            run_one(rcv, &c, text, len);
        } else {
            char *p = text, *end = text + len;
            while (p < end) {
                char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                if (n > 0)
                    run_one(rcv, &c, p, n);
                p += n + 1;
            }
        }
        free(text);
    }
    free(c.json);
    segrecv_receiver_free(rcv);
    return rc;
}
