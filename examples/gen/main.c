/* segrecv-gen: random Segment Spec events, one JSON document per line,
 * as Segment's old spec.segment.com/generate/<type> served them:
 *   segrecv-gen identify | curl --user KEY: -H 'Content-Type: application/json' \
 *       --data-binary @- https://HOST/segment */
#include "events.h"
#include "rng.h"
#include "writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char USAGE[] =
    "Usage: segrecv-gen TYPE [--pretty] [--camel] [--seed N] [--count N]\n"
    "Print random Segment Spec events of TYPE: identify, track, page, screen,\n"
    "group or alias.\n"
    "\n"
    "  --pretty    indent the JSON (events are then separated by newlines)\n"
    "  --camel     camelCase keys (userId, messageId) instead of snake_case\n"
    "              (e-commerce properties keep the Spec's snake_case)\n"
    "  --seed N    seed the generator: the same N gives the same events\n"
    "  --count N   print N events, one per line (default 1)\n"
    "  --help      show this help\n";

typedef struct gen_options {
    const char *type;
    int pretty, camel, seeded;
    uint64_t seed;
    unsigned long count;
} gen_options;

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "segrecv-gen: %s%s%s\nTry 'segrecv-gen --help'.\n", what, arg ? ": " : "",
            arg ? arg : "");
    return 2;
}

static int parse_number(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    *out = strtoull(s, &end, 0);
    return *s && *s != '-' && !*end && errno == 0 ? 0 : -1;
}

/* Returns -1 to run, else the exit status. */
static int parse(int argc, char **argv, gen_options *o)
{
    memset(o, 0, sizeof *o);
    o->count = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long n;
        if (strcmp(a, "--help") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else if (strcmp(a, "--pretty") == 0) {
            o->pretty = 1;
        } else if (strcmp(a, "--camel") == 0) {
            o->camel = 1;
        } else if (strcmp(a, "--seed") == 0 || strcmp(a, "--count") == 0) {
            if (i + 1 == argc || parse_number(argv[i + 1], &n))
                return usage_error("expected a number after", a);
            if (a[2] == 's') {
                o->seed = n;
                o->seeded = 1;
            } else {
                o->count = (unsigned long)n;
            }
            i++;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a);
        } else if (o->type) {
            return usage_error("more than one TYPE", a);
        } else {
            o->type = a;
        }
    }
    if (!o->type)
        return usage_error("missing TYPE", NULL);
    for (const char *const *t = GEN_TYPES; *t; t++)
        if (strcmp(*t, o->type) == 0)
            return -1;
    return usage_error("unknown TYPE (identify, track, page, screen, group or alias)", o->type);
}

/* Unseeded runs differ from each other; nothing needs to reproduce them. */
static uint64_t seed_from_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    rng mix;
    rng_seed(&mix, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    return rng_next(&mix) ^ (uint64_t)getpid();
}

/* The type goes into the seed, so that one --seed gives each type its
 * own ids: a receiver dedupes on message_id. */
static uint64_t seed_for(uint64_t seed, const char *type)
{
    uint64_t h = 0xCBF29CE484222325u; /* FNV-1a */
    for (const char *p = type; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001B3u;
    return seed ^ h;
}

int main(int argc, char **argv)
{
    gen_options o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    rng r;
    rng_seed(&r, seed_for(o.seeded ? o.seed : seed_from_clock(), o.type));
    writer w;
    if (writer_init(&w, o.pretty, o.camel)) {
        fprintf(stderr, "segrecv-gen: out of memory\n");
        return 1;
    }
    rc = 0;
    for (unsigned long i = 0; i < o.count && rc == 0; i++) {
        gen_event(&w, &r, o.type);
        if (writer_emit(&w, stdout)) {
            fprintf(stderr, "segrecv-gen: %s\n",
                    w.failed ? "JSON generation failed" : "write error");
            rc = 1;
        }
    }
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "segrecv-gen: write error\n");
        rc = 1;
    }
    writer_free(&w);
    return rc;
}
