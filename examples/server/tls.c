/* The server's TLS certificate: loaded from PEM files or generated with
 * GnuTLS, so that the example runs over HTTPS with no setup. */
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "segrecv-server: %s: %s\n", what, gnutls_strerror(rc));
    return -1;
}

static char *copy_datum(const gnutls_datum_t *d)
{
    char *s = malloc(d->size + 1);
    if (s) {
        memcpy(s, d->data, d->size);
        s[d->size] = '\0';
    }
    return s;
}

static int fingerprint(gnutls_x509_crt_t crt, char out[TLS_FINGERPRINT_LEN])
{
    unsigned char digest[32];
    size_t size = sizeof digest;
    int rc = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, digest, &size);
    if (rc < 0)
        return fail("certificate fingerprint", rc);
    for (size_t i = 0; i < size; i++)
        snprintf(out + 3 * i, 4, i + 1 < size ? "%02X:" : "%02X", digest[i]);
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "segrecv-server: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *bigger = cap < (1u << 24) ? realloc(buf, 2 * cap + 1) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
                fprintf(stderr, "segrecv-server: %s: too large\n", path);
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        fprintf(stderr, "segrecv-server: %s: read error\n", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Both files must parse: MHD's own failure would not say which is wrong. */
static int check_pem(tls_identity *id, const char *cert_path, const char *key_path)
{
    gnutls_datum_t cert = {(unsigned char *)id->cert_pem, (unsigned)strlen(id->cert_pem)};
    gnutls_datum_t key = {(unsigned char *)id->key_pem, (unsigned)strlen(id->key_pem)};
    gnutls_x509_crt_t crt;
    gnutls_x509_privkey_t pk;
    int rc = gnutls_x509_crt_init(&crt);
    if (rc < 0)
        return fail("TLS", rc);
    rc = gnutls_x509_crt_import(crt, &cert, GNUTLS_X509_FMT_PEM);
    int bad = rc < 0 ? fail(cert_path, rc) : fingerprint(crt, id->fingerprint);
    gnutls_x509_crt_deinit(crt);
    if (bad)
        return -1;
    rc = gnutls_x509_privkey_init(&pk);
    if (rc < 0)
        return fail("TLS", rc);
    rc = gnutls_x509_privkey_import2(pk, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
    gnutls_x509_privkey_deinit(pk);
    return rc < 0 ? fail(key_path, rc) : 0;
}

int tls_identity_load(tls_identity *id, const char *cert_path, const char *key_path)
{
    memset(id, 0, sizeof *id);
    id->cert_pem = read_file(cert_path);
    id->key_pem = id->cert_pem ? read_file(key_path) : NULL;
    if (!id->key_pem || check_pem(id, cert_path, key_path)) {
        tls_identity_free(id);
        return -1;
    }
    return 0;
}

/* One subjectAltName: an IP address when `name` is an IP literal. */
static int add_san(gnutls_x509_crt_t crt, const char *name)
{
    unsigned char ip[16];
    if (inet_pton(AF_INET, name, ip) == 1)
        return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 4,
                                                    GNUTLS_FSAN_APPEND);
    if (inet_pton(AF_INET6, name, ip) == 1)
        return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 16,
                                                    GNUTLS_FSAN_APPEND);
    return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, name,
                                                (unsigned)strlen(name), GNUTLS_FSAN_APPEND);
}

static int describe(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key, const char *host)
{
    unsigned char serial[16];
    time_t now = time(NULL);
    int rc = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial);
    serial[0] &= 0x7F; /* a positive number */
    if (rc >= 0)
        rc = gnutls_x509_crt_set_version(crt, 3);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_serial(crt, serial, sizeof serial);
    if (rc >= 0) /* an hour of slack for clocks that disagree */
        rc = gnutls_x509_crt_set_activation_time(crt, now - 3600);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_expiration_time(crt, now + 365 * 24 * 3600);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_dn(crt, "CN=localhost,O=segrecv-server self-signed", NULL);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_key(crt, key);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_basic_constraints(crt, 0, -1);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
    static const char *const LOOPBACK[] = {"localhost", "127.0.0.1", "::1"};
    int listed = 0;
    for (size_t i = 0; rc >= 0 && i < sizeof LOOPBACK / sizeof LOOPBACK[0]; i++) {
        rc = add_san(crt, LOOPBACK[i]);
        listed |= strcmp(host, LOOPBACK[i]) == 0;
    }
    /* The listening host too, unless it is a wildcard address. */
    if (rc >= 0 && !listed && strcmp(host, "0.0.0.0") != 0 && strcmp(host, "::") != 0)
        rc = add_san(crt, host);
    return rc;
}

static int export_pem(tls_identity *id, gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
    gnutls_datum_t cert = {NULL, 0}, pk = {NULL, 0};
    int rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cert);
    if (rc >= 0)
        rc = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &pk);
    if (rc >= 0) {
        id->cert_pem = copy_datum(&cert);
        id->key_pem = copy_datum(&pk);
        if (!id->cert_pem || !id->key_pem)
            rc = GNUTLS_E_MEMORY_ERROR;
    }
    gnutls_free(cert.data);
    gnutls_free(pk.data);
    return rc;
}

int tls_identity_generate(tls_identity *id, const char *host)
{
    memset(id, 0, sizeof *id);
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    /* ECDSA P-256: generated in milliseconds, accepted by every client. */
    int rc = gnutls_x509_privkey_init(&key);
    if (rc >= 0)
        rc = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
                                          GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
    if (rc >= 0)
        rc = gnutls_x509_crt_init(&crt);
    if (rc >= 0)
        rc = describe(crt, key, host);
    if (rc >= 0)
        rc = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0);
    if (rc >= 0)
        rc = export_pem(id, crt, key);
    if (rc >= 0 && fingerprint(crt, id->fingerprint))
        rc = GNUTLS_E_INTERNAL_ERROR;
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (key)
        gnutls_x509_privkey_deinit(key);
    if (rc < 0) {
        fail("generating a self-signed certificate", rc);
        tls_identity_free(id);
        return -1;
    }
    return 0;
}

void tls_identity_free(tls_identity *id)
{
    free(id->cert_pem);
    free(id->key_pem);
    id->cert_pem = id->key_pem = NULL;
}
