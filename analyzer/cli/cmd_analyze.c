/* skintrack analyze SERIES_DIR [-o OUT] [options] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/progress_bar.h"
#include "cli/shared_opts.h"
#include "skintrack/skintrack.h"
#include "series/batch_plan.h"

/* Per photo: the first half of the library's steps registers each photo,
 * the second half measures it (st_analyze_opts.progress). */
static void show_progress(void *ctx, size_t done, size_t total, const char *file)
{
    size_t photos = total / 2, k = done <= photos ? done : done - photos;
    char text[128];
    snprintf(text, sizeof text, "%s %zu/%zu photos  %.40s", done <= photos ? "registered" : "measured",
             k, photos, file);
    cli_progress_draw(ctx, total ? (double)done / (double)total : 0.0, text);
}

typedef struct analyze_args {
    const char *out;
    st_analyze_opts o;
} analyze_args;

static int on_option(void *ctx, const cli_option *opt, const char *v)
{
    analyze_args *a = ctx;
    int r = cli_shared_apply(opt, v, &a->o);
    if (r)
        return r < 0 ? -1 : 0;
    if (!strcmp(opt->name, "output"))
        a->out = v;
    else if (!strcmp(opt->name, "no-images"))
        a->o.no_images = 1;
    else if (!strcmp(opt->name, "no-report"))
        a->o.no_report = 1;
    else if (!strcmp(opt->name, "quiet"))
        cli_quiet = 1;
    return 0;
}

int cmd_analyze(int argc, char **argv)
{
    analyze_args args = {0};
    int first, n = cli_parse(cli_command_named("analyze"), argc, argv, on_option, &args, &first);
    if (n < 0)
        return EXIT_BAD_USAGE;
    if (n > 1)
        return cli_fail(EXIT_BAD_USAGE, "analyze: one series folder at a time ('%s' is extra)", argv[first + 1]);
    const char *dir = n ? argv[first] : NULL, *out = args.out;
    st_analyze_opts o = args.o;
    if (!dir)
        return cli_fail(EXIT_BAD_USAGE, "analyze: which series folder? (skintrack analyze SERIES_DIR)");
    char def_out[4200];
    if (!out) {
        /* ./skintrack-out/<series>: never beside the series, where a batch
         * over the parent folder would take it for one (batch skips it). */
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
            n--;
        const char *base = dir + n;
        while (base > dir && base[-1] != '/')
            base--;
        snprintf(def_out, sizeof def_out, ST_DEFAULT_OUT_DIR "/%.*s", (int)(dir + n - base), base);
        if (!strcmp(def_out, ST_DEFAULT_OUT_DIR "/.") || !strcmp(def_out, ST_DEFAULT_OUT_DIR "/..") ||
            !strcmp(def_out, ST_DEFAULT_OUT_DIR "//"))
            return cli_fail(EXIT_BAD_USAGE, "analyze: name the output folder with -o OUT for '%s'", dir);
        out = def_out;
    }
    cli_progress bar;
    cli_progress_init(&bar);
    if (bar.enabled) {
        o.progress = show_progress;
        o.progress_ctx = &bar;
    }
    char when[32];
    o.run_date = cli_run_date(when, sizeof when);
    st_analysis *res = NULL;
    st_err err = {0};
    int rc = st_analyze_series(dir, out, &o, &res, &err);
    cli_progress_clear(&bar);
    if (rc) {
        size_t n_images, n_series;
        st_folder_survey(dir, &n_images, &n_series);
        if (!n_images && n_series)
            return cli_fail(cli_exit_for(rc), "%s (it holds %zu folders with photos: a batch root? "
                            "try skintrack batch %s)", err.msg, n_series, dir);
        return cli_fail(cli_exit_for(rc), "%s", err.msg);
    }
    for (int k = 0; st_analysis_note(res, k); k++)
        cli_note("note: %s", st_analysis_note(res, k));
    int n_failed = 0;
    for (; st_analysis_failure(res, n_failed); n_failed++)
        cli_line("%s: %s", dir, st_analysis_failure(res, n_failed));
    cli_note("%s: %d sessions, %d failed; results in %s", dir, st_analysis_sessions(res), n_failed, out);
    int status = n_failed ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
    st_analysis_free(res);
    return status;
}
