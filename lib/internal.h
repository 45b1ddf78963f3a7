/* Private declarations shared by the files of lib/ (never installed). */
#ifndef SEGRECV_INTERNAL_H
#define SEGRECV_INTERNAL_H

#include "segrecv.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdbool.h>

#include <zlib.h>
#include <yajl/yajl_common.h>
#include <yajl/yajl_parse.h>

/* ---- text ----------------------------------------------------------- */

/* ASCII case-insensitive equality, as HTTP wants it: unlike strncasecmp it
 * does not depend on the locale, and it inlines for short literals. */
static inline bool segrecv__ascii_case_equal(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned x = (unsigned char)a[i], y = (unsigned char)b[i];
        x += x - 'A' < 26u ? 'a' - 'A' : 0;
        y += y - 'A' < 26u ? 'a' - 'A' : 0;
        if (x != y)
            return false;
    }
    return true;
}

/* ---- allocator (alloc.c) --------------------------------------------- */

void *segrecv__malloc(const segrecv_allocator *a, size_t size);
void *segrecv__realloc(const segrecv_allocator *a, void *ptr, size_t size);
void segrecv__free(const segrecv_allocator *a, void *ptr);
/* memset(p, 0, n) for the per-request structs (alloc.c says why). */
void segrecv__clear(void *p, size_t n);
/* Fill missing hooks with malloc/realloc/free (all three or none). */
segrecv_allocator segrecv__allocator_or_default(const segrecv_allocator *a);

/* ---- arena (arena.c): per-request bump allocator, reused after reset -- */

typedef struct segrecv__arena_block segrecv__arena_block;
typedef struct segrecv__arena {
    const segrecv_allocator *alloc;
    segrecv__arena_block *first;   /* chain of blocks, kept across resets */
    segrecv__arena_block *current; /* block being filled */
    unsigned char *cursor, *limit; /* free space of the current block */
} segrecv__arena;

void segrecv__arena_init(segrecv__arena *arena, const segrecv_allocator *alloc);
void *segrecv__arena_alloc_slow(segrecv__arena *arena, size_t size);
/* 8-byte aligned; inline because every string and key of a body comes here. */
static inline void *segrecv__arena_alloc(segrecv__arena *arena, size_t size)
{
    size_t room = (size_t)(arena->limit - arena->cursor);
    size_t rounded = (size + 7) & ~(size_t)7;
    if (size - 1 < room && rounded <= room) { /* size - 1 wraps for 0: slow path */
        void *p = arena->cursor;
        arena->cursor += rounded;
        return p;
    }
    return segrecv__arena_alloc_slow(arena, size);
}
char *segrecv__arena_strdup(segrecv__arena *arena, const char *s, size_t len);
char *segrecv__arena_printf(segrecv__arena *arena, const char *fmt, ...);
char *segrecv__arena_vprintf(segrecv__arena *arena, const char *fmt, va_list ap);
void segrecv__arena_reset(segrecv__arena *arena);
void segrecv__arena_free(segrecv__arena *arena);
/* yajl allocator hooks whose allocations live in the arena (free is a no-op). */
yajl_alloc_funcs segrecv__arena_yajl_funcs(segrecv__arena *arena);

/* ---- values (value.c, json_build.c, lazy.c) -------------------------- */

typedef struct segrecv__member segrecv__member;
typedef struct segrecv__token segrecv__token;
typedef struct segrecv__builder segrecv__builder;
struct segrecv_value {
    uint8_t type;    /* segrecv_value_type */
    uint8_t boolean;
    uint8_t copied;  /* string or number copied out of the body (it may hold NUL) */
    uint8_t lazy;    /* container whose children are still on the tape */
    uint32_t len;    /* string or number bytes; element or member count */
    union {
        const char *text;             /* string, number */
        segrecv_value *items;         /* array */
        segrecv__member *members;     /* object */
        const segrecv__token *token;  /* lazy container: its token */
        segrecv__builder *builder;    /* a container's own token: the tape's owner */
    } u;
};
struct segrecv__member {
    const char *key;
    uint32_t key_len;
    segrecv_value value;
};

/* One value of the body in document order, with the key it had. */
struct segrecv__token {
    const char *key;
    uint32_t key_len;
    uint32_t span;                /* tokens of this value's subtree, itself included */
    segrecv_value value;          /* containers: lazy, len = children, u.builder */
    _Atomic(void *) children;     /* containers: laid-out members or items, once read */
};

/* Loose key equality: ASCII case and '_', '-', ' ', '.' ignored. */
bool segrecv__key_matches(const char *key, size_t key_len, const char *want, size_t want_len);

/* The children of a container (NULL when it has none), laid out from the
 * tape on first use; safe from several threads at once (lazy.c). */
const segrecv__member *segrecv__members(const segrecv_value *object);
const segrecv_value *segrecv__items(const segrecv_value *array);
/* A lazy value for a container token. */
segrecv_value segrecv__lazy_value(const segrecv__token *t);
/* Lay out every container under *v now, so that the tree outlives the tape. */
void segrecv__settle(segrecv_value *v);

/* ---- JSON building (json_build.c) -------------------------------------- */

typedef struct segrecv__frame segrecv__frame;
struct segrecv__builder {
    segrecv__arena *arena;
    const segrecv_allocator *alloc;
    const segrecv_limits *limits;
    bool any_root;             /* accept any top-level value, not only objects */
    bool batch;                /* accept a top-level array; batch arrays take max_batch_events */
    const char *chunk;         /* the caller's chunk yajl is parsing, or NULL */
    size_t chunk_len;
    char *chunk_copy;          /* its copy in the arena, one byte longer */
    segrecv__token *tape;      /* the body's values (kept across resets) */
    uint32_t tape_len, tape_cap;
    segrecv__frame *frames;    /* open containers (kept across resets) */
    segrecv__frame *top;       /* the innermost one, or NULL */
    uint32_t depth, frame_cap;
    size_t max_string_bytes;   /* limits->max_string_bytes, read for every string */
    uint32_t max_object_keys, max_depth; /* limits, read for every container */
    const char *pending_key;
    uint32_t pending_key_len;
    /* Asked before each token while set (parse.c): false stops yajl. */
    bool (*watch)(void *ctx);
    void *watch_ctx;
    size_t layout_bytes;       /* room the closed containers' children need */
    unsigned char *reserve;    /* that room, in the arena, once the root has closed */
    atomic_size_t reserve_used;
    segrecv_value *root;
    yajl_handle yajl;          /* the parser's, for byte offsets (parse.c) */
    uint64_t chunk_offset;     /* body offset of the chunk being parsed */
    uint64_t root_end;         /* body offset just past the root value */
    segrecv_status error;      /* set by a callback that stopped the parse */
    const char *error_message; /* static or arena */
};

extern const yajl_callbacks segrecv__builder_callbacks;
void segrecv__builder_init(segrecv__builder *b, segrecv__arena *arena,
                           const segrecv_allocator *alloc, const segrecv_limits *limits);
void segrecv__builder_reset(segrecv__builder *b);
void segrecv__builder_free(segrecv__builder *b);
/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
bool segrecv__utf8_valid(const unsigned char *s, size_t len);
size_t segrecv__utf8_chars(const char *s, size_t len);
/* 0-15 for a hex digit, else -1. */
int segrecv__hex_value(unsigned char c);
/* Cut len so that s[0..len) ends on a character boundary. */
size_t segrecv__utf8_floor(const char *s, size_t len);

/* Copy len bytes from s to dst, and tell whether they were plain text: only
 * ASCII, no backslash, and no form feed or vertical tab (which yajl takes
 * for white space). Such a chunk needs none of the strict scans. */
bool segrecv__copy_plain_text(unsigned char *dst, const unsigned char *s, size_t len);

/* Strict UTF-8 over a body fed in pieces. */
typedef struct segrecv__utf8_stream {
    uint8_t need;      /* continuation bytes still expected */
    uint8_t lo, hi;    /* allowed range of the next one */
    uint64_t error_at; /* absolute offset of the first bad byte, or UINT64_MAX */
    uint64_t offset;   /* bytes seen so far */
} segrecv__utf8_stream;
void segrecv__utf8_stream_init(segrecv__utf8_stream *u);
void segrecv__utf8_stream_feed(segrecv__utf8_stream *u, const unsigned char *s, size_t len);
void segrecv__utf8_stream_finish(segrecv__utf8_stream *u); /* a sequence cut short is bad */

/* Watches \u escapes across chunks: yajl turns a lone surrogate into '?'. */
typedef struct segrecv__escape_scan {
    uint8_t state;
    uint8_t hex_left;
    uint8_t want_low; /* a high surrogate was read: the next escape must be low */
    uint16_t unit;
    uint64_t error_at; /* absolute offset of the first bad escape, or UINT64_MAX */
    uint64_t offset;   /* bytes scanned so far */
} segrecv__escape_scan;
void segrecv__escape_scan_init(segrecv__escape_scan *s);
void segrecv__escape_scan_feed(segrecv__escape_scan *s, const unsigned char *p, size_t len);
bool segrecv__escape_scan_finish(segrecv__escape_scan *s); /* false: a bad escape was seen */
bool segrecv__escape_scan_idle(const segrecv__escape_scan *s); /* not inside an escape */

/* yajl plus the builder plus the escape watcher, fed chunk by chunk (parse.c).
 * yajl has no reset: each request allocates a handle, in its arena. */
typedef struct segrecv__parser {
    yajl_handle yajl;
    yajl_alloc_funcs funcs; /* yajl keeps a pointer to these */
    yajl_alloc_funcs arena_funcs; /* the arena's hooks, which funcs wrap */
    jmp_buf *out_of_memory;       /* set while yajl runs (parse.c) */
    segrecv__arena *arena;
    segrecv__builder *builder;
    segrecv__escape_scan escapes;
    segrecv__utf8_stream utf8;
    uint64_t bad_byte_at; /* offset of the first raw form feed or vertical tab */
    uint64_t consumed;    /* body bytes yajl has taken */
} segrecv__parser;

segrecv_status segrecv__parser_open(segrecv__parser *p, segrecv__arena *arena,
                                    segrecv__builder *builder);
segrecv_status segrecv__parser_feed(segrecv__parser *p, const char *data, size_t len,
                                    const char **message);
segrecv_status segrecv__parser_end(segrecv__parser *p, const char **message);
void segrecv__parser_close(segrecv__parser *p);

/* Parse a whole JSON text into a value tree (used by tests and tools). */
segrecv_status segrecv__json_parse(segrecv__arena *arena, const segrecv_limits *limits,
                                   const char *text, size_t len, bool any_root,
                                   segrecv_value **out, const char **message);

/* ---- Content-Encoding (inflate.c) ----------------------------------- */

typedef enum segrecv__encoding {
    SEGRECV__ENCODING_IDENTITY = 0,
    SEGRECV__ENCODING_GZIP,
    SEGRECV__ENCODING_DEFLATE
} segrecv__encoding;

typedef struct segrecv__inflater {
    z_stream z;
    segrecv__arena *arena;
    segrecv__encoding encoding;
    bool started, ended;
    unsigned char hold[1]; /* a first byte kept until the second tells the deflate form */
    size_t held;
    uint64_t in_bytes, out_bytes;
} segrecv__inflater;

/* Receives inflated bytes; anything but SEGRECV_OK stops inflating. */
typedef segrecv_status (*segrecv__inflate_sink)(void *ctx, const char *data, size_t len);
segrecv_status segrecv__inflate_open(segrecv__inflater *inf, segrecv__arena *arena,
                                     segrecv__encoding encoding);
segrecv_status segrecv__inflate_feed(segrecv__inflater *inf, const char *data, size_t len,
                                     segrecv__inflate_sink sink, void *ctx, const char **message);
segrecv_status segrecv__inflate_end(segrecv__inflater *inf, const char **message);
void segrecv__inflate_close(segrecv__inflater *inf);

/* ---- time (timestamp.c) ---------------------------------------------- */

/* ISO-8601 (and Go's time.String() form) to UTC milliseconds. */
bool segrecv__parse_timestamp(const char *s, size_t len, int64_t *ms);

/* ---- auth (auth.c) ----------------------------------------------------- */

/* Strict RFC 4648 check: alphabet, length multiple of 4, padding only at the
 * end, zero pad bits. Returns the decoded length, or -1. */
long segrecv__base64_check(const char *s, size_t len);
size_t segrecv__base64_decode(const char *s, size_t len, char *out);
bool segrecv__ct_equal(const char *a, size_t alen, const char *b, size_t blen);

/* ---- X-Signature (signature.c) ----------------------------------------- */

typedef struct segrecv__key segrecv__key;
typedef struct segrecv__signer segrecv__signer;
bool segrecv__signatures_supported(void);
segrecv__signer *segrecv__signer_new(segrecv__arena *arena, const segrecv__key *secret);
void segrecv__signer_feed(segrecv__signer *s, const char *data, size_t len);
bool segrecv__signer_matches(segrecv__signer *s, segrecv_str hex);

/* ---- JSON output (json_write.c) ---------------------------------------- */

/* {"message": msg} into buf (cap incl. NUL), cutting msg until it fits. */
size_t segrecv__message_json(const char *msg, char *buf, size_t cap);

/* A status and why; message static or in the request arena. */
typedef struct segrecv__verdict {
    segrecv_status status;
    const char *message;
} segrecv__verdict;

/* One refused event of a batch, for the response's "errors" list. */
typedef struct segrecv__event_error {
    size_t index;
    segrecv_str message_id;
    segrecv_status status;
    const char *message;
} segrecv__event_error;

/* {"message": msg, "errors": [...]} into buf, keeping as many errors as fit
 * and counting the rest in "errors_omitted". */
size_t segrecv__response_json(const char *msg, const segrecv__event_error *errors, size_t count,
                              char *buf, size_t cap);

/* ---- receiver (receiver.c) --------------------------------------------- */

#define SEGRECV__POOL_SIZE 16
#define SEGRECV__REPLY_MAX 512
#define SEGRECV__KNOWN_AUTH_MAX 128

typedef struct segrecv__handler {
    segrecv_event_cb cb;
    void *user_data;
} segrecv__handler;

struct segrecv__key {
    char *bytes;
    size_t len;
};

struct segrecv_receiver {
    segrecv_allocator alloc;
    segrecv_limits limits;
    unsigned flags;
    segrecv__handler on[SEGRECV_TYPE_COUNT];
    segrecv__handler any;
    segrecv__key *keys;
    size_t key_count;
    segrecv_key_cb key_cb;
    void *key_user_data;
    segrecv__key signing_secret; /* bytes NULL: no X-Signature required */
    segrecv_dedupe dedupe;       /* claim NULL: no idempotency hooks */
    atomic_uint_fast64_t duplicates;
    atomic_int maintenance;
    _Atomic(segrecv_request *) pool[SEGRECV__POOL_SIZE];
};

/* ---- request stages (headers.c, auth.c, event.c, validate.c) ----------- */

typedef enum segrecv__phase {
    SEGRECV__PHASE_HEADERS = 0,
    SEGRECV__PHASE_BODY,
    SEGRECV__PHASE_FINISHED
} segrecv__phase;

typedef struct segrecv__headers {
    segrecv_str authorization;
    segrecv_str content_type;
    segrecv_str content_encoding;
    segrecv_str settings; /* X-Segment-Settings */
    segrecv_str signature; /* X-Signature */
    int64_t content_length; /* -1 when absent */
    bool has_authorization, has_content_length, has_content_type, has_content_encoding;
    bool has_transfer_encoding, has_settings, has_signature;
    size_t bytes; /* header bytes seen so far */
} segrecv__headers;

struct segrecv_request {
    segrecv_receiver *receiver;
    segrecv__arena arena;
    segrecv__phase phase;
    segrecv_status status;   /* sticky: SEGRECV_OK until decided */
    const char *message;     /* why, for the response; static or arena */
    segrecv__headers headers;
    segrecv_str api_key;
    segrecv__builder builder;
    segrecv__parser parser;
    segrecv__encoding encoding;
    segrecv__inflater inflater;
    segrecv__signer *signer;       /* X-Signature check, when a secret is set */
    bool auth_deferred;            /* key to come from the body's writeKey */
    uint64_t raw_bytes;            /* body bytes as received */
    uint64_t body_bytes;           /* body bytes parsed (after inflating) */
    const segrecv_value *settings; /* decoded X-Segment-Settings */
    /* The last Authorization value that named a listed key, and that key:
     * Segment sends one key again and again, and listed keys are never
     * removed, so the same bytes need no second decoding (auth.c). */
    char known_authorization[SEGRECV__KNOWN_AUTH_MAX];
    size_t known_authorization_len; /* 0: none */
    char known_key[SEGRECV__KNOWN_AUTH_MAX];
    size_t known_key_len;
    segrecv__event_error *errors;  /* per-event refusals of a batch */
    size_t error_count;
    segrecv_event event;
};

/* Record the final status and its message once; later failures keep the first. */
segrecv_status segrecv__fail(segrecv_request *r, segrecv_status status, const char *message);
segrecv_status segrecv__failf(segrecv_request *r, segrecv_status status, const char *fmt, ...);

segrecv_status segrecv__header_add(segrecv_request *r, const char *name, size_t name_len,
                                   const char *value, size_t value_len);
segrecv_status segrecv__header_block(segrecv_request *r, const char *block, size_t len);
/* Bytes a body may have once inflated: per event, or per batch. */
uint64_t segrecv__body_limit(const segrecv_request *r);
/* Checks that need every header: framing, media type, encoding, size. */
segrecv_status segrecv__headers_check(segrecv_request *r);
/* From the Authorization header; with SEGRECV_OPT_BODY_WRITE_KEY and no
 * header, leaves the key to segrecv__authenticate_key() after the body. */
segrecv_status segrecv__authenticate(segrecv_request *r);
segrecv_status segrecv__authenticate_key(segrecv_request *r, const char *key, size_t len);
/* Decode X-Segment-Settings into r->settings (settings.c). */
segrecv_status segrecv__decode_settings(segrecv_request *r);

/* Dispatch one valid event (dispatch.c): idempotency, callback, its answer. */
bool segrecv__has_handler(const segrecv_receiver *rcv, segrecv_type type);
segrecv__verdict segrecv__dispatch(segrecv_request *r, const segrecv_event *ev);
/* A batch body (batch.c): is this one, and run it. */
bool segrecv__is_batch(const segrecv_request *r);
segrecv_status segrecv__batch_run(segrecv_request *r);

/* Format a message into the arena, cut to 300 bytes on a character boundary
 * (messages may quote the request); NULL when out of memory. */
const char *segrecv__messagef(segrecv__arena *arena, const char *fmt, ...);
/* A callback's reply message, copied and cut at SEGRECV__REPLY_MAX bytes on a
 * character boundary; NULL when out of memory. */
const char *segrecv__reply_copy(segrecv__arena *arena, const char *message);

/* Fill an event from one event object (event.c): field types, spellings,
 * duplicates, the call type (501 when unknown). */
segrecv__verdict segrecv__event_fill(segrecv_request *r, const segrecv_value *obj,
                                     segrecv_event *ev);
/* The Spec rules per call type (validate.c). */
segrecv__verdict segrecv__event_validate(segrecv_request *r, const segrecv_event *ev);

#endif
