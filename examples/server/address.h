/* The --listen HOST:PORT argument as a socket address. */
#ifndef SERVER_ADDRESS_H
#define SERVER_ADDRESS_H

#include <sys/socket.h>

typedef struct listen_address {
    struct sockaddr_storage addr; /* what to bind */
    char host[256];               /* HOST as given, IPv6 in brackets, for URLs */
    char bare_host[256];          /* HOST without brackets */
} listen_address;

/* Parse "HOST:PORT" or "[IPV6]:PORT" (port 0 = any free port) and resolve
 * HOST. Returns 0, or -1 after reporting the problem on stderr. */
int listen_address_parse(const char *spec, listen_address *out);

#endif
