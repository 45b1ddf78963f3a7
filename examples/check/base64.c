/* Base64 (RFC 4648) encoding, for Basic credentials. */
#include "base64.h"

static const char ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encode(const unsigned char *in, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned long triple = (unsigned long)in[i] << 16;
        if (i + 1 < len)
            triple |= (unsigned long)in[i + 1] << 8;
        if (i + 2 < len)
            triple |= in[i + 2];
        out[n++] = ALPHABET[(triple >> 18) & 63];
        out[n++] = ALPHABET[(triple >> 12) & 63];
        out[n++] = i + 1 < len ? ALPHABET[(triple >> 6) & 63] : '=';
        out[n++] = i + 2 < len ? ALPHABET[triple & 63] : '=';
    }
    out[n] = '\0';
    return n;
}
