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

static const field_def FIELDS[] = {
    FIELD("type", "type", KIND_TYPE, type_name),
    FIELD("userId", "user_id", KIND_ID, user_id),
    FIELD("anonymousId", "anonymous_id", KIND_ID, anonymous_id),
    FIELD("messageId", "message_id", KIND_ID, message_id),
    FIELD("groupId", "group_id", KIND_ID, group_id),
    FIELD("previousId", "previous_id", KIND_ID, previous_id),
    FIELD("event", "event", KIND_STRING, event),
    FIELD("name", "name", KIND_STRING, name),
    FIELD("category", "category", KIND_STRING, category),
    FIELD("channel", "channel", KIND_STRING, channel),
    FIELD("version", "version", KIND_VERSION, version),
    FIELD("timestamp", "timestamp", KIND_TIME, timestamp),
    FIELD("sentAt", "sent_at", KIND_TIME, sent_at),
    FIELD("receivedAt", "received_at", KIND_TIME, received_at),
    FIELD("originalTimestamp", "original_timestamp", KIND_TIME, original_timestamp),
    FIELD("context", "context", KIND_LOOSE_OBJECT, context),
    FIELD("integrations", "integrations", KIND_LOOSE_OBJECT, integrations),
    FIELD("traits", "traits", KIND_OBJECT, traits),
    FIELD("properties", "properties", KIND_OBJECT, properties),
};
#define FIELD_COUNT (sizeof FIELDS / sizeof FIELDS[0])

/* FIELDS entries (index + 1) whose camel or snake spelling has a given
 * length: a key is compared with at most six fields. Kept in step with
 * FIELDS by hand; the corpus and request tests read every field in both
 * spellings. */
#define LONGEST_FIELD 18
static const uint8_t FIELDS_BY_LENGTH[LONGEST_FIELD + 1][7] = {
    [4] = {1, 8},
    [5] = {7},
    [6] = {2, 13, 18},
    [7] = {2, 5, 10, 11, 13, 16},
    [8] = {5, 9},
    [9] = {4, 12},
    [10] = {4, 6, 14, 19},
    [11] = {3, 6, 14},
    [12] = {3, 17},
    [17] = {15},
    [18] = {15},
};

static const field_def *field_for_key(const char *key, size_t len)
{
    if (len > LONGEST_FIELD)
        return NULL;
    for (const uint8_t *i = FIELDS_BY_LENGTH[len]; i < FIELDS_BY_LENGTH[len] + 7 && *i; i++) {
        const field_def *f = &FIELDS[*i - 1];
        if ((f->camel_len == len && memcmp(f->camel, key, len) == 0) ||
            (f->snake_len == len && memcmp(f->snake, key, len) == 0))
            return f;
    }
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
    memset(ev, 0, sizeof *ev);
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
