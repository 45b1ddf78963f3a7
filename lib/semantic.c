/* Semantic accessors: an event's email, name, revenue... read exactly as
 * Segment's @segment/facade 3.4.10 reads them, fallbacks included (see
 * docs/semantic.md for the rules and the few places we differ on purpose). */
#include "semantic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ON(t) (1u << (t))
#define PEOPLE (ON(SEGRECV_IDENTIFY) | ON(SEGRECV_GROUP))
#define VIEWS (ON(SEGRECV_PAGE) | ON(SEGRECV_SCREEN))

typedef struct field_info {
    const char *name;
    unsigned types; /* bit per segrecv_type */
} field_info;

static const field_info FIELDS[SEGRECV_FIELD_COUNT] = {
    [SEGRECV_FIELD_EMAIL] = {"email", PEOPLE | ON(SEGRECV_TRACK) | VIEWS},
    [SEGRECV_FIELD_NAME] = {"name", PEOPLE | VIEWS},
    [SEGRECV_FIELD_FIRST_NAME] = {"first_name", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_LAST_NAME] = {"last_name", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_PHONE] = {"phone", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_USERNAME] = {"username", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_AVATAR] = {"avatar", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_WEBSITE] = {"website", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_TITLE] = {"title", ON(SEGRECV_IDENTIFY) | VIEWS},
    [SEGRECV_FIELD_GENDER] = {"gender", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_AGE] = {"age", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_BIRTHDAY] = {"birthday", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_CREATED_AT] = {"created_at", PEOPLE},
    [SEGRECV_FIELD_DESCRIPTION] = {"description", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_CITY] = {"city", PEOPLE},
    [SEGRECV_FIELD_STATE] = {"state", PEOPLE},
    [SEGRECV_FIELD_POSTAL_CODE] = {"postal_code", PEOPLE},
    [SEGRECV_FIELD_COUNTRY] = {"country", PEOPLE},
    [SEGRECV_FIELD_STREET] = {"street", PEOPLE},
    [SEGRECV_FIELD_COMPANY_NAME] = {"company_name", ON(SEGRECV_IDENTIFY)},
    [SEGRECV_FIELD_INDUSTRY] = {"industry", ON(SEGRECV_GROUP)},
    [SEGRECV_FIELD_EMPLOYEES] = {"employees", ON(SEGRECV_GROUP)},
    [SEGRECV_FIELD_PLAN] = {"plan", ON(SEGRECV_GROUP)},
    [SEGRECV_FIELD_REVENUE] = {"revenue", ON(SEGRECV_TRACK)},
    [SEGRECV_FIELD_CURRENCY] = {"currency", ON(SEGRECV_TRACK)},
    [SEGRECV_FIELD_VALUE] = {"value", ON(SEGRECV_TRACK)},
    [SEGRECV_FIELD_QUANTITY] = {"quantity", ON(SEGRECV_TRACK)},
    [SEGRECV_FIELD_ORDER_ID] = {"order_id", ON(SEGRECV_TRACK)},
    [SEGRECV_FIELD_PRODUCTS] = {"products", ON(SEGRECV_TRACK)},
    [SEGRECV_FIELD_CATEGORY] = {"category", VIEWS},
    [SEGRECV_FIELD_URL] = {"url", VIEWS},
    [SEGRECV_FIELD_PATH] = {"path", VIEWS},
    [SEGRECV_FIELD_REFERRER] = {"referrer", VIEWS},
    [SEGRECV_FIELD_SEARCH] = {"search", VIEWS},
    [SEGRECV_FIELD_FULL_NAME] = {"full_name", VIEWS},
    [SEGRECV_FIELD_PREVIOUS_ID] = {"previous_id", ON(SEGRECV_ALIAS)},
};

const char *segrecv_field_name(segrecv_field field)
{
    return (unsigned)field < SEGRECV_FIELD_COUNT ? FIELDS[field].name : "unknown";
}

int segrecv_field_applies(segrecv_type type, segrecv_field field)
{
    if ((unsigned)field >= SEGRECV_FIELD_COUNT || (unsigned)type >= SEGRECV_TYPE_COUNT)
        return 0;
    return (FIELDS[field].types & ON(type)) != 0;
}

/* ---- results --------------------------------------------------------------- */

/* One accessor call: the event, where the answer goes, and the request arena
 * for text the accessor builds (NULL for an event the library did not make). */
typedef struct lookup {
    const segrecv_event *ev;
    segrecv_field field;
    segrecv_field_value *out;
    segrecv__arena *arena;
} lookup;

static bool is_date_field(segrecv_field f)
{
    return f == SEGRECV_FIELD_CREATED_AT || f == SEGRECV_FIELD_BIRTHDAY;
}

/* A value found in the event; JSON null counts as absent. */
static int found(lookup *l, const segrecv_value *v)
{
    if (!v || v->type == SEGRECV_NULL)
        return 0;
    segrecv_field_value *o = l->out;
    o->value = v;
    if (v->type == SEGRECV_STRING || v->type == SEGRECV_NUMBER) {
        o->text.ptr = v->u.text;
        o->text.len = v->len;
    }
    double d;
    if (v->type == SEGRECV_NUMBER && segrecv_value_double(v, &d) == SEGRECV_OK && isfinite(d)) {
        o->number = d;
        o->has_number = 1;
    }
    if (is_date_field(l->field) && v->type == SEGRECV_STRING) {
        o->time.text = o->text;
        o->time.parsed = segrecv__parse_timestamp(v->u.text, v->len, &o->time.ms) ? 1 : 0;
    }
    return 1;
}

/* Request memory for what an accessor builds; NULL (and out->status set)
 * when out of memory or when the event has no request behind it. */
static void *scratch(lookup *l, size_t size)
{
    void *p = l->arena ? segrecv__arena_alloc(l->arena, size) : NULL;
    if (!p)
        l->out->status = l->arena ? SEGRECV_NOMEM : SEGRECV_INVALID_ARGUMENT;
    return p;
}

/* Built text: the concatenation of up to two pieces joined by a space,
 * copied into the request arena (NUL-terminated). */
static int built2(lookup *l, const segrecv_value *from, const char *a, size_t alen,
                  const char *b, size_t blen)
{
    size_t len = alen + (b ? 1 + blen : 0);
    char *copy = scratch(l, len + 1);
    if (!copy)
        return 0;
    memcpy(copy, a, alen);
    if (b) {
        copy[alen] = ' ';
        memcpy(copy + alen + 1, b, blen);
    }
    copy[len] = '\0';
    l->out->value = from;
    l->out->text.ptr = copy;
    l->out->text.len = len;
    return 1;
}

static int built(lookup *l, const segrecv_value *from, const char *s, size_t len)
{
    return built2(l, from, s, len, NULL, 0);
}

/* A string value trimmed as String.prototype.trim() does, borrowed when
 * nothing was trimmed. */
static int found_trimmed(lookup *l, const segrecv_value *v)
{
    size_t a, b;
    segrecv__js_trim(v->u.text, v->len, &a, &b);
    if (a == 0 && b == v->len)
        return found(l, v);
    return built(l, v, v->u.text + a, b - a);
}

static bool is_string(const segrecv_value *v)
{
    return v && v->type == SEGRECV_STRING;
}

/* ---- where facade looks ---------------------------------------------------- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const segrecv_value *oc(const segrecv_value *obj, const char *path)
{
    return segrecv__objcase(obj, path);
}

/* Group traits: facade falls back to `properties` when `traits` is missing. */
static const segrecv_value *traits_of(const segrecv_event *ev)
{
    if (ev->type == SEGRECV_GROUP && !ev->traits)
        return ev->properties;
    return ev->traits;
}

/* A Spec field's own JSON value, in either spelling. */
static const segrecv_value *spec_value(const segrecv_event *ev, const char *camel,
                                       const char *snake)
{
    const segrecv_value *v = segrecv_value_get(ev->raw, camel);
    return v ? v : segrecv_value_get(ev->raw, snake);
}

/* The email fallback: an email-shaped user id (group: group id). */
static int email_shaped_id(lookup *l)
{
    const segrecv_event *ev = l->ev;
    bool group = ev->type == SEGRECV_GROUP;
    segrecv_str id = group ? ev->group_id : ev->user_id;
    if (!id.ptr || !segrecv__js_is_email(id.ptr, id.len))
        return 0;
    return found(l, group ? spec_value(ev, "groupId", "group_id")
                          : spec_value(ev, "userId", "user_id"));
}

static int get_email(lookup *l)
{
    const segrecv_event *ev = l->ev;
    const segrecv_value *e;
    if (ev->type == SEGRECV_IDENTIFY || ev->type == SEGRECV_GROUP) {
        e = oc(traits_of(ev), "email");
    } else if (ev->type == SEGRECV_TRACK) {
        /* Track's traits() are context.traits; `|| {}` when that is falsy. */
        const segrecv_value *ctx_traits = oc(ev->context, "traits");
        const segrecv_value *ops[] = {
            oc(segrecv__js_truthy(ctx_traits) ? ctx_traits : NULL, "email"),
            oc(ev->properties, "email"), oc(ev->context, "traits.email")};
        e = segrecv__js_or(ops, COUNT(ops));
    } else {
        const segrecv_value *ops[] = {oc(ev->context, "traits.email"),
                                      oc(ev->properties, "email")};
        e = segrecv__js_or(ops, COUNT(ops));
    }
    if (segrecv__js_truthy(e))
        return found(l, e);
    return email_shaped_id(l);
}

/* Identify's firstName / lastName traits, trimmed, when they are strings. */
static const segrecv_value *string_trait(const segrecv_event *ev, const char *key)
{
    const segrecv_value *v = oc(ev->traits, key);
    return is_string(v) ? v : NULL;
}

/* The trimmed `name` trait [a, b) and its first space (NULL if none), the
 * split that the first- and last-name fallbacks share. */
static const segrecv_value *split_name(const segrecv_event *ev, size_t *a, size_t *b,
                                       const char **space)
{
    const segrecv_value *name = string_trait(ev, "name");
    if (!name)
        return NULL;
    segrecv__js_trim(name->u.text, name->len, a, b);
    *space = memchr(name->u.text + *a, ' ', *b - *a);
    return name;
}

static int get_first_name(lookup *l)
{
    const segrecv_value *first = string_trait(l->ev, "firstName");
    if (first)
        return found_trimmed(l, first);
    size_t a, b;
    const char *space;
    const segrecv_value *name = split_name(l->ev, &a, &b, &space);
    if (!name)
        return 0;
    size_t end = space ? (size_t)(space - name->u.text) : b;
    if (a == 0 && end == name->len)
        return found(l, name);
    return built(l, name, name->u.text + a, end - a);
}

static int get_last_name(lookup *l)
{
    const segrecv_value *last = string_trait(l->ev, "lastName");
    if (last)
        return found_trimmed(l, last);
    size_t a, b;
    const char *space;
    const segrecv_value *name = split_name(l->ev, &a, &b, &space);
    if (!name || !space)
        return 0;
    /* What follows the first space of the trimmed name, trimmed (facade
     * indexes the untrimmed name here: see docs/semantic.md). */
    const char *rest = space + 1;
    size_t ra, rb;
    segrecv__js_trim(rest, (size_t)(name->u.text + b - rest), &ra, &rb);
    return built(l, name, rest + ra, rb - ra);
}

static int get_name(lookup *l)
{
    const segrecv_event *ev = l->ev;
    if (ev->type == SEGRECV_PAGE || ev->type == SEGRECV_SCREEN)
        return found(l, segrecv_value_get(ev->raw, "name"));
    if (ev->type == SEGRECV_GROUP)
        return found(l, oc(traits_of(ev), "name"));
    const segrecv_value *name = oc(ev->traits, "name");
    if (is_string(name))
        return found_trimmed(l, name);
    /* No name: "first last" when both are non-empty strings (trimmed). */
    const segrecv_value *first = string_trait(ev, "firstName");
    const segrecv_value *last = string_trait(ev, "lastName");
    if (!first || !last)
        return 0;
    size_t fa, fb, la, lb;
    segrecv__js_trim(first->u.text, first->len, &fa, &fb);
    segrecv__js_trim(last->u.text, last->len, &la, &lb);
    if (fa == fb || la == lb)
        return 0;
    return built2(l, NULL, first->u.text + fa, fb - fa, last->u.text + la, lb - la);
}

/* Facade.one(): the trait if truthy, else the first element of its plural. */
static int one_or_first(lookup *l, const char *key, const char *plural)
{
    const segrecv_value *one = oc(l->ev->traits, key);
    if (segrecv__js_truthy(one))
        return found(l, one);
    const segrecv_value *many = oc(l->ev->traits, plural);
    if (many && many->type == SEGRECV_ARRAY && many->len > 0)
        return found(l, &segrecv__items(many)[0]);
    return 0;
}

static int first_truthy_or_last(lookup *l, const segrecv_value *const *ops, size_t n)
{
    return found(l, segrecv__js_or(ops, n));
}

static int get_created_at(lookup *l)
{
    const segrecv_value *t = traits_of(l->ev);
    const segrecv_value *created;
    if (l->ev->type == SEGRECV_GROUP) {
        const segrecv_value *ops[] = {oc(t, "createdAt"), oc(t, "created")};
        created = segrecv__js_or(ops, COUNT(ops));
    } else {
        const segrecv_value *ops[] = {oc(t, "created"), oc(t, "createdAt")};
        created = segrecv__js_or(ops, COUNT(ops));
    }
    return segrecv__js_truthy(created) ? found(l, created) : 0;
}

/* Days since 1970-01-01 to a proleptic Gregorian year (Hinnant's civil_from_days). */
static int64_t year_of_day(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* isodate turns only strict ISO strings into dates: no lower-case 't' or
 * 'z' and no Go time.String() tail, which our parser also accepts. */
static bool isodate_shaped(const segrecv_value *v)
{
    return strspn(v->u.text, "0123456789-+:.,TZ ") == v->len;
}

static int get_age(lookup *l)
{
    const segrecv_value *age = oc(l->ev->traits, "age");
    if (age && age->type != SEGRECV_NULL)
        return found(l, age);
    const segrecv_value *birthday = oc(l->ev->traits, "birthday");
    int64_t ms;
    if (!is_string(birthday) || !isodate_shaped(birthday) ||
        !segrecv__parse_timestamp(birthday->u.text, birthday->len, &ms))
        return 0;
    /* The difference of calendar years, in UTC (facade: local time). */
    int64_t now_day = floor_div((int64_t)time(NULL), 86400);
    int64_t years = year_of_day(now_day) - year_of_day(floor_div(ms, 86400000));
    char text[24];
    int n = snprintf(text, sizeof text, "%lld", (long long)years);
    if (!built(l, NULL, text, (size_t)n))
        return 0;
    l->out->number = (double)years;
    l->out->has_number = 1;
    return 1;
}

/* facade's address helpers: traits.address.X, traits.X (then the second
 * name), then the same in properties; for groups `properties` are the traits. */
static int get_address(lookup *l, const char *a, const char *b)
{
    char addr_a[32], addr_b[32];
    snprintf(addr_a, sizeof addr_a, "address.%s", a);
    snprintf(addr_b, sizeof addr_b, "address.%s", b ? b : "");
    const segrecv_value *t = traits_of(l->ev);
    const segrecv_value *p = l->ev->type == SEGRECV_GROUP ? t : NULL;
    const segrecv_value *ops[] = {
        oc(t, addr_a), oc(t, a), b ? oc(t, addr_b) : NULL, b ? oc(t, b) : NULL,
        oc(p, addr_a), oc(p, a), b ? oc(p, addr_b) : NULL, b ? oc(p, b) : NULL,
    };
    return first_truthy_or_last(l, ops, COUNT(ops));
}

/* ---- track ------------------------------------------------------------------ */

static bool sep_at(const char *s, size_t len, size_t i)
{
    return i < len && (s[i] == ' ' || s[i] == '_');
}

static bool word_at(const char *s, size_t len, size_t *i, const char *word)
{
    size_t n = strlen(word);
    if (len - *i < n)
        return false;
    for (size_t k = 0; k < n; k++) {
        char c = s[*i + k];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + ('a' - 'A'));
        if (c != word[k])
            return false;
    }
    *i += n;
    return true;
}

/* ^[ _]?first[ _]?second, then with `anchored` [ _]?$ */
static bool sequence(const char *s, size_t len, const char *first, const char *second,
                     bool anchored)
{
    size_t i = sep_at(s, len, 0) ? 1 : 0;
    if (!word_at(s, len, &i, first))
        return false;
    if (sep_at(s, len, i))
        i++;
    if (!word_at(s, len, &i, second))
        return false;
    if (!anchored)
        return true;
    if (sep_at(s, len, i))
        i++;
    return i == len;
}

/* facade's /^[ _]?completed[ _]?order[ _]?|^[ _]?order[ _]?completed[ _]?$/i */
static bool order_completed(segrecv_str event)
{
    return event.len > 0 && (sequence(event.ptr, event.len, "completed", "order", false) ||
                             sequence(event.ptr, event.len, "order", "completed", true));
}

static int get_revenue(lookup *l)
{
    const segrecv_event *ev = l->ev;
    const segrecv_value *r = oc(ev->properties, "revenue");
    if (!segrecv__js_truthy(r) && order_completed(ev->event))
        r = oc(ev->properties, "total");
    if (!segrecv__js_truthy(r))
        return 0;
    if (r->type == SEGRECV_NUMBER)
        return found(l, r);
    if (r->type != SEGRECV_STRING)
        return 0;
    /* parseFloat of the string with every '$' removed. */
    const char *s = r->u.text;
    size_t len = r->len;
    if (memchr(s, '$', len)) {
        char *copy = scratch(l, len + 1);
        if (!copy)
            return 0;
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            if (s[i] != '$')
                copy[n++] = s[i];
        copy[n] = '\0';
        s = copy;
        len = n;
    }
    size_t start, span;
    double d;
    if (!segrecv__js_parse_float(s, len, &start, &span, &d))
        return 0;
    if (!built(l, r, s + start, span))
        return 0;
    l->out->number = d;
    l->out->has_number = 1;
    return 1;
}

static int with_default(lookup *l, const char *key, const char *fallback, double number)
{
    const segrecv_value *v = oc(l->ev->properties, key);
    if (segrecv__js_truthy(v))
        return found(l, v);
    l->out->text.ptr = fallback;
    l->out->text.len = strlen(fallback);
    if (!isnan(number)) { /* the default is a number */
        l->out->number = number;
        l->out->has_number = 1;
    }
    return 1;
}

static const segrecv_value EMPTY_ARRAY = {.type = SEGRECV_ARRAY};

/* properties.products when an array, without its nulls; else []. */
static int get_products(lookup *l)
{
    const segrecv_value *p = oc(l->ev->properties, "products");
    if (!p || p->type != SEGRECV_ARRAY)
        return found(l, &EMPTY_ARRAY);
    const segrecv_value *from = segrecv__items(p);
    uint32_t nulls = 0;
    for (uint32_t i = 0; i < p->len; i++)
        nulls += from[i].type == SEGRECV_NULL;
    if (nulls == 0)
        return found(l, p);
    segrecv_value *copy = scratch(l, sizeof *copy + (p->len - nulls) * sizeof *copy);
    if (!copy)
        return 0;
    segrecv_value *items = copy + 1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->len; i++)
        if (from[i].type != SEGRECV_NULL)
            items[n++] = from[i];
    *copy = *p;
    copy->lazy = 0;
    copy->len = n;
    copy->u.items = items;
    return found(l, copy);
}

/* ---- page, screen, alias ------------------------------------------------------ */

static int get_full_name(lookup *l)
{
    const segrecv_event *ev = l->ev;
    if (ev->name.len == 0 || ev->category.len == 0)
        return found(l, segrecv_value_get(ev->raw, "name"));
    return built2(l, NULL, ev->category.ptr, ev->category.len, ev->name.ptr, ev->name.len);
}

static int get_previous_id(lookup *l)
{
    const segrecv_value *ops[] = {spec_value(l->ev, "previousId", "previous_id"),
                                  segrecv_value_get(l->ev->raw, "from")};
    return first_truthy_or_last(l, ops, COUNT(ops));
}

static int get_view_field(lookup *l, const char *key)
{
    return found(l, oc(l->ev->properties, key));
}

static int get_referrer(lookup *l)
{
    const segrecv_event *ev = l->ev;
    const segrecv_value *ops[] = {oc(ev->context, "referrer.url"),
                                  oc(ev->context, "page.referrer"),
                                  oc(ev->properties, "referrer")};
    return first_truthy_or_last(l, ops, COUNT(ops));
}

/* ---- dispatch by field ----------------------------------------------------------- */

static int get_trait(lookup *l, const char *path)
{
    return found(l, oc(traits_of(l->ev), path));
}

static int lookup_field(lookup *l)
{
    const segrecv_value *t = traits_of(l->ev);
    switch (l->field) {
    case SEGRECV_FIELD_EMAIL: return get_email(l);
    case SEGRECV_FIELD_NAME: return get_name(l);
    case SEGRECV_FIELD_FIRST_NAME: return get_first_name(l);
    case SEGRECV_FIELD_LAST_NAME: return get_last_name(l);
    case SEGRECV_FIELD_PHONE: return one_or_first(l, "phone", "phones");
    case SEGRECV_FIELD_USERNAME: return get_trait(l, "username");
    case SEGRECV_FIELD_AVATAR: {
        const segrecv_value *ops[] = {oc(t, "avatar"), oc(t, "photoUrl"), oc(t, "avatarUrl")};
        return first_truthy_or_last(l, ops, COUNT(ops));
    }
    case SEGRECV_FIELD_WEBSITE: return one_or_first(l, "website", "websites");
    case SEGRECV_FIELD_TITLE:
        return l->ev->type == SEGRECV_IDENTIFY ? get_trait(l, "title") : get_view_field(l, "title");
    case SEGRECV_FIELD_GENDER: return get_trait(l, "gender");
    case SEGRECV_FIELD_AGE: return get_age(l);
    case SEGRECV_FIELD_BIRTHDAY: return get_trait(l, "birthday");
    case SEGRECV_FIELD_CREATED_AT: return get_created_at(l);
    case SEGRECV_FIELD_DESCRIPTION: {
        const segrecv_value *ops[] = {oc(t, "description"), oc(t, "background")};
        return first_truthy_or_last(l, ops, COUNT(ops));
    }
    case SEGRECV_FIELD_CITY: return get_address(l, "city", NULL);
    case SEGRECV_FIELD_STATE: return get_address(l, "state", NULL);
    case SEGRECV_FIELD_POSTAL_CODE: return get_address(l, "postalCode", "zip");
    case SEGRECV_FIELD_COUNTRY: return get_address(l, "country", NULL);
    case SEGRECV_FIELD_STREET: return get_address(l, "street", NULL);
    case SEGRECV_FIELD_COMPANY_NAME: return get_trait(l, "company.name");
    case SEGRECV_FIELD_INDUSTRY: return get_trait(l, "industry");
    case SEGRECV_FIELD_EMPLOYEES: return get_trait(l, "employees");
    case SEGRECV_FIELD_PLAN: return get_trait(l, "plan");
    case SEGRECV_FIELD_REVENUE: return get_revenue(l);
    case SEGRECV_FIELD_CURRENCY: return with_default(l, "currency", "USD", NAN);
    case SEGRECV_FIELD_VALUE: return get_view_field(l, "value");
    case SEGRECV_FIELD_QUANTITY: return with_default(l, "quantity", "1", 1.0);
    case SEGRECV_FIELD_ORDER_ID: {
        const segrecv_value *p = l->ev->properties;
        const segrecv_value *ops[] = {oc(p, "id"), oc(p, "order_id"), oc(p, "orderId")};
        return first_truthy_or_last(l, ops, COUNT(ops));
    }
    case SEGRECV_FIELD_PRODUCTS: return get_products(l);
    case SEGRECV_FIELD_CATEGORY: return found(l, segrecv_value_get(l->ev->raw, "category"));
    case SEGRECV_FIELD_URL: return get_view_field(l, "url");
    case SEGRECV_FIELD_PATH: return get_view_field(l, "path");
    case SEGRECV_FIELD_REFERRER: return get_referrer(l);
    case SEGRECV_FIELD_SEARCH: return get_view_field(l, "search");
    case SEGRECV_FIELD_FULL_NAME: return get_full_name(l);
    case SEGRECV_FIELD_PREVIOUS_ID: return get_previous_id(l);
    default: return 0;
    }
}

int segrecv_event_field(const segrecv_event *event, segrecv_field field, segrecv_field_value *out)
{
    if (!out)
        return 0;
    memset(out, 0, sizeof *out);
    out->status = SEGRECV_OK;
    if (!event || !event->raw) {
        out->status = SEGRECV_INVALID_ARGUMENT;
        return 0;
    }
    if (!segrecv_field_applies(event->type, field))
        return 0;
    segrecv_request *r = event->internal_;
    lookup l = {event, field, out, r ? &r->arena : NULL};
    if (lookup_field(&l))
        return 1;
    segrecv_status st = out->status;
    memset(out, 0, sizeof *out);
    out->status = st;
    return 0;
}
