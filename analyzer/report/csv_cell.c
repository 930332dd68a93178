#include "report/csv_cell.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number as we write them (%g-style): sign, digits, point, exponent. */
static int plain_number(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    int digits = 0;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '-' || p[1] == '+');
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int st_csv_formula_like(const char *s)
{
    switch (s[0]) {
    case '=': case '@': case '\t': case '\r':
        return 1;
    case '+': case '-': /* "-1+2" is a formula to a spreadsheet, "-12.5" a number */
        return !plain_number(s);
    default:
        return 0;
    }
}

const char *st_csv_number(char buf[ST_CSV_NUM_BUF], double v)
{
    buf[0] = '\0';
    for (int prec = 15; isfinite(v) && prec <= 17; prec++) {
        snprintf(buf, ST_CSV_NUM_BUF, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

void st_csv_cell(st_sbuf *b, const char *s)
{
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    st_sbuf_put(b, quote ? "\"" : "");
    if (st_csv_formula_like(s))
        st_sbuf_put(b, "'");
    for (const char *p = s; *p; p++)
        if (*p == '"')
            st_sbuf_put(b, "\"\""); /* a quote is doubled */
        else
            st_sbuf_putn(b, p, 1);
    st_sbuf_put(b, quote ? "\"" : "");
}

int st_csv_field(FILE *fp, const char *s)
{
    st_sbuf b = {0};
    st_csv_cell(&b, s);
    int bad = b.oom || (b.len && fwrite(b.data, 1, b.len, fp) != b.len);
    st_sbuf_free(&b);
    return bad ? EOF : 0;
}
