/* One random Segment Spec event per call type: the fields each type
 * carries (Spec "identify", "track", ...), with reserved traits and the
 * e-commerce v2 events and properties. */
#include "events.h"

#include "parts.h"

#include <stdio.h>
#include <string.h>

#define PICK(r, pool) (&(pool)[rng_below((r), pool##_COUNT)])
#define DAY_MS (24LL * 3600 * 1000)

/* ---- identify and group: reserved traits --------------------------- */

static void w_created_at(gen *g, int max_days)
{
    char when[32];
    gen_iso_time(g->time_ms - rng_range(g->r, 1, max_days) * DAY_MS, when);
    w_kv_str(g->w, "created_at", when);
}

static void w_phone(gen *g)
{
    char phone[32]; /* 555-01xx numbers are reserved for fiction */
    snprintf(phone, sizeof phone, "+1-202-555-01%02d", (int)rng_below(g->r, 100));
    w_kv_str(g->w, "phone", phone);
}

static void w_company(gen *g)
{
    const company *c = g->who.employer;
    char id[24];
    snprintf(id, sizeof id, "%d", (int)rng_range(g->r, 100, 99999));
    w_key(g->w, "company");
    w_open(g->w);
    w_kv_str(g->w, "name", c->name);
    w_kv_str(g->w, "id", id);
    w_kv_str(g->w, "industry", c->industry);
    w_kv_int(g->w, "employee_count", rng_range(g->r, 2, 5000));
    w_kv_str(g->w, "plan", *PICK(g->r, PLANS));
    w_close(g->w);
}

static void identify(gen *g)
{
    const persona *p = &g->who;
    w_ids(g, "identify", 1);
    w_key(g->w, "traits");
    w_open(g->w);
    w_kv_str(g->w, "email", p->email);
    w_kv_str(g->w, "name", p->full_name);
    w_kv_str(g->w, "first_name", p->first->display);
    w_kv_str(g->w, "last_name", p->last->display);
    w_kv_str(g->w, "username", p->username);
    if (rng_chance(g->r, 60))
        w_phone(g);
    if (rng_chance(g->r, 60))
        w_kv_str(g->w, "title", *PICK(g->r, JOB_TITLES));
    if (rng_chance(g->r, 40))
        w_kv_int(g->w, "age", rng_range(g->r, 18, 80));
    w_kv_str(g->w, "plan", *PICK(g->r, PLANS));
    w_kv_int(g->w, "logins", rng_range(g->r, 1, 300));
    w_created_at(g, 1500);
    w_address(g);
    if (rng_chance(g->r, 70))
        w_company(g);
    w_close(g->w);
}

static void group(gen *g)
{
    const company *c = g->who.employer;
    char group_id[40], website[96], email[96];
    snprintf(group_id, sizeof group_id, "grp_%08llx",
             (unsigned long long)(rng_next(g->r) >> 32));
    snprintf(website, sizeof website, "https://www.%s", c->domain);
    snprintf(email, sizeof email, "billing@%s", c->domain);
    w_ids(g, "group", 1);
    w_kv_str(g->w, "group_id", group_id);
    w_key(g->w, "traits");
    w_open(g->w);
    w_kv_str(g->w, "name", c->name);
    w_kv_str(g->w, "industry", c->industry);
    w_kv_int(g->w, "employees", rng_range(g->r, 2, 5000));
    w_kv_str(g->w, "plan", *PICK(g->r, PLANS));
    w_kv_str(g->w, "website", website);
    w_kv_str(g->w, "email", email);
    if (rng_chance(g->r, 50))
        w_phone(g);
    w_created_at(g, 3000);
    w_address(g);
    w_close(g->w);
}

/* ---- track: e-commerce v2 and a few other semantic events ---------- */

static void w_currency(gen *g)
{
    w_lit_str(g->w, "currency", "USD");
}

/* products[] of distinct products; returns the subtotal in cents. */
static long long w_products(gen *g, int count)
{
    size_t first = rng_below(g->r, PRODUCTS_COUNT);
    long long subtotal = 0;
    w_lit_key(g->w, "products");
    w_array(g->w);
    for (int i = 0; i < count; i++) {
        const product *p = &PRODUCTS[(first + (size_t)i) % PRODUCTS_COUNT];
        int quantity = (int)rng_range(g->r, 1, 3);
        w_open(g->w);
        w_product_fields(g, p, quantity, i + 1);
        w_close(g->w);
        subtotal += p->price_cents * quantity;
    }
    w_array_end(g->w);
    return subtotal;
}

static void w_order_id(gen *g, const char *key)
{
    char id[24];
    snprintf(id, sizeof id, "%d", (int)rng_range(g->r, 10000000, 99999999));
    w_lit_str(g->w, key, id);
}

/* Order Completed, or Checkout Started when `completed` is 0. */
static void order(gen *g, int completed)
{
    int count = (int)rng_range(g->r, 1, 4);
    const char *coupon = rng_chance(g->r, 40) ? *PICK(g->r, COUPONS) : NULL;
    w_order_id(g, "order_id");
    if (completed)
        w_order_id(g, "checkout_id");
    w_lit_str(g->w, "affiliation", g->source == CHANNEL_MOBILE ? "iOS Store" : "Online Store");
    long long subtotal = w_products(g, count);
    long long discount = coupon ? subtotal / 10 : 0;
    long long shipping = subtotal >= 5000 ? 0 : 599;
    long long tax = (subtotal - discount) * 8 / 100;
    long long total = subtotal - discount + shipping + tax;
    if (completed) {
        w_lit_money(g->w, "subtotal", subtotal);
        w_lit_money(g->w, "total", total);
    } else {
        w_lit_money(g->w, "value", total);
    }
    w_lit_money(g->w, "revenue", subtotal - discount);
    w_lit_money(g->w, "shipping", shipping);
    w_lit_money(g->w, "tax", tax);
    w_lit_money(g->w, "discount", discount);
    w_lit_str(g->w, "coupon", coupon);
    w_currency(g);
}

static void product_event(gen *g, int added)
{
    const product *p = PICK(g->r, PRODUCTS);
    if (added) {
        char cart[40];
        gen_uuid(g->r, cart);
        w_lit_str(g->w, "cart_id", cart);
    }
    w_product_fields(g, p, added ? (int)rng_range(g->r, 1, 3) : 1,
                     (int)rng_range(g->r, 1, 24));
    w_currency(g);
}

static void experiment(gen *g)
{
    char id[16];
    int variation = (int)rng_range(g->r, 0, 2);
    static const char *const VARIATIONS[] = {"Control", "Variant A", "Variant B"};
    snprintf(id, sizeof id, "exp_%d", (int)rng_range(g->r, 100, 999));
    w_lit_str(g->w, "experiment_id", id);
    w_lit_str(g->w, "experiment_name", *PICK(g->r, EXPERIMENTS));
    w_lit_int(g->w, "variation_id", variation);
    w_lit_str(g->w, "variation_name", VARIATIONS[variation]);
}

static void coupon_applied(gen *g)
{
    char cart[40];
    gen_uuid(g->r, cart);
    const char *coupon = *PICK(g->r, COUPONS);
    w_order_id(g, "order_id");
    w_lit_str(g->w, "cart_id", cart);
    w_lit_str(g->w, "coupon_id", coupon);
    w_lit_str(g->w, "coupon_name", coupon);
    w_lit_money(g->w, "discount", rng_range(g->r, 100, 2500));
}

static void signed_up(gen *g)
{
    w_lit_str(g->w, "plan", *PICK(g->r, PLANS));
    w_lit_str(g->w, "method", rng_chance(g->r, 50) ? "email" : "google");
    w_lit_str(g->w, "referrer", g->referrer);
}

static void track(gen *g)
{
    static const char *const EVENTS[] = {
        "Order Completed", "Checkout Started", "Product Viewed", "Product Added",
        "Products Searched", "Coupon Applied", "Experiment Viewed", "Signed Up",
    };
    size_t which = rng_below(g->r, sizeof EVENTS / sizeof EVENTS[0]);
    w_ids(g, "track", rng_chance(g->r, 80));
    w_kv_str(g->w, "event", EVENTS[which]);
    w_key(g->w, "properties");
    w_open(g->w);
    switch (which) {
    case 0:
    case 1:
        order(g, which == 0);
        break;
    case 2:
    case 3:
        product_event(g, which == 3);
        break;
    case 4:
        w_lit_str(g->w, "query", *PICK(g->r, SEARCH_QUERIES));
        break;
    case 5:
        coupon_applied(g);
        break;
    case 6:
        experiment(g);
        break;
    default:
        signed_up(g);
        break;
    }
    w_close(g->w);
}

/* ---- page, screen, alias ------------------------------------------- */

static void page(gen *g)
{
    char url[192];
    snprintf(url, sizeof url, SITE_URL "%s", g->page->path);
    w_ids(g, "page", rng_chance(g->r, 60));
    w_kv_str(g->w, "name", g->page->name);
    w_kv_str(g->w, "category", g->page->category);
    w_key(g->w, "properties");
    w_open(g->w);
    w_kv_str(g->w, "title", g->page->title);
    w_kv_str(g->w, "url", url);
    w_kv_str(g->w, "path", g->page->path);
    w_kv_str(g->w, "referrer", g->referrer);
    w_kv_str(g->w, "search", "");
    w_close(g->w);
}

static void screen(gen *g)
{
    const web_page *s = PICK(g->r, SCREENS);
    w_ids(g, "screen", rng_chance(g->r, 70));
    w_kv_str(g->w, "name", s->name);
    w_key(g->w, "properties");
    w_open(g->w);
    w_kv_str(g->w, "category", s->category);
    w_kv_int(g->w, "load_time_ms", rng_range(g->r, 40, 1800));
    w_kv_bool(g->w, "from_background", rng_chance(g->r, 25));
    w_close(g->w);
}

static void alias(gen *g)
{
    /* The anonymous visitor becomes a known user. */
    char message_id[40];
    gen_uuid(g->r, message_id);
    w_kv_str(g->w, "type", "alias");
    w_kv_str(g->w, "message_id", message_id);
    w_kv_str(g->w, "previous_id", g->who.anonymous_id);
    w_kv_str(g->w, "user_id", g->who.user_id);
}

/* ---- dispatch ------------------------------------------------------ */

typedef struct builder {
    const char *type;
    void (*build)(gen *g);
} builder;

static const builder BUILDERS[] = {
    {"identify", identify}, {"track", track}, {"page", page},
    {"screen", screen},     {"group", group}, {"alias", alias},
};
#define BUILDER_COUNT (sizeof BUILDERS / sizeof BUILDERS[0])

const char *const GEN_TYPES[] = {"identify", "track", "page", "screen", "group", "alias", NULL};

static channel channel_for(rng *r, const char *type)
{
    if (strcmp(type, "page") == 0)
        return CHANNEL_BROWSER;
    if (strcmp(type, "screen") == 0)
        return CHANNEL_MOBILE;
    return (channel)rng_below(r, 3);
}

int gen_event(writer *w, rng *r, const char *type)
{
    for (size_t i = 0; i < BUILDER_COUNT; i++) {
        if (strcmp(BUILDERS[i].type, type) != 0)
            continue;
        gen g;
        gen_begin(&g, w, r, channel_for(r, type));
        w_open(w);
        BUILDERS[i].build(&g);
        w_tail(&g);
        w_close(w);
        return 0;
    }
    return -1;
}
