/* The built-in message_id store for the idempotency hooks: an open-addressing
 * hash set over a ring of entries, oldest evicted first, each id forgotten
 * after the time window. One mutex: claims are short. */
#include "internal.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#define ID_MAX 100 /* message_id is at most 100 characters (checked before dispatch) */

typedef struct entry {
    int64_t at_ms;      /* when it was claimed; 0 = empty */
    uint32_t len;
    char id[ID_MAX * 4]; /* 100 characters of up to 4 bytes */
} entry;

struct segrecv_dedupe_store {
    segrecv_allocator alloc;
    pthread_mutex_t lock;
    int64_t window_ms;
    size_t cap;          /* entries in the ring */
    size_t next;         /* ring slot the next claim takes */
    entry *ring;
    size_t slots;        /* hash slots, a power of two >= 2 * cap */
    uint32_t *index;     /* ring position + 1, or 0 = empty, or TOMBSTONE */
};

#define TOMBSTONE UINT32_MAX

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

segrecv_dedupe_store *segrecv_dedupe_store_new(size_t max_entries, int64_t window_ms,
                                               const segrecv_allocator *alloc)
{
    if (max_entries == 0 || max_entries > (1u << 26) || window_ms <= 0)
        return NULL;
    segrecv_allocator a = segrecv__allocator_or_default(alloc);
    segrecv_dedupe_store *s = segrecv__malloc(&a, sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->alloc = a;
    s->window_ms = window_ms;
    s->cap = max_entries;
    s->slots = 16;
    while (s->slots < 2 * max_entries)
        s->slots *= 2;
    s->ring = segrecv__malloc(&a, max_entries * sizeof *s->ring);
    s->index = segrecv__malloc(&a, s->slots * sizeof *s->index);
    if (!s->ring || !s->index || pthread_mutex_init(&s->lock, NULL) != 0) {
        segrecv__free(&a, s->ring);
        segrecv__free(&a, s->index);
        segrecv__free(&a, s);
        return NULL;
    }
    memset(s->ring, 0, max_entries * sizeof *s->ring);
    memset(s->index, 0, s->slots * sizeof *s->index);
    return s;
}

void segrecv_dedupe_store_free(segrecv_dedupe_store *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->lock);
    segrecv_allocator a = s->alloc;
    segrecv__free(&a, s->ring);
    segrecv__free(&a, s->index);
    segrecv__free(&a, s);
}

/* The hash slot holding `id`, or NULL; *free_slot gets the first reusable slot. */
static uint32_t *find(segrecv_dedupe_store *s, const char *id, size_t len, uint32_t **free_slot)
{
    size_t mask = s->slots - 1;
    *free_slot = NULL;
    for (size_t i = hash(id, len) & mask, n = 0; n < s->slots; i = (i + 1) & mask, n++) {
        uint32_t v = s->index[i];
        if (v == 0) {
            if (!*free_slot)
                *free_slot = &s->index[i];
            return NULL;
        }
        if (v == TOMBSTONE) {
            if (!*free_slot)
                *free_slot = &s->index[i];
            continue;
        }
        entry *e = &s->ring[v - 1];
        if (e->len == len && memcmp(e->id, id, len) == 0)
            return &s->index[i];
    }
    return NULL;
}

static void forget(segrecv_dedupe_store *s, uint32_t *slot)
{
    s->ring[*slot - 1].at_ms = 0;
    *slot = TOMBSTONE;
}

static int store_claim(void *ctx, const char *id, size_t len)
{
    segrecv_dedupe_store *s = ctx;
    if (len == 0 || len > sizeof s->ring[0].id)
        return 1; /* cannot be remembered: let it through */
    int64_t now = now_ms();
    pthread_mutex_lock(&s->lock);
    uint32_t *free_slot;
    uint32_t *slot = find(s, id, len, &free_slot);
    if (slot && now - s->ring[*slot - 1].at_ms < s->window_ms) {
        pthread_mutex_unlock(&s->lock);
        return 0;
    }
    if (slot) { /* expired: claim it afresh */
        forget(s, slot);
        find(s, id, len, &free_slot);
    }
    /* Evict whatever holds the ring slot this claim takes. */
    entry *e = &s->ring[s->next];
    if (e->at_ms) {
        uint32_t *unused, *old = find(s, e->id, e->len, &unused);
        if (old)
            forget(s, old);
        find(s, id, len, &free_slot);
    }
    e->at_ms = now ? now : 1;
    e->len = (uint32_t)len;
    memcpy(e->id, id, len);
    *free_slot = (uint32_t)(s->next + 1);
    s->next = (s->next + 1) % s->cap;
    pthread_mutex_unlock(&s->lock);
    return 1;
}

static void store_release(void *ctx, const char *id, size_t len)
{
    segrecv_dedupe_store *s = ctx;
    pthread_mutex_lock(&s->lock);
    uint32_t *free_slot;
    uint32_t *slot = find(s, id, len, &free_slot);
    if (slot)
        forget(s, slot);
    pthread_mutex_unlock(&s->lock);
}

segrecv_dedupe segrecv_dedupe_store_hooks(segrecv_dedupe_store *store)
{
    segrecv_dedupe hooks = {store_claim, store_release, store};
    return hooks;
}
