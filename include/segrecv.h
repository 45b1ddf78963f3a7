/**
 * @file segrecv.h
 * @brief libsegrecv: receive Segment Direct Integration requests in any C server.
 *
 * The host HTTP stack hands libsegrecv the raw header and body bytes of one
 * request; libsegrecv authenticates it (Basic auth, API key as username),
 * parses and validates the Segment Spec event, calls the callback registered
 * for its call type, and returns the HTTP status and the JSON body to write
 * back. The library never opens a socket, reads a file or keeps global state.
 *
 * Sections: version, status, allocator, values, events, receiver, request,
 * response. Everything public starts with `segrecv_` or `SEGRECV_`.
 */
#ifndef SEGRECV_H
#define SEGRECV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
#if defined(_WIN32) && defined(SEGRECV_SHARED)
#  ifdef SEGRECV_BUILDING
#    define SEGRECV_API __declspec(dllexport)
#  else
#    define SEGRECV_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define SEGRECV_API __attribute__((visibility("default")))
#else
#  define SEGRECV_API
#endif
/** @endcond */

/* ======================================================================== */
/** @name Version                                                            */
/* ======================================================================== */
/** @{ */
/** Major version: bumped on incompatible API changes. */
#define SEGRECV_VERSION_MAJOR 0
/** Minor version: bumped when functionality is added compatibly. */
#define SEGRECV_VERSION_MINOR 1
/** Patch version: bumped for compatible fixes. */
#define SEGRECV_VERSION_PATCH 0
/** The version as one number: major * 10000 + minor * 100 + patch. */
#define SEGRECV_VERSION_NUMBER \
    (SEGRECV_VERSION_MAJOR * 10000 + SEGRECV_VERSION_MINOR * 100 + SEGRECV_VERSION_PATCH)

/**
 * The version of the library actually linked, as "MAJOR.MINOR.PATCH".
 * Ownership: static string, never NULL. Thread-safety: always safe.
 */
SEGRECV_API const char *segrecv_version(void);
/** @} */

/* ======================================================================== */
/** @name Status                                                             */
/* ======================================================================== */
/** @{ */
/**
 * Every status libsegrecv uses, as one list:
 * XX(enum suffix, numeric code, HTTP status, English description).
 * A request's outcome, a callback's answer and a function's return value
 * are all `segrecv_status` values.
 */
#define SEGRECV_STATUS_MAP(XX)                                                       \
    XX(OK,               0, 200, "accepted and processed")                          \
    XX(ACCEPTED,         1, 202, "accepted, not yet processed")                     \
    XX(BAD_REQUEST,      2, 400, "malformed or invalid request")                    \
    XX(UNAUTHORIZED,     3, 401, "missing, malformed or invalid API key")           \
    XX(FORBIDDEN,        4, 403, "API key valid but not allowed")                   \
    XX(TOO_LARGE,        5, 413, "request body too large")                          \
    XX(UNSUPPORTED_MEDIA,6, 415, "unsupported content encoding")                    \
    XX(HEADERS_TOO_LARGE,7, 431, "request header fields too large")                 \
    XX(FAILED,           8, 500, "internal error or callback failure")              \
    XX(NOMEM,            9, 500, "out of memory")                                   \
    XX(NOT_IMPLEMENTED, 10, 501, "unsupported call type")                           \
    XX(UNAVAILABLE,     11, 503, "temporarily unavailable, retry later")            \
    XX(INVALID_ARGUMENT,12, 500, "invalid argument or misuse of the API")

/** Status codes; see SEGRECV_STATUS_MAP for the HTTP status of each. */
typedef enum segrecv_status {
#define SEGRECV_STATUS_ENUM_(name, code, http, desc) SEGRECV_##name = code,
    SEGRECV_STATUS_MAP(SEGRECV_STATUS_ENUM_)
#undef SEGRECV_STATUS_ENUM_
    SEGRECV_STATUS_COUNT_ /**< number of statuses; not a status */
} segrecv_status;

/**
 * The enum name without prefix ("BAD_REQUEST"); "UNKNOWN" for other values.
 * Ownership: static string, never NULL. Thread-safety: always safe.
 */
SEGRECV_API const char *segrecv_status_name(segrecv_status status);
/**
 * The English description of a status.
 * Ownership: static string, never NULL. Thread-safety: always safe.
 */
SEGRECV_API const char *segrecv_status_str(segrecv_status status);
/**
 * The HTTP status that answers a status (500 for unknown values).
 * Ownership: nothing to free. Thread-safety: always safe.
 */
SEGRECV_API int segrecv_status_http(segrecv_status status);
/** @} */

/* ======================================================================== */
/** @name Allocator                                                          */
/* ======================================================================== */
/** @{ */
/**
 * Allocator hooks with yajl's signature plus a context. Every allocation
 * the library makes, including yajl's, goes through them. Any member left
 * NULL makes the library use malloc/realloc/free for all three.
 * Ownership: copied by segrecv_receiver_new() and segrecv_dedupe_store_new();
 * `ctx` is borrowed and must outlive every object created with it.
 * Thread-safety: the hooks are called from every thread that uses the
 * receiver or store, possibly at once: they must be thread-safe then.
 */
typedef struct segrecv_allocator {
    void *(*malloc)(void *ctx, size_t size);              /**< like malloc */
    void *(*realloc)(void *ctx, void *ptr, size_t size);  /**< like realloc */
    void (*free)(void *ctx, void *ptr);                   /**< like free */
    void *ctx;                                            /**< passed to each hook */
} segrecv_allocator;
/** @} */

/* ======================================================================== */
/** @name Values: a read-only JSON tree                                      */
/* ======================================================================== */
/** @{ */
/**
 * An immutable JSON value owned by the request that parsed it. Opaque.
 * The parse records every value in one pass; the children of an object or
 * array are laid out the first time any of them is read, so a callback pays
 * only for the parts of an event it looks at.
 * Ownership: borrowed, never freed by the user: a dispatched value lives in
 * the request's memory until the callback returns; a segrecv_value_normalize()
 * copy lives in the caller's memory. Thread-safety: immutable: any number of
 * threads may read one value at once (a first read lays out a container
 * once, for all of them).
 */
typedef struct segrecv_value segrecv_value;

/** JSON value types. SEGRECV_ABSENT is what a NULL value pointer reports. */
typedef enum segrecv_value_type {
    SEGRECV_ABSENT = 0, /**< no value (a NULL pointer) */
    SEGRECV_NULL,       /**< JSON null */
    SEGRECV_BOOL,       /**< true or false */
    SEGRECV_NUMBER,     /**< a number, kept as its exact text */
    SEGRECV_STRING,     /**< a string (UTF-8, may contain NUL bytes) */
    SEGRECV_ARRAY,      /**< an array */
    SEGRECV_OBJECT      /**< an object; members keep document order */
} segrecv_value_type;

/**
 * A string as (pointer, length). `ptr` is NULL when absent; else NUL-terminated.
 * Ownership: `ptr` is borrowed from what filled the struct (in an event:
 * valid until the callback returns). Thread-safety: plain data.
 */
typedef struct segrecv_str {
    const char *ptr; /**< bytes, NUL-terminated, or NULL when absent */
    size_t len;      /**< length in bytes, without the terminating NUL */
} segrecv_str;

/**
 * Type of a value; SEGRECV_ABSENT for NULL.
 * Ownership: nothing to free. Thread-safety: read-only, safe.
 */
SEGRECV_API segrecv_value_type segrecv_value_type_of(const segrecv_value *value);
/**
 * String bytes (NUL-terminated) and length, or NULL if not a string.
 * Ownership: points into `value`, valid as long as it is. Thread-safety: read-only, safe.
 */
SEGRECV_API const char *segrecv_value_string(const segrecv_value *value, size_t *len);
/**
 * Exact text of a number as received ("12345", "1e400"), or NULL if not a number.
 * Ownership: points into `value`, valid as long as it is. Thread-safety: read-only, safe.
 */
SEGRECV_API const char *segrecv_value_number_text(const segrecv_value *value, size_t *len);
/**
 * A number as a double; SEGRECV_BAD_REQUEST if not a number or out of range.
 * Ownership: writes `*out` only. Thread-safety: read-only, safe.
 */
SEGRECV_API segrecv_status segrecv_value_double(const segrecv_value *value, double *out);
/**
 * A number as an exact int64; SEGRECV_BAD_REQUEST if not an integer in range.
 * Ownership: writes `*out` only. Thread-safety: read-only, safe.
 */
SEGRECV_API segrecv_status segrecv_value_int64(const segrecv_value *value, int64_t *out);
/**
 * 1 for true, 0 for false or any non-boolean.
 * Ownership: nothing to free. Thread-safety: read-only, safe.
 */
SEGRECV_API int segrecv_value_bool(const segrecv_value *value);
/**
 * Number of elements of an array or members of an object; 0 otherwise.
 * Ownership: nothing to free. Thread-safety: read-only, safe.
 */
SEGRECV_API size_t segrecv_value_count(const segrecv_value *value);
/**
 * The i-th element of an array or the i-th member value of an object; NULL past the end.
 * Ownership: part of `value`, valid as long as it is. Thread-safety: read-only, safe.
 */
SEGRECV_API const segrecv_value *segrecv_value_at(const segrecv_value *value, size_t index);
/**
 * The key of the i-th member of an object (NUL-terminated); NULL if none.
 * Ownership: points into `value`, valid as long as it is. Thread-safety: read-only, safe.
 */
SEGRECV_API const char *segrecv_value_key_at(const segrecv_value *value, size_t index, size_t *len);
/**
 * The first member whose key equals `key` exactly (NUL-terminated key); NULL if none.
 * Ownership: part of `value`, valid as long as it is. Thread-safety: read-only, safe.
 */
SEGRECV_API const segrecv_value *segrecv_value_get(const segrecv_value *value, const char *key);
/**
 * The first member, in document order, whose key matches `key` when ASCII
 * case and every character other than ASCII letters, digits and '.' are
 * ignored, as Segment's facade does: "createdAt", "created_at", "CreatedAt"
 * and "Created At" all match. NULL if none.
 * Ownership: part of `value`, valid as long as it is.
 * Thread-safety: read-only, safe.
 */
SEGRECV_API const segrecv_value *segrecv_value_find(const segrecv_value *value, const char *key);
/**
 * Follow a dotted path ("address.city") with segrecv_value_find() at each
 * step; a numeric segment indexes an array ("products.0.sku"). NULL if none.
 * Ownership: part of `value`, valid as long as it is.
 * Thread-safety: read-only, safe.
 */
SEGRECV_API const segrecv_value *segrecv_value_path(const segrecv_value *value, const char *path);
/**
 * Serialise a value as compact JSON into `buf` (capacity `cap`, always
 * NUL-terminated when cap > 0), like snprintf: returns the length the full
 * text needs, excluding the NUL. Numbers keep their text, keys their spelling.
 * Returns 0 for an absent value. Ownership: writes into the caller's `buf`.
 * Thread-safety: safe on a shared value.
 */
SEGRECV_API size_t segrecv_value_to_json(const segrecv_value *value, char *buf, size_t cap);
/** @} */

/* ======================================================================== */
/** @name Events                                                             */
/* ======================================================================== */
/** @{ */
/** Segment call types. */
typedef enum segrecv_type {
    SEGRECV_IDENTIFY = 0, /**< identify */
    SEGRECV_TRACK,        /**< track */
    SEGRECV_PAGE,         /**< page */
    SEGRECV_SCREEN,       /**< screen */
    SEGRECV_GROUP,        /**< group */
    SEGRECV_ALIAS,        /**< alias */
    SEGRECV_DELETE,       /**< delete (GDPR/CCPA user deletion) */
    SEGRECV_TYPE_COUNT    /**< number of types; not a type */
} segrecv_type;

/**
 * The wire name of a type ("identify"); "unknown" for other values.
 * Ownership: static string, never NULL. Thread-safety: always safe.
 */
SEGRECV_API const char *segrecv_type_name(segrecv_type type);

/**
 * A spec timestamp: the text as received and, when ISO-8601, UTC milliseconds.
 * Ownership: `text` is borrowed, as every string of the event it belongs to.
 * Thread-safety: plain data.
 */
typedef struct segrecv_time {
    segrecv_str text; /**< as received; ptr NULL when absent */
    int64_t ms;       /**< milliseconds since 1970-01-01T00:00:00Z when parsed */
    int parsed;       /**< 1 when `ms` holds the parsed instant, else 0 */
} segrecv_time;

/**
 * One validated Segment event. Read-only and library-allocated: every
 * pointer in it is borrowed and valid until the callback returns. Spec
 * fields are filled from either spelling (`userId` / `user_id`); ids sent
 * as numbers keep their exact digits; `null` fields are absent. New fields
 * are only ever appended.
 * Ownership: the request's memory; copy what you keep past the callback.
 * Thread-safety: the fields and values may be read from several threads
 * while the callback runs; the accessors that build text
 * (segrecv_event_field() and its kin) must not run on one event from two
 * threads at once.
 */
typedef struct segrecv_event {
    segrecv_type type;          /**< the call type */
    segrecv_str type_name;      /**< "identify", ... */
    segrecv_str api_key;        /**< the authenticated API key (never echoed in responses) */
    segrecv_str message_id;     /**< messageId / message_id */
    segrecv_str user_id;        /**< userId / user_id */
    segrecv_str anonymous_id;   /**< anonymousId / anonymous_id */
    segrecv_time timestamp;     /**< timestamp */
    segrecv_time sent_at;       /**< sentAt / sent_at */
    segrecv_time received_at;   /**< receivedAt / received_at */
    segrecv_time original_timestamp; /**< originalTimestamp / original_timestamp */
    segrecv_str version;        /**< version, a number's text or a string ("1.1", "2") */
    segrecv_str channel;        /**< channel */
    segrecv_str event;          /**< track: event name */
    segrecv_str name;           /**< page / screen: name */
    segrecv_str category;       /**< page / screen: category */
    segrecv_str group_id;       /**< group: groupId / group_id */
    segrecv_str previous_id;    /**< alias: previousId / previous_id */
    const segrecv_value *context;      /**< object; NULL when absent, null or [] */
    const segrecv_value *integrations; /**< object; NULL when absent, null or [] */
    const segrecv_value *traits;       /**< identify / group traits; NULL when absent */
    const segrecv_value *properties;   /**< track / page / screen properties; NULL when absent */
    const segrecv_value *settings;     /**< decoded X-Segment-Settings; NULL when absent */
    const segrecv_value *raw;          /**< the whole event object as received */
    /** Private to the library (the request the event belongs to, whose
     *  memory the semantic accessors use); never read or set it. */
    void *internal_;
} segrecv_event;

/**
 * Write the canonical JSON form of an event into `buf` (snprintf-style,
 * returns the needed length without the NUL): spec fields in snake_case
 * (absent ones omitted), timestamps as received, ids as strings, and
 * context, integrations, traits, properties and settings reproduced exactly.
 * Ownership: writes into the caller's `buf`. Thread-safety: reads `event`
 * only; safe.
 */
SEGRECV_API size_t segrecv_event_to_json(const segrecv_event *event, char *buf, size_t cap);
/** @} */

/* ======================================================================== */
/** @name Receiver                                                           */
/* ======================================================================== */
/** @{ */
/**
 * A configured endpoint: options, limits, key check and callbacks. Opaque.
 * Ownership: made by segrecv_receiver_new(), freed by segrecv_receiver_free()
 * once no request uses it. Thread-safety: configure it from one thread,
 * then share it: any number of threads may run requests on it at once.
 */
typedef struct segrecv_receiver segrecv_receiver;

/**
 * Limits applied to untrusted input; 0 in segrecv_options means the default.
 * Ownership: plain values, copied by segrecv_receiver_new().
 * Thread-safety: plain data.
 */
typedef struct segrecv_limits {
    size_t max_body_bytes;    /**< default 32768 (Segment's per-event limit) -> 413 */
    size_t max_header_bytes;  /**< default 16384: whole header block -> 431 */
    size_t max_depth;         /**< default 64 nested arrays/objects (at most 127) -> 400 */
    size_t max_string_bytes;  /**< default 16384 per string or key -> 400 */
    size_t max_object_keys;   /**< default 1000 members per object or elements per array -> 400 */
    size_t max_api_key_bytes; /**< default 256 bytes of decoded credentials -> 401 */
    size_t max_batch_bytes;   /**< default 512000 (Segment's 500 KB) for a batch body -> 413 */
    size_t max_batch_events;  /**< default 2500 events in one batch -> 400 */
    size_t max_inflate_ratio; /**< default 200: inflated bytes per compressed byte -> 413 */
} segrecv_limits;

/** Option flags: each relaxes one strict default. */
enum segrecv_option_flag {
    /** Keep non-ISO-8601 spec timestamps as text (parsed = 0) instead of 400. */
    SEGRECV_OPT_LENIENT_TIMESTAMPS = 1u << 0,
    /**
     * Accept batches: a `{"batch": [...]}` envelope (the Tracking API's
     * /v1/batch form; its `context` and `integrations` merge into each event,
     * the event's own keys winning) and a top-level array of events (the
     * Webhooks destination's form). The body limit becomes max_batch_bytes and
     * each event is held to max_body_bytes. Events that break the Spec are
     * refused one by one; the valid ones dispatch in order.
     */
    SEGRECV_OPT_BATCH = 1u << 1,
    /** With SEGRECV_OPT_BATCH: refuse the whole batch if any event is invalid. */
    SEGRECV_OPT_BATCH_ALL_OR_NOTHING = 1u << 2,
    /**
     * When no Authorization header is sent, take the API key from the body's
     * `writeKey` (as Segment's SDKs send it). Risk: such a body is parsed
     * before its key is known.
     */
    SEGRECV_OPT_BODY_WRITE_KEY = 1u << 3,
    /**
     * Dispatch `traits` and `properties` with every key, at every depth, in
     * snake_case (segrecv_key_normalize(): `firstName` -> `first_name`).
     * `raw` and `context` stay as received. Costs a copy of the changed
     * objects in the request's memory.
     */
    SEGRECV_OPT_NORMALIZE_KEYS = 1u << 4,
    /**
     * Accept any Content-Type (the body must still be JSON). RudderStack's
     * Node SDK, for one, labels its gzip batches
     * application/x-www-form-urlencoded. Risk: a form post that happens to be
     * JSON is taken for an event.
     */
    SEGRECV_OPT_ANY_CONTENT_TYPE = 1u << 5
};

/**
 * Receiver options; pass NULL to segrecv_receiver_new() for the defaults.
 * Ownership: read by segrecv_receiver_new() only, which copies what it
 * needs: it may live on the stack. Thread-safety: plain data.
 */
typedef struct segrecv_options {
    segrecv_limits limits;       /**< 0 members take their defaults */
    unsigned flags;              /**< bitwise OR of segrecv_option_flag */
    segrecv_allocator allocator; /**< all NULL = malloc/realloc/free */
} segrecv_options;

/**
 * What a callback may add to its answer. `message` (NUL-terminated, valid
 * until the callback returns) becomes the response's `{"message": ...}`;
 * the library copies it, cut at 512 bytes on a character boundary.
 * Ownership: `message` is the callback's: a literal, or memory valid until
 * the callback returns. Thread-safety: each call gets a reply of its own.
 */
typedef struct segrecv_reply {
    const char *message; /**< optional message; NULL for none */
} segrecv_reply;

/**
 * An event callback. Returns SEGRECV_OK (200), SEGRECV_ACCEPTED (202),
 * SEGRECV_BAD_REQUEST (400, rejected), SEGRECV_FAILED (500) or
 * SEGRECV_UNAVAILABLE (503, Segment retries); anything else answers 500.
 * The event and everything in it is valid until the callback returns.
 * Ownership: `event` and `reply` are borrowed for the call; `user_data` is
 * the pointer given to segrecv_on(), still the host's.
 * Thread-safety: may run concurrently on different threads for different
 * requests of a shared receiver.
 */
typedef segrecv_status (*segrecv_event_cb)(const segrecv_event *event, segrecv_reply *reply,
                                           void *user_data);

/**
 * An API-key check. `key` is the username of the Basic credentials (not
 * NUL-terminated; `len` bytes, never empty). Returns SEGRECV_OK to accept,
 * SEGRECV_UNAUTHORIZED (401) or SEGRECV_FORBIDDEN (403), optionally with a
 * message such as "API token expired"; anything else answers 500.
 * Ownership: `key` is borrowed for the call; `user_data` is the host's.
 * Thread-safety: may run concurrently.
 */
typedef segrecv_status (*segrecv_key_cb)(const char *key, size_t len, segrecv_reply *reply,
                                         void *user_data);

/**
 * Create a receiver. `options` may be NULL. Returns NULL when out of memory
 * or when `options` holds an unknown flag. Ownership: free with
 * segrecv_receiver_free(). Thread-safety: configure from one thread, then
 * share read-only.
 */
SEGRECV_API segrecv_receiver *segrecv_receiver_new(const segrecv_options *options);
/**
 * Free a receiver and every pooled request; NULL is a no-op.
 * Ownership: frees the receiver's copies (keys, secret) but nothing it
 * borrows: user_data pointers, dedupe hooks and stores, allocator contexts.
 * Thread-safety: only when no request bound to it is in use on any thread.
 */
SEGRECV_API void segrecv_receiver_free(segrecv_receiver *receiver);
/**
 * Register the callback for one call type (replacing any earlier one;
 * `cb` NULL unregisters). Types without a callback answer 501 unless a
 * catch-all is set. SEGRECV_INVALID_ARGUMENT for a bad type.
 * Ownership: `user_data` is borrowed: it must outlive the registration.
 * Thread-safety: configuration: call it before requests run, not while
 * they do.
 */
SEGRECV_API segrecv_status segrecv_on(segrecv_receiver *receiver, segrecv_type type,
                                      segrecv_event_cb cb, void *user_data);
/**
 * Register the catch-all callback, used for types with no callback of their own.
 * Ownership: `user_data` is borrowed: it must outlive the registration.
 * Thread-safety: configuration: call it before requests run, not while
 * they do.
 */
SEGRECV_API segrecv_status segrecv_on_any(segrecv_receiver *receiver, segrecv_event_cb cb,
                                          void *user_data);
/**
 * Add an accepted API key to the built-in list (copied). Keys are compared
 * in constant time. A key in the list is accepted without calling the key
 * callback. With neither keys nor a key callback every request gets 401.
 * SEGRECV_INVALID_ARGUMENT for an empty key or one over max_api_key_bytes.
 * Ownership: `key` is copied.
 * Thread-safety: configuration: call it before requests run, not while
 * they do.
 */
SEGRECV_API segrecv_status segrecv_add_api_key(segrecv_receiver *receiver, const char *key,
                                               size_t len);
/**
 * Set the key callback, consulted for keys not in the built-in list.
 * Ownership: `user_data` is borrowed: it must outlive the registration.
 * Thread-safety: configuration: call it before requests run, not while
 * they do.
 */
SEGRECV_API segrecv_status segrecv_set_key_check(segrecv_receiver *receiver, segrecv_key_cb cb,
                                                 void *user_data);
/**
 * Maintenance mode: when on, every authenticated request answers 503
 * ("Receiver is in maintenance; retry later"), which Segment retries.
 * Ownership: nothing is kept.
 * Thread-safety: may be toggled while requests run on other threads.
 */
SEGRECV_API segrecv_status segrecv_set_maintenance(segrecv_receiver *receiver, int on);
/**
 * The limits in force (defaults filled in).
 * Ownership: returned by value. Thread-safety: always safe.
 */
SEGRECV_API segrecv_limits segrecv_receiver_limits(const segrecv_receiver *receiver);

/**
 * Require `X-Signature`: the hex HMAC-SHA1 of the raw body bytes (as received,
 * before any inflation) under `secret` (copied), as Segment's Webhooks
 * destination signs. Missing or wrong -> 401. Compared in constant time.
 * SEGRECV_NOT_IMPLEMENTED when the library was built without nettle.
 * Ownership: `secret` is copied.
 * Thread-safety: configuration: call it before requests run, not while
 * they do.
 */
SEGRECV_API segrecv_status segrecv_set_signing_secret(segrecv_receiver *receiver,
                                                      const char *secret, size_t len);

/**
 * Idempotency hooks: Segment retries 5xx and 429 for hours and replays
 * history, so one `message_id` can arrive many times. Before dispatching an
 * event that has a message_id the receiver calls `claim`: nonzero means the id
 * is new and now held, 0 means it was accepted before (the event is answered
 * as accepted without a second dispatch, and counted). After the dispatch,
 * `release` is called for an id whose event was not accepted (so a retry can
 * dispatch it), never for an accepted one.
 * Ownership: copied by segrecv_set_dedupe(); `ctx` is borrowed and must
 * outlive the receiver. Thread-safety: both hooks may be called
 * concurrently.
 */
typedef struct segrecv_dedupe {
    int (*claim)(void *ctx, const char *message_id, size_t len);   /**< 1 new, 0 duplicate */
    void (*release)(void *ctx, const char *message_id, size_t len); /**< undo a claim */
    void *ctx;                                                      /**< passed to both */
} segrecv_dedupe;

/**
 * Install idempotency hooks (copied); NULL removes them.
 * SEGRECV_INVALID_ARGUMENT when `claim` or `release` is NULL.
 * Ownership: `hooks` is copied; its `ctx` is borrowed.
 * Thread-safety: configuration: call it before requests run, not while
 * they do.
 */
SEGRECV_API segrecv_status segrecv_set_dedupe(segrecv_receiver *receiver,
                                              const segrecv_dedupe *hooks);
/**
 * Events answered as duplicates since the receiver was created.
 * Ownership: returned by value. Thread-safety: always safe (an atomic counter).
 */
SEGRECV_API uint64_t segrecv_duplicates(const segrecv_receiver *receiver);

/**
 * The built-in message_id store: at most `max_entries` ids, each remembered
 * for `window_ms` milliseconds (CLOCK_MONOTONIC), oldest evicted first.
 * Opaque.
 * Ownership: made by segrecv_dedupe_store_new(), freed by
 * segrecv_dedupe_store_free() after every receiver that uses its hooks.
 * Thread-safety: thread-safe (one mutex).
 */
typedef struct segrecv_dedupe_store segrecv_dedupe_store;
/**
 * Create a store for `max_entries` ids (1 to 2^26), each kept `window_ms`
 * milliseconds (more than 0). `alloc` may be NULL. NULL for other arguments
 * or when out of memory.
 * Ownership: free with segrecv_dedupe_store_free(); `alloc` is copied.
 * Thread-safety: always safe.
 */
SEGRECV_API segrecv_dedupe_store *segrecv_dedupe_store_new(size_t max_entries, int64_t window_ms,
                                                           const segrecv_allocator *alloc);
/**
 * Free a store; NULL is a no-op.
 * Ownership: frees the store and every id in it.
 * Thread-safety: only when no receiver uses its hooks any more.
 */
SEGRECV_API void segrecv_dedupe_store_free(segrecv_dedupe_store *store);
/**
 * The hooks that use `store`, for segrecv_set_dedupe().
 * Ownership: the hooks borrow `store`, which must outlive every receiver
 * that uses them. Thread-safety: always safe.
 */
SEGRECV_API segrecv_dedupe segrecv_dedupe_store_hooks(segrecv_dedupe_store *store);
/** @} */

/* ======================================================================== */
/** @name Response                                                           */
/* ======================================================================== */
/** @{ */
/** Largest response body segrecv_response holds, including the NUL. */
#define SEGRECV_RESPONSE_BODY_MAX 4096

/**
 * What the host writes back. Self-contained: it may be copied, and needs no
 * free. `body` is empty (body_len 0, content_type NULL) for 200/202 without a
 * message, else `{"message":"..."}` with content_type "application/json".
 * Ownership: the caller's (about 4 KiB, often on the stack).
 * Thread-safety: plain data.
 */
typedef struct segrecv_response {
    int http_status;          /**< 200, 202, 400, 401, 403, 413, 415, 431, 500, 501, 503 */
    segrecv_status status;    /**< the status behind it */
    const char *content_type; /**< "application/json" or NULL when body_len is 0 (static) */
    size_t body_len;          /**< bytes in body */
    char body[SEGRECV_RESPONSE_BODY_MAX]; /**< NUL-terminated JSON, or "" */
} segrecv_response;
/** @} */

/* ======================================================================== */
/** @name Request: the streaming API                                         */
/* ======================================================================== */
/** @{ */
/**
 * One in-flight request: headers, then body chunks, then finish. Opaque.
 * Ownership: made by segrecv_request_new(), freed by segrecv_request_free();
 * it owns the memory of everything it dispatches (events, values, built
 * text), reused from one HTTP request to the next.
 * Thread-safety: one thread at a time; different requests of one receiver
 * may run on different threads at once.
 */
typedef struct segrecv_request segrecv_request;

/**
 * Create a request bound to `receiver` (which must outlive it). NULL when out
 * of memory. Ownership: free with segrecv_request_free().
 * Thread-safety: a request belongs to one thread at a time; creating one is
 * safe while other requests of the receiver run.
 */
SEGRECV_API segrecv_request *segrecv_request_new(segrecv_receiver *receiver);
/**
 * Free a request; NULL is a no-op.
 * Ownership: frees its memory: every event and value it dispatched is gone.
 * Thread-safety: the thread that holds the request.
 */
SEGRECV_API void segrecv_request_free(segrecv_request *request);
/**
 * Make a request ready for the next HTTP request, keeping its memory for reuse.
 * Ownership: everything from the previous request becomes invalid.
 * Thread-safety: the thread that holds the request.
 */
SEGRECV_API void segrecv_request_reset(segrecv_request *request);

/**
 * Feed a raw header block: `Name: value` lines ended by CRLF or LF, an
 * optional blank line at the end, names case-insensitive. Ends the headers:
 * authentication is decided here. Returns SEGRECV_OK to go on, or the final
 * status (400, 401, 403, 413, 415, 431, 503, ...): then the body need not be
 * read, and segrecv_request_finish() gives the response. Errors are sticky.
 * Ownership: `block` is read during the call only; what is kept is copied.
 * Thread-safety: the thread that holds the request.
 */
SEGRECV_API segrecv_status segrecv_request_headers(segrecv_request *request, const char *block,
                                                   size_t len);
/**
 * Add one header as a name/value pair; for hosts that parsed headers already.
 * Returns SEGRECV_OK to go on, or the final status. Errors are sticky.
 * Ownership: `name` and `value` are read during the call only (what is kept
 * is copied).
 * Thread-safety: the thread that holds the request.
 */
SEGRECV_API segrecv_status segrecv_request_header(segrecv_request *request, const char *name,
                                                  size_t name_len, const char *value,
                                                  size_t value_len);
/**
 * End headers added with segrecv_request_header(); authentication is decided here.
 * Returns SEGRECV_OK to go on, or the final status (as segrecv_request_headers()).
 * Ownership: nothing to free.
 * Thread-safety: the thread that holds the request.
 */
SEGRECV_API segrecv_status segrecv_request_headers_end(segrecv_request *request);
/**
 * Feed the next body chunk (any size, including 0). Ends the headers first if
 * that was not done. Returns SEGRECV_OK to go on, or the final status (e.g.
 * 413 as soon as the body passes the limit, 400 at the first syntax error).
 * Ownership: `chunk` is read during the call only; what is kept is copied.
 * Thread-safety: the thread that holds the request.
 */
SEGRECV_API segrecv_status segrecv_request_body(segrecv_request *request, const char *chunk,
                                                size_t len);
/**
 * End the body: validate, dispatch to the callback, and fill `*response`.
 * Returns the status behind the response. The request must be reset or freed
 * before it is used again.
 * Ownership: `*response` is the caller's and self-contained.
 * Thread-safety: the thread that holds the request; the callbacks run in
 * this call, on this thread.
 */
SEGRECV_API segrecv_status segrecv_request_finish(segrecv_request *request,
                                                  segrecv_response *response);

/**
 * One request in one call: a thin wrapper over the streaming API using a
 * request object pooled in the receiver (no allocation after warm-up).
 * `headers` is a raw header block as for segrecv_request_headers().
 * Ownership: `headers` and `body` are read during the call only;
 * `*response` is the caller's and self-contained.
 * Thread-safety: safe to call concurrently on a shared receiver; the
 * callbacks run in this call, on this thread.
 */
SEGRECV_API segrecv_status segrecv_handle(segrecv_receiver *receiver, const char *headers,
                                          size_t headers_len, const char *body, size_t body_len,
                                          segrecv_response *response);
/** @} */

/* ======================================================================== */
/** @name Semantic accessors and key normalisation                          */
/* ======================================================================== */
/** @{ */
/**
 * The meaning-bearing fields of an event, read as Segment's own
 * `@segment/facade` 3.4.10 reads them (docs/semantic.md lists every rule and
 * the few deliberate differences). Keys inside traits, properties and
 * context match loosely, as facade's obj-case does: ASCII case and every
 * character other than letters, digits and '.' are ignored, and the first
 * match in document order wins ("Postal Code" finds `postalCode`). A
 * fallback is taken, as in facade, when a value is missing or JavaScript-
 * falsy (null, false, 0, ""). Each field applies only to the call types in
 * its comment; see segrecv_field_applies().
 */
typedef enum segrecv_field {
    /** identify, group: traits.email; track, page, screen: context.traits.email, then
     *  properties.email. Else the user id (group: group id) if it looks like an email. */
    SEGRECV_FIELD_EMAIL = 0,
    /** identify: traits.name trimmed, else "first last" from first and last name;
     *  group: traits.name; page, screen: the event's `name`. */
    SEGRECV_FIELD_NAME,
    SEGRECV_FIELD_FIRST_NAME,  /**< identify: traits.firstName trimmed, else name's first word */
    SEGRECV_FIELD_LAST_NAME,   /**< identify: traits.lastName trimmed, else name after its first space */
    SEGRECV_FIELD_PHONE,       /**< identify: traits.phone, else traits.phones[0] */
    SEGRECV_FIELD_USERNAME,    /**< identify: traits.username */
    SEGRECV_FIELD_AVATAR,      /**< identify: traits.avatar, photoUrl, then avatarUrl */
    SEGRECV_FIELD_WEBSITE,     /**< identify: traits.website, else traits.websites[0] */
    SEGRECV_FIELD_TITLE,       /**< identify: traits.title; page, screen: properties.title */
    SEGRECV_FIELD_GENDER,      /**< identify: traits.gender */
    /** identify: traits.age; else whole UTC calendar years since an ISO-8601
     *  traits.birthday (number set). */
    SEGRECV_FIELD_AGE,
    SEGRECV_FIELD_BIRTHDAY,    /**< identify: traits.birthday (time set when ISO-8601) */
    /** identify: traits.created, then createdAt; group: createdAt, then created
     *  (time set when ISO-8601). */
    SEGRECV_FIELD_CREATED_AT,
    SEGRECV_FIELD_DESCRIPTION, /**< identify: traits.description, then background */
    SEGRECV_FIELD_CITY,        /**< identify, group: traits.address.city, then traits.city */
    SEGRECV_FIELD_STATE,       /**< identify, group: traits.address.state, then traits.state */
    /** identify, group: traits.address.postalCode, traits.postalCode,
     *  traits.address.zip, then traits.zip. */
    SEGRECV_FIELD_POSTAL_CODE,
    SEGRECV_FIELD_COUNTRY,     /**< identify, group: traits.address.country, then traits.country */
    SEGRECV_FIELD_STREET,      /**< identify, group: traits.address.street, then traits.street */
    SEGRECV_FIELD_COMPANY_NAME, /**< identify: traits.company.name */
    SEGRECV_FIELD_INDUSTRY,    /**< group: traits.industry */
    SEGRECV_FIELD_EMPLOYEES,   /**< group: traits.employees */
    SEGRECV_FIELD_PLAN,        /**< group: traits.plan */
    /** track: properties.revenue (a number; a string loses every '$' and is
     *  read as parseFloat reads it, number set); when missing on an event named
     *  like "Order Completed" or "Completed Order", properties.total. */
    SEGRECV_FIELD_REVENUE,
    SEGRECV_FIELD_CURRENCY,    /**< track: properties.currency, default "USD" */
    SEGRECV_FIELD_VALUE,       /**< track: properties.value */
    SEGRECV_FIELD_QUANTITY,    /**< track: properties.quantity, default 1 (number set) */
    SEGRECV_FIELD_ORDER_ID,    /**< track: properties.id, then order_id / orderId */
    /** track: properties.products without its null elements when an array,
     *  else an empty array (always found). */
    SEGRECV_FIELD_PRODUCTS,
    SEGRECV_FIELD_CATEGORY,    /**< page, screen: the event's `category` */
    SEGRECV_FIELD_URL,         /**< page, screen: properties.url */
    SEGRECV_FIELD_PATH,        /**< page, screen: properties.path */
    /** page, screen: context.referrer.url, context.page.referrer, then
     *  properties.referrer. */
    SEGRECV_FIELD_REFERRER,
    SEGRECV_FIELD_SEARCH,      /**< page, screen: properties.search */
    SEGRECV_FIELD_FULL_NAME,   /**< page, screen: "category name" when both are set, else name */
    SEGRECV_FIELD_PREVIOUS_ID, /**< alias: previousId / previous_id, else `from` */
    SEGRECV_FIELD_COUNT        /**< number of fields; not a field */
} segrecv_field;

/**
 * The snake_case name of a field ("postal_code"); "unknown" for other values.
 * Ownership: static string, never NULL. Thread-safety: always safe.
 */
SEGRECV_API const char *segrecv_field_name(segrecv_field field);
/**
 * 1 when `field` applies to events of `type`, else 0.
 * Ownership: nothing to free. Thread-safety: always safe.
 */
SEGRECV_API int segrecv_field_applies(segrecv_type type, segrecv_field field);

/**
 * What an accessor found.
 * Ownership: every pointer is borrowed: valid until the callback returns.
 * Thread-safety: plain data.
 */
typedef struct segrecv_field_value {
    /** The JSON value the result comes from (for a trimmed name, the untrimmed
     *  string); NULL for defaults and for text built from several values. */
    const segrecv_value *value;
    /** The result as text: a string (trimmed where facade trims), a number's
     *  exact text, a built text ("Peter Gibbons"), a default ("USD"); ptr NULL
     *  when the result is a boolean, an array or an object. NUL-terminated. */
    segrecv_str text;
    double number;          /**< the numeric result, when has_number */
    int has_number;         /**< 1 for JSON numbers (finite) and computed numbers */
    segrecv_time time;      /**< created_at, birthday: a string's text and, if ISO-8601, ms */
    segrecv_status status;  /**< SEGRECV_OK; else why nothing was found (see below) */
} segrecv_field_value;

/**
 * Read one semantic field of `event` into `*out`. Returns 1 when found, 0
 * when absent or when the field does not apply to the event's type. Text
 * that must be built (a name from first and last, a first name split from
 * the name, a revenue without '$', an age) is stored in the request's
 * memory; if that fails the call returns 0 with out->status SEGRECV_NOMEM
 * (SEGRECV_INVALID_ARGUMENT for an event the library did not dispatch).
 * Ownership: borrowed, valid until the callback returns. Thread-safety: a
 * dispatched event belongs to its callback's thread; do not read one event
 * from two threads at once (building text allocates).
 */
SEGRECV_API int segrecv_event_field(const segrecv_event *event, segrecv_field field,
                                    segrecv_field_value *out);

/**
 * Write every field that applies to the event and is found as one JSON
 * object into `buf` (snprintf-style: returns the length the full text needs,
 * excluding the NUL; always NUL-terminated when cap > 0). Keys are the field
 * names in segrecv_field order; numbers are JSON numbers (as received, or
 * computed with up to 17 significant digits); fields that are absent are
 * omitted. Returns 0 (and writes "") for a NULL event or when building a
 * field's text ran out of memory. Ownership: writes into the caller's
 * `buf`; built text goes to the request's memory, as with
 * segrecv_event_field(). Thread-safety: as segrecv_event_field().
 */
SEGRECV_API size_t segrecv_event_semantic_json(const segrecv_event *event, char *buf,
                                               size_t cap);

/**
 * The snake_case form of a key, snprintf-style into `buf` (returns the
 * length needed, excluding the NUL). Rules: ASCII letters are lower-cased
 * and a word starts at an upper-case letter after a lower-case letter or a
 * digit (`firstName` -> `first_name`, `v2Beta` -> `v2_beta`) and at the last
 * capital of an acronym followed by lower case (`HTMLParser` ->
 * `html_parser`, `userID` -> `user_id`; a plural `s` stays with its acronym:
 * `userIDs` -> `user_ids`); digits stay with the word before them
 * (`address2`); every run of other ASCII characters (space, '-', '_', '$',
 * ...) becomes one '_' between words and disappears at the ends (`Total
 * Billed` -> `total_billed`, `__id__` -> `id`); '.' is kept and no '_' is put
 * beside it; bytes of non-ASCII characters are kept as they are. A key that
 * would become empty (`""`, `"_"`) is kept unchanged. The result always
 * matches the original key under segrecv_value_find()'s loose comparison,
 * and normalising twice changes nothing. Ownership: writes into the
 * caller's `buf`. Thread-safety: always safe.
 */
SEGRECV_API size_t segrecv_key_normalize(const char *key, size_t len, char *buf, size_t cap);

/**
 * A copy of `value` with every object key, at every depth, normalised by
 * segrecv_key_normalize(), built in caller memory `mem` (any alignment).
 * Returns the bytes the copy needs; when `cap` is at least that, `*out` is
 * the copy, else NULL. When no key changes it returns 0 and `*out` is
 * `value` itself. Keys that become equal ("firstName", "first_name") are
 * all kept, in document order, so lookups find the first. Ownership: the
 * copy lives in `mem` but borrows every string, number and unchanged
 * subtree of `value`: it is valid while both are. Thread-safety: safe on a
 * shared `value`.
 */
SEGRECV_API size_t segrecv_value_normalize(const segrecv_value *value, void *mem, size_t cap,
                                           const segrecv_value **out);

/**
 * As segrecv_value_normalize(), with the copy in the request memory of
 * `event` (from a callback): `*out` is valid until the callback returns
 * (`value` itself when no key changes; NULL for a NULL value). Returns
 * SEGRECV_OK, SEGRECV_NOMEM, or SEGRECV_INVALID_ARGUMENT for an event the
 * library did not dispatch. Ownership: the copy is freed with the request.
 * Thread-safety: as segrecv_event_field().
 */
SEGRECV_API segrecv_status segrecv_event_normalize(const segrecv_event *event,
                                                   const segrecv_value *value,
                                                   const segrecv_value **out);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SEGRECV_H */
