/* bare-mhd: the baseline for the HTTP load benchmark. libmicrohttpd in the
 * same threading mode as segrecv-server (a thread per connection, or an
 * epoll pool), reading the whole body and answering 200 with no body: what
 * is left when the Segment work is taken away. With "yajl" it also runs a
 * bare yajl_parse with no callbacks over each body (the parser floor of
 * segrecv-bench): what a server pays that only checks the JSON's syntax.
 * Usage: bare-mhd PORT [THREADS [yajl]]  (THREADS as segrecv-server --threads) */
#define _POSIX_C_SOURCE 200809L
#include <microhttpd.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

static int parse_bodies;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **state)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    static int started;
    if (!*state) { /* first call: headers only */
        /* yajl has no reset: a parser per request, as segrecv-bench's floor. */
        *state = parse_bodies ? (void *)yajl_alloc(NULL, NULL, NULL) : (void *)&started;
        return *state ? MHD_YES : MHD_NO;
    }
    if (*upload_size) {
        if (parse_bodies)
            yajl_parse(*state, (const unsigned char *)upload_data, *upload_size);
        *upload_size = 0; /* body bytes read and dropped */
        return MHD_YES;
    }
    unsigned status = MHD_HTTP_OK;
    if (parse_bodies && yajl_complete_parse(*state) != yajl_status_ok)
        status = MHD_HTTP_BAD_REQUEST;
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)conn;
    (void)why;
    if (parse_bodies && *state)
        yajl_free(*state);
    *state = NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4 || (argc == 4 && strcmp(argv[3], "yajl") != 0)) {
        fprintf(stderr, "usage: bare-mhd PORT [THREADS [yajl]]\n");
        return 2;
    }
    unsigned threads = argc >= 3 ? (unsigned)atoi(argv[2]) : 0;
    parse_bodies = argc == 4;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                     (threads ? MHD_USE_EPOLL : MHD_USE_THREAD_PER_CONNECTION);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)atoi(argv[1]), NULL, NULL, on_request, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 5u, MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d)
        return 1;
    fprintf(stderr, "listening on http://127.0.0.1:%s/\n", argv[1]);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
