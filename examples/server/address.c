/* The --listen HOST:PORT argument as a socket address. */
#include "address.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *spec, const char *why)
{
    fprintf(stderr, "segrecv-server: --listen %s: %s\n", spec, why);
    return -1;
}

/* Split at the port's colon; brackets allow colons inside an IPv6 host. */
static int split(const char *spec, listen_address *out, const char **port)
{
    const char *colon;
    const char *host = spec;
    size_t host_len;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':')
            return fail(spec, "expected [IPV6]:PORT");
        colon = close + 1;
        host++;
        host_len = (size_t)(close - host);
    } else {
        colon = strrchr(spec, ':');
        if (!colon)
            return fail(spec, "expected HOST:PORT");
        host_len = (size_t)(colon - spec);
    }
    if (host_len == 0 || host_len + 2 >= sizeof out->host)
        return fail(spec, "bad host");
    memcpy(out->bare_host, host, host_len);
    out->bare_host[host_len] = '\0';
    snprintf(out->host, sizeof out->host, spec[0] == '[' ? "[%s]" : "%s", out->bare_host);
    *port = colon + 1;
    return 0;
}

int listen_address_parse(const char *spec, listen_address *out)
{
    memset(out, 0, sizeof *out);
    const char *port;
    if (split(spec, out, &port))
        return -1;
    char *end;
    long n = strtol(port, &end, 10);
    if (*port == '\0' || *end != '\0' || n < 0 || n > 65535)
        return fail(spec, "bad port");
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    int rc = getaddrinfo(out->bare_host, port, &hints, &res);
    if (rc != 0)
        return fail(spec, gai_strerror(rc));
    memcpy(&out->addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}
