/* Drives yajl over body chunks into the value builder, and turns whatever
 * stops it into one status and one message. */
#include "internal.h"

#include <string.h>

/* yajl uses what its allocator returns without checking for NULL (its
 * buffers, lexer and state stack). When the arena fails under it, these
 * hooks jump back to the yajl call in progress instead (call_yajl), which
 * answers SEGRECV_NOMEM; the handle, whose memory is all the arena's, is
 * then dropped and never used again. */
static void *guarded_malloc(void *ctx, size_t size)
{
    segrecv__parser *p = ctx;
    void *ptr = p->arena_funcs.malloc(p->arena_funcs.ctx, size);
    if (!ptr && p->out_of_memory)
        longjmp(*p->out_of_memory, 1);
    return ptr;
}

static void *guarded_realloc(void *ctx, void *old, size_t size)
{
    segrecv__parser *p = ctx;
    void *ptr = p->arena_funcs.realloc(p->arena_funcs.ctx, old, size);
    if (!ptr && p->out_of_memory)
        longjmp(*p->out_of_memory, 1);
    return ptr;
}

static void guarded_free(void *ctx, void *ptr)
{
    segrecv__parser *p = ctx;
    p->arena_funcs.free(p->arena_funcs.ctx, ptr);
}

typedef enum yajl_op { OP_ALLOC, OP_PARSE, OP_COMPLETE, OP_ERROR } yajl_op;
typedef struct yajl_call {
    yajl_op op;
    const unsigned char *data; /* OP_PARSE */
    size_t len;
    yajl_status status;        /* OP_PARSE, OP_COMPLETE */
    unsigned char *error;      /* OP_ERROR */
} yajl_call;

/* One yajl call; false when memory ran out inside it. */
static bool call_yajl(segrecv__parser *p, yajl_call *c)
{
    jmp_buf jump;
    if (setjmp(jump)) {
        p->out_of_memory = NULL;
        p->yajl = NULL; /* caught mid-update: dropped, not freed */
        return false;
    }
    p->out_of_memory = &jump;
    switch (c->op) {
    case OP_ALLOC:
        p->yajl = yajl_alloc(&segrecv__builder_callbacks, &p->funcs, p->builder);
        break;
    case OP_PARSE:
        c->status = yajl_parse(p->yajl, c->data, c->len);
        break;
    case OP_COMPLETE:
        c->status = yajl_complete_parse(p->yajl);
        break;
    case OP_ERROR:
        c->error = yajl_get_error(p->yajl, 0, NULL, 0);
        break;
    }
    p->out_of_memory = NULL;
    return true;
}

static segrecv_status out_of_memory(const char **message)
{
    *message = "Out of memory";
    return SEGRECV_NOMEM;
}

segrecv_status segrecv__parser_open(segrecv__parser *p, segrecv__arena *arena,
                                    segrecv__builder *builder)
{
    p->arena_funcs = segrecv__arena_yajl_funcs(arena);
    p->funcs = (yajl_alloc_funcs){guarded_malloc, guarded_realloc, guarded_free, p};
    p->out_of_memory = NULL;
    p->arena = arena;
    p->builder = builder;
    p->consumed = 0;
    p->bad_byte_at = UINT64_MAX;
    segrecv__escape_scan_init(&p->escapes);
    segrecv__utf8_stream_init(&p->utf8);
    yajl_call c = {.op = OP_ALLOC};
    if (!call_yajl(p, &c) || !p->yajl)
        return SEGRECV_NOMEM;
    /* The UTF-8 stream check is stricter (overlongs, surrogates) and runs once. */
    yajl_config(p->yajl, yajl_dont_validate_strings, 1);
    builder->yajl = p->yajl;
    return SEGRECV_OK;
}

/* yajl's own words ("parse error: premature EOF\n"), without the prefix. */
static const char *syntax_message(segrecv__parser *p)
{
    yajl_call c = {.op = OP_ERROR};
    unsigned char *raw = call_yajl(p, &c) ? c.error : NULL;
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
    uint64_t esc = p->escapes.error_at, bad = p->bad_byte_at, utf8 = p->utf8.error_at;
    if (utf8 < limit && utf8 <= esc && utf8 <= bad)
        return "Invalid UTF-8 in a string";
    if (esc < limit && esc <= bad)
        return "Invalid JSON: lone UTF-16 surrogate in a \\u escape";
    if (bad < limit)
        return "Invalid JSON: raw form feed or vertical tab";
    return NULL;
}

/* Strict problems are reported when yajl delivers the next value or key
 * after them (or at the end), never merely because their bytes were fed:
 * then where the body was split cannot change which error comes first.
 * During a callback yajl's byte count is the end of the token it delivers.
 * The builder asks this before each token once a problem is recorded. */
static bool delivered(void *ctx)
{
    segrecv__parser *p = ctx;
    const char *strict = strict_problem(p, p->consumed + yajl_get_bytes_consumed(p->yajl));
    segrecv__builder *b = p->builder;
    if (!strict)
        return true;
    if (b->error == SEGRECV_OK) {
        b->error = SEGRECV_BAD_REQUEST;
        b->error_message = strict;
    }
    return false;
}

static segrecv_status stopped(segrecv__parser *p, yajl_status st, const char **message)
{
    /* A strict problem before the last delivered token already canceled. */
    if (st == yajl_status_client_canceled) {
        *message = p->builder->error_message;
        return p->builder->error;
    }
    *message = syntax_message(p);
    return SEGRECV_BAD_REQUEST;
}

/* White space after the root value, as yajl reads it (form feed and vertical
 * tab included: the strict scans refuse those on their own). */
static bool only_white_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != '\f' &&
            s[i] != '\v')
            return false;
    return true;
}

/* yajl refuses most bytes after the root value, but takes a '"' there for
 * the start of a string it waits to see end, and lets the body end inside
 * it: {"type":"identify"}"abc passes yajl. */
static bool garbage_after_root(const segrecv__parser *p, const char *data, size_t len,
                               uint64_t offset)
{
    const segrecv__builder *b = p->builder;
    if (!b->root)
        return false;
    size_t from = b->root_end > offset ? (size_t)(b->root_end - offset) : 0;
    return from < len && !only_white_space(data + from, len - from);
}

segrecv_status segrecv__parser_feed(segrecv__parser *p, const char *data, size_t len,
                                    const char **message)
{
    /* One copy of the chunk in the arena: strings yajl hands over in place
     * are then taken from it without a copy each (json_build.c). */
    char *copy = segrecv__arena_alloc(p->arena, len + 1);
    if (!copy)
        return out_of_memory(message);
    bool plain = segrecv__copy_plain_text((unsigned char *)copy, (const unsigned char *)data, len);
    if (plain && p->utf8.need == 0 && segrecv__escape_scan_idle(&p->escapes)) {
        p->utf8.offset += len; /* nothing for the strict scans to see */
        p->escapes.offset += len;
    } else {
        segrecv__escape_scan_feed(&p->escapes, (const unsigned char *)data, len);
        segrecv__utf8_stream_feed(&p->utf8, (const unsigned char *)data, len);
        find_bad_whitespace(p, data, len);
    }
    if ((p->escapes.error_at & p->bad_byte_at & p->utf8.error_at) != UINT64_MAX) {
        p->builder->watch = delivered;
        p->builder->watch_ctx = p;
    }
    uint64_t before = p->consumed;
    segrecv__builder *b = p->builder;
    b->chunk = data;
    b->chunk_len = len;
    b->chunk_copy = copy;
    b->chunk_offset = before;
    yajl_call c = {OP_PARSE, (const unsigned char *)data, len, yajl_status_ok, NULL};
    bool called = call_yajl(p, &c);
    b->chunk = NULL; /* the caller's bytes are gone after this call */
    b->chunk_len = 0;
    if (!called)
        return out_of_memory(message);
    yajl_status st = c.status;
    p->consumed = before + (st == yajl_status_ok ? len : yajl_get_bytes_consumed(p->yajl));
    if (st != yajl_status_ok)
        return stopped(p, st, message);
    if (garbage_after_root(p, data, len, before)) {
        *message = "Invalid JSON: trailing garbage";
        return SEGRECV_BAD_REQUEST;
    }
    return SEGRECV_OK;
}

segrecv_status segrecv__parser_end(segrecv__parser *p, const char **message)
{
    yajl_call c = {.op = OP_COMPLETE};
    if (!call_yajl(p, &c))
        return out_of_memory(message);
    yajl_status st = c.status;
    if (st != yajl_status_ok)
        return stopped(p, st, message);
    segrecv__escape_scan_finish(&p->escapes);
    segrecv__utf8_stream_finish(&p->utf8);
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
        segrecv__builder_free(&b);
        return st;
    }
    st = segrecv__parser_feed(&p, text, len, message);
    if (st == SEGRECV_OK)
        st = segrecv__parser_end(&p, message);
    if (st == SEGRECV_OK && !b.root) {
        st = SEGRECV_BAD_REQUEST;
        *message = "Empty JSON text";
    }
    if (st == SEGRECV_OK) {
        segrecv__settle(b.root); /* the tape goes with the builder */
        *out = b.root;
    }
    segrecv__parser_close(&p);
    segrecv__builder_free(&b);
    return st;
}
