/* Pieces every generated event shares: who sent it, from where, when;
 * the envelope fields, the context, traits, addresses and products. */
#ifndef GEN_PARTS_H
#define GEN_PARTS_H

#include "data.h"
#include "rng.h"
#include "writer.h"

typedef enum channel { CHANNEL_BROWSER, CHANNEL_MOBILE, CHANNEL_SERVER } channel;

/* One fake user, drawn once per event so that its fields agree. */
typedef struct persona {
    const person_name *first, *last;
    const city *home;
    const company *employer;
    char user_id[40];
    char anonymous_id[40];
    char email[128];
    char full_name[128];
    char username[64];
} persona;

/* Everything one event's builders need. */
typedef struct gen {
    writer *w;
    rng *r;
    persona who;
    channel source;
    const mobile_device *device; /* mobile channel */
    const web_page *page;        /* browser channel: the page being viewed */
    const char *referrer;        /* browser channel, may be NULL */
    long long time_ms;           /* when the event happened, ms since 1970 */
} gen;

/* A random version-4 UUID, as Segment's libraries make message ids. */
void gen_uuid(rng *r, char out[40]);
/* "2024-05-03T12:34:56.789Z" */
void gen_iso_time(long long ms, char out[32]);
/* A persona, a channel and a moment for one event. */
void gen_begin(gen *g, writer *w, rng *r, channel source);

/* type, message_id, anonymous_id, user_id (when `with_user`). */
void w_ids(gen *g, const char *type, int with_user);
/* context, integrations, channel, version and the timestamps. */
void w_tail(gen *g);
/* address{street, city, state, postal_code, country} of the persona. */
void w_address(gen *g);
/* One product of an e-commerce event, flat into the open object. */
void w_product_fields(gen *g, const product *p, int quantity, int position);

#endif
