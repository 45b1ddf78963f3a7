/* segrecv-evhttp: a Segment Direct Integration endpoint on libevent's
 * evhttp, built on libsegrecv's public API: the same core as
 * segrecv-server, behind a second HTTP stack. main() sets up the
 * receiver, the listener and the signals, and runs the event loop. */
#include "../common/event_log.h"
#include "exchange.h"
#include "options.h"

#include <segrecv.h>

#include <event2/event.h>
#include <event2/http.h>

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* Bodies up to this size reach the library, which answers 413 with a JSON
 * message past its own limit; evhttp refuses larger ones itself. */
#define MAX_BODY_BYTES (1024 * 1024)
/* Header blocks up to this size reach the library, which answers 431 past
 * its own limit (16 KiB by default). */
#define MAX_HEADER_BYTES (64 * 1024)
/* An idle or slow connection is closed after this many seconds; it also
 * bounds the wait for answers in flight at SIGINT or SIGTERM. */
#define CONNECTION_TIMEOUT_S 10

typedef struct server {
    evh_service svc;
    struct evhttp *http;
    struct evhttp_bound_socket *listener;
    struct event *stop_timer;
} server;

/* First SIGINT or SIGTERM: stop accepting connections and stop once the
 * answers already queued are written (at most CONNECTION_TIMEOUT_S).
 * A second signal stops at once. */
static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    server *s = arg;
    if (s->svc.stopping) {
        fprintf(stderr, "segrecv-evhttp: second signal: stopping now\n");
        event_base_loopbreak(s->svc.base);
        return;
    }
    fprintf(stderr, "segrecv-evhttp: %s: finishing answers in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    s->svc.stopping = 1;
    evhttp_del_accept_socket(s->http, s->listener);
    s->listener = NULL;
    if (s->svc.in_flight == 0) {
        event_base_loopbreak(s->svc.base);
        return;
    }
    struct timeval limit = {CONNECTION_TIMEOUT_S, 0};
    evtimer_add(s->stop_timer, &limit);
}

static void on_stop_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(arg);
}

/* The port the listener got (the one asked for, or a free one for 0). */
static int bound_port(struct evhttp_bound_socket *listener)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    if (getsockname(evhttp_bound_socket_get_fd(listener), (struct sockaddr *)&addr, &len) != 0)
        return -1;
    if (addr.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
    return ntohs(((struct sockaddr_in *)&addr)->sin_port);
}

static int start_http(server *s, const evh_options *o)
{
    s->http = evhttp_new(s->svc.base);
    if (!s->http)
        return -1;
    evhttp_set_max_body_size(s->http, MAX_BODY_BYTES);
    evhttp_set_max_headers_size(s->http, MAX_HEADER_BYTES);
    evhttp_set_timeout(s->http, CONNECTION_TIMEOUT_S);
    /* Every method reaches exchange_on_request, which answers 405 with
     * JSON; evhttp would answer the ones it does not allow with 501. */
    evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                            EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                            EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(s->http, exchange_on_request, &s->svc);
    s->listener = evhttp_bind_socket_with_handle(s->http, o->host, (ev_uint16_t)o->port);
    int port = s->listener ? bound_port(s->listener) : -1;
    if (port < 0) {
        fprintf(stderr, "segrecv-evhttp: cannot listen on %s:%u\n", o->url_host, o->port);
        return -1;
    }
    for (size_t i = 0; i < o->paths.count; i++)
        fprintf(stderr, "listening on http://%s:%d%s\n", o->url_host, port, o->paths.items[i]);
    return 0;
}

/* The receiver: the accepted keys, and one callback for every call type. */
static segrecv_receiver *make_receiver(const evh_options *o, event_log *events)
{
    segrecv_receiver *rcv = segrecv_receiver_new(NULL); /* default limits */
    segrecv_status st = rcv ? SEGRECV_OK : SEGRECV_NOMEM;
    for (size_t i = 0; st == SEGRECV_OK && i < o->api_keys.count; i++)
        st = segrecv_add_api_key(rcv, o->api_keys.items[i], strlen(o->api_keys.items[i]));
    if (st == SEGRECV_OK)
        st = segrecv_on_any(rcv, event_log_write, events);
    if (st != SEGRECV_OK) {
        fprintf(stderr, "segrecv-evhttp: cannot configure the receiver: %s\n",
                segrecv_status_str(st));
        segrecv_receiver_free(rcv);
        return NULL;
    }
    return rcv;
}

/* Everything after option parsing; returns the exit status. */
static int serve(const evh_options *o, segrecv_receiver *rcv)
{
    server s;
    memset(&s, 0, sizeof s);
    s.svc.paths = &o->paths;
    s.svc.request = segrecv_request_new(rcv);
    s.svc.base = event_base_new();
    struct event *sigint = NULL, *sigterm = NULL;
    int status = 1;
    if (s.svc.request && s.svc.base) {
        sigint = evsignal_new(s.svc.base, SIGINT, on_signal, &s);
        sigterm = evsignal_new(s.svc.base, SIGTERM, on_signal, &s);
        s.stop_timer = evtimer_new(s.svc.base, on_stop_timer, s.svc.base);
    }
    if (sigint && sigterm && s.stop_timer && evsignal_add(sigint, NULL) == 0 &&
        evsignal_add(sigterm, NULL) == 0 && start_http(&s, o) == 0 &&
        event_base_dispatch(s.svc.base) >= 0)
        status = 0;
    else if (!s.http)
        fprintf(stderr, "segrecv-evhttp: cannot set up the event loop\n");
    if (s.http)
        evhttp_free(s.http); /* closes the connections still open */
    if (sigint)
        event_free(sigint);
    if (sigterm)
        event_free(sigterm);
    if (s.stop_timer)
        event_free(s.stop_timer);
    if (s.svc.base)
        event_base_free(s.svc.base);
    segrecv_request_free(s.svc.request);
    return status;
}

int main(int argc, char **argv)
{
    evh_options o;
    int rc = evh_options_parse(argc, argv, &o);
    if (rc != EVH_RUN) {
        evh_options_free(&o);
        return rc == EVH_EXIT_OK ? 0 : 2;
    }
    signal(SIGPIPE, SIG_IGN); /* a closed client or events pipe becomes a write error */
    event_log events;
    if (event_log_open(&events, o.events, "segrecv-evhttp")) {
        evh_options_free(&o);
        return 1;
    }
    segrecv_receiver *rcv = make_receiver(&o, &events);
    int status = rcv ? serve(&o, rcv) : 1;
    segrecv_receiver_free(rcv);
    if (event_log_close(&events)) {
        fprintf(stderr, "segrecv-evhttp: writing events to %s failed\n", events.name);
        status = 1;
    }
    if (status == 0)
        fprintf(stderr, "segrecv-evhttp: stopped; %lu event%s written to %s\n", events.written,
                events.written == 1 ? "" : "s", events.name);
    evh_options_free(&o);
    return status;
}
