#include "series/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int st_date_to_day(int year, int month, int day, long *out)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1)
        return -1;
    int dim = mdays[month - 1] + (month == 2 && is_leap(year));
    if (day > dim)
        return -1;
    /* Days from civil (H. Hinnant's algorithm, exact for the Gregorian calendar). */
    long y = year - (month <= 2);
    long era = y / 400;
    long yoe = y - era * 400;
    long mp = (month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return 0;
}

static int digits(const char *s, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 0;
}

static int format_ymd(int y, int m, int d, char out[ST_DATE_LEN])
{
    long day;
    if (st_date_to_day(y, m, d, &day))
        return -1;
    /* Bounds are checked above, so the text is exactly 10 characters. */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 0;
}

int st_date_parse(const char *s, long *day)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
        digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
        return -1;
    return st_date_to_day(y, m, d, day);
}

/* The date forms of file names, tried in this order at every position:
 * Y = 4-digit year, M, D = 2 digits, other characters literal. */
static const char *const name_forms[] = {
    "YYYY-MM-DD", "YYYY_MM_DD", "YYYYMMDD", /* ISO 8601 and its camera spellings */
    "DD.MM.YYYY",                            /* the European spelling (05.01.2026) */
};

/* The date in form `form` at name[i], delimited by non-digits. */
static int date_at(const char *name, size_t i, size_t len, const char *form, char out[ST_DATE_LEN])
{
    size_t n = strlen(form);
    if (i + n > len || (i > 0 && isdigit((unsigned char)name[i - 1])) ||
        (i + n < len && isdigit((unsigned char)name[i + n])))
        return -1;
    const char *s = name + i;
    int y = 0, m = 0, d = 0;
    for (size_t k = 0; k < n; k++) {
        char f = form[k];
        int *field = f == 'Y' ? &y : f == 'M' ? &m : f == 'D' ? &d : NULL;
        if (!field) {
            if (s[k] != f)
                return -1;
        } else if (!isdigit((unsigned char)s[k])) {
            return -1;
        } else {
            *field = *field * 10 + (s[k] - '0');
        }
    }
    return format_ymd(y, m, d, out);
}

int st_date_from_filename(const char *name, char out[ST_DATE_LEN])
{
    size_t len = strlen(name);
    for (size_t i = 0; i < len; i++)
        for (size_t f = 0; f < sizeof name_forms / sizeof *name_forms; f++)
            if (!date_at(name, i, len, name_forms[f], out))
                return 0;
    return -1;
}

int st_date_from_exif(const char *exif, char out[ST_DATE_LEN])
{
    int y, m, d;
    if (strlen(exif) < 10 || exif[4] != ':' || exif[7] != ':' || digits(exif, 4, &y) ||
        digits(exif + 5, 2, &m) || digits(exif + 8, 2, &d))
        return -1;
    return format_ymd(y, m, d, out);
}

int st_natural_cmp(const char *a0, const char *b0)
{
    const char *a = a0, *b = b0;
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            const char *za = a, *zb = b;
            while (*za == '0')
                za++;
            while (*zb == '0')
                zb++;
            size_t la = 0, lb = 0;
            while (isdigit((unsigned char)za[la]))
                la++;
            while (isdigit((unsigned char)zb[lb]))
                lb++;
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = strncmp(za, zb, la);
            if (c)
                return c;
            a = za + la;
            b = zb + lb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    if (*a || *b)
        return *a ? 1 : -1;
    return strcmp(a0, b0); /* img01 and img1: a fixed order all the same */
}
