/* segrecv-evhttp's command line. */
#ifndef EVHTTP_OPTIONS_H
#define EVHTTP_OPTIONS_H

#include "../common/strlist.h"

typedef struct evh_options {
    char host[64];            /* bare host, as given: 127.0.0.1, ::1, localhost */
    char url_host[68];        /* as in a URL: 127.0.0.1, [::1] */
    unsigned port;            /* 0: any free port */
    strlist api_keys;         /* accepted keys */
    strlist paths;            /* served paths */
    const char *events;       /* events file; NULL or "-" for stdout */
} evh_options;

enum { EVH_RUN = 0, EVH_EXIT_OK = 1, EVH_EXIT_USAGE = 2 };

/* Fill `o` from argv. Returns EVH_RUN, or EVH_EXIT_OK after --help, or
 * EVH_EXIT_USAGE after reporting a usage error. */
int evh_options_parse(int argc, char **argv, evh_options *o);
void evh_options_free(evh_options *o);

#endif
