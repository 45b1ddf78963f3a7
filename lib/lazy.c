/* Containers are laid out from the tape (json_build.c) the first time their
 * children are read. A value never changes: the layout is published once in
 * its token, so any number of threads may read one event at once. */
#include "internal.h"

#include <assert.h>
#include <sched.h>

/* Marks a token whose layout another thread is writing. */
static char busy_mark;
#define BUSY ((void *)&busy_mark)

segrecv_value segrecv__lazy_value(const segrecv__token *t)
{
    segrecv_value v = t->value;
    v.u.token = t;
    return v;
}

static segrecv_value child_value(const segrecv__token *c)
{
    return c->value.lazy ? segrecv__lazy_value(c) : c->value;
}

/* Room taken from the reserve made when the root closed; it holds every
 * container's children once, so this cannot fail. */
static void *take(segrecv__builder *b, size_t bytes)
{
    size_t at = atomic_fetch_add_explicit(&b->reserve_used, bytes, memory_order_relaxed);
    assert(at + bytes <= b->layout_bytes); /* each container is laid out once */
    return b->reserve + at;
}

static void *lay_out(const segrecv__token *t)
{
    segrecv__builder *b = t->value.u.builder;
    uint32_t n = t->value.len;
    const segrecv__token *c = t + 1;
    if (t->value.type == SEGRECV_OBJECT) {
        segrecv__member *m = take(b, n * sizeof *m);
        for (uint32_t i = 0; i < n; i++, c += c->span) {
            m[i].key = c->key;
            m[i].key_len = c->key_len;
            m[i].value = child_value(c);
        }
        return m;
    }
    segrecv_value *items = take(b, n * sizeof *items);
    for (uint32_t i = 0; i < n; i++, c += c->span)
        items[i] = child_value(c);
    return items;
}

static const void *children(const segrecv_value *v)
{
    if (!v->lazy)
        return v->u.members;
    if (v->len == 0)
        return NULL;
    /* The tape is the builder's own writable memory. */
    segrecv__token *t = (segrecv__token *)v->u.token;
    void *laid = atomic_load_explicit(&t->children, memory_order_acquire);
    if (laid && laid != BUSY)
        return laid;
    void *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(&t->children, &expected, BUSY,
                                                memory_order_acquire, memory_order_acquire)) {
        laid = lay_out(t);
        atomic_store_explicit(&t->children, laid, memory_order_release);
        return laid;
    }
    while ((laid = atomic_load_explicit(&t->children, memory_order_acquire)) == BUSY)
        sched_yield();
    return laid;
}

const segrecv__member *segrecv__members(const segrecv_value *object)
{
    return children(object);
}

const segrecv_value *segrecv__items(const segrecv_value *array)
{
    return children(array);
}

void segrecv__settle(segrecv_value *v)
{
    if (!v->lazy)
        return;
    const void *laid = children(v);
    v->lazy = 0;
    if (v->type == SEGRECV_OBJECT) {
        segrecv__member *m = (segrecv__member *)laid;
        v->u.members = m;
        for (uint32_t i = 0; i < v->len; i++)
            segrecv__settle(&m[i].value);
    } else {
        segrecv_value *items = (segrecv_value *)laid;
        v->u.items = items;
        for (uint32_t i = 0; i < v->len; i++)
            segrecv__settle(&items[i]);
    }
}
