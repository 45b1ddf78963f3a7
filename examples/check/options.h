/* segrecv-check's command line. */
#ifndef CHECK_OPTIONS_H
#define CHECK_OPTIONS_H

#include "../common/endpoint.h"
#include "../common/strlist.h"

#include <stddef.h>

typedef struct check_options {
    strlist headers;          /* --header 'Name: value' lines */
    endpoint_config endpoint; /* keys, forbidden keys, types, secret, flags */
    size_t chunk;             /* feed the body this many bytes at a time; 0 = in one call */
    int raw;                  /* the input is a whole HTTP request */
    int batch;                /* a batch receiver, as segrecv-server's /v1/batch */
    int semantic;             /* print each event's semantic fields too */
    const char *input;        /* file, or NULL / "-" for stdin */
} check_options;

enum { CHECK_RUN = -1 };

/* Fill `o` from argv. Returns CHECK_RUN, or the exit status after --help
 * (0) or a usage error (2). */
int check_options_parse(int argc, char **argv, check_options *o);
void check_options_free(check_options *o);

#endif
