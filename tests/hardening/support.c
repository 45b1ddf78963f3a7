/* Helpers shared by the hardening tests (see support.h). */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yajl/yajl_tree.h>

const char *response_message(const segrecv_response *res, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (res->body_len == 0) {
        assert_null(res->content_type);
        return buf;
    }
    assert_string_equal(res->content_type, "application/json");
    assert_int_equal(strlen(res->body), res->body_len);
    char err[128];
    yajl_val root = yajl_tree_parse(res->body, err, sizeof err);
    if (!root)
        fail_msg("response body is not JSON: %s (%s)", res->body, err);
    if (!YAJL_IS_OBJECT(root) || root->u.object.len != 1 ||
        strcmp(root->u.object.keys[0], "message") != 0 ||
        !YAJL_IS_STRING(root->u.object.values[0]))
        fail_msg("response body is not {\"message\": ...}: %s", res->body);
    snprintf(buf, cap, "%s", root->u.object.values[0]->u.string);
    yajl_tree_free(root);
    return buf;
}

void buf_add(buffer *b, const char *s, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        b->data = realloc(b->data, cap);
        assert_non_null(b->data);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void buf_str(buffer *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_repeat(buffer *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        buf_str(b, s);
}

void buf_free(buffer *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
