/* Every semantic accessor of an event as one JSON object, snprintf-style:
 * what `segrecv-check --semantic` prints and the facade test compares. */
#include "semantic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t cap;
    size_t len; /* bytes the whole text needs so far */
} out;

static void put_raw(out *o, const char *s, size_t n)
{
    if (o->cap > 0 && o->len < o->cap - 1) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

/* One value through the library's JSON writer, into what room is left. */
static void put_json(out *o, const segrecv_value *v)
{
    bool room = o->cap > 0 && o->len < o->cap;
    o->len += segrecv_value_to_json(v, room ? o->buf + o->len : NULL, room ? o->cap - o->len : 0);
}

/* The shortest of %.15g..%.17g that reads back as the same double. */
static void put_double(out *o, double d)
{
    char text[40];
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(text, sizeof text, "%.*g", precision, d);
        if (strtod(text, NULL) == d)
            break;
    }
    put_raw(o, text, strlen(text));
}

static void put_result(out *o, const segrecv_field_value *r)
{
    const segrecv_value *v = r->value;
    if (r->has_number && !(v && v->type == SEGRECV_NUMBER)) {
        put_double(o, r->number); /* computed: revenue parsed, age, quantity 1 */
    } else if (v && v->type != SEGRECV_STRING) {
        put_json(o, v); /* numbers keep their text; arrays, objects, booleans */
    } else {
        segrecv_value s = {.type = SEGRECV_STRING, .len = (uint32_t)r->text.len,
                           .u.text = r->text.ptr};
        put_json(o, &s);
    }
}

static bool writable(const segrecv_field_value *r)
{
    if (r->has_number && !(r->value && r->value->type == SEGRECV_NUMBER))
        return isfinite(r->number); /* parseFloat("Infinity") has no JSON form */
    return true;
}

size_t segrecv_event_semantic_json(const segrecv_event *event, char *buf, size_t cap)
{
    out o = {buf, buf ? cap : 0, 0};
    bool first = true;
    if (!event)
        goto failed;
    put_raw(&o, "{", 1);
    for (int f = 0; f < SEGRECV_FIELD_COUNT; f++) {
        segrecv_field_value r;
        if (!segrecv_event_field(event, (segrecv_field)f, &r)) {
            if (r.status != SEGRECV_OK)
                goto failed;
            continue;
        }
        if (!writable(&r))
            continue;
        const char *name = segrecv_field_name((segrecv_field)f);
        put_raw(&o, first ? "\"" : ",\"", first ? 1 : 2);
        put_raw(&o, name, strlen(name));
        put_raw(&o, "\":", 2);
        put_result(&o, &r);
        first = false;
    }
    put_raw(&o, "}", 1);
    if (o.cap > 0)
        o.buf[o.len < o.cap ? o.len : o.cap - 1] = '\0';
    return o.len;
failed:
    if (o.cap > 0)
        o.buf[0] = '\0';
    return 0;
}
