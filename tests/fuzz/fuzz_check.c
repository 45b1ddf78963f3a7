/* Invariant helpers shared by the fuzz harnesses (see fuzz_check.h). */
#include "fuzz_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

bool fuzz_json_valid(const char *text, size_t len)
{
    /* No callbacks: yajl only checks syntax and UTF-8. */
    yajl_handle h = yajl_alloc(NULL, NULL, NULL);
    FUZZ_CHECK(h != NULL);
    bool ok = yajl_parse(h, (const unsigned char *)text, len) == yajl_status_ok &&
              yajl_complete_parse(h) == yajl_status_ok;
    yajl_free(h);
    return ok;
}

bool fuzz_value_equal(const segrecv_value *a, const segrecv_value *b)
{
    segrecv_value_type t = segrecv_value_type_of(a);
    if (t != segrecv_value_type_of(b))
        return false;
    size_t la = 0, lb = 0;
    const char *sa, *sb;
    switch (t) {
    case SEGRECV_STRING:
        sa = segrecv_value_string(a, &la);
        sb = segrecv_value_string(b, &lb);
        return la == lb && memcmp(sa, sb, la) == 0;
    case SEGRECV_NUMBER:
        sa = segrecv_value_number_text(a, &la);
        sb = segrecv_value_number_text(b, &lb);
        return la == lb && memcmp(sa, sb, la) == 0;
    case SEGRECV_BOOL:
        return segrecv_value_bool(a) == segrecv_value_bool(b);
    case SEGRECV_ARRAY:
    case SEGRECV_OBJECT:
        if (segrecv_value_count(a) != segrecv_value_count(b))
            return false;
        for (size_t i = 0; i < segrecv_value_count(a); i++) {
            if (t == SEGRECV_OBJECT) {
                sa = segrecv_value_key_at(a, i, &la);
                sb = segrecv_value_key_at(b, i, &lb);
                if (!sa || !sb || la != lb || memcmp(sa, sb, la) != 0)
                    return false;
            }
            if (!fuzz_value_equal(segrecv_value_at(a, i), segrecv_value_at(b, i)))
                return false;
        }
        return true;
    default:
        return true; /* null, absent */
    }
}

typedef size_t (*writer_fn)(const void *what, char *buf, size_t cap);

/* Write the whole text, then check that smaller buffers get a NUL-terminated
 * prefix and the same return value, as with snprintf. */
static char *write_checked(writer_fn write, const void *what, size_t *len)
{
    size_t n = write(what, NULL, 0);
    char *full = malloc(n + 1);
    FUZZ_CHECK(full != NULL);
    memset(full, 'X', n + 1);
    FUZZ_CHECK(write(what, full, n + 1) == n);
    FUZZ_CHECK(full[n] == '\0');
    FUZZ_CHECK(strlen(full) <= n); /* NUL bytes are escaped, so ... */
    FUZZ_CHECK(strlen(full) == n); /* ... the text has none */
    size_t caps[] = {1, n / 2 + 1, n};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        size_t cap = caps[i];
        char *part = malloc(cap + 1);
        FUZZ_CHECK(part != NULL);
        memset(part, 'Y', cap + 1);
        FUZZ_CHECK(write(what, part, cap) == n);
        FUZZ_CHECK(part[cap - 1] == '\0' && part[cap] == 'Y'); /* stays inside cap */
        FUZZ_CHECK(memcmp(part, full, cap - 1) == 0);
        free(part);
    }
    *len = n;
    return full;
}

static size_t write_value(const void *what, char *buf, size_t cap)
{
    return segrecv_value_to_json(what, buf, cap);
}

static size_t write_event(const void *what, char *buf, size_t cap)
{
    return segrecv_event_to_json(what, buf, cap);
}

char *fuzz_value_json(const segrecv_value *value, size_t *len)
{
    if (!value) {
        FUZZ_CHECK(segrecv_value_to_json(NULL, NULL, 0) == 0);
        *len = 0;
        return NULL;
    }
    return write_checked(write_value, value, len);
}

char *fuzz_event_json(const segrecv_event *event, size_t *len)
{
    return write_checked(write_event, event, len);
}

char *fuzz_response_message(const segrecv_response *response, bool batch, size_t *len)
{
    FUZZ_CHECK(fuzz_json_valid(response->body, response->body_len));
    char err[128];
    yajl_val root = yajl_tree_parse(response->body, err, sizeof err);
    FUZZ_CHECK(root != NULL);
    FUZZ_CHECK(YAJL_IS_OBJECT(root) && root->u.object.len >= 1);
    FUZZ_CHECK(strcmp(root->u.object.keys[0], "message") == 0);
    for (size_t i = 1; i < root->u.object.len; i++) {
        const char *key = root->u.object.keys[i];
        yajl_val v = root->u.object.values[i];
        FUZZ_CHECK(batch);
        FUZZ_CHECK((strcmp(key, "errors") == 0 && YAJL_IS_ARRAY(v)) ||
                   (strcmp(key, "errors_omitted") == 0 && YAJL_IS_INTEGER(v)));
    }
    yajl_val msg = root->u.object.values[0];
    FUZZ_CHECK(YAJL_IS_STRING(msg));
    char *copy = strdup(msg->u.string);
    FUZZ_CHECK(copy != NULL);
    *len = strlen(copy);
    yajl_tree_free(root);
    return copy;
}

segrecv_status fuzz_key_check(const char *key, size_t len, segrecv_reply *reply,
                              void *user_data)
{
    (void)user_data;
    FUZZ_CHECK(len > 0);
    if (len == 5 && memcmp(key, "cb-ok", 5) == 0)
        return SEGRECV_OK;
    if (len == 5 && memcmp(key, "cb-no", 5) == 0) {
        reply->message = "Key revoked";
        return SEGRECV_FORBIDDEN;
    }
    if (len == 6 && memcmp(key, "cb-bad", 6) == 0)
        return (segrecv_status)77;
    return SEGRECV_UNAUTHORIZED;
}
