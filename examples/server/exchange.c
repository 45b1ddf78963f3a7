/* One HTTP request through libsegrecv. libmicrohttpd (MHD) calls
 * exchange_on_request once when the headers are in, once per body chunk,
 * and once more at the end; each call maps onto one step of libsegrecv's
 * streaming API. */
#include "exchange.h"

#include "../common/endpoint.h"

#include <microhttpd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The most body we read only to drop it, so that a refused client can
 * read its answer (see answer_before_body). */
#define DISCARD_MAX (1024u * 1024u)

static const char NOT_FOUND[] = ENDPOINT_NOT_FOUND_JSON;
static const char NOT_POST[] = ENDPOINT_NOT_POST_JSON;
static const char NO_MEMORY[] = "{\"message\":\"Out of memory\"}";

/* Per-connection state, reused by every request of a keep-alive
 * connection, so that a request costs no allocation after the first. */
typedef struct exchange {
    segrecv_request *single;  /* created by the connection's first POST ... */
    segrecv_request *batch;   /* ... to a single-event path or a batch path */
    segrecv_request *request; /* the current request: one of the two */
    unsigned host_status;     /* an answer made here (404, 405, 500)... */
    const char *host_body;    /* ... with this body; NULL: the library's answer */
    int refused;              /* decided before the body ended: drop the rest */
    int answered;             /* a response is queued */
    size_t discarded;         /* body bytes dropped */
} exchange;

static enum MHD_Result respond(http_service *svc, struct MHD_Connection *conn, exchange *x,
                               unsigned status, const char *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    enum MHD_Result ok = MHD_YES;
    if (len > 0)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (ok == MHD_YES && status == MHD_HTTP_METHOD_NOT_ALLOWED)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, MHD_HTTP_METHOD_POST);
    /* While stopping, no connection is kept for a next request. */
    if (ok == MHD_YES && atomic_load(&svc->stopping))
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    if (ok == MHD_YES)
        ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    x->answered = ok == MHD_YES;
    return ok;
}

/* The answer: made here, or the library's, whether the body was read to
 * its end or not. */
static enum MHD_Result answer(http_service *svc, struct MHD_Connection *conn, exchange *x)
{
    if (x->host_body)
        return respond(svc, conn, x, x->host_status, x->host_body, strlen(x->host_body));
    segrecv_response res;
    segrecv_request_finish(x->request, &res);
    return respond(svc, conn, x, (unsigned)res.http_status, res.body, res.body_len);
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Whether a request refused at its headers can be answered before its
 * body. MHD answers such a request and closes the connection without
 * reading on; a client still sending then gets a reset instead of the
 * answer (curl: "Send failure: Broken pipe", about one time in two for a
 * 40 KB body on loopback). So answer at once only when no body is coming:
 * none declared, or the client waits for "100 Continue" before sending it.
 * Otherwise read and drop the body, then answer on a connection that stays
 * usable; past DISCARD_MAX, give up on the client and answer at once. */
static int answer_before_body(struct MHD_Connection *conn)
{
    const char *expect = header(conn, MHD_HTTP_HEADER_EXPECT);
    if (expect && strcasecmp(expect, "100-continue") == 0)
        return 1;
    if (header(conn, MHD_HTTP_HEADER_TRANSFER_ENCODING))
        return 0; /* chunked: take_body bounds what is dropped */
    const char *length = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long declared = length ? strtoull(length, NULL, 10) : 0;
    return declared == 0 || declared > DISCARD_MAX;
}

/* Decided before the body: answer now, or after dropping the body. */
static enum MHD_Result refuse(http_service *svc, struct MHD_Connection *conn, exchange *x)
{
    x->refused = 1;
    return answer_before_body(conn) ? answer(svc, conn, x) : MHD_YES;
}

static enum MHD_Result refuse_here(http_service *svc, struct MHD_Connection *conn, exchange *x,
                                   unsigned status, const char *body)
{
    x->host_status = status;
    x->host_body = body;
    return refuse(svc, conn, x);
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *name,
                                  size_t name_len, const char *value, size_t value_len)
{
    (void)kind;
    segrecv_request *request = cls;
    /* An error sticks in the request; headers_end reports it. */
    return segrecv_request_header(request, name, name_len, value ? value : "",
                                  value ? value_len : 0) == SEGRECV_OK
               ? MHD_YES
               : MHD_NO;
}

static int path_served(const http_service *svc, const char *url)
{
    return strlist_has(svc->paths, url, strlen(url));
}

/* First call: the headers are complete and no body has been read. The
 * library decides authentication and the header checks here. */
static enum MHD_Result begin(http_service *svc, struct MHD_Connection *conn, exchange *x,
                             const char *url, const char *method)
{
    if (!path_served(svc, url))
        return refuse_here(svc, conn, x, MHD_HTTP_NOT_FOUND, NOT_FOUND);
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return refuse_here(svc, conn, x, MHD_HTTP_METHOD_NOT_ALLOWED, NOT_POST);
    segrecv_receiver *rcv = receivers_for_path(svc->receivers, url);
    segrecv_request **slot = rcv == svc->receivers->batch ? &x->batch : &x->single;
    if (!*slot)
        *slot = segrecv_request_new(rcv);
    x->request = *slot;
    if (!x->request)
        return refuse_here(svc, conn, x, MHD_HTTP_INTERNAL_SERVER_ERROR, NO_MEMORY);
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, add_header, x->request);
    if (segrecv_request_headers_end(x->request) != SEGRECV_OK)
        return refuse(svc, conn, x);
    return MHD_YES;
}

/* A body chunk, as MHD delivers it: straight into the library, or, once
 * the answer is decided, dropped (up to DISCARD_MAX; then hang up, since
 * MHD 0.9.75 lets us answer only when the body has ended). */
static enum MHD_Result take_body(exchange *x, const char *data, size_t *size)
{
    size_t len = *size;
    *size = 0;
    if (!x->refused) {
        x->refused = segrecv_request_body(x->request, data, len) != SEGRECV_OK;
        return MHD_YES;
    }
    x->discarded += len;
    return x->discarded <= DISCARD_MAX ? MHD_YES : MHD_NO;
}

static exchange *connection_exchange(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

enum MHD_Result exchange_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version,
                                    const char *upload_data, size_t *upload_size,
                                    void **req_cls)
{
    (void)version;
    http_service *svc = cls;
    exchange *x = *req_cls;
    if (!x) {
        x = connection_exchange(conn);
        if (!x)
            return MHD_NO; /* no memory at connection start: hang up */
        *req_cls = x;
        atomic_fetch_add(&svc->in_flight, 1);
        return begin(svc, conn, x, url, method);
    }
    if (x->answered) { /* answered early; drop whatever body still comes */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size > 0)
        return take_body(x, upload_data, upload_size);
    return answer(svc, conn, x);
}

/* The request is over (answered, failed or timed out): ready the
 * connection's state for its next request. */
void exchange_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                           enum MHD_RequestTerminationCode why)
{
    (void)conn;
    (void)why;
    http_service *svc = cls;
    exchange *x = *req_cls;
    if (!x)
        return;
    if (x->request)
        segrecv_request_reset(x->request);
    x->request = NULL;
    x->host_status = 0;
    x->host_body = NULL;
    x->answered = x->refused = 0;
    x->discarded = 0;
    *req_cls = NULL;
    atomic_fetch_sub(&svc->in_flight, 1);
}

void exchange_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                            enum MHD_ConnectionNotificationCode code)
{
    (void)conn;
    http_service *svc = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&svc->connections, 1);
        *socket_context = calloc(1, sizeof(exchange));
        return;
    }
    atomic_fetch_sub(&svc->connections, 1);
    exchange *x = *socket_context;
    if (x) {
        segrecv_request_free(x->single);
        segrecv_request_free(x->batch);
        free(x);
        *socket_context = NULL;
    }
}
