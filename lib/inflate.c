/* Content-Encoding gzip and deflate, inflated with zlib as chunks arrive.
 * zlib's state lives in the request arena; what comes out is handed on in
 * small pieces, so a bomb never needs memory, only the caps below. */
#include "internal.h"

#include <string.h>

static voidpf arena_zalloc(voidpf ctx, uInt items, uInt size)
{
    if (size && items > SIZE_MAX / size)
        return Z_NULL;
    return segrecv__arena_alloc(ctx, (size_t)items * size);
}

static void arena_zfree(voidpf ctx, voidpf p)
{
    (void)ctx;
    (void)p; /* released with the arena */
}

segrecv_status segrecv__inflate_open(segrecv__inflater *inf, segrecv__arena *arena,
                                     segrecv__encoding encoding)
{
    memset(inf, 0, sizeof *inf);
    inf->encoding = encoding;
    inf->arena = arena;
    inf->z.zalloc = arena_zalloc;
    inf->z.zfree = arena_zfree;
    inf->z.opaque = arena;
    return SEGRECV_OK; /* zlib starts at the first byte: deflate's form is seen there */
}

/* HTTP's "deflate" is meant to be zlib-wrapped (RFC 9110), but raw deflate is
 * common in practice: a zlib header is recognisable by its check bits. */
static int window_bits(segrecv__encoding encoding, unsigned char b0, unsigned char b1)
{
    if (encoding == SEGRECV__ENCODING_GZIP)
        return 15 + 16;
    bool zlib_header = (b0 & 0x0F) == 8 && ((unsigned)b0 << 8 | b1) % 31 == 0;
    return zlib_header ? 15 : -15;
}

static segrecv_status start(segrecv__inflater *inf, const unsigned char *in, size_t len)
{
    /* Two bytes decide the deflate form; keep one back if only one came. */
    if (inf->encoding == SEGRECV__ENCODING_DEFLATE && inf->held + len < 2) {
        inf->hold[inf->held++] = in[0];
        return SEGRECV_OK;
    }
    unsigned char b0 = inf->held ? inf->hold[0] : in[0];
    unsigned char b1 = inf->held ? in[0] : (len > 1 ? in[1] : 0);
    if (inflateInit2(&inf->z, window_bits(inf->encoding, b0, b1)) != Z_OK)
        return SEGRECV_NOMEM;
    inf->started = true;
    return SEGRECV_OK;
}

static segrecv_status pump(segrecv__inflater *inf, const unsigned char *in, size_t len,
                           segrecv__inflate_sink sink, void *ctx, const char **message)
{
    unsigned char out[4096];
    inf->z.next_in = (Bytef *)in;
    inf->z.avail_in = (uInt)len;
    bool buffer_was_full = false;
    for (;;) {
        if (inf->ended) {
            if (inf->z.avail_in == 0)
                return SEGRECV_OK;
            *message = "Invalid compressed body: data after the end of the stream";
            return SEGRECV_BAD_REQUEST;
        }
        if (inf->z.avail_in == 0 && !buffer_was_full)
            return SEGRECV_OK;
        inf->z.next_out = out;
        inf->z.avail_out = sizeof out;
        int rc = inflate(&inf->z, Z_NO_FLUSH);
        size_t produced = sizeof out - inf->z.avail_out;
        buffer_was_full = inf->z.avail_out == 0;
        if (rc == Z_STREAM_END)
            inf->ended = true;
        else if (rc == Z_MEM_ERROR)
            return SEGRECV_NOMEM;
        else if (rc == Z_BUF_ERROR && produced == 0)
            return SEGRECV_OK; /* needs more input */
        else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            *message = "Invalid compressed body: not a valid gzip or deflate stream";
            return SEGRECV_BAD_REQUEST;
        }
        inf->out_bytes += produced;
        if (produced) {
            segrecv_status st = sink(ctx, (const char *)out, produced);
            if (st != SEGRECV_OK)
                return st;
        }
    }
}

segrecv_status segrecv__inflate_feed(segrecv__inflater *inf, const char *data, size_t len,
                                     segrecv__inflate_sink sink, void *ctx,
                                     const char **message)
{
    const unsigned char *in = (const unsigned char *)data;
    if (len == 0)
        return SEGRECV_OK;
    inf->in_bytes += len;
    if (!inf->started) {
        segrecv_status st = start(inf, in, len);
        if (st != SEGRECV_OK || !inf->started)
            return st;
        if (inf->held) {
            inf->held = 0;
            st = pump(inf, inf->hold, 1, sink, ctx, message);
            if (st != SEGRECV_OK)
                return st;
        }
    }
    return pump(inf, in, len, sink, ctx, message);
}

segrecv_status segrecv__inflate_end(segrecv__inflater *inf, const char **message)
{
    if (!inf->ended) {
        *message = "Invalid compressed body: the stream is truncated";
        return SEGRECV_BAD_REQUEST;
    }
    return SEGRECV_OK;
}

void segrecv__inflate_close(segrecv__inflater *inf)
{
    if (inf->started)
        inflateEnd(&inf->z);
    inf->started = false;
}
