/* segrecv-server: an HTTPS endpoint for Segment Direct Integration
 * requests, built on libmicrohttpd and libsegrecv's public API.
 * main() wires the parts together and waits for SIGINT or SIGTERM. */
#include "address.h"
#include "../common/event_log.h"
#include "http.h"
#include "options.h"
#include "receivers.h"
#include "tls.h"

#include "../common/endpoint.h"

#include <segrecv.h>

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Signals are taken synchronously by sigwait() in main(): blocked here,
 * before any thread starts, so every thread inherits the mask. */
static void block_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN); /* a closed events pipe becomes a write error */
}

static int prepare_tls(const server_options *o, const listen_address *where, tls_identity *tls)
{
    if (o->tls_cert) {
        if (tls_identity_load(tls, o->tls_cert, o->tls_key))
            return -1;
        fprintf(stderr, "segrecv-server: TLS certificate %s\n", o->tls_cert);
    } else {
        if (tls_identity_generate(tls, where->bare_host))
            return -1;
        fprintf(stderr, "segrecv-server: TLS with a self-signed certificate for localhost, "
                        "127.0.0.1, ::1 (curl needs -k)\n");
    }
    fprintf(stderr, "segrecv-server: certificate SHA-256 fingerprint %s\n", tls->fingerprint);
    return 0;
}

/* What the receivers do beyond the defaults, then one line per path. */
static void announce(const server_options *o, const listen_address *where, int port)
{
    if (o->maintenance)
        fprintf(stderr, "segrecv-server: maintenance mode: answering 503\n");
    if (o->endpoint.signing_secret)
        fprintf(stderr, "segrecv-server: X-Signature required\n");
    if (o->endpoint.flags & SEGRECV_OPT_BODY_WRITE_KEY)
        fprintf(stderr, "segrecv-server: without Authorization, the body's writeKey is the key\n");
    if (o->dedupe)
        fprintf(stderr, "segrecv-server: replays caught among the last %zu message ids (4 h)\n",
                o->dedupe);
    const char *scheme = o->plain_http ? "http" : "https";
    for (size_t i = 0; i < o->paths.count; i++) {
        if (endpoint_is_batch_path(o->paths.items[i], strlen(o->paths.items[i])))
            fprintf(stderr, "segrecv-server: %s takes batches%s\n", o->paths.items[i],
                    o->all_or_nothing ? ", all or nothing" : "");
    }
    for (size_t i = 0; i < o->paths.count; i++)
        fprintf(stderr, "listening on %s://%s:%d%s\n", scheme, where->host, port,
                o->paths.items[i]);
}

/* Let open connections wind down, for at most two connection timeouts; a
 * second SIGINT or SIGTERM cuts the wait short. */
static void drain(http_service *svc, const sigset_t *signals)
{
    const unsigned limit_ms = 2 * HTTP_CONNECTION_TIMEOUT_S * 1000;
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (unsigned waited = 0; !http_idle(svc) && waited < limit_ms; waited += 10) {
        if (sigtimedwait(signals, NULL, &tick) > 0) {
            fprintf(stderr, "segrecv-server: second signal: stopping now\n");
            return;
        }
    }
}

static int wait_for_stop(const sigset_t *set)
{
    int sig = 0;
    while (sigwait(set, &sig) != 0)
        ;
    return sig;
}

/* Everything after option parsing; returns the exit status, and the
 * number of replays caught in *duplicates. */
static int serve(const server_options *o, event_log *log, uint64_t *duplicates)
{
    listen_address where;
    if (listen_address_parse(o->listen, &where))
        return 2;
    tls_identity tls;
    memset(&tls, 0, sizeof tls);
    if (!o->plain_http && prepare_tls(o, &where, &tls))
        return 1;
    receivers rcv;
    if (receivers_open(&rcv, o, event_log_write, log)) {
        tls_identity_free(&tls);
        return 1;
    }
    sigset_t stop_signals;
    block_stop_signals(&stop_signals);
    http_service svc;
    memset(&svc, 0, sizeof svc);
    svc.receivers = &rcv;
    svc.paths = &o->paths;
    svc.threads = o->threads;
    int port = http_start(&svc, (const struct sockaddr *)&where.addr,
                          o->plain_http ? NULL : &tls);
    int status = 1;
    if (port >= 0) {
        announce(o, &where, port);
        int sig = wait_for_stop(&stop_signals);
        fprintf(stderr, "segrecv-server: %s: finishing requests in flight\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
        http_quiesce(&svc);
        drain(&svc, &stop_signals);
        http_stop(&svc);
        status = 0;
    }
    *duplicates = receivers_duplicates(&rcv);
    receivers_close(&rcv);
    tls_identity_free(&tls);
    return status;
}

int main(int argc, char **argv)
{
    server_options o;
    int rc = server_options_parse(argc, argv, &o);
    if (rc != OPTIONS_RUN) {
        server_options_free(&o);
        return rc == OPTIONS_EXIT_OK ? 0 : 2;
    }
    event_log log;
    if (event_log_open(&log, o.events, "segrecv-server")) {
        server_options_free(&o);
        return 1;
    }
    uint64_t duplicates = 0;
    int status = serve(&o, &log, &duplicates);
    unsigned long written = log.written;
    if (event_log_close(&log)) {
        fprintf(stderr, "segrecv-server: writing events to %s failed\n", log.name);
        status = 1;
    }
    if (status == 0 && o.dedupe)
        fprintf(stderr, "segrecv-server: stopped; %lu event%s written to %s; %llu duplicate%s "
                        "not written again\n",
                written, written == 1 ? "" : "s", log.name, (unsigned long long)duplicates,
                duplicates == 1 ? "" : "s");
    else if (status == 0)
        fprintf(stderr, "segrecv-server: stopped; %lu event%s written to %s\n", written,
                written == 1 ? "" : "s", log.name);
    server_options_free(&o);
    return status;
}
