/* X-Signature: hex HMAC-SHA1 of the raw body, as Segment's Webhooks
 * destination signs it. Built only with nettle (SEGRECV_WITH_NETTLE). */
#include "internal.h"

#include <string.h>

#ifdef SEGRECV_WITH_NETTLE
#include <nettle/hmac.h>

struct segrecv__signer {
    struct hmac_sha1_ctx hmac;
};

segrecv__signer *segrecv__signer_new(segrecv__arena *arena, const segrecv__key *secret)
{
    segrecv__signer *s = segrecv__arena_alloc(arena, sizeof *s);
    if (s)
        hmac_sha1_set_key(&s->hmac, secret->len, (const uint8_t *)secret->bytes);
    return s;
}

void segrecv__signer_feed(segrecv__signer *s, const char *data, size_t len)
{
    hmac_sha1_update(&s->hmac, len, (const uint8_t *)data);
}

bool segrecv__signer_matches(segrecv__signer *s, segrecv_str hex)
{
    uint8_t want[SHA1_DIGEST_SIZE], got[SHA1_DIGEST_SIZE];
    hmac_sha1_digest(&s->hmac, sizeof got, got);
    if (hex.len != 2 * SHA1_DIGEST_SIZE)
        return false;
    for (size_t i = 0; i < SHA1_DIGEST_SIZE; i++) {
        int hi = segrecv__hex_value((unsigned char)hex.ptr[2 * i]),
            lo = segrecv__hex_value((unsigned char)hex.ptr[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        want[i] = (uint8_t)(hi << 4 | lo);
    }
    return segrecv__ct_equal((const char *)want, sizeof want, (const char *)got, sizeof got);
}

bool segrecv__signatures_supported(void)
{
    return true;
}

#else

segrecv__signer *segrecv__signer_new(segrecv__arena *arena, const segrecv__key *secret)
{
    (void)arena;
    (void)secret;
    return NULL;
}

void segrecv__signer_feed(segrecv__signer *s, const char *data, size_t len)
{
    (void)s;
    (void)data;
    (void)len;
}

bool segrecv__signer_matches(segrecv__signer *s, segrecv_str hex)
{
    (void)s;
    (void)hex;
    return false;
}

bool segrecv__signatures_supported(void)
{
    return false;
}

#endif
