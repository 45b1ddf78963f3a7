/* libFuzzer harness: the value API on arbitrary JSON.
 *
 * Input: byte 0 chooses limits, byte 1 the length (mod 32) of a lookup
 * string that follows, the rest is a JSON text parsed with any_root.
 * Invariants: the library accepts only what yajl alone accepts; every
 * serialisation parses back to an equal tree and serialises to the same
 * bytes; lookups agree with simple reference implementations written here. */
#include "fuzz_check.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static segrecv_limits limits_from(unsigned bits)
{
    static const size_t depth[] = {0, 1, 127, 128};
    static const size_t strings[] = {0, 4, 100, UINT32_MAX};
    segrecv_options o;
    memset(&o, 0, sizeof o);
    o.limits.max_depth = depth[bits & 3];
    o.limits.max_string_bytes = strings[(bits >> 2) & 3];
    o.limits.max_object_keys = (bits & 0x10) ? 3 : 0;
    /* Clamped as a receiver would clamp them. */
    segrecv_receiver *rcv = segrecv_receiver_new(&o);
    FUZZ_CHECK(rcv != NULL);
    segrecv_limits l = segrecv_receiver_limits(rcv);
    segrecv_receiver_free(rcv);
    return l;
}

/* Reference loose key: keep ASCII letters, digits and '.', lower-cased. */
static size_t normalise(const char *s, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            out[n++] = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')
            out[n++] = c;
    }
    return n;
}

static bool loose_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    char *na = malloc(alen + 1), *nb = malloc(blen + 1);
    FUZZ_CHECK(na && nb);
    size_t la = normalise(a, alen, na), lb = normalise(b, blen, nb);
    bool eq = la == lb && memcmp(na, nb, la) == 0;
    free(na);
    free(nb);
    return eq;
}

static const segrecv_value *ref_find(const segrecv_value *v, const char *key, size_t len)
{
    for (size_t i = 0; segrecv_value_type_of(v) == SEGRECV_OBJECT && i < segrecv_value_count(v);
         i++) {
        size_t klen;
        const char *k = segrecv_value_key_at(v, i, &klen);
        if (loose_equal(k, klen, key, len))
            return segrecv_value_at(v, i);
    }
    return NULL;
}

static const segrecv_value *ref_get(const segrecv_value *v, const char *key)
{
    for (size_t i = 0; segrecv_value_type_of(v) == SEGRECV_OBJECT && i < segrecv_value_count(v);
         i++) {
        size_t klen;
        const char *k = segrecv_value_key_at(v, i, &klen);
        if (klen == strlen(key) && memcmp(k, key, klen) == 0)
            return segrecv_value_at(v, i);
    }
    return NULL;
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return len > 0;
}

/* Reference path: split on '.', a 1-9 digit segment indexes an array. */
static const segrecv_value *ref_path(const segrecv_value *v, const char *path)
{
    const char *seg = path;
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t len = dot ? (size_t)(dot - seg) : strlen(seg);
        if (segrecv_value_type_of(v) == SEGRECV_ARRAY && len <= 9 && all_digits(seg, len))
            v = segrecv_value_at(v, (size_t)strtoul(seg, NULL, 10));
        else
            v = ref_find(v, seg, len);
        if (!v || !dot)
            return v;
        seg = dot + 1;
    }
}

static bool is_plain_integer(const char *s, size_t len)
{
    size_t i = s[0] == '-' ? 1 : 0;
    return all_digits(s + i, len - i);
}

static void check_number(const segrecv_value *v)
{
    size_t len;
    const char *text = segrecv_value_number_text(v, &len);
    FUZZ_CHECK(text && len > 0 && text[len] == '\0');
    FUZZ_CHECK(segrecv_value_string(v, NULL) == NULL);
    int64_t n;
    if (segrecv_value_int64(v, &n) == SEGRECV_OK) {
        FUZZ_CHECK(is_plain_integer(text, len));
        char back[32];
        snprintf(back, sizeof back, "%lld", (long long)n);
        FUZZ_CHECK(strcmp(back, text) == 0 || (n == 0 && strcmp(text, "-0") == 0));
    } else {
        /* Up to 18 digits always fit in an int64. */
        FUZZ_CHECK(!is_plain_integer(text, len) || len - (text[0] == '-') > 18);
    }
    double d;
    if (segrecv_value_double(v, &d) == SEGRECV_OK)
        FUZZ_CHECK(isfinite(d));
}

static void check_lookups(const segrecv_value *v, const char *query)
{
    FUZZ_CHECK(segrecv_value_find(v, query) == ref_find(v, query, strlen(query)));
    FUZZ_CHECK(segrecv_value_get(v, query) == ref_get(v, query));
    FUZZ_CHECK(segrecv_value_path(v, query) == ref_path(v, query));
}

/* Every node: accessors agree with the type; lookups by each member's own
 * key and by the fuzzed query agree with the references. */
static void walk(const segrecv_value *v, const char *query)
{
    segrecv_value_type t = segrecv_value_type_of(v);
    FUZZ_CHECK(t >= SEGRECV_NULL && t <= SEGRECV_OBJECT);
    size_t count = segrecv_value_count(v);
    FUZZ_CHECK(segrecv_value_at(v, count) == NULL);
    FUZZ_CHECK(segrecv_value_key_at(v, count, NULL) == NULL);
    FUZZ_CHECK(segrecv_value_bool(v) == 0 || t == SEGRECV_BOOL);
    check_lookups(v, query);
    if (t == SEGRECV_NUMBER)
        check_number(v);
    if (t == SEGRECV_STRING) {
        size_t len;
        const char *s = segrecv_value_string(v, &len);
        FUZZ_CHECK(s && s[len] == '\0' && segrecv__utf8_valid((const unsigned char *)s, len));
    }
    if (t != SEGRECV_ARRAY && t != SEGRECV_OBJECT) {
        FUZZ_CHECK(count == 0);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const segrecv_value *child = segrecv_value_at(v, i);
        FUZZ_CHECK(child != NULL);
        if (t == SEGRECV_OBJECT) {
            size_t klen;
            const char *key = segrecv_value_key_at(v, i, &klen);
            FUZZ_CHECK(key && key[klen] == '\0');
            /* A key with a NUL is looked up as its C-string prefix. */
            check_lookups(v, key);
        } else {
            FUZZ_CHECK(segrecv_value_key_at(v, i, NULL) == NULL);
        }
        walk(child, query);
    }
}

/* serialise(x) parses back to x, and serialise(parse(serialise(x))) is
 * byte-identical. */
static void check_round_trip(const segrecv_value *root, const segrecv_limits *limits)
{
    size_t len;
    char *json = fuzz_value_json(root, &len);
    FUZZ_CHECK(fuzz_json_valid(json, len));
    segrecv_allocator alloc = segrecv__allocator_or_default(NULL);
    segrecv__arena arena;
    segrecv__arena_init(&arena, &alloc);
    segrecv_value *again;
    const char *message;
    FUZZ_CHECK(segrecv__json_parse(&arena, limits, json, len, true, &again, &message) ==
               SEGRECV_OK);
    FUZZ_CHECK(fuzz_value_equal(root, again));
    size_t len2;
    char *json2 = fuzz_value_json(again, &len2);
    FUZZ_CHECK(len2 == len && memcmp(json, json2, len) == 0);
    free(json2);
    free(json);
    segrecv__arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t qlen = data[1] % 32u;
    if (size < 2 + qlen)
        return 0;
    char query[32];
    memcpy(query, data + 2, qlen);
    query[qlen] = '\0';
    const char *text = (const char *)data + 2 + qlen;
    size_t len = size - 2 - qlen;
    segrecv_limits limits = limits_from(data[0]);

    segrecv_allocator alloc = segrecv__allocator_or_default(NULL);
    segrecv__arena arena;
    segrecv__arena_init(&arena, &alloc);
    segrecv_value *root;
    const char *message;
    segrecv_status st = segrecv__json_parse(&arena, &limits, text, len, true, &root, &message);
    FUZZ_CHECK(message != NULL || st == SEGRECV_OK);
    if (st == SEGRECV_OK) {
        FUZZ_CHECK(root != NULL);
        FUZZ_CHECK(fuzz_json_valid(text, len)); /* never laxer than yajl */
        walk(root, query);
        check_round_trip(root, &limits);
    } else {
        FUZZ_CHECK(st == SEGRECV_BAD_REQUEST && root == NULL);
    }
    segrecv__arena_free(&arena);
    return 0;
}
