#define _POSIX_C_SOURCE 200809L
#include "cli/shared_opts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

/* A decimal number only: digits, one point, an exponent. strtod alone would
 * also take hex (0x10 = 16), "inf", "nan" and leading blanks. */
static int decimal(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits && (*p == 'e' || *p == 'E')) {
        p += 1 + (p[1] == '+' || p[1] == '-');
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return digits && !*p;
}

/* A decimal in [lo, hi]; the error names the value and the plausible range. */
static int number(const char *opt, const char *s, double lo, double hi, const char *what,
                  double *out)
{
    char *end;
    errno = 0;
    double v = decimal(s) ? strtod(s, &end) : NAN;
    if (!isfinite(v) || errno == ERANGE || v < lo || v > hi) {
        cli_fail(EXIT_BAD_USAGE, "%s: '%s' is not %s (a decimal number from %g to %g)", opt, s,
                 what, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* A whole decimal number in [lo, hi], range-checked before any conversion
 * to int (sscanf %d wraps 4294967416 to 120). */
static int whole(const char *s, long long lo, long long hi, long long *out)
{
    const char *p = s + (*s == '-' || *s == '+');
    if (!(*p >= '0' && *p <= '9'))
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_roi(const char *s, int roi[4])
{
    char buf[128];
    int n = 0;
    if (strlen(s) < sizeof buf) {
        strcpy(buf, s);
        char *save = NULL;
        for (char *t = strtok_r(buf, ",", &save); t && n < 5; t = strtok_r(NULL, ",", &save)) {
            long long v;
            if (n == 4 || whole(t, n < 2 ? 0 : 1, ST_MAX_DIMENSION, &v)) {
                n = -1;
                break;
            }
            roi[n++] = (int)v;
        }
    }
    if (n != 4 || s[strlen(s) - 1] == ',' || strstr(s, ",,")) {
        cli_fail(EXIT_BAD_USAGE, "--roi: '%s' is not X,Y,W,H (whole numbers, X and Y from 0, W and H from 1, each at most %d)",
                 s, ST_MAX_DIMENSION);
        return -1;
    }
    return 0;
}

/* Bytes, with an optional K, M or G (powers of 1024). */
static int parse_bytes(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    unsigned shift = 0;
    char num[32];
    if (n && strchr("kKmMgG", s[n - 1])) {
        shift = strchr("kK", s[n - 1]) ? 10 : strchr("mM", s[n - 1]) ? 20 : 30;
        n--;
    }
    long long v;
    if (n == 0 || n >= sizeof num || s[0] == '-' || s[0] == '+')
        return cli_fail(EXIT_BAD_USAGE, "--max-memory: '%s' is not a size (bytes, or with K, M or G)", s), -1;
    memcpy(num, s, n);
    num[n] = 0;
    if (whole(num, 1, (1ll << 50) >> shift, &v))
        return cli_fail(EXIT_BAD_USAGE, "--max-memory: '%s' is not a size from 1 byte to 1024T (bytes, or with K, M or G)", s), -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int cli_shared_apply(const cli_option *opt, const char *v, st_analyze_opts *o)
{
    static const char *shared[] = {"pixel-mm", "roi", "modality", "height-scale", "max-pixels",
                                   "max-memory", "jobs"};
    const char *name = opt->name;
    int known = 0;
    for (size_t k = 0; k < sizeof shared / sizeof *shared; k++)
        known |= !strcmp(name, shared[k]);
    if (!known)
        return 0;
    char label[64];
    const char *a = cli_option_label(opt, label);
    double d = 0;
    if (!strcmp(name, "pixel-mm")) {
        if (number(a, v, ST_PIXEL_MM_MIN, ST_PIXEL_MM_MAX, "a plausible pixel size in mm", &d))
            return -1;
        o->has_pixel_mm = 1;
        o->pixel_mm = d;
    } else if (!strcmp(name, "height-scale")) {
        if (number(a, v, ST_HEIGHT_SCALE_MIN, ST_HEIGHT_SCALE_MAX, "a plausible height scale in um per unit", &d))
            return -1;
        o->has_height_scale = 1;
        o->height_um_per_unit = d;
    } else if (!strcmp(name, "roi")) {
        if (parse_roi(v, o->roi))
            return -1;
        o->has_roi = 1;
    } else if (!strcmp(name, "modality")) {
        if (st_modality_parse(v, &o->modality)) {
            cli_fail(EXIT_BAD_USAGE, "--modality: '%s' is not photo, height or stereo", v);
            return -1;
        }
        o->has_modality = 1;
    } else if (!strcmp(name, "max-pixels")) {
        long long n;
        if (whole(v, 1, 1000000000000000000ll, &n)) {
            cli_fail(EXIT_BAD_USAGE, "--max-pixels: '%s' is not a whole number from 1 to 1e18", v);
            return -1;
        }
        o->max_pixels = (uint64_t)n;
    } else if (!strcmp(name, "max-memory")) {
        if (parse_bytes(v, &o->max_memory))
            return -1;
    } else {
        long long n;
        if (whole(v, 1, 1024, &n)) {
            cli_fail(EXIT_BAD_USAGE, "-j: '%s' is not a thread count (1..1024)", v);
            return -1;
        }
        o->threads = (int)n;
    }
    return 1;
}
