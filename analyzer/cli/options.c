#include "cli/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The value after option argv[*i], or NULL (with an error printed). */
static const char *value_of(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        cli_fail(EXIT_BAD_USAGE, "%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return cli_fail(-1, "%s: '%s' is not a number in [%g, %g]", opt, s, lo, hi);
    *out = v;
    return 0;
}

static int parse_roi(const char *s, int roi[4])
{
    char tail;
    if (sscanf(s, "%d,%d,%d,%d%c", &roi[0], &roi[1], &roi[2], &roi[3], &tail) != 4 ||
        roi[0] < 0 || roi[1] < 0 || roi[2] < 1 || roi[3] < 1)
        return cli_fail(-1, "--roi: '%s' is not X,Y,W,H with W, H > 0", s);
    return 0;
}

int cli_parse_shared(int argc, char **argv, int *i, cli_shared_opts *o)
{
    const char *opt = argv[*i], *v;
    double d;
    if (!strcmp(opt, "--pixel-mm")) {
        if (!(v = value_of(argc, argv, i)) || parse_double(opt, v, 1e-6, 100, &d))
            return -1;
        o->ov.has_pixel_mm = 1;
        o->ov.pixel_mm = d;
    } else if (!strcmp(opt, "--roi")) {
        if (!(v = value_of(argc, argv, i)) || parse_roi(v, o->ov.roi))
            return -1;
        o->ov.has_roi = 1;
    } else if (!strcmp(opt, "--modality")) {
        if (!(v = value_of(argc, argv, i)))
            return -1;
        if (st_modality_parse(v, &o->ov.modality))
            return cli_fail(-1, "--modality: '%s' is not photo, height or stereo", v);
        o->ov.has_modality = 1;
    } else if (!strcmp(opt, "--height-scale")) {
        if (!(v = value_of(argc, argv, i)) || parse_double(opt, v, 1e-9, 1e9, &d))
            return -1;
        o->ov.has_height_scale = 1;
        o->ov.height_um_per_unit = d;
    } else if (!strcmp(opt, "--max-pixels")) {
        if (!(v = value_of(argc, argv, i)) || parse_double(opt, v, 1, 1e12, &d))
            return -1;
        o->max_pixels = (uint64_t)d;
    } else if (!strcmp(opt, "-j")) {
        if (!(v = value_of(argc, argv, i)) || parse_double(opt, v, 1, 256, &d))
            return -1;
        o->threads = (int)d;
    } else {
        return 0;
    }
    return 1;
}

void cli_shared_text(const cli_shared_opts *o, char *buf, size_t len)
{
    int n = snprintf(buf, len, "max-pixels=%llu", (unsigned long long)o->max_pixels);
    if (o->ov.has_pixel_mm && n < (int)len)
        n += snprintf(buf + n, len - (size_t)n, " pixel-mm=%.9g", o->ov.pixel_mm);
    if (o->ov.has_roi && n < (int)len)
        n += snprintf(buf + n, len - (size_t)n, " roi=%d,%d,%d,%d", o->ov.roi[0], o->ov.roi[1],
                      o->ov.roi[2], o->ov.roi[3]);
    if (o->ov.has_modality && n < (int)len)
        n += snprintf(buf + n, len - (size_t)n, " modality=%s", st_modality_name(o->ov.modality));
    if (o->ov.has_height_scale && n < (int)len)
        snprintf(buf + n, len - (size_t)n, " height-scale=%.9g", o->ov.height_um_per_unit);
}
