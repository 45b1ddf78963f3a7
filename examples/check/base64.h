/* Base64 (RFC 4648) encoding, for Basic credentials. */
#ifndef CHECK_BASE64_H
#define CHECK_BASE64_H

#include <stddef.h>

/* Encode `len` bytes into `out`, which needs 4 * ((len + 2) / 3) + 1 bytes;
 * returns the encoded length (out is NUL-terminated). */
size_t base64_encode(const unsigned char *in, size_t len, char *out);

#endif
