/* Private declarations of the semantic accessors and key normalisation
 * (jsrules.c, semantic.c, semantic_json.c, normalize.c); never installed. */
#ifndef SEGRECV_SEMANTIC_H
#define SEGRECV_SEMANTIC_H

#include "internal.h"

/* ---- the JavaScript rules facade's accessors rely on (jsrules.c) ------- */

/* obj-case 0.2.1's find(): path and keys compared with everything but
 * [A-Za-z0-9.] dropped and ASCII case folded; the first key in document
 * order that is the path or a prefix of it followed by '.' wins and the rest
 * of the path is looked up inside it, never backtracking. Keys may hold
 * dots ("address.city"). NULL when not found; a JSON null when a null is met. */
const segrecv_value *segrecv__objcase(const segrecv_value *obj, const char *path);

/* JavaScript truthiness of a JSON value: absent, null, false, 0, -0 and ""
 * are falsy; every other value, [] and {} included, is truthy. */
bool segrecv__js_truthy(const segrecv_value *v);

/* `a || b || ...`: the first truthy operand, else the last one (which may be
 * absent, null or another falsy value). */
const segrecv_value *segrecv__js_or(const segrecv_value *const *ops, size_t n);

/* String.prototype.trim(): the span of s[0..len) without leading and
 * trailing JavaScript white space (ASCII and Unicode spaces, line ends, BOM). */
void segrecv__js_trim(const char *s, size_t len, size_t *start, size_t *end);

/* facade's is-email: /.+\@.+\..+/ found anywhere ('.' in the regex matches
 * anything but \n, \r, U+2028 and U+2029). */
bool segrecv__js_is_email(const char *s, size_t len);

/* parseFloat() of s[0..len), which must be NUL-terminated at len: the
 * longest StrDecimalLiteral after leading white space. False (NaN) when there
 * is none; else *start and *span give the literal and *out its value. */
bool segrecv__js_parse_float(const char *s, size_t len, size_t *start, size_t *span,
                             double *out);

/* ---- normalisation (normalize.c) --------------------------------------- */

/* With SEGRECV_OPT_NORMALIZE_KEYS: replace ev->traits and ev->properties by
 * snake_case copies in the request arena. */
segrecv__verdict segrecv__event_normalize_keys(segrecv_request *r, segrecv_event *ev);

#endif
