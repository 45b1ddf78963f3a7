/* One HTTP request from evhttp through libsegrecv. */
#ifndef EVHTTP_EXCHANGE_H
#define EVHTTP_EXCHANGE_H

#include "../common/strlist.h"

#include <segrecv.h>

#include <event2/event.h>
#include <event2/http.h>

typedef struct evh_service {
    segrecv_request *request; /* one for all: the loop runs one callback at a time */
    const strlist *paths;     /* served paths; others answer 404 */
    struct event_base *base;
    unsigned in_flight;       /* answers queued and not yet written */
    int stopping;             /* answer with Connection: close; stop once in_flight is 0 */
} evh_service;

/* evhttp's request callback (evhttp_set_gencb; arg: the evh_service). */
void exchange_on_request(struct evhttp_request *req, void *arg);

#endif
