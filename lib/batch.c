/* Batches: the Tracking API's {"batch": [...]} envelope and the Webhooks
 * destination's top-level array. Every event is checked first; the ones that
 * break the Spec are refused one by one, the valid ones dispatch in order,
 * and one bad event never sinks the others (unless all-or-nothing is asked). */
#include "internal.h"

#include <string.h>

bool segrecv__is_batch(const segrecv_request *r)
{
    const segrecv_value *root = r->builder.root;
    if (!(r->receiver->flags & SEGRECV_OPT_BATCH))
        return false;
    return root->type == SEGRECV_ARRAY || segrecv_value_get(root, "batch") != NULL;
}

/* Shallow merge: the event's own keys win over the envelope's. */
static const segrecv_value *merge(segrecv_request *r, const segrecv_value *envelope,
                                  const segrecv_value *own, bool *nomem)
{
    if (!envelope || envelope->type != SEGRECV_OBJECT || envelope->len == 0)
        return own;
    if (!own)
        return envelope;
    segrecv__member *m =
        segrecv__arena_alloc(&r->arena, ((size_t)own->len + envelope->len) * sizeof *m);
    segrecv_value *out = segrecv__arena_alloc(&r->arena, sizeof *out);
    if (!m || !out) {
        *nomem = true;
        return own;
    }
    const segrecv__member *mine = segrecv__members(own), *theirs = segrecv__members(envelope);
    uint32_t n = 0;
    for (uint32_t i = 0; i < own->len; i++)
        m[n++] = mine[i];
    for (uint32_t i = 0; i < envelope->len; i++) {
        const segrecv__member *e = &theirs[i];
        bool shadowed = false;
        for (uint32_t j = 0; j < own->len && !shadowed; j++)
            shadowed = mine[j].key_len == e->key_len &&
                       memcmp(mine[j].key, e->key, e->key_len) == 0;
        if (!shadowed)
            m[n++] = *e;
    }
    *out = *own;
    out->lazy = 0;
    out->len = n;
    out->u.members = m;
    return out;
}

/* The envelope's own context, integrations and sentAt, applied to an event. */
typedef struct envelope {
    const segrecv_value *context, *integrations;
    segrecv_time sent_at;
} envelope;

static segrecv__verdict prepare(segrecv_request *r, const envelope *env,
                                const segrecv_value *item, segrecv_event *ev)
{
    segrecv__verdict v = segrecv__event_fill(r, item, ev);
    if (v.status != SEGRECV_OK)
        return v;
    bool nomem = false;
    ev->context = merge(r, env->context, ev->context, &nomem);
    ev->integrations = merge(r, env->integrations, ev->integrations, &nomem);
    if (!ev->sent_at.text.ptr)
        ev->sent_at = env->sent_at;
    if (nomem) {
        v.status = SEGRECV_NOMEM;
        v.message = "Out of memory";
        return v;
    }
    if (!segrecv__has_handler(r->receiver, ev->type)) {
        v.status = SEGRECV_NOT_IMPLEMENTED;
        v.message = segrecv__messagef(&r->arena, "Unsupported call type '%s'", ev->type_name.ptr);
        return v;
    }
    v = segrecv__event_validate(r, ev);
    if (v.status == SEGRECV_OK && segrecv_value_to_json(item, NULL, 0) >
                                      r->receiver->limits.max_body_bytes) {
        v.status = SEGRECV_TOO_LARGE;
        v.message = segrecv__messagef(&r->arena, "Event exceeds %zu bytes",
                                      r->receiver->limits.max_body_bytes);
    }
    return v;
}

static segrecv_status refuse_envelope(segrecv_request *r, const char *message)
{
    return segrecv__fail(r, SEGRECV_BAD_REQUEST, message);
}

/* The events array and the envelope around it. */
static const segrecv_value *events_of(segrecv_request *r, envelope *env)
{
    const segrecv_value *root = r->builder.root;
    memset(env, 0, sizeof *env);
    if (root->type == SEGRECV_ARRAY)
        return root;
    const segrecv_value *batch = segrecv_value_get(root, "batch");
    if (batch->type != SEGRECV_ARRAY) {
        refuse_envelope(r, "Field 'batch' must be an array of events");
        return NULL;
    }
    env->context = segrecv_value_get(root, "context");
    env->integrations = segrecv_value_get(root, "integrations");
    if (env->context && env->context->type != SEGRECV_OBJECT)
        env->context = NULL;
    if (env->integrations && env->integrations->type != SEGRECV_OBJECT)
        env->integrations = NULL;
    const segrecv_value *sent = segrecv_value_get(root, "sentAt");
    if (!sent)
        sent = segrecv_value_get(root, "sent_at");
    if (sent && sent->type == SEGRECV_STRING) {
        env->sent_at.text.ptr = sent->u.text;
        env->sent_at.text.len = sent->len;
        env->sent_at.parsed = segrecv__parse_timestamp(sent->u.text, sent->len,
                                                       &env->sent_at.ms);
        /* Held to the rules of an event's own sent_at, which it stands in for. */
        if (sent->copied && memchr(sent->u.text, '\0', sent->len)) { /* only \u0000 */
            refuse_envelope(r, "Field 'sent_at' contains a NUL character");
            return NULL;
        }
        if (!env->sent_at.parsed && !(r->receiver->flags & SEGRECV_OPT_LENIENT_TIMESTAMPS)) {
            refuse_envelope(r, "Field 'sent_at' is not an ISO-8601 timestamp");
            return NULL;
        }
    }
    return batch;
}

static bool record_error(segrecv_request *r, size_t index, const segrecv_event *ev,
                         segrecv__verdict v, size_t total)
{
    if (!r->errors) {
        r->errors = segrecv__arena_alloc(&r->arena, total * sizeof *r->errors);
        if (!r->errors)
            return false;
    }
    segrecv__event_error *e = &r->errors[r->error_count++];
    e->index = index;
    e->message_id = ev->message_id;
    e->status = v.status;
    e->message = v.message ? v.message : segrecv_status_str(v.status);
    return true;
}

segrecv_status segrecv__batch_run(segrecv_request *r)
{
    envelope env;
    const segrecv_value *events = events_of(r, &env);
    if (!events)
        return r->status;
    size_t n = events->len;
    if (n == 0)
        return refuse_envelope(r, "The batch holds no events");
    segrecv_event *evs = segrecv__arena_alloc(&r->arena, n * sizeof *evs);
    segrecv__verdict *verdicts = segrecv__arena_alloc(&r->arena, n * sizeof *verdicts);
    if (!evs || !verdicts)
        return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
    const segrecv_value *items = segrecv__items(events);
    size_t refused = 0;
    for (size_t i = 0; i < n; i++) {
        verdicts[i] = prepare(r, &env, &items[i], &evs[i]);
        if (verdicts[i].status == SEGRECV_NOMEM)
            return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
        if (verdicts[i].status != SEGRECV_OK) {
            refused++;
            if (!record_error(r, i, &evs[i], verdicts[i], n))
                return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
        }
    }
    if (refused && (r->receiver->flags & SEGRECV_OPT_BATCH_ALL_OR_NOTHING))
        return segrecv__failf(r, SEGRECV_BAD_REQUEST,
                              "%zu of %zu events were refused; none was dispatched", refused, n);
    size_t deferred = 0, retry = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (verdicts[i].status != SEGRECV_OK)
            continue;
        segrecv__verdict v = segrecv__dispatch(r, &evs[i]);
        if (v.status == SEGRECV_ACCEPTED)
            deferred++;
        else if (v.status == SEGRECV_UNAVAILABLE)
            retry++;
        else if (v.status == SEGRECV_FAILED || v.status == SEGRECV_NOMEM)
            failed++;
        else if (v.status == SEGRECV_BAD_REQUEST) {
            refused++;
            if (!record_error(r, i, &evs[i], v, n))
                return segrecv__fail(r, SEGRECV_NOMEM, "Out of memory");
        }
    }
    /* The sender retries the whole batch on a 5xx; the idempotency hooks keep
     * the events already accepted from dispatching twice. */
    if (retry || failed)
        return segrecv__failf(r, retry ? SEGRECV_UNAVAILABLE : SEGRECV_FAILED,
                              "%zu of %zu events could not be processed; retry the batch",
                              retry + failed, n);
    if (refused == n)
        return n == 1 ? segrecv__fail(r, SEGRECV_BAD_REQUEST, "The batch's only event was refused")
                      : segrecv__failf(r, SEGRECV_BAD_REQUEST, "All %zu events were refused", n);
    r->status = deferred ? SEGRECV_ACCEPTED : SEGRECV_OK;
    r->message = refused ? segrecv__messagef(&r->arena, "%zu of %zu events were refused",
                                             refused, n)
                         : NULL;
    return r->status;
}
