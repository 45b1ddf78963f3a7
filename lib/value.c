/* Read-only access to parsed JSON values. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

segrecv_value_type segrecv_value_type_of(const segrecv_value *value)
{
    return value ? (segrecv_value_type)value->type : SEGRECV_ABSENT;
}

const char *segrecv_value_string(const segrecv_value *value, size_t *len)
{
    if (!value || value->type != SEGRECV_STRING)
        return NULL;
    if (len)
        *len = value->len;
    return value->u.text;
}

const char *segrecv_value_number_text(const segrecv_value *value, size_t *len)
{
    if (!value || value->type != SEGRECV_NUMBER)
        return NULL;
    if (len)
        *len = value->len;
    return value->u.text;
}

segrecv_status segrecv_value_double(const segrecv_value *value, double *out)
{
    if (!value || value->type != SEGRECV_NUMBER || !out)
        return SEGRECV_BAD_REQUEST;
    errno = 0;
    char *end;
    double d = strtod(value->u.text, &end);
    if (errno == ERANGE || end != value->u.text + value->len)
        return SEGRECV_BAD_REQUEST;
    *out = d;
    return SEGRECV_OK;
}

segrecv_status segrecv_value_int64(const segrecv_value *value, int64_t *out)
{
    if (!value || value->type != SEGRECV_NUMBER || !out)
        return SEGRECV_BAD_REQUEST;
    errno = 0;
    char *end;
    long long n = strtoll(value->u.text, &end, 10);
    if (errno == ERANGE || end != value->u.text + value->len)
        return SEGRECV_BAD_REQUEST; /* out of range, or a fraction or exponent */
    *out = (int64_t)n;
    return SEGRECV_OK;
}

int segrecv_value_bool(const segrecv_value *value)
{
    return value && value->type == SEGRECV_BOOL && value->boolean;
}

size_t segrecv_value_count(const segrecv_value *value)
{
    if (!value || (value->type != SEGRECV_ARRAY && value->type != SEGRECV_OBJECT))
        return 0;
    return value->len;
}

const segrecv_value *segrecv_value_at(const segrecv_value *value, size_t index)
{
    if (!value || index >= segrecv_value_count(value))
        return NULL;
    if (value->type == SEGRECV_ARRAY)
        return &segrecv__items(value)[index];
    return &segrecv__members(value)[index].value;
}

const char *segrecv_value_key_at(const segrecv_value *value, size_t index, size_t *len)
{
    if (!value || value->type != SEGRECV_OBJECT || index >= value->len)
        return NULL;
    const segrecv__member *m = &segrecv__members(value)[index];
    if (len)
        *len = m->key_len;
    return m->key;
}

const segrecv_value *segrecv_value_get(const segrecv_value *value, const char *key)
{
    if (!value || value->type != SEGRECV_OBJECT || !key)
        return NULL;
    size_t len = strlen(key);
    const segrecv__member *members = segrecv__members(value);
    for (uint32_t i = 0; i < value->len; i++) {
        const segrecv__member *m = &members[i];
        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return &m->value;
    }
    return NULL;
}

/* As Segment's obj-case: only ASCII letters, digits and '.' count. */
static bool ignored_in_keys(unsigned char c)
{
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.');
}

static unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

bool segrecv__key_matches(const char *key, size_t key_len, const char *want, size_t want_len)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < key_len && ignored_in_keys((unsigned char)key[i]))
            i++;
        while (j < want_len && ignored_in_keys((unsigned char)want[j]))
            j++;
        if (i == key_len || j == want_len)
            return i == key_len && j == want_len;
        if (fold((unsigned char)key[i]) != fold((unsigned char)want[j]))
            return false;
        i++;
        j++;
    }
}

static const segrecv_value *find_n(const segrecv_value *value, const char *key, size_t len)
{
    if (!value || value->type != SEGRECV_OBJECT)
        return NULL;
    const segrecv__member *members = segrecv__members(value);
    for (uint32_t i = 0; i < value->len; i++) {
        const segrecv__member *m = &members[i];
        if (segrecv__key_matches(m->key, m->key_len, key, len))
            return &m->value;
    }
    return NULL;
}

const segrecv_value *segrecv_value_find(const segrecv_value *value, const char *key)
{
    return key ? find_n(value, key, strlen(key)) : NULL;
}

static bool array_index(const char *s, size_t len, size_t *out)
{
    if (len == 0 || len > 9)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        n = n * 10 + (size_t)(s[i] - '0');
    }
    *out = n;
    return true;
}

const segrecv_value *segrecv_value_path(const segrecv_value *value, const char *path)
{
    if (!path)
        return NULL;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        size_t index;
        if (value && value->type == SEGRECV_ARRAY && array_index(p, len, &index))
            value = segrecv_value_at(value, index);
        else
            value = find_n(value, p, len);
        if (!value || !dot)
            return value;
        p = dot + 1;
    }
}
