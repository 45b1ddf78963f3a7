/* Fill the typed event from the parsed root object: each Spec field in
 * either spelling, checked for its JSON type, ids kept as exact text. */
#include "internal.h"
#include "semantic.h"

#include <string.h>

typedef enum field_kind {
    KIND_TYPE,     /* string, required */
    KIND_ID,       /* string or number (digits kept), null = absent */
    KIND_STRING,   /* string, null = absent */
    KIND_VERSION,  /* string or number */
    KIND_TIME,     /* ISO-8601 string, null = absent */
    KIND_LOOSE_OBJECT, /* object; null or [] = absent (context, integrations) */
    KIND_OBJECT    /* object; null = absent (traits, properties) */
} field_kind;

typedef struct field_def {
    const char *camel;
    const char *snake; /* canonical name, used in messages */
    uint8_t camel_len, snake_len;
    field_kind kind;
    size_t offset;     /* of the segrecv_str, segrecv_time or value pointer */
} field_def;

#define AT(member) offsetof(segrecv_event, member)
#define FIELD(camel, snake, kind, member) \
    {camel, snake, sizeof camel - 1, sizeof snake - 1, kind, AT(member)}

typedef enum field_id {
    F_TYPE,
    F_USER_ID,
    F_ANONYMOUS_ID,
    F_MESSAGE_ID,
    F_GROUP_ID,
    F_PREVIOUS_ID,
    F_EVENT,
    F_NAME,
    F_CATEGORY,
    F_CHANNEL,
    F_VERSION,
    F_TIMESTAMP,
    F_SENT_AT,
    F_RECEIVED_AT,
    F_ORIGINAL_TIMESTAMP,
    F_CONTEXT,
    F_INTEGRATIONS,
    F_TRAITS,
    F_PROPERTIES,
} field_id;

static const field_def FIELDS[] = {
    [F_TYPE] = FIELD("type", "type", KIND_TYPE, type_name),
    [F_USER_ID] = FIELD("userId", "user_id", KIND_ID, user_id),
    [F_ANONYMOUS_ID] = FIELD("anonymousId", "anonymous_id", KIND_ID, anonymous_id),
    [F_MESSAGE_ID] = FIELD("messageId", "message_id", KIND_ID, message_id),
    [F_GROUP_ID] = FIELD("groupId", "group_id", KIND_ID, group_id),
    [F_PREVIOUS_ID] = FIELD("previousId", "previous_id", KIND_ID, previous_id),
    [F_EVENT] = FIELD("event", "event", KIND_STRING, event),
    [F_NAME] = FIELD("name", "name", KIND_STRING, name),
    [F_CATEGORY] = FIELD("category", "category", KIND_STRING, category),
    [F_CHANNEL] = FIELD("channel", "channel", KIND_STRING, channel),
    [F_VERSION] = FIELD("version", "version", KIND_VERSION, version),
    [F_TIMESTAMP] = FIELD("timestamp", "timestamp", KIND_TIME, timestamp),
    [F_SENT_AT] = FIELD("sentAt", "sent_at", KIND_TIME, sent_at),
    [F_RECEIVED_AT] = FIELD("receivedAt", "received_at", KIND_TIME, received_at),
    [F_ORIGINAL_TIMESTAMP] =
        FIELD("originalTimestamp", "original_timestamp", KIND_TIME, original_timestamp),
    [F_CONTEXT] = FIELD("context", "context", KIND_LOOSE_OBJECT, context),
    [F_INTEGRATIONS] = FIELD("integrations", "integrations", KIND_LOOSE_OBJECT, integrations),
    [F_TRAITS] = FIELD("traits", "traits", KIND_OBJECT, traits),
    [F_PROPERTIES] = FIELD("properties", "properties", KIND_OBJECT, properties),
};
#define FIELD_COUNT (sizeof FIELDS / sizeof FIELDS[0])

/* The FIELDS entry a key names, in either spelling: a switch on the length,
 * then fixed-length compares the compiler inlines. Kept in step with FIELDS
 * by hand; the corpus and request tests read every field in both spellings. */
static const field_def *field_for_key(const char *key, size_t len)
{
#define SPELLED(spelling, id)                            \
    if (memcmp(key, spelling, sizeof spelling - 1) == 0) \
        return &FIELDS[id];
    switch (len) {
    case 4:
        SPELLED("type", F_TYPE)
        SPELLED("name", F_NAME)
        break;
    case 5:
        SPELLED("event", F_EVENT)
        break;
    case 6:
        SPELLED("userId", F_USER_ID)
        SPELLED("sentAt", F_SENT_AT)
        SPELLED("traits", F_TRAITS)
        break;
    case 7:
        SPELLED("user_id", F_USER_ID)
        SPELLED("groupId", F_GROUP_ID)
        SPELLED("channel", F_CHANNEL)
        SPELLED("version", F_VERSION)
        SPELLED("sent_at", F_SENT_AT)
        SPELLED("context", F_CONTEXT)
        break;
    case 8:
        SPELLED("group_id", F_GROUP_ID)
        SPELLED("category", F_CATEGORY)
        break;
    case 9:
        SPELLED("messageId", F_MESSAGE_ID)
        SPELLED("timestamp", F_TIMESTAMP)
        break;
    case 10:
        SPELLED("message_id", F_MESSAGE_ID)
        SPELLED("previousId", F_PREVIOUS_ID)
        SPELLED("receivedAt", F_RECEIVED_AT)
        SPELLED("properties", F_PROPERTIES)
        break;
    case 11:
        SPELLED("anonymousId", F_ANONYMOUS_ID)
        SPELLED("previous_id", F_PREVIOUS_ID)
        SPELLED("received_at", F_RECEIVED_AT)
        break;
    case 12:
        SPELLED("anonymous_id", F_ANONYMOUS_ID)
        SPELLED("integrations", F_INTEGRATIONS)
        break;
    case 17:
        SPELLED("originalTimestamp", F_ORIGINAL_TIMESTAMP)
        break;
    case 18:
        SPELLED("original_timestamp", F_ORIGINAL_TIMESTAMP)
        break;
    default:
        break;
    }
#undef SPELLED
    return NULL;
}

static const char *TYPE_NAMES[SEGRECV_TYPE_COUNT] = {
    "identify", "track", "page", "screen", "group", "alias", "delete",
};

const char *segrecv_type_name(segrecv_type type)
{
    return (unsigned)type < SEGRECV_TYPE_COUNT ? TYPE_NAMES[type] : "unknown";
}

static bool type_from_name(const char *s, size_t len, segrecv_type *out)
{
    for (int t = 0; t < SEGRECV_TYPE_COUNT; t++) {
        if (strlen(TYPE_NAMES[t]) == len && memcmp(TYPE_NAMES[t], s, len) == 0) {
            *out = (segrecv_type)t;
            return true;
        }
    }
    return false;
}

/* The first problem in document order, reported after the type is known. */
static void problem(segrecv_request *r, segrecv__verdict *p, const char *fmt, const char *field)
{
    if (p->status != SEGRECV_OK)
        return;
    p->status = SEGRECV_BAD_REQUEST;
    p->message = segrecv__arena_printf(&r->arena, fmt, field);
    if (!p->message) {
        p->status = SEGRECV_NOMEM;
        p->message = "Out of memory";
    }
}

static void take_string(segrecv_request *r, segrecv__verdict *p, const field_def *f,
                        const segrecv_value *v, segrecv_str *out)
{
    if (v->copied && memchr(v->u.text, '\0', v->len)) { /* only a \u0000 escape makes one */
        problem(r, p, "Field '%s' contains a NUL character", f->snake);
        return;
    }
    out->ptr = v->u.text;
    out->len = v->len;
}

static void take_field(segrecv_request *r, segrecv__verdict *p, const field_def *f,
                       const segrecv_value *v, segrecv_event *ev)
{
    void *slot = (char *)ev + f->offset;
    bool is_null = v->type == SEGRECV_NULL;
    switch (f->kind) {
    case KIND_TYPE:
    case KIND_STRING:
        if (v->type == SEGRECV_STRING)
            take_string(r, p, f, v, slot);
        else if (!is_null || f->kind == KIND_TYPE)
            problem(r, p, "Field '%s' must be a string", f->snake);
        break;
    case KIND_ID:
    case KIND_VERSION:
        if (v->type == SEGRECV_STRING || v->type == SEGRECV_NUMBER)
            take_string(r, p, f, v, slot);
        else if (!is_null)
            problem(r, p, f->kind == KIND_ID ? "Field '%s' must be a string"
                                             : "Field '%s' must be a string or a number",
                    f->snake);
        break;
    case KIND_TIME: {
        segrecv_time *t = slot;
        if (is_null)
            break;
        if (v->type != SEGRECV_STRING) {
            problem(r, p, "Field '%s' must be an ISO-8601 timestamp string", f->snake);
            break;
        }
        take_string(r, p, f, v, &t->text);
        t->parsed = segrecv__parse_timestamp(v->u.text, v->len, &t->ms) ? 1 : 0;
        if (!t->parsed && !(r->receiver->flags & SEGRECV_OPT_LENIENT_TIMESTAMPS))
            problem(r, p, "Field '%s' is not an ISO-8601 timestamp", f->snake);
        break;
    }
    case KIND_LOOSE_OBJECT:
    case KIND_OBJECT: {
        const segrecv_value **out = slot;
        bool empty_array = v->type == SEGRECV_ARRAY && v->len == 0;
        if (v->type == SEGRECV_OBJECT)
            *out = v;
        else if (!is_null && !(f->kind == KIND_LOOSE_OBJECT && empty_array))
            problem(r, p, "Field '%s' must be an object", f->snake);
        break;
    }
    }
}

segrecv__verdict segrecv__event_fill(segrecv_request *r, const segrecv_value *obj,
                                     segrecv_event *ev)
{
    segrecv__clear(ev, sizeof *ev);
    ev->raw = obj;
    ev->api_key = r->api_key;
    ev->settings = r->settings;
    ev->internal_ = r; /* the semantic accessors build text in r's arena */
    segrecv__verdict p = {SEGRECV_OK, NULL};
    if (obj->type != SEGRECV_OBJECT) {
        p.status = SEGRECV_BAD_REQUEST;
        p.message = "Event must be a JSON object";
        return p;
    }
    uint32_t seen = 0;
    bool has_type = false;
    const segrecv__member *members = segrecv__members(obj);
    for (uint32_t i = 0; i < obj->len; i++) {
        const segrecv__member *m = &members[i];
        const field_def *f = field_for_key(m->key, m->key_len);
        if (!f)
            continue;
        uint32_t bit = 1u << (f - FIELDS);
        if (seen & bit) {
            problem(r, &p, "Field '%s' is given more than once", f->snake);
            continue;
        }
        seen |= bit;
        has_type |= f->kind == KIND_TYPE;
        take_field(r, &p, f, &m->value, ev);
    }
    if (!has_type) {
        segrecv__verdict missing = {SEGRECV_BAD_REQUEST, "Missing required field 'type'"};
        return missing;
    }
    if (p.status == SEGRECV_OK && ev->type_name.ptr &&
        !type_from_name(ev->type_name.ptr, ev->type_name.len, &ev->type)) {
        p.status = SEGRECV_NOT_IMPLEMENTED;
        p.message = segrecv__messagef(&r->arena, "Unsupported call type '%s'", ev->type_name.ptr);
    }
    if (p.status == SEGRECV_OK && (r->receiver->flags & SEGRECV_OPT_NORMALIZE_KEYS))
        p = segrecv__event_normalize_keys(r, ev);
    return p;
}
