/* segrecv-check's command line. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "Usage: segrecv-check [OPTION]... [FILE|-]\n"
    "Send one request through libsegrecv, as segrecv-server would, and print\n"
    "  line 1: HTTP <status>\n"
    "  line 2: the response body (empty when there is none)\n"
    "  then one canonical JSON line per event dispatched (a batch: one per\n"
    "  event, in order; refused events are named in the body's \"errors\").\n"
    "FILE (default stdin) is the request body, sent with Content-Type:\n"
    "application/json, its Content-Length and Basic auth with the first API key.\n"
    "A gzip or deflate FILE is sent as is: add --header 'Content-Encoding: gzip'.\n"
    "\n"
    "  --header 'Name: value'  add a header (repeatable); a Content-Type,\n"
    "                          Authorization or Content-Length given here\n"
    "                          replaces the default one\n"
    "  --api-key KEY           accept KEY (repeatable); without any, the example\n"
    "                          key 'segment' is accepted and used\n"
    "  --forbidden-key KEY     a known key without permission: 403 (repeatable)\n"
    "  --types LIST            comma list of call types to accept (default all)\n"
    "  --batch                 answer as segrecv-server's batch paths (/v1/batch)\n"
    "                          do: {\"batch\":[...]} and top-level arrays are\n"
    "                          batches, the body limit is 512000 bytes. Without\n"
    "                          it, as its single-event paths (/segment): an array\n"
    "                          is refused. With --raw, a request target whose last\n"
    "                          segment is 'batch' implies --batch\n"
    "  --semantic              after each event's canonical line, print a line\n"
    "                          with its semantic fields as @segment/facade reads\n"
    "                          them (segrecv_event_semantic_json: email, name,\n"
    "                          revenue, ...; {} when none is found)\n"
    "  --signing-secret SECRET require X-Signature, the hex HMAC-SHA1 of the raw\n"
    "                          body under SECRET; give it with --header\n"
    "  --accept-body-write-key take the API key from the body's writeKey when\n"
    "                          there is no Authorization header; no default\n"
    "                          Authorization header is then added\n"
    "  --chunk N               feed the body N bytes at a time through the\n"
    "                          streaming API (default: one segrecv_handle call)\n"
    "  --raw                   FILE is a whole HTTP request: request line, header\n"
    "                          lines, blank line, body (sent as is, no defaults\n"
    "                          added; --header lines are appended)\n"
    "  --help                  show this help\n"
    "\n"
    "Exit status: 0 for a 2xx answer, 1 for 4xx or 5xx, 2 for a usage error.\n";

enum {
    OPT_HEADER = 256,
    OPT_API_KEY,
    OPT_FORBIDDEN_KEY,
    OPT_TYPES,
    OPT_BATCH,
    OPT_SEMANTIC,
    OPT_SIGNING_SECRET,
    OPT_BODY_WRITE_KEY,
    OPT_CHUNK,
    OPT_RAW,
    OPT_HELP
};

static const struct option LONG_OPTIONS[] = {
    {"header", required_argument, NULL, OPT_HEADER},
    {"api-key", required_argument, NULL, OPT_API_KEY},
    {"forbidden-key", required_argument, NULL, OPT_FORBIDDEN_KEY},
    {"types", required_argument, NULL, OPT_TYPES},
    {"batch", no_argument, NULL, OPT_BATCH},
    {"semantic", no_argument, NULL, OPT_SEMANTIC},
    {"signing-secret", required_argument, NULL, OPT_SIGNING_SECRET},
    {"accept-body-write-key", no_argument, NULL, OPT_BODY_WRITE_KEY},
    {"chunk", required_argument, NULL, OPT_CHUNK},
    {"raw", no_argument, NULL, OPT_RAW},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "segrecv-check: %s%s%s\nTry 'segrecv-check --help'.\n", what,
            arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int add(strlist *list, const char *s)
{
    return strlist_add(list, s) ? usage_error("out of memory", NULL) : CHECK_RUN;
}

static int parse_chunk(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (*s < '1' || *s > '9' || *end || errno || n > SIZE_MAX)
        return usage_error("--chunk needs a positive number", s);
    *out = (size_t)n;
    return CHECK_RUN;
}

static int apply(check_options *o, int opt, const char *arg)
{
    switch (opt) {
    case OPT_HEADER:
        if (!strchr(arg, ':'))
            return usage_error("--header needs 'Name: value'", arg);
        return add(&o->headers, arg);
    case OPT_API_KEY:
        return arg[0] ? add(&o->endpoint.api_keys, arg) : usage_error("empty --api-key", NULL);
    case OPT_FORBIDDEN_KEY:
        return arg[0] ? add(&o->endpoint.forbidden_keys, arg)
                      : usage_error("empty --forbidden-key", NULL);
    case OPT_TYPES:
        return endpoint_parse_types("segrecv-check", arg, &o->endpoint.types) ? 2 : CHECK_RUN;
    case OPT_BATCH:
        o->batch = 1;
        return CHECK_RUN;
    case OPT_SEMANTIC:
        o->semantic = 1;
        return CHECK_RUN;
    case OPT_SIGNING_SECRET:
        if (!arg[0])
            return usage_error("empty --signing-secret", NULL);
        o->endpoint.signing_secret = arg;
        return CHECK_RUN;
    case OPT_BODY_WRITE_KEY:
        o->endpoint.flags |= SEGRECV_OPT_BODY_WRITE_KEY;
        return CHECK_RUN;
    case OPT_CHUNK:
        return parse_chunk(arg, &o->chunk);
    case OPT_RAW:
        o->raw = 1;
        return CHECK_RUN;
    case OPT_HELP:
        fputs(USAGE, stdout);
        return 0;
    default:
        return usage_error("unknown option", NULL);
    }
}

int check_options_parse(int argc, char **argv, check_options *o)
{
    memset(o, 0, sizeof *o);
    o->endpoint.types = ENDPOINT_ALL_TYPES;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "", LONG_OPTIONS, NULL)) != -1) {
        if (opt == '?')
            return usage_error("unknown option or missing argument", argv[optind - 1]);
        int rc = apply(o, opt, optarg);
        if (rc != CHECK_RUN)
            return rc;
    }
    if (argc - optind > 1)
        return usage_error("more than one FILE", argv[optind + 1]);
    o->input = optind < argc ? argv[optind] : NULL;
    if (o->endpoint.api_keys.count == 0)
        return add(&o->endpoint.api_keys, ENDPOINT_EXAMPLE_KEY);
    return CHECK_RUN;
}

void check_options_free(check_options *o)
{
    strlist_free(&o->headers);
    strlist_free(&o->endpoint.api_keys);
    strlist_free(&o->endpoint.forbidden_keys);
}
