/* The fake-data pools segrecv-gen draws from. Names include non-ASCII
 * letters and apostrophes so receivers see real escaping. Addresses,
 * e-mail domains, IPs and phone numbers are reserved example values. */
#ifndef GEN_DATA_H
#define GEN_DATA_H

#include <stddef.h>

typedef struct person_name {
    const char *display; /* as written, UTF-8 */
    const char *ascii;   /* for e-mail addresses and user names */
} person_name;

typedef struct city {
    const char *city, *state, *postal_code, *country, *street, *timezone, *locale;
} city;

typedef struct company {
    const char *name, *industry, *domain;
} company;

typedef struct product {
    const char *id, *sku, *name, *brand, *category, *variant, *slug;
    long long price_cents;
} product;

typedef struct web_page {
    const char *name, *category, *path, *title;
} web_page;

typedef struct mobile_device {
    const char *manufacturer, *model, *type, *os_name, *os_version, *user_agent;
    int width, height;
    const char *density;
} mobile_device;

typedef struct library {
    const char *name, *version;
} library;

/* A pool is an array and its length. */
#define POOL(type, name) \
    extern const type name[]; \
    extern const size_t name##_COUNT

POOL(person_name, FIRST_NAMES);
POOL(person_name, LAST_NAMES);
POOL(char *const, EMAIL_DOMAINS);
POOL(city, CITIES);
POOL(company, COMPANIES);
POOL(char *const, PLANS);
POOL(char *const, JOB_TITLES);
POOL(product, PRODUCTS);
POOL(char *const, COUPONS);
POOL(char *const, SEARCH_QUERIES);
POOL(web_page, WEB_PAGES);
POOL(char *const, REFERRERS);
POOL(char *const, BROWSER_AGENTS);
POOL(mobile_device, MOBILE_DEVICES);
POOL(web_page, SCREENS);
POOL(library, SERVER_LIBRARIES);
POOL(char *const, EXPERIMENTS);

#undef POOL

/* The site the fake browser events come from. */
#define SITE_URL "https://www.example.com"
#define APP_NAME "Example Store"

#endif
