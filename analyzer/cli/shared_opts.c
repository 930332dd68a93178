#include "cli/shared_opts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int number(const char *opt, const char *s, double lo, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo) {
        cli_fail(EXIT_BAD_USAGE, "%s: '%s' is not a valid value", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_roi(const char *s, int roi[4])
{
    char extra;
    if (sscanf(s, "%d,%d,%d,%d%c", &roi[0], &roi[1], &roi[2], &roi[3], &extra) != 4 || roi[0] < 0 ||
        roi[1] < 0 || roi[2] < 1 || roi[3] < 1) {
        cli_fail(EXIT_BAD_USAGE, "--roi: '%s' is not X,Y,W,H (whole numbers, W and H >= 1)", s);
        return -1;
    }
    return 0;
}

int cli_shared_option(int argc, char **argv, int *i, st_analyze_opts *o)
{
    static const char *with_value[] = {"--pixel-mm", "--roi", "--modality", "--height-scale",
                                       "--max-pixels", "-j"};
    const char *a = argv[*i];
    int known = 0;
    for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
        known |= !strcmp(a, with_value[k]);
    if (!known)
        return 0;
    if (*i + 1 >= argc) {
        cli_fail(EXIT_BAD_USAGE, "%s needs a value", a);
        return -1;
    }
    const char *v = argv[++*i];
    double d = 0;
    if (!strcmp(a, "--pixel-mm")) {
        if (number(a, v, 1e-9, &d))
            return -1;
        o->ov.has_pixel_mm = 1;
        o->ov.pixel_mm = d;
    } else if (!strcmp(a, "--height-scale")) {
        if (number(a, v, 1e-12, &d))
            return -1;
        o->ov.has_height_scale = 1;
        o->ov.height_um_per_unit = d;
    } else if (!strcmp(a, "--roi")) {
        if (parse_roi(v, o->ov.roi))
            return -1;
        o->ov.has_roi = 1;
    } else if (!strcmp(a, "--modality")) {
        if (st_modality_parse(v, &o->ov.modality)) {
            cli_fail(EXIT_BAD_USAGE, "--modality: '%s' is not photo, height or stereo", v);
            return -1;
        }
        o->ov.has_modality = 1;
    } else if (!strcmp(a, "--max-pixels")) {
        if (number(a, v, 1, &d))
            return -1;
        if (d != floor(d) || d > 1e18) {
            cli_fail(EXIT_BAD_USAGE, "--max-pixels: '%s' is not a whole number", v);
            return -1;
        }
        o->max_pixels = (uint64_t)d;
    } else {
        if (number(a, v, 1, &d) || d != floor(d) || d > 1024) {
            cli_fail(EXIT_BAD_USAGE, "-j: '%s' is not a thread count (1..1024)", v);
            return -1;
        }
        o->threads = (int)d;
    }
    return 1;
}
