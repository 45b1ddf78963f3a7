/* segrecv-evhttp's command line. */
#include "options.h"

#include "../common/endpoint.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "Usage: segrecv-evhttp [OPTION]...\n"
    "Receive Segment Direct Integration requests over plain HTTP with\n"
    "libevent's evhttp and libsegrecv, and write every accepted event as one\n"
    "line of canonical JSON. Segment sends HTTPS: put a TLS-terminating proxy\n"
    "in front of it.\n"
    "\n"
    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080);\n"
    "                       port 0 picks a free port; [::1]:PORT for IPv6\n"
    "  --api-key KEY        accept this API key (repeatable); without any, the\n"
    "                       example key 'segment' is accepted\n"
    "  --path PATH          serve this path (repeatable; default /segment);\n"
    "                       other paths answer 404\n"
    "  --events FILE        append events to FILE (default, or '-': stdout)\n"
    "  --help               show this help\n"
    "\n"
    "Every call type is accepted; any method but POST answers 405. Bodies\n"
    "over 1 MiB are refused by evhttp itself (413, without a JSON message).\n"
    "The listening address is printed on stderr as\n"
    "'listening on http://HOST:PORT/PATH' once requests are served.\n"
    "SIGINT or SIGTERM stops the server after the answers in flight.\n";

enum { OPT_LISTEN = 256, OPT_API_KEY, OPT_PATH, OPT_EVENTS, OPT_HELP };

static const struct option LONG_OPTIONS[] = {
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"api-key", required_argument, NULL, OPT_API_KEY},
    {"path", required_argument, NULL, OPT_PATH},
    {"events", required_argument, NULL, OPT_EVENTS},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "segrecv-evhttp: %s%s%s\nTry 'segrecv-evhttp --help'.\n", what,
            arg ? ": " : "", arg ? arg : "");
    return EVH_EXIT_USAGE;
}

/* HOST:PORT, or [IPV6]:PORT. */
static int parse_listen(const char *spec, evh_options *o)
{
    const char *host = spec, *colon;
    size_t host_len;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':')
            return usage_error("--listen expects [IPV6]:PORT", spec);
        host++;
        host_len = (size_t)(close - host);
        colon = close + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon)
            return usage_error("--listen expects HOST:PORT", spec);
        host_len = (size_t)(colon - spec);
    }
    if (host_len == 0 || host_len >= sizeof o->host)
        return usage_error("--listen: bad host", spec);
    char *end;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end || errno || port > 65535)
        return usage_error("--listen: bad port", spec);
    memcpy(o->host, host, host_len);
    o->host[host_len] = '\0';
    snprintf(o->url_host, sizeof o->url_host, spec[0] == '[' ? "[%s]" : "%s", o->host);
    o->port = (unsigned)port;
    return EVH_RUN;
}

static int add(strlist *list, const char *s)
{
    return strlist_add(list, s) ? usage_error("out of memory", NULL) : EVH_RUN;
}

static int apply(evh_options *o, int opt, const char *arg)
{
    switch (opt) {
    case OPT_LISTEN:
        return parse_listen(arg, o);
    case OPT_API_KEY:
        return arg[0] ? add(&o->api_keys, arg) : usage_error("empty --api-key", NULL);
    case OPT_PATH:
        return arg[0] == '/' ? add(&o->paths, arg) : usage_error("--path must start with '/'", arg);
    case OPT_EVENTS:
        o->events = arg;
        return EVH_RUN;
    case OPT_HELP:
        fputs(USAGE, stdout);
        return EVH_EXIT_OK;
    default:
        return usage_error("unknown option", NULL);
    }
}

int evh_options_parse(int argc, char **argv, evh_options *o)
{
    memset(o, 0, sizeof *o);
    int rc = parse_listen("127.0.0.1:8080", o);
    opterr = 0; /* our own message, below */
    int opt;
    while (rc == EVH_RUN && (opt = getopt_long(argc, argv, "", LONG_OPTIONS, NULL)) != -1)
        rc = opt == '?' ? usage_error("unknown option or missing argument", argv[optind - 1])
                        : apply(o, opt, optarg);
    if (rc != EVH_RUN)
        return rc;
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (o->paths.count == 0 && (rc = add(&o->paths, "/segment")) != EVH_RUN)
        return rc;
    if (o->api_keys.count == 0) {
        fprintf(stderr, "segrecv-evhttp: no --api-key given; accepting the example key '%s'\n",
                ENDPOINT_EXAMPLE_KEY);
        return add(&o->api_keys, ENDPOINT_EXAMPLE_KEY);
    }
    return EVH_RUN;
}

void evh_options_free(evh_options *o)
{
    strlist_free(&o->api_keys);
    strlist_free(&o->paths);
}
