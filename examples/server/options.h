/* segrecv-server's command line. */
#ifndef SERVER_OPTIONS_H
#define SERVER_OPTIONS_H

#include "../common/endpoint.h"
#include "../common/strlist.h"

#include <stddef.h>

typedef struct server_options {
    const char *listen;       /* HOST:PORT */
    endpoint_config endpoint; /* keys, forbidden keys, types, secret, flags */
    const char *tls_cert;     /* PEM file, or NULL to generate a certificate */
    const char *tls_key;      /* PEM file, or NULL */
    int plain_http;           /* no TLS */
    strlist paths;            /* served paths */
    int maintenance;          /* answer 503 */
    const char *events;       /* events file; NULL or "-" for stdout */
    size_t dedupe;            /* message ids remembered; 0: no idempotency store */
    int all_or_nothing;       /* batch paths refuse a batch with any bad event */
    unsigned threads;         /* epoll thread pool size; 0: a thread per connection */
} server_options;

enum { OPTIONS_RUN = 0, OPTIONS_EXIT_OK = 1, OPTIONS_EXIT_USAGE = 2 };

/* Fill `o` from argv. Returns OPTIONS_RUN, or OPTIONS_EXIT_OK after
 * --help, or OPTIONS_EXIT_USAGE after reporting a usage error. */
int server_options_parse(int argc, char **argv, server_options *o);
/* How many served paths take batches (endpoint_is_batch_path). */
size_t server_options_batch_paths(const server_options *o);
void server_options_free(server_options *o);

#endif
