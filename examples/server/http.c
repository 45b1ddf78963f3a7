/* The HTTP server of segrecv-server: libmicrohttpd started with one thread
 * per connection or an epoll pool, and stopped so that no answer is lost. */
#include "http.h"

#include "exchange.h"

#include <microhttpd.h>

#include <stdio.h>
#include <unistd.h>

#define CONNECTION_LIMIT 512u

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("segrecv-server: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

int http_start(http_service *svc, const struct sockaddr *addr, const tls_identity *tls)
{
    /* A thread per connection is simplest to reason about; a small epoll
     * pool serves many keep-alive connections with less switching. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     (svc->threads ? MHD_USE_EPOLL : MHD_USE_THREAD_PER_CONNECTION);
    if (addr->sa_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_OptionItem tls_options[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, tls ? tls->cert_pem : NULL},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, tls ? tls->key_pem : NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    if (tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            fprintf(stderr, "segrecv-server: this libmicrohttpd has no TLS support; "
                            "try --plain-http\n");
            return -1;
        }
        flags |= MHD_USE_TLS;
    }
    /* The logger goes first, or MHD reports the options before it its own way. */
    svc->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, exchange_on_request, svc, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
        MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_CONNECTION_TIMEOUT, HTTP_CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT, MHD_OPTION_NOTIFY_COMPLETED,
        exchange_on_completed, svc, MHD_OPTION_NOTIFY_CONNECTION, exchange_on_connection, svc,
        MHD_OPTION_THREAD_POOL_SIZE, svc->threads > 1 ? svc->threads : 0u, MHD_OPTION_ARRAY,
        tls ? tls_options : tls_options + 2, MHD_OPTION_END);
    if (!svc->daemon) {
        fprintf(stderr, "segrecv-server: cannot start the HTTP server\n");
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(svc->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? (int)info->port : -1;
}

void http_quiesce(http_service *svc)
{
    atomic_store(&svc->stopping, 1);
    /* The listening socket is ours to close. */
    MHD_socket listener = MHD_quiesce_daemon(svc->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
}

/* Connections count, not just requests in flight: a keep-alive client may
 * be sending its next request right now, and stopping the daemon under it
 * would record the event but lose the answer. */
int http_idle(http_service *svc)
{
    return atomic_load(&svc->in_flight) == 0 && atomic_load(&svc->connections) == 0;
}

void http_stop(http_service *svc)
{
    MHD_stop_daemon(svc->daemon);
    svc->daemon = NULL;
}
