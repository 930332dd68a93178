/* skintrack metrics IMAGE [--json] [--raw] [options]: one image, measured
 * without registration; a session-like JSON object on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shared_opts.h"
#include "skintrack/skintrack.h"

typedef struct metrics_args {
    st_analyze_opts shared;
    int raw;
} metrics_args;

static int on_option(void *ctx, const cli_option *opt, const char *v)
{
    metrics_args *a = ctx;
    int r = cli_shared_apply(opt, v, &a->shared);
    if (r)
        return r < 0 ? -1 : 0;
    if (!strcmp(opt->name, "raw"))
        a->raw = 1; /* --json: JSON is the only output form */
    return 0;
}

int cmd_metrics(int argc, char **argv)
{
    metrics_args args = {0};
    int first, n = cli_parse(cli_command_named("metrics"), argc, argv, on_option, &args, &first);
    if (n < 0)
        return EXIT_BAD_USAGE;
    if (n > 1)
        return cli_fail(EXIT_BAD_USAGE, "metrics: more than one IMAGE ('%s')", argv[first + 1]);
    if (n == 0)
        return cli_fail(EXIT_BAD_USAGE, "metrics: usage: skintrack metrics IMAGE [--json] [--raw]");
    const char *path = argv[first];
    st_analyze_opts shared = args.shared;
    st_measure_opts o;
    st_measure_opts_init(&o);
    o.raw = args.raw;
    o.has_pixel_mm = shared.has_pixel_mm;
    o.has_roi = shared.has_roi;
    o.has_modality = shared.has_modality;
    o.has_height_scale = shared.has_height_scale;
    o.pixel_mm = shared.pixel_mm;
    memcpy(o.roi, shared.roi, sizeof o.roi);
    o.modality = shared.modality;
    o.height_um_per_unit = shared.height_um_per_unit;
    o.max_pixels = shared.max_pixels;
    o.max_memory = shared.max_memory;
    o.threads = shared.threads;
    st_measurement *m;
    st_err err;
    if (st_measure_image(path, &o, &m, &err)) {
        /* every message names the file ("out of memory" alone does not) */
        if (strstr(err.msg, path))
            return cli_fail(cli_exit_for(err.code), "%s", err.msg);
        return cli_fail(cli_exit_for(err.code), "%s: %s", path, err.msg);
    }
    char *text;
    int rc = st_measurement_json(m, &text, &err);
    st_measurement_free(m);
    if (rc)
        return cli_fail(EXIT_INTERNAL, "%s", err.msg);
    puts(text);
    st_free(text);
    return EXIT_ALL_DONE;
}
