/* segrecv-server's command line. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "Usage: segrecv-server [OPTION]...\n"
    "Receive Segment Direct Integration requests and batches over HTTPS with\n"
    "libsegrecv and write every accepted event as one line of canonical JSON.\n"
    "\n"
    "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8443);\n"
    "                          port 0 picks a free port; [::1]:PORT for IPv6\n"
    "  --api-key KEY           accept this API key (repeatable); without any, the\n"
    "                          example key 'segment' is accepted\n"
    "  --forbidden-key KEY     a known key without permission: 403 (repeatable)\n"
    "  --tls-cert PEM          certificate chain file (with --tls-key); without\n"
    "                          both, a self-signed certificate is generated\n"
    "  --tls-key PEM           private key file\n"
    "  --plain-http            serve plain HTTP instead of HTTPS\n"
    "  --path PATH             serve this path (repeatable; default /segment);\n"
    "                          other paths answer 404. A path whose last segment\n"
    "                          is 'batch' (/v1/batch, where Segment's SDKs and\n"
    "                          RudderStack post) takes batches: {\"batch\":[...]}\n"
    "                          or a top-level array, up to 512000 bytes and 2500\n"
    "                          events of at most 32768 bytes each; other paths\n"
    "                          take one event of up to 32768 bytes\n"
    "  --types LIST            comma list of call types to accept (default all:\n"
    "                          identify,track,page,screen,group,alias,delete);\n"
    "                          others answer 501\n"
    "  --signing-secret SECRET require X-Signature, the hex HMAC-SHA1 of the raw\n"
    "                          body under SECRET (Segment's Webhooks); missing or\n"
    "                          wrong: 401\n"
    "  --accept-body-write-key take the API key from the body's writeKey when a\n"
    "                          request has no Authorization header\n"
    "  --any-content-type      accept any Content-Type (the body must still be\n"
    "                          JSON): RudderStack's Node SDK labels its gzip\n"
    "                          batches application/x-www-form-urlencoded\n"
    "  --dedupe N              remember the message ids of the last N accepted\n"
    "                          events for 4 hours (Segment's retry horizon): a\n"
    "                          replayed event is answered as accepted and not\n"
    "                          written again; the count is printed at exit\n"
    "  --threads N             serve from N threads sharing connections (epoll);\n"
    "                          default 0: one thread per connection\n"
    "  --all-or-nothing        on batch paths, refuse a whole batch (400) when any\n"
    "                          event in it is invalid, instead of writing the rest\n"
    "  --maintenance           answer 503 to every authenticated request\n"
    "  --events FILE           append events to FILE (default, or '-': stdout)\n"
    "  --help                  show this help\n"
    "\n"
    "The listening address is printed on stderr as\n"
    "'listening on https://HOST:PORT/PATH' (one line per path) once requests\n"
    "are served. A batch is answered 200 when its events were written; when\n"
    "some were refused, 200 with {\"message\":...,\"errors\":[...]} naming them\n"
    "(the others are written); 400 when all were; 500 when one could not be\n"
    "written (the sender retries the batch: use --dedupe).\n"
    "SIGINT or SIGTERM stops the server after the requests in flight.\n";

enum {
    OPT_LISTEN = 256,
    OPT_API_KEY,
    OPT_FORBIDDEN_KEY,
    OPT_TLS_CERT,
    OPT_TLS_KEY,
    OPT_PLAIN_HTTP,
    OPT_PATH,
    OPT_TYPES,
    OPT_MAINTENANCE,
    OPT_EVENTS,
    OPT_SIGNING_SECRET,
    OPT_BODY_WRITE_KEY,
    OPT_ANY_CONTENT_TYPE,
    OPT_DEDUPE,
    OPT_ALL_OR_NOTHING,
    OPT_THREADS,
    OPT_HELP
};

static const struct option LONG_OPTIONS[] = {
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"api-key", required_argument, NULL, OPT_API_KEY},
    {"forbidden-key", required_argument, NULL, OPT_FORBIDDEN_KEY},
    {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
    {"tls-key", required_argument, NULL, OPT_TLS_KEY},
    {"plain-http", no_argument, NULL, OPT_PLAIN_HTTP},
    {"path", required_argument, NULL, OPT_PATH},
    {"types", required_argument, NULL, OPT_TYPES},
    {"maintenance", no_argument, NULL, OPT_MAINTENANCE},
    {"events", required_argument, NULL, OPT_EVENTS},
    {"signing-secret", required_argument, NULL, OPT_SIGNING_SECRET},
    {"accept-body-write-key", no_argument, NULL, OPT_BODY_WRITE_KEY},
    {"any-content-type", no_argument, NULL, OPT_ANY_CONTENT_TYPE},
    {"dedupe", required_argument, NULL, OPT_DEDUPE},
    {"all-or-nothing", no_argument, NULL, OPT_ALL_OR_NOTHING},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *what)
{
    fprintf(stderr, "segrecv-server: %s\nTry 'segrecv-server --help'.\n", what);
    return OPTIONS_EXIT_USAGE;
}

/* --dedupe N: a positive count of message ids. */
static int parse_dedupe(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (*s < '1' || *s > '9' || *end || errno || n > SIZE_MAX)
        return usage_error("--dedupe needs a positive number of message ids");
    *out = (size_t)n;
    return OPTIONS_RUN;
}

static int parse_threads(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || n > 256)
        return usage_error("--threads needs a number from 0 to 256");
    *out = (unsigned)n;
    return OPTIONS_RUN;
}

/* Apply one option; returns OPTIONS_RUN to go on. */
static int apply(server_options *o, int opt, const char *arg)
{
    switch (opt) {
    case OPT_LISTEN:
        o->listen = arg;
        return OPTIONS_RUN;
    case OPT_API_KEY:
        if (!arg[0])
            return usage_error("--api-key must not be empty");
        return strlist_add(&o->endpoint.api_keys, arg) ? usage_error("out of memory")
                                                        : OPTIONS_RUN;
    case OPT_FORBIDDEN_KEY:
        if (!arg[0])
            return usage_error("--forbidden-key must not be empty");
        return strlist_add(&o->endpoint.forbidden_keys, arg) ? usage_error("out of memory")
                                                              : OPTIONS_RUN;
    case OPT_TLS_CERT:
        o->tls_cert = arg;
        return OPTIONS_RUN;
    case OPT_TLS_KEY:
        o->tls_key = arg;
        return OPTIONS_RUN;
    case OPT_PLAIN_HTTP:
        o->plain_http = 1;
        return OPTIONS_RUN;
    case OPT_PATH:
        if (arg[0] != '/')
            return usage_error("--path must start with '/'");
        return strlist_add(&o->paths, arg) ? usage_error("out of memory") : OPTIONS_RUN;
    case OPT_TYPES:
        return endpoint_parse_types("segrecv-server", arg, &o->endpoint.types)
                   ? OPTIONS_EXIT_USAGE
                   : OPTIONS_RUN;
    case OPT_MAINTENANCE:
        o->maintenance = 1;
        return OPTIONS_RUN;
    case OPT_EVENTS:
        o->events = arg;
        return OPTIONS_RUN;
    case OPT_SIGNING_SECRET:
        if (!arg[0])
            return usage_error("--signing-secret must not be empty");
        o->endpoint.signing_secret = arg;
        return OPTIONS_RUN;
    case OPT_BODY_WRITE_KEY:
        o->endpoint.flags |= SEGRECV_OPT_BODY_WRITE_KEY;
        return OPTIONS_RUN;
    case OPT_ANY_CONTENT_TYPE:
        o->endpoint.flags |= SEGRECV_OPT_ANY_CONTENT_TYPE;
        return OPTIONS_RUN;
    case OPT_DEDUPE:
        return parse_dedupe(arg, &o->dedupe);
    case OPT_THREADS:
        return parse_threads(arg, &o->threads);
    case OPT_ALL_OR_NOTHING:
        o->all_or_nothing = 1;
        return OPTIONS_RUN;
    case OPT_HELP:
        fputs(USAGE, stdout);
        return OPTIONS_EXIT_OK;
    default:
        return usage_error("unknown option");
    }
}

/* Defaults for whatever the command line left unset. */
static int complete(server_options *o)
{
    if (!o->tls_cert != !o->tls_key)
        return usage_error("--tls-cert and --tls-key go together");
    if (o->plain_http && o->tls_cert)
        return usage_error("--plain-http excludes --tls-cert and --tls-key");
    if (o->paths.count == 0 && strlist_add(&o->paths, "/segment"))
        return usage_error("out of memory");
    if (o->all_or_nothing && !server_options_batch_paths(o))
        return usage_error("--all-or-nothing needs a --path whose last segment is 'batch'");
    if (o->endpoint.api_keys.count == 0) {
        if (strlist_add(&o->endpoint.api_keys, ENDPOINT_EXAMPLE_KEY))
            return usage_error("out of memory");
        fprintf(stderr, "segrecv-server: no --api-key given; accepting the example key '%s'\n",
                ENDPOINT_EXAMPLE_KEY);
    }
    return OPTIONS_RUN;
}

int server_options_parse(int argc, char **argv, server_options *o)
{
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:8443";
    o->endpoint.types = ENDPOINT_ALL_TYPES;
    opterr = 0; /* our own message, below */
    int opt;
    while ((opt = getopt_long(argc, argv, "", LONG_OPTIONS, NULL)) != -1) {
        if (opt == '?') {
            char what[128];
            snprintf(what, sizeof what, "unknown option or missing argument: %s",
                     argv[optind - 1]);
            return usage_error(what);
        }
        int rc = apply(o, opt, optarg);
        if (rc != OPTIONS_RUN)
            return rc;
    }
    if (optind < argc)
        return usage_error("unexpected argument");
    return complete(o);
}

size_t server_options_batch_paths(const server_options *o)
{
    size_t n = 0;
    for (size_t i = 0; i < o->paths.count; i++)
        n += endpoint_is_batch_path(o->paths.items[i], strlen(o->paths.items[i])) != 0;
    return n;
}

void server_options_free(server_options *o)
{
    strlist_free(&o->endpoint.api_keys);
    strlist_free(&o->endpoint.forbidden_keys);
    strlist_free(&o->paths);
}
