/* snake_case keys: one key, a whole value tree (into caller memory or the
 * request arena), and the SEGRECV_OPT_NORMALIZE_KEYS hook. Values are never
 * copied: the new tree borrows every string, number and unchanged subtree. */
#include "semantic.h"

#include <string.h>

/* ---- one key ----------------------------------------------------------------- */

typedef enum char_class { SEPARATOR, DOT, UPPER, LOWER, DIGIT, OTHER } char_class;

static char_class class_of(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return UPPER;
    if (c >= 'a' && c <= 'z')
        return LOWER;
    if (c >= '0' && c <= '9')
        return DIGIT;
    if (c == '.')
        return DOT;
    return c >= 0x80 ? OTHER : SEPARATOR; /* bytes of non-ASCII letters stay as they are */
}

static bool in_word(char_class c)
{
    return c == UPPER || c == LOWER || c == DIGIT || c == OTHER;
}

/* Does a new word start at key[i], an upper-case letter after `prev`?
 * "firstName" -> first|Name, "v2Beta" -> v2|Beta, "HTMLParser" -> HTML|Parser,
 * but "userIDs" keeps "IDs" whole: an acronym's plural 's' is not a word. */
static bool word_starts(const char *key, size_t len, size_t i, char_class prev)
{
    if (class_of((unsigned char)key[i]) != UPPER)
        return false;
    if (prev == LOWER || prev == DIGIT || prev == OTHER)
        return true;
    if (prev != UPPER || i + 1 >= len || class_of((unsigned char)key[i + 1]) != LOWER)
        return false;
    bool plural = key[i + 1] == 's' &&
                  (i + 2 == len || class_of((unsigned char)key[i + 2]) != LOWER);
    return !plural;
}

/* Where normalised bytes go: counted always, stored while there is room, and
 * optionally compared with the original key. */
typedef struct sink {
    char *buf;
    size_t cap;
    size_t len;
    const char *original;
    size_t original_len;
    bool differs;
} sink;

static void emit(sink *k, char c)
{
    if (k->len + 1 < k->cap)
        k->buf[k->len] = c;
    if (k->len >= k->original_len || k->original[k->len] != c)
        k->differs = true;
    k->len++;
}

static void normalize_key(sink *k, const char *key, size_t len)
{
    bool pending = false; /* a '_' is due before the next word character */
    char last = 0;
    char_class prev = SEPARATOR;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)key[i];
        char_class cls = class_of(c);
        if (cls == SEPARATOR) {
            pending = k->len > 0 && last != '.';
        } else if (cls == DOT) {
            emit(k, '.'); /* kept: obj-case paths read dots, and no '_' beside one */
            last = '.';
            pending = false;
        } else {
            if (in_word(prev) && word_starts(key, len, i, prev))
                pending = true;
            if (pending && k->len > 0 && last != '.')
                emit(k, '_');
            pending = false;
            last = (char)(cls == UPPER ? c + ('a' - 'A') : c);
            emit(k, last);
        }
        prev = cls;
    }
    if (k->len == 0) /* nothing left ("", "_", "$"): keep the key as it is */
        for (size_t i = 0; i < len; i++)
            emit(k, key[i]);
    if (k->len != k->original_len)
        k->differs = true;
}

size_t segrecv_key_normalize(const char *key, size_t len, char *buf, size_t cap)
{
    sink k = {buf, buf ? cap : 0, 0, "", 0, false};
    if (!key)
        len = 0;
    normalize_key(&k, key ? key : "", len);
    if (k.cap > 0)
        k.buf[k.len < k.cap ? k.len : k.cap - 1] = '\0';
    return k.len;
}

/* Length of the normalised key, and whether it differs from the key. */
static size_t key_change(const segrecv__member *m, bool *differs)
{
    sink k = {NULL, 0, 0, m->key, m->key_len, false};
    normalize_key(&k, m->key, m->key_len);
    *differs = k.differs;
    return k.len;
}

/* ---- a value tree -------------------------------------------------------------- */

#define ALIGN 8u
static size_t round_up(size_t n)
{
    return (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
}

/* Does any key in the tree change? Unchanged subtrees are borrowed. */
static bool changes(const segrecv_value *v)
{
    bool differs = false;
    if (v->type == SEGRECV_OBJECT) {
        const segrecv__member *members = segrecv__members(v);
        for (uint32_t i = 0; i < v->len && !differs; i++) {
            key_change(&members[i], &differs);
            differs = differs || changes(&members[i].value);
        }
    } else if (v->type == SEGRECV_ARRAY) {
        const segrecv_value *items = segrecv__items(v);
        for (uint32_t i = 0; i < v->len && !differs; i++)
            differs = changes(&items[i]);
    }
    return differs;
}

/* Bytes build() takes for the children of a changed container. */
static size_t measure(const segrecv_value *v)
{
    if (!changes(v))
        return 0;
    size_t total = 0;
    if (v->type == SEGRECV_OBJECT) {
        total += round_up((size_t)v->len * sizeof(segrecv__member));
        const segrecv__member *members = segrecv__members(v);
        for (uint32_t i = 0; i < v->len; i++) {
            bool differs;
            size_t len = key_change(&members[i], &differs);
            if (differs)
                total += round_up(len + 1);
            total += measure(&members[i].value);
        }
    } else {
        total += round_up((size_t)v->len * sizeof(segrecv_value));
        const segrecv_value *items = segrecv__items(v);
        for (uint32_t i = 0; i < v->len; i++)
            total += measure(&items[i]);
    }
    return total;
}

/* Memory for build(): the request arena, or a caller's block. */
typedef struct space {
    segrecv__arena *arena;
    unsigned char *next, *end;
} space;

static void *take(space *s, size_t size)
{
    size = round_up(size);
    if (s->arena)
        return segrecv__arena_alloc(s->arena, size);
    if ((size_t)(s->end - s->next) < size)
        return NULL;
    void *p = s->next;
    s->next += size;
    return p;
}

/* *dst = v with every key normalised, sharing what does not change. */
static bool build(const segrecv_value *v, segrecv_value *dst, space *s)
{
    *dst = *v;
    if (!changes(v))
        return true;
    dst->lazy = 0; /* its children are laid out here */
    if (v->type == SEGRECV_ARRAY) {
        segrecv_value *items = take(s, (size_t)v->len * sizeof *items);
        if (!items)
            return false;
        const segrecv_value *from = segrecv__items(v);
        for (uint32_t i = 0; i < v->len; i++)
            if (!build(&from[i], &items[i], s))
                return false;
        dst->u.items = items;
        return true;
    }
    segrecv__member *members = take(s, (size_t)v->len * sizeof *members);
    if (!members)
        return false;
    const segrecv__member *from = segrecv__members(v);
    for (uint32_t i = 0; i < v->len; i++) {
        const segrecv__member *m = &from[i];
        members[i] = *m;
        bool differs;
        size_t len = key_change(m, &differs);
        if (differs) {
            char *key = take(s, len + 1);
            if (!key)
                return false;
            sink k = {key, len + 1, 0, "", 0, false};
            normalize_key(&k, m->key, m->key_len);
            key[len] = '\0';
            members[i].key = key;
            members[i].key_len = (uint32_t)len;
        }
        if (!build(&m->value, &members[i].value, s))
            return false;
    }
    dst->u.members = members;
    return true;
}

size_t segrecv_value_normalize(const segrecv_value *value, void *mem, size_t cap,
                               const segrecv_value **out)
{
    if (out)
        *out = NULL;
    if (!value)
        return 0;
    if (!changes(value)) {
        if (out)
            *out = value;
        return 0;
    }
    /* ALIGN - 1 spare bytes let any `mem` be aligned first. */
    size_t need = round_up(sizeof *value) + measure(value) + (ALIGN - 1);
    if (!mem || cap < need || !out)
        return need;
    unsigned char *start = mem;
    size_t skew = (ALIGN - (size_t)((uintptr_t)start % ALIGN)) % ALIGN;
    space s = {NULL, start + skew, start + cap};
    segrecv_value *root = take(&s, sizeof *root);
    if (root && build(value, root, &s))
        *out = root; /* both always succeed: `need` was measured */
    return need;
}

static segrecv_status normalize_in_arena(segrecv__arena *arena, const segrecv_value *value,
                                         const segrecv_value **out)
{
    *out = value;
    if (!value || !changes(value))
        return SEGRECV_OK;
    space s = {arena, NULL, NULL};
    segrecv_value *root = take(&s, sizeof *root);
    if (!root || !build(value, root, &s))
        return SEGRECV_NOMEM;
    *out = root;
    return SEGRECV_OK;
}

segrecv_status segrecv_event_normalize(const segrecv_event *event, const segrecv_value *value,
                                       const segrecv_value **out)
{
    if (!out)
        return SEGRECV_INVALID_ARGUMENT;
    *out = NULL;
    if (!event || !event->internal_)
        return SEGRECV_INVALID_ARGUMENT;
    segrecv_request *r = event->internal_;
    segrecv_status st = normalize_in_arena(&r->arena, value, out);
    if (st != SEGRECV_OK)
        *out = NULL;
    return st;
}

segrecv__verdict segrecv__event_normalize_keys(segrecv_request *r, segrecv_event *ev)
{
    segrecv__verdict v = {SEGRECV_OK, NULL};
    if (normalize_in_arena(&r->arena, ev->traits, &ev->traits) != SEGRECV_OK ||
        normalize_in_arena(&r->arena, ev->properties, &ev->properties) != SEGRECV_OK) {
        v.status = SEGRECV_NOMEM;
        v.message = "Out of memory";
    }
    return v;
}
