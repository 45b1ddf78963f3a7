/* Drives yajl over body chunks into the value builder, and turns whatever
 * stops it into one status and one message. */
#include "internal.h"

#include <string.h>

segrecv_status segrecv__parser_open(segrecv__parser *p, segrecv__arena *arena,
                                    segrecv__builder *builder)
{
    p->funcs = segrecv__arena_yajl_funcs(arena);
    p->arena = arena;
    p->builder = builder;
    p->consumed = 0;
    p->bad_byte_at = UINT64_MAX;
    segrecv__escape_scan_init(&p->escapes);
    p->yajl = yajl_alloc(&segrecv__builder_callbacks, &p->funcs, builder);
    return p->yajl ? SEGRECV_OK : SEGRECV_NOMEM;
}

/* yajl's own words ("parse error: premature EOF\n"), without the prefix. */
static const char *syntax_message(segrecv__parser *p)
{
    unsigned char *raw = yajl_get_error(p->yajl, 0, NULL, 0);
    const char *text = raw ? (const char *)raw : "syntax error";
    if (strstr(text, "UTF8"))
        return "Invalid UTF-8 in a string"; /* the same words as our stricter check */
    const char *colon = strstr(text, "error: ");
    if (colon)
        text = colon + strlen("error: ");
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '.'))
        len--;
    const char *msg = segrecv__arena_printf(p->arena, "Invalid JSON: %.*s", (int)len, text);
    return msg ? msg : "Invalid JSON";
}

/* yajl takes form feed and vertical tab for white space; JSON does not, and
 * inside a string they must be escaped, so anywhere raw they are an error. */
static void find_bad_whitespace(segrecv__parser *p, const char *data, size_t len)
{
    if (p->bad_byte_at != UINT64_MAX)
        return;
    const char *ff = memchr(data, '\f', len), *vt = memchr(data, '\v', len);
    const char *first = !ff ? vt : !vt ? ff : ff < vt ? ff : vt;
    if (first)
        p->bad_byte_at = p->consumed + (uint64_t)(first - data);
}

/* The earliest problem yajl does not see, if it lies before `limit`. */
static const char *strict_problem(const segrecv__parser *p, uint64_t limit)
{
    uint64_t esc = p->escapes.error_at, bad = p->bad_byte_at;
    if (esc < limit && esc <= bad)
        return "Invalid JSON: lone UTF-16 surrogate in a \\u escape";
    if (bad < limit)
        return "Invalid JSON: raw form feed or vertical tab";
    return NULL;
}

static segrecv_status stopped(segrecv__parser *p, yajl_status st, const char **message)
{
    /* A problem before the point where parsing stopped comes first. */
    const char *strict = strict_problem(p, p->consumed);
    if (strict) {
        *message = strict;
        return SEGRECV_BAD_REQUEST;
    }
    if (st == yajl_status_client_canceled) {
        *message = p->builder->error_message;
        return p->builder->error;
    }
    *message = syntax_message(p);
    return SEGRECV_BAD_REQUEST;
}

segrecv_status segrecv__parser_feed(segrecv__parser *p, const char *data, size_t len,
                                    const char **message)
{
    segrecv__escape_scan_feed(&p->escapes, (const unsigned char *)data, len);
    find_bad_whitespace(p, data, len);
    uint64_t before = p->consumed;
    yajl_status st = yajl_parse(p->yajl, (const unsigned char *)data, len);
    p->consumed = before + (st == yajl_status_ok ? len : yajl_get_bytes_consumed(p->yajl));
    if (st != yajl_status_ok)
        return stopped(p, st, message);
    const char *strict = strict_problem(p, p->consumed);
    if (strict) {
        *message = strict;
        return SEGRECV_BAD_REQUEST;
    }
    return SEGRECV_OK;
}

segrecv_status segrecv__parser_end(segrecv__parser *p, const char **message)
{
    yajl_status st = yajl_complete_parse(p->yajl);
    if (st != yajl_status_ok)
        return stopped(p, st, message);
    segrecv__escape_scan_finish(&p->escapes);
    const char *strict = strict_problem(p, UINT64_MAX);
    if (strict) {
        *message = strict;
        return SEGRECV_BAD_REQUEST;
    }
    return SEGRECV_OK;
}

void segrecv__parser_close(segrecv__parser *p)
{
    if (p->yajl)
        yajl_free(p->yajl); /* its memory is the arena's: this only runs yajl's frees */
    p->yajl = NULL;
}

segrecv_status segrecv__json_parse(segrecv__arena *arena, const segrecv_limits *limits,
                                   const char *text, size_t len, bool any_root,
                                   segrecv_value **out, const char **message)
{
    segrecv__builder b;
    segrecv__parser p;
    segrecv__builder_init(&b, arena, arena->alloc, limits);
    b.any_root = any_root;
    *out = NULL;
    *message = NULL;
    segrecv_status st = segrecv__parser_open(&p, arena, &b);
    if (st != SEGRECV_OK) {
        *message = "Out of memory";
        return st;
    }
    st = segrecv__parser_feed(&p, text, len, message);
    if (st == SEGRECV_OK)
        st = segrecv__parser_end(&p, message);
    if (st == SEGRECV_OK && !b.root) {
        st = SEGRECV_BAD_REQUEST;
        *message = "Empty JSON text";
    }
    if (st == SEGRECV_OK)
        *out = b.root;
    segrecv__parser_close(&p);
    segrecv__builder_free(&b);
    return st;
}
