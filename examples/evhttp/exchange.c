/* One HTTP request from evhttp through libsegrecv's streaming API.
 * evhttp calls back once per request, when the headers are parsed and
 * the whole body is in the request's input buffer (evhttp reads up to its
 * max body size before calling), so the request maps onto the library in
 * one pass: header pairs, headers_end (authentication), every contiguous
 * piece of the input buffer without copying it, finish. */
#include "exchange.h"

#include "../common/endpoint.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include <string.h>

static const char NOT_FOUND[] = ENDPOINT_NOT_FOUND_JSON;
static const char NOT_POST[] = ENDPOINT_NOT_POST_JSON;

static void on_answer_written(struct evhttp_request *req, void *arg)
{
    (void)req;
    evh_service *svc = arg;
    if (--svc->in_flight == 0 && svc->stopping)
        event_base_loopbreak(svc->base);
}

static void reply(evh_service *svc, struct evhttp_request *req, int status, const char *body,
                  size_t len)
{
    struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
    if (len > 0 && (evhttp_add_header(headers, "Content-Type", "application/json") != 0 ||
                    evbuffer_add(evhttp_request_get_output_buffer(req), body, len) != 0)) {
        evhttp_send_error(req, HTTP_INTERNAL, NULL); /* out of memory */
        return;
    }
    if (status == HTTP_BADMETHOD)
        evhttp_add_header(headers, "Allow", "POST");
    if (svc->stopping)
        evhttp_add_header(headers, "Connection", "close");
    svc->in_flight++;
    evhttp_request_set_on_complete_cb(req, on_answer_written, svc);
    evhttp_send_reply(req, status, NULL, NULL); /* NULL: the standard reason phrase */
}

/* The library's answer to the request's headers and body. */
static void receive(segrecv_request *r, struct evhttp_request *req, segrecv_response *res)
{
    const struct evkeyvalq *headers = evhttp_request_get_input_headers(req);
    segrecv_status st = SEGRECV_OK;
    for (const struct evkeyval *h = headers->tqh_first; h && st == SEGRECV_OK;
         h = h->next.tqe_next)
        st = segrecv_request_header(r, h->key, strlen(h->key), h->value, strlen(h->value));
    if (st == SEGRECV_OK)
        st = segrecv_request_headers_end(r);
    /* Refused at the headers (401, 403, 413, ...): the body is not parsed. */
    struct evbuffer *body = evhttp_request_get_input_buffer(req);
    size_t len;
    while (st == SEGRECV_OK && (len = evbuffer_get_contiguous_space(body)) > 0) {
        /* Pulling up no more than the first piece holds does not copy. */
        const char *piece = (const char *)evbuffer_pullup(body, (ev_ssize_t)len);
        st = segrecv_request_body(r, piece, len);
        evbuffer_drain(body, len);
    }
    segrecv_request_finish(r, res);
    segrecv_request_reset(r);
}

void exchange_on_request(struct evhttp_request *req, void *arg)
{
    evh_service *svc = arg;
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    if (!path || !strlist_has(svc->paths, path, strlen(path))) {
        reply(svc, req, HTTP_NOTFOUND, NOT_FOUND, sizeof NOT_FOUND - 1);
        return;
    }
    if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        reply(svc, req, HTTP_BADMETHOD, NOT_POST, sizeof NOT_POST - 1);
        return;
    }
    segrecv_response res;
    receive(svc->request, req, &res);
    reply(svc, req, res.http_status, res.body, res.body_len);
}
