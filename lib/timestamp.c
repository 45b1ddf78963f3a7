/* ISO-8601 timestamps to UTC milliseconds, as Segment's isodate reads them
 * (date, 'T' or ' ', time, any fraction truncated to ms, Z or an offset),
 * plus Go's time.String() form that Segment's own delete events carry:
 * "2020-05-09 23:54:49.209808489 +0000 UTC m=+70366.298768264". */
#include "internal.h"

#include <string.h>

typedef struct cursor {
    const char *p;
    const char *end;
} cursor;

static bool digits(cursor *c, int n, int *out)
{
    if (c->end - c->p < n)
        return false;
    int v = 0;
    for (int i = 0; i < n; i++) {
        char ch = c->p[i];
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + (ch - '0');
    }
    c->p += n;
    *out = v;
    return true;
}

static bool take(cursor *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's method). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Zone: "Z", "+HH", "+HHMM", "+HH:MM"; sets the offset in minutes. */
static bool zone(cursor *c, int *offset_min)
{
    if (take(c, 'Z') || take(c, 'z')) {
        *offset_min = 0;
        return true;
    }
    int sign;
    if (take(c, '+'))
        sign = 1;
    else if (take(c, '-'))
        sign = -1;
    else
        return false;
    int hh, mm = 0;
    if (!digits(c, 2, &hh) || hh > 23)
        return false;
    if (c->p < c->end) {
        take(c, ':');
        if (!digits(c, 2, &mm) || mm > 59)
            return false;
    }
    *offset_min = sign * (hh * 60 + mm);
    return true;
}

/* Go's tail after the fraction: " +0000 UTC" and an optional " m=+1.5". */
static bool go_zone(cursor *c, int *offset_min)
{
    if (!take(c, ' '))
        return false;
    cursor z = {c->p, c->p};
    while (z.end < c->end && *z.end != ' ')
        z.end++;
    if (!zone(&z, offset_min) || z.p != z.end || z.end - c->p != 5)
        return false;
    c->p = z.end;
    if (!take(c, ' '))
        return false;
    const char *abbr = c->p;
    while (c->p < c->end && *c->p >= 'A' && *c->p <= 'Z')
        c->p++;
    if (c->p - abbr < 3 || c->p - abbr > 5)
        return false;
    if (c->p == c->end)
        return true;
    if (!take(c, ' ') || !take(c, 'm') || !take(c, '='))
        return false;
    if (!take(c, '+') && !take(c, '-'))
        return false;
    bool any = false, dot = false;
    for (; c->p < c->end; c->p++) {
        if (*c->p >= '0' && *c->p <= '9')
            any = true;
        else if (*c->p == '.' && !dot)
            dot = true;
        else
            return false;
    }
    return any;
}

/* Two digits at s, or -1. */
static inline int two_digits(const char *s)
{
    unsigned hi = (unsigned char)s[0] - '0', lo = (unsigned char)s[1] - '0';
    return hi <= 9 && lo <= 9 ? (int)(hi * 10 + lo) : -1;
}

/* Days since 1970-01-01 for years 0001-9999 (the fixed form's): the same
 * count as days_from_civil() in unsigned arithmetic, the year moved on by
 * 400 so that it never goes below zero. */
static inline int64_t days_from_civil_fixed(unsigned y, unsigned m, unsigned d)
{
    y += 400 - (m <= 2);
    unsigned era = y / 400, yoe = y - era * 400;
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468 - 146097;
}

/* The form nearly every sender writes, "2015-02-23T22:28:55.111Z", read at
 * fixed places; anything else goes the general way. */
static bool fixed_form(const char *s, size_t len, int64_t *ms)
{
    if (len != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != '.' || s[23] != 'Z')
        return false;
    int c = two_digits(s), y = two_digits(s + 2), mo = two_digits(s + 5), d = two_digits(s + 8);
    int h = two_digits(s + 11), mi = two_digits(s + 14), se = two_digits(s + 17);
    int f = two_digits(s + 20), f3 = two_digits(s + 21);
    if ((c | y | mo | d | h | mi | se | f | f3) < 0)
        return false;
    int year = c * 100 + y;
    if (year == 0 || mo < 1 || mo > 12 || d < 1 || (d > 28 && d > days_in_month(year, mo)) ||
        h > 23 || mi > 59 || se > 59)
        return false; /* year 0, a leap second, and errors take the general way */
    int64_t secs = days_from_civil_fixed((unsigned)year, (unsigned)mo, (unsigned)d) * 86400 +
                   h * 3600 + mi * 60 + se;
    *ms = secs * 1000 + f * 10 + f3 % 10;
    return true;
}

bool segrecv__parse_timestamp(const char *s, size_t len, int64_t *ms)
{
    if (fixed_form(s, len, ms))
        return true;
    cursor c = {s, s + len};
    int year, month, day, hour = 0, minute = 0, second = 0, millis = 0, offset = 0;
    if (!digits(&c, 4, &year) || !take(&c, '-') || !digits(&c, 2, &month) || !take(&c, '-') ||
        !digits(&c, 2, &day))
        return false;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return false;
    if (c.p < c.end) {
        bool space = *c.p == ' ';
        if (!take(&c, 'T') && !take(&c, 't') && !take(&c, ' '))
            return false;
        if (!digits(&c, 2, &hour) || !take(&c, ':') || !digits(&c, 2, &minute))
            return false;
        if (take(&c, ':') && !digits(&c, 2, &second))
            return false;
        if (hour > 23 || minute > 59 || second > 60)
            return false;
        if (take(&c, '.') || take(&c, ',')) {
            int n = 0;
            while (c.p < c.end && *c.p >= '0' && *c.p <= '9') {
                if (n < 3)
                    millis = millis * 10 + (*c.p - '0');
                n++;
                c.p++;
            }
            if (n == 0)
                return false;
            for (; n < 3; n++)
                millis *= 10;
        }
        if (c.p < c.end) {
            bool ok = space && *c.p == ' ' ? go_zone(&c, &offset) : zone(&c, &offset);
            if (!ok || c.p != c.end)
                return false;
        }
    }
    if (second == 60)
        second = 59; /* a leap second reads as the second before it */
    int64_t days = days_from_civil(year, month, day);
    int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - (int64_t)offset * 60;
    *ms = secs * 1000 + millis;
    return true;
}
