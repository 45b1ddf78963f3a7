/* Pieces every generated event shares. */
#include "parts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define PICK(r, pool) (&(pool)[rng_below((r), pool##_COUNT)])
#define DAY_MS (24LL * 3600 * 1000)
/* Events fall in 2024, so the output depends on the seed only. */
#define EPOCH_2024_MS 1704067200000LL

void gen_uuid(rng *r, char out[40])
{
    unsigned char b[16];
    for (int i = 0; i < 16; i += 8) {
        uint64_t x = rng_next(r);
        for (int j = 0; j < 8; j++)
            b[i + j] = (unsigned char)(x >> (8 * j));
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    snprintf(out, 40,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

void gen_iso_time(long long ms, char out[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

/* User ids in the shapes real customers use: hex, numeric text, UUID. */
static void gen_user_id(rng *r, char out[40])
{
    switch (rng_below(r, 3)) {
    case 0:
        snprintf(out, 40, "%013llx", (unsigned long long)(rng_next(r) >> 12));
        break;
    case 1:
        snprintf(out, 40, "%llu", (unsigned long long)rng_range(r, 1000, 99999999));
        break;
    default:
        gen_uuid(r, out);
        break;
    }
}

static void gen_persona(rng *r, persona *p)
{
    p->first = PICK(r, FIRST_NAMES);
    p->last = PICK(r, LAST_NAMES);
    p->home = PICK(r, CITIES);
    p->employer = PICK(r, COMPANIES);
    gen_user_id(r, p->user_id);
    gen_uuid(r, p->anonymous_id);
    snprintf(p->full_name, sizeof p->full_name, "%s %s", p->first->display, p->last->display);
    snprintf(p->username, sizeof p->username, "%s%s%d", p->first->ascii, p->last->ascii,
             (int)rng_range(r, 1, 99));
    snprintf(p->email, sizeof p->email, "%s.%s@%s", p->first->ascii, p->last->ascii,
             *PICK(r, EMAIL_DOMAINS));
}

void gen_begin(gen *g, writer *w, rng *r, channel source)
{
    memset(g, 0, sizeof *g);
    g->w = w;
    g->r = r;
    g->source = source;
    gen_persona(r, &g->who);
    g->time_ms = EPOCH_2024_MS + rng_range(r, 0, 365 * DAY_MS);
    g->device = PICK(r, MOBILE_DEVICES);
    g->page = PICK(r, WEB_PAGES);
    g->referrer = rng_chance(r, 70) ? *PICK(r, REFERRERS) : NULL;
}

void w_ids(gen *g, const char *type, int with_user)
{
    char message_id[40];
    gen_uuid(g->r, message_id);
    w_kv_str(g->w, "type", type);
    w_kv_str(g->w, "message_id", message_id);
    w_kv_str(g->w, "anonymous_id", g->who.anonymous_id);
    if (with_user)
        w_kv_str(g->w, "user_id", g->who.user_id);
}

void w_address(gen *g)
{
    const city *c = g->who.home;
    char street[96];
    snprintf(street, sizeof street, "%d %s", (int)rng_range(g->r, 1, 2500), c->street);
    w_key(g->w, "address");
    w_open(g->w);
    w_kv_str(g->w, "street", street);
    w_kv_str(g->w, "city", c->city);
    w_kv_str(g->w, "state", c->state);
    w_kv_str(g->w, "postal_code", c->postal_code);
    w_kv_str(g->w, "country", c->country);
    w_close(g->w);
}

void w_product_fields(gen *g, const product *p, int quantity, int position)
{
    char url[160], image[160];
    snprintf(url, sizeof url, SITE_URL "/products/%s", p->slug);
    snprintf(image, sizeof image, SITE_URL "/images/%s.jpg", p->slug);
    w_lit_str(g->w, "product_id", p->id);
    w_lit_str(g->w, "sku", p->sku);
    w_lit_str(g->w, "category", p->category);
    w_lit_str(g->w, "name", p->name);
    w_lit_str(g->w, "brand", p->brand);
    w_lit_str(g->w, "variant", p->variant);
    w_lit_money(g->w, "price", p->price_cents);
    w_lit_int(g->w, "quantity", quantity);
    w_lit_int(g->w, "position", position);
    w_lit_str(g->w, "url", url);
    w_lit_str(g->w, "image_url", image);
}

/* A public-looking address from the ranges reserved for documentation. */
static void gen_ip(rng *r, char out[48])
{
    static const char *const NETS[] = {"192.0.2", "198.51.100", "203.0.113"};
    if (rng_chance(r, 15))
        snprintf(out, 48, "2001:db8:%x::%x", (unsigned)rng_below(r, 0xFFFF),
                 (unsigned)rng_range(r, 1, 0xFFFF));
    else
        snprintf(out, 48, "%s.%d", NETS[rng_below(r, 3)], (int)rng_range(r, 1, 254));
}

static void w_page_context(gen *g)
{
    char url[192];
    snprintf(url, sizeof url, SITE_URL "%s", g->page->path);
    w_key(g->w, "page");
    w_open(g->w);
    w_kv_str(g->w, "path", g->page->path);
    w_kv_str(g->w, "referrer", g->referrer ? g->referrer : "");
    w_kv_str(g->w, "search", "");
    w_kv_str(g->w, "title", g->page->title);
    w_kv_str(g->w, "url", url);
    w_close(g->w);
}

static void w_mobile_context(gen *g)
{
    const mobile_device *d = g->device;
    char device_id[40];
    gen_uuid(g->r, device_id);
    w_key(g->w, "app");
    w_open(g->w);
    w_kv_str(g->w, "name", APP_NAME);
    w_kv_str(g->w, "version", "4.2.0");
    w_kv_str(g->w, "build", "420");
    w_kv_str(g->w, "namespace", "com.example.store");
    w_close(g->w);
    w_key(g->w, "device");
    w_open(g->w);
    w_kv_str(g->w, "id", device_id);
    w_kv_str(g->w, "manufacturer", d->manufacturer);
    w_kv_str(g->w, "model", d->model);
    w_kv_str(g->w, "type", d->type);
    w_kv_bool(g->w, "ad_tracking_enabled", rng_chance(g->r, 30));
    w_close(g->w);
    w_key(g->w, "os");
    w_open(g->w);
    w_kv_str(g->w, "name", d->os_name);
    w_kv_str(g->w, "version", d->os_version);
    w_close(g->w);
    w_key(g->w, "screen");
    w_open(g->w);
    w_kv_int(g->w, "width", d->width);
    w_kv_int(g->w, "height", d->height);
    w_key(g->w, "density");
    w_num(g->w, d->density);
    w_close(g->w);
    w_key(g->w, "network");
    w_open(g->w);
    int wifi = rng_chance(g->r, 60);
    w_kv_bool(g->w, "wifi", wifi);
    w_kv_bool(g->w, "cellular", !wifi);
    w_close(g->w);
}

static void w_library(gen *g)
{
    library lib = {"analytics.js", "next-1.66.0"};
    if (g->source == CHANNEL_SERVER)
        lib = SERVER_LIBRARIES[rng_below(g->r, SERVER_LIBRARIES_COUNT)];
    else if (g->source == CHANNEL_MOBILE)
        lib = strcmp(g->device->type, "ios") == 0 ? (library){"analytics-ios", "4.1.8"}
                                                   : (library){"analytics-android", "4.11.3"};
    w_key(g->w, "library");
    w_open(g->w);
    w_kv_str(g->w, "name", lib.name);
    w_kv_str(g->w, "version", lib.version);
    w_close(g->w);
}

static void w_context(gen *g)
{
    char ip[48];
    gen_ip(g->r, ip);
    w_key(g->w, "context");
    w_open(g->w);
    w_kv_str(g->w, "ip", ip);
    w_library(g);
    /* Server-side calls carry the user agent the backend forwards. */
    w_kv_str(g->w, "user_agent", g->source == CHANNEL_MOBILE ? g->device->user_agent
                                                              : *PICK(g->r, BROWSER_AGENTS));
    if (g->source != CHANNEL_SERVER) {
        w_kv_str(g->w, "locale", g->who.home->locale);
        w_kv_str(g->w, "timezone", g->who.home->timezone);
    }
    if (g->source == CHANNEL_BROWSER)
        w_page_context(g);
    if (g->source == CHANNEL_MOBILE)
        w_mobile_context(g);
    w_close(g->w);
}

void w_tail(gen *g)
{
    static const char *const CHANNELS[] = {"browser", "mobile", "server"};
    w_context(g);
    if (rng_chance(g->r, 30)) {
        w_key(g->w, "integrations");
        w_open(g->w);
        w_lit_key(g->w, "All");
        w_bool(g->w, 1);
        w_lit_key(g->w, "Salesforce");
        w_bool(g->w, 0);
        w_close(g->w);
    }
    w_kv_str(g->w, "channel", CHANNELS[g->source]);
    w_kv_int(g->w, "version", 2);
    /* Client clocks: sent a little after the event, received a little later. */
    long long sent = g->time_ms + rng_range(g->r, 5, 3000);
    long long received = sent + rng_range(g->r, 15, 900);
    char when[32];
    gen_iso_time(g->time_ms, when);
    w_kv_str(g->w, "timestamp", when);
    if (g->source != CHANNEL_SERVER)
        w_kv_str(g->w, "original_timestamp", when);
    gen_iso_time(sent, when);
    w_kv_str(g->w, "sent_at", when);
    gen_iso_time(received, when);
    w_kv_str(g->w, "received_at", when);
}
