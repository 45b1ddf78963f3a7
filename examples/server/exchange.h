/* One HTTP request through libsegrecv: the libmicrohttpd callbacks. Each
 * takes the http_service as its closure. */
#ifndef SERVER_EXCHANGE_H
#define SERVER_EXCHANGE_H

#include "http.h"

#include <microhttpd.h>

/* The access handler: headers, then body chunks, then the answer. */
enum MHD_Result exchange_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version,
                                    const char *upload_data, size_t *upload_size,
                                    void **req_cls);
/* A request is over: its connection's state is made ready for the next. */
void exchange_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                           enum MHD_RequestTerminationCode why);
/* A connection opens (its state is allocated) or closes (freed). */
void exchange_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                            enum MHD_ConnectionNotificationCode code);

#endif
