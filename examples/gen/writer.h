/* JSON output for segrecv-gen through yajl_gen, which gets the escaping
 * right, with Spec keys written in snake_case or camelCase. */
#ifndef GEN_WRITER_H
#define GEN_WRITER_H

#include <stdio.h>
#include <yajl/yajl_gen.h>

typedef struct writer {
    yajl_gen gen;
    int camel;  /* spell Spec keys in camelCase */
    int failed; /* a yajl_gen call failed; the output is unusable */
} writer;

int writer_init(writer *w, int pretty, int camel);
void writer_free(writer *w);
/* Print the finished event and a newline to `out`, and get ready for the
 * next one. Returns 0, or -1 on a generator or write error. */
int writer_emit(writer *w, FILE *out);

void w_open(writer *w);
void w_close(writer *w);
void w_array(writer *w);
void w_array_end(writer *w);
/* A Spec key, given in snake_case: "user_id" or, with camel, "userId". */
void w_key(writer *w, const char *snake);
/* A key written exactly as given (e-commerce property names, which the
 * Spec spells in snake_case "in this exact spelling"). */
void w_lit_key(writer *w, const char *key);
void w_str(writer *w, const char *s);
void w_int(writer *w, long long n);
/* An amount of money, as a decimal number with two places. */
void w_money(writer *w, long long cents);
void w_bool(writer *w, int b);
/* A number given as its JSON text ("2.625"). */
void w_num(writer *w, const char *text);

/* Key-value shorthands; a NULL string value omits the pair. */
void w_kv_str(writer *w, const char *snake, const char *s);
void w_kv_int(writer *w, const char *snake, long long n);
void w_kv_bool(writer *w, const char *snake, int b);
void w_lit_str(writer *w, const char *key, const char *s);
void w_lit_int(writer *w, const char *key, long long n);
void w_lit_money(writer *w, const char *key, long long cents);

#endif
