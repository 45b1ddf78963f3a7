/* The HTTP side of segrecv-server: libmicrohttpd calls in, libsegrecv
 * decides, and the answer goes back. */
#ifndef SERVER_HTTP_H
#define SERVER_HTTP_H

#include "../common/strlist.h"
#include "receivers.h"
#include "tls.h"

#include <segrecv.h>

#include <stdatomic.h>
#include <sys/socket.h>

struct MHD_Daemon;

typedef struct http_service {
    const receivers *receivers; /* shared read-only by every connection thread */
    const strlist *paths;       /* served paths; others answer 404 */
    atomic_int in_flight;       /* requests begun and not yet completed */
    atomic_int connections;     /* connections open */
    atomic_int stopping;        /* set at shutdown: responses close their connection */
    unsigned threads;           /* epoll thread pool size; 0: a thread per connection */
    struct MHD_Daemon *daemon;
} http_service;

/* Connections idle this long are closed. */
#define HTTP_CONNECTION_TIMEOUT_S 5u

/* Start serving on `addr` (with TLS unless `tls` is NULL): one thread per
 * connection, or svc->threads threads sharing all connections through epoll.
 * Returns the bound port, or -1 after reporting why. */
int http_start(http_service *svc, const struct sockaddr *addr, const tls_identity *tls);
/* Stop accepting connections; from now on every answer closes its
 * connection, so that open connections wind down. */
void http_quiesce(http_service *svc);
/* 1 when no request is in flight and no connection is open. */
int http_idle(http_service *svc);
/* Stop the daemon: close what is still open and join every connection
 * thread; every callback has returned when this returns. */
void http_stop(http_service *svc);

#endif
