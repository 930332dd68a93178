/* skintrack metrics IMAGE [--json] [--raw] [options]: one image, measured
 * without registration; a session-like JSON object on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shared_opts.h"
#include "report/json_writer.h"
#include "series/measure_image.h"

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
    st_measure_image_opts o = {0};
    o.raw = args.raw;
    o.ov = shared.ov;
    o.max_pixels = shared.max_pixels;
    o.max_memory = shared.max_memory;
    o.threads = shared.threads;
    st_session_result r;
    st_err err;
    if (st_measure_image(path, &o, &r, &err))
        return cli_fail(cli_exit_for(err.code), "%s", err.msg);
    st_modality mod = o.ov.has_modality ? o.ov.modality : ST_MODALITY_PHOTO;
    char *text = st_image_json_render(&r, path, st_modality_name(mod), &err);
    st_session_result_free(&r);
    if (!text)
        return cli_fail(EXIT_INTERNAL, "%s", err.msg);
    puts(text);
    free(text);
    return EXIT_ALL_DONE;
}
