/* skintrack metrics IMAGE [--json] [--raw] [options]: one image, measured
 * without registration; a session-like JSON object on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/shared_opts.h"
#include "report/json_writer.h"
#include "series/measure_image.h"

int cmd_metrics(int argc, char **argv)
{
    st_analyze_opts shared = {0};
    st_measure_image_opts o = {0};
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        int used = cli_shared_option(argc, argv, &i, &shared);
        if (used < 0)
            return EXIT_BAD_USAGE;
        if (used || !strcmp(argv[i], "--json"))
            continue; /* JSON is the only output form */
        if (!strcmp(argv[i], "--raw"))
            o.raw = 1;
        else if (argv[i][0] == '-')
            return cli_fail(EXIT_BAD_USAGE, "metrics: unknown option '%s' (see skintrack metrics --help)",
                            argv[i]);
        else if (!path)
            path = argv[i];
        else
            return cli_fail(EXIT_BAD_USAGE, "metrics: more than one IMAGE ('%s')", argv[i]);
    }
    if (!path)
        return cli_fail(EXIT_BAD_USAGE, "metrics: usage: skintrack metrics IMAGE [--json] [--raw]");
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
