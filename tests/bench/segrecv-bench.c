/* segrecv-bench: the cost of segrecv_handle() against the parser floor (a
 * bare yajl_parse with no callbacks) and against what a C user would write
 * without the library (yajl_tree_parse + yajl_tree_free), all measured in
 * the same process on the same bytes. Prints figures; asserts nothing.
 * Usage: segrecv-bench [--seconds S] [--profile METHOD] [PAYLOAD_DIR]
 * --profile runs only METHOD (0 handle, 1 stream, 2 yajl noop, 3 yajl tree,
 * 4 yajl with empty callbacks, 5 handle with a callback that reads every value)
 * on the mix for S seconds, for perf; with --iterations N it runs N requests
 * instead, so that callgrind's instruction counts are comparable. */
#define _POSIX_C_SOURCE 200809L
#include <segrecv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#define HEADERS "Authorization: Basic c2VnbWVudDo=\r\nContent-Type: application/json\r\n" \
                "User-Agent: Segment.io/1.0\r\n"
#define PAYLOADS 3
static const char *NAMES[PAYLOADS] = {"identify", "track", "page"};

typedef struct payload {
    char *bytes; /* NUL-terminated for yajl_tree_parse */
    size_t len;
} payload;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static segrecv_status accept_event(const segrecv_event *ev, segrecv_reply *r, void *ud)
{
    (void)r;
    (*(long *)ud) += (long)ev->type; /* touch the event */
    return SEGRECV_OK;
}

/* Counts the allocations the library makes, through its hooks. */
static long allocations;
static void *count_malloc(void *ctx, size_t n)
{
    (void)ctx;
    allocations++;
    return malloc(n);
}
static void *count_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    allocations++;
    return realloc(p, n);
}
static void count_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

typedef enum method {
    HANDLE,
    STREAM_1K,
    YAJL_NOOP,
    YAJL_TREE,
    YAJL_EMPTY_CB,
    HANDLE_WALK,
    METHODS
} method;
static const char *METHOD_NAMES[METHODS] = {"segrecv_handle", "stream 1 KiB", "yajl_parse noop",
                                            "yajl_tree_parse", "yajl empty cbs",
                                            "handle+read all"};

/* Callbacks that only say "go on": what yajl costs once anything listens,
 * before any work is done with what it delivers. */
static int go_on(void *ctx)
{
    (void)ctx;
    return 1;
}
static int go_on_bool(void *ctx, int v)
{
    (void)ctx;
    (void)v;
    return 1;
}
static int go_on_text(void *ctx, const unsigned char *s, size_t len)
{
    (void)ctx;
    (void)s;
    (void)len;
    return 1;
}
static int go_on_number(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    (void)s;
    (void)len;
    return 1;
}
static const yajl_callbacks EMPTY_CALLBACKS = {
    .yajl_null = go_on,
    .yajl_boolean = go_on_bool,
    .yajl_number = go_on_number,
    .yajl_string = go_on_text,
    .yajl_start_map = go_on,
    .yajl_map_key = go_on_text,
    .yajl_end_map = go_on,
    .yajl_start_array = go_on,
    .yajl_end_array = go_on,
};

static segrecv_receiver *rcv, *walking_rcv;
static long sink;

/* Every key and value under v, as a callback that uses the whole event would
 * read them: values are laid out on first read, so this is that cost. */
static void walk(const segrecv_value *v)
{
    size_t n = segrecv_value_count(v), len;
    for (size_t i = 0; i < n; i++) {
        if (segrecv_value_key_at(v, i, &len))
            sink += (long)len;
        const segrecv_value *child = segrecv_value_at(v, i);
        if (segrecv_value_string(child, &len))
            sink += (long)len;
        walk(child);
    }
}

static segrecv_status read_event(const segrecv_event *ev, segrecv_reply *r, void *ud)
{
    (void)r;
    (void)ud;
    walk(ev->raw);
    return SEGRECV_OK;
}

static void run_once(method m, const payload *p)
{
    switch (m) {
    case HANDLE:
    case HANDLE_WALK: {
        segrecv_response resp;
        segrecv_handle(m == HANDLE ? rcv : walking_rcv, HEADERS, sizeof HEADERS - 1, p->bytes,
                       p->len, &resp);
        if (resp.http_status != 200) {
            fprintf(stderr, "unexpected %d %s\n", resp.http_status, resp.body);
            exit(1);
        }
        break;
    }
    case STREAM_1K: {
        static segrecv_request *req;
        if (!req)
            req = segrecv_request_new(rcv);
        segrecv_request_headers(req, HEADERS, sizeof HEADERS - 1);
        for (size_t off = 0; off < p->len; off += 1024)
            segrecv_request_body(req, p->bytes + off, p->len - off < 1024 ? p->len - off : 1024);
        segrecv_response resp;
        if (segrecv_request_finish(req, &resp) != SEGRECV_OK)
            exit(1);
        segrecv_request_reset(req);
        break;
    }
    case YAJL_NOOP: {
        /* yajl has no reset: a parser per request is what its users do. */
        yajl_handle h = yajl_alloc(NULL, NULL, NULL);
        if (yajl_parse(h, (const unsigned char *)p->bytes, p->len) != yajl_status_ok ||
            yajl_complete_parse(h) != yajl_status_ok)
            exit(1);
        yajl_free(h);
        break;
    }
    case YAJL_EMPTY_CB: {
        yajl_handle h = yajl_alloc(&EMPTY_CALLBACKS, NULL, NULL);
        if (yajl_parse(h, (const unsigned char *)p->bytes, p->len) != yajl_status_ok ||
            yajl_complete_parse(h) != yajl_status_ok)
            exit(1);
        yajl_free(h);
        break;
    }
    case YAJL_TREE: {
        char err[64];
        yajl_val v = yajl_tree_parse(p->bytes, err, sizeof err);
        if (!v)
            exit(1);
        sink += (long)v->type;
        yajl_tree_free(v);
        break;
    }
    default:
        break;
    }
}

#define ROUNDS 7

static double time_iters(method m, const payload *set, int count, long iters)
{
    double t0 = now_ns();
    for (long i = 0; i < iters; i++)
        run_once(m, &set[i % count]);
    return now_ns() - t0;
}

/* ns per request of every method on a payload set (one payload, or the mix
 * in turn). The methods take turns, round after round, and each keeps its
 * best round: a slow spell of the machine then hits all of them alike
 * instead of one, and the ratios stay fair. */
static void measure(const payload *set, int count, double seconds, double ns[METHODS])
{
    long iters[METHODS];
    double slice = seconds * 1e9 / ROUNDS / METHODS;
    for (int m = 0; m < METHODS; m++) { /* calibrate: about one slice per round */
        iters[m] = 500;
        while (time_iters((method)m, set, count, iters[m]) < slice / 4 && iters[m] < (1L << 30))
            iters[m] *= 2;
        iters[m] *= 4;
        ns[m] = 1e300;
    }
    for (int round = 0; round < ROUNDS; round++) {
        for (int m = 0; m < METHODS; m++) {
            double per = time_iters((method)m, set, count, iters[m]) / iters[m];
            if (per < ns[m])
                ns[m] = per;
        }
    }
}

static payload load(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    payload p = {malloc(1 << 16), 0};
    p.len = fread(p.bytes, 1, (1 << 16) - 1, f);
    fclose(f);
    while (p.len && (p.bytes[p.len - 1] == '\n'))
        p.len--;
    p.bytes[p.len] = '\0';
    return p;
}

int main(int argc, char **argv)
{
    double seconds = 1.0;
    const char *dir = PAYLOAD_DIR;
    int profile = -1;
    long iterations = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
            profile = atoi(argv[++i]);
        else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc)
            iterations = atol(argv[++i]);
        else
            dir = argv[i];
    }
    payload set[PAYLOADS];
    double mix_bytes = 0;
    for (int i = 0; i < PAYLOADS; i++) {
        set[i] = load(dir, NAMES[i]);
        mix_bytes += (double)set[i].len / PAYLOADS;
    }
    segrecv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.allocator = (segrecv_allocator){count_malloc, count_realloc, count_free, NULL};
    rcv = segrecv_receiver_new(&opt);
    segrecv_add_api_key(rcv, "segment", 7);
    for (int t = 0; t < SEGRECV_TYPE_COUNT; t++)
        segrecv_on(rcv, (segrecv_type)t, accept_event, &sink);
    walking_rcv = segrecv_receiver_new(NULL);
    segrecv_add_api_key(walking_rcv, "segment", 7);
    segrecv_on_any(walking_rcv, read_event, NULL);

    if (profile >= 0 && profile < METHODS) {
        double end = now_ns() + seconds * 1e9;
        for (long i = 0; iterations >= 0 ? i < iterations : now_ns() < end; i++)
            run_once((method)profile, &set[i % PAYLOADS]);
        segrecv_receiver_free(rcv);
        segrecv_receiver_free(walking_rcv);
        return 0;
    }
    printf("libsegrecv %s benchmark, %.1f s per figure set, methods in turn, best of %d rounds\n",
           segrecv_version(), seconds, ROUNDS);
    printf("%-10s %6s  %-16s %10s %10s %9s\n", "payload", "bytes", "method", "ns/event",
           "events/s", "MB/s");
    double mix[METHODS];
    for (int which = 0; which <= PAYLOADS; which++) {
        const payload *s = which < PAYLOADS ? &set[which] : set;
        int count = which < PAYLOADS ? 1 : PAYLOADS;
        double bytes = which < PAYLOADS ? (double)set[which].len : mix_bytes;
        double ns[METHODS];
        measure(s, count, seconds / (PAYLOADS + 1) * 5, ns);
        for (int m = 0; m < METHODS; m++) {
            if (which == PAYLOADS)
                mix[m] = ns[m];
            printf("%-10s %6.0f  %-16s %10.0f %10.0f %9.1f\n",
                   which < PAYLOADS ? NAMES[which] : "mix", bytes, METHOD_NAMES[m], ns[m],
                   1e9 / ns[m], bytes / ns[m] * 1e3);
        }
    }
    /* Allocations per request after warm-up (the runs above were the warm-up). */
    long before = allocations;
    for (int i = 0; i < 3000; i++)
        run_once(HANDLE, &set[i % PAYLOADS]);
    double mallocs = (double)(allocations - before) / 3000;
    printf("floor on the mix: yajl with empty callbacks %.0f ns (%.2fx noop); handle spends "
           "%.0f ns beyond it; yajl_tree/handle >= 3 would leave %.0f ns\n",
           mix[YAJL_EMPTY_CB], mix[YAJL_EMPTY_CB] / mix[YAJL_NOOP],
           mix[HANDLE] - mix[YAJL_EMPTY_CB], mix[YAJL_TREE] / 3 - mix[YAJL_EMPTY_CB]);
    printf("reading every value of each event in the callback: %.0f ns (%.2fx noop, "
           "yajl_tree/that %.2f)\n",
           mix[HANDLE_WALK], mix[HANDLE_WALK] / mix[YAJL_NOOP], mix[YAJL_TREE] / mix[HANDLE_WALK]);
    printf("ratios on the mix: handle/yajl_noop %.2f (target <= 1.35), "
           "yajl_tree/handle %.2f (target >= 3), stream/handle %.2f (target <= 1.10)\n",
           mix[HANDLE] / mix[YAJL_NOOP], mix[YAJL_TREE] / mix[HANDLE],
           mix[STREAM_1K] / mix[HANDLE]);
    printf("summary: handle_ns=%.0f yajl_noop_ns=%.0f yajl_tree_ns=%.0f ratio_noop=%.2f "
           "ratio_tree=%.2f mallocs_per_req=%g stream_ratio=%.2f\n",
           mix[HANDLE], mix[YAJL_NOOP], mix[YAJL_TREE], mix[HANDLE] / mix[YAJL_NOOP],
           mix[YAJL_TREE] / mix[HANDLE], mallocs, mix[STREAM_1K] / mix[HANDLE]);
    segrecv_receiver_free(rcv);
    segrecv_receiver_free(walking_rcv);
    for (int i = 0; i < PAYLOADS; i++)
        free(set[i].bytes);
    return sink == 42 ? 3 : 0; /* keep the work observable */
}
