/* JSON output for segrecv-gen through yajl_gen. Every call records the
 * first failure, so builders need no error checks of their own. */
#include "writer.h"

#include <string.h>

static void check(writer *w, yajl_gen_status st)
{
    if (st != yajl_gen_status_ok)
        w->failed = 1;
}

int writer_init(writer *w, int pretty, int camel)
{
    w->camel = camel;
    w->failed = 0;
    w->gen = yajl_gen_alloc(NULL);
    if (!w->gen)
        return -1;
    if (pretty) {
        yajl_gen_config(w->gen, yajl_gen_beautify, 1);
        yajl_gen_config(w->gen, yajl_gen_indent_string, "  ");
    }
    /* Our data pools are UTF-8; refuse to print anything that is not. */
    yajl_gen_config(w->gen, yajl_gen_validate_utf8, 1);
    return 0;
}

void writer_free(writer *w)
{
    yajl_gen_free(w->gen);
}

int writer_emit(writer *w, FILE *out)
{
    const unsigned char *buf;
    size_t len;
    check(w, yajl_gen_get_buf(w->gen, &buf, &len));
    int ok = !w->failed && fwrite(buf, 1, len, out) == len;
    /* yajl ends a beautified document with a newline, a compact one not. */
    if (ok && (len == 0 || buf[len - 1] != '\n'))
        ok = putc('\n', out) != EOF;
    yajl_gen_clear(w->gen);
    yajl_gen_reset(w->gen, NULL);
    return ok ? 0 : -1;
}

void w_open(writer *w)
{
    check(w, yajl_gen_map_open(w->gen));
}

void w_close(writer *w)
{
    check(w, yajl_gen_map_close(w->gen));
}

void w_array(writer *w)
{
    check(w, yajl_gen_array_open(w->gen));
}

void w_array_end(writer *w)
{
    check(w, yajl_gen_array_close(w->gen));
}

void w_lit_key(writer *w, const char *key)
{
    w_str(w, key);
}

void w_key(writer *w, const char *snake)
{
    if (!w->camel) {
        w_str(w, snake);
        return;
    }
    char camel[64];
    size_t n = 0;
    for (const char *p = snake; *p && n + 1 < sizeof camel; p++) {
        if (*p == '_' && p[1] >= 'a' && p[1] <= 'z')
            camel[n++] = (char)(*++p - 'a' + 'A');
        else
            camel[n++] = *p;
    }
    camel[n] = '\0';
    w_str(w, camel);
}

void w_str(writer *w, const char *s)
{
    check(w, yajl_gen_string(w->gen, (const unsigned char *)s, strlen(s)));
}

void w_int(writer *w, long long n)
{
    check(w, yajl_gen_integer(w->gen, n));
}

void w_money(writer *w, long long cents)
{
    /* Written as text: a double would print 19.989999999999998. */
    char text[32];
    int len = snprintf(text, sizeof text, "%s%lld.%02lld", cents < 0 ? "-" : "",
                       (cents < 0 ? -cents : cents) / 100, (cents < 0 ? -cents : cents) % 100);
    check(w, yajl_gen_number(w->gen, text, (size_t)len));
}

void w_bool(writer *w, int b)
{
    check(w, yajl_gen_bool(w->gen, b));
}

void w_num(writer *w, const char *text)
{
    check(w, yajl_gen_number(w->gen, text, strlen(text)));
}

void w_kv_str(writer *w, const char *snake, const char *s)
{
    if (!s)
        return;
    w_key(w, snake);
    w_str(w, s);
}

void w_kv_int(writer *w, const char *snake, long long n)
{
    w_key(w, snake);
    w_int(w, n);
}

void w_kv_bool(writer *w, const char *snake, int b)
{
    w_key(w, snake);
    w_bool(w, b);
}

void w_lit_str(writer *w, const char *key, const char *s)
{
    if (!s)
        return;
    w_lit_key(w, key);
    w_str(w, s);
}

void w_lit_int(writer *w, const char *key, long long n)
{
    w_lit_key(w, key);
    w_int(w, n);
}

void w_lit_money(writer *w, const char *key, long long cents)
{
    w_lit_key(w, key);
    w_money(w, cents);
}
