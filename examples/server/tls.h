/* The server's TLS certificate: loaded from PEM files or generated. */
#ifndef SERVER_TLS_H
#define SERVER_TLS_H

/* SHA-256 as 32 colon-separated hex pairs. */
#define TLS_FINGERPRINT_LEN (32 * 3)

typedef struct tls_identity {
    char *cert_pem; /* NUL-terminated, malloc'd */
    char *key_pem;  /* NUL-terminated, malloc'd */
    char fingerprint[TLS_FINGERPRINT_LEN]; /* of the (first) certificate */
} tls_identity;

/* Read and check a certificate chain and its private key. Returns 0, or
 * -1 after reporting the problem on stderr. */
int tls_identity_load(tls_identity *id, const char *cert_path, const char *key_path);
/* Generate a key and a self-signed certificate, valid for a year, for
 * localhost, 127.0.0.1, ::1 and `host` (a name or an IP literal). */
int tls_identity_generate(tls_identity *id, const char *host);
void tls_identity_free(tls_identity *id);

#endif
