/* skintrack analyze SERIES_DIR [-o OUT] [options] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/shared_opts.h"
#include "series/analyze.h"

/* A one-line progress bar on a terminal only. */
static void show_progress(void *ctx, size_t done, size_t total, const char *file)
{
    (void)ctx;
    int width = 30, fill = total ? (int)(width * done / total) : width;
    char name[41];
    snprintf(name, sizeof name, "%-40.40s", file);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu ", fill, "##############################", width - fill, "",
            done, total);
    cli_escape_to(stderr, name); /* a file name: control characters escaped */
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

int cmd_analyze(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    st_analyze_opts o = {0};
    for (int i = 1; i < argc; i++) {
        int r = cli_shared_option(argc, argv, &i, &o);
        if (r < 0)
            return EXIT_BAD_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc)
                return cli_fail(EXIT_BAD_USAGE, "-o needs a folder");
            out = argv[++i];
        } else if (!strcmp(argv[i], "--no-images")) {
            o.no_images = 1;
        } else if (!strcmp(argv[i], "--no-report")) {
            o.no_report = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_fail(EXIT_BAD_USAGE, "analyze: unknown option '%s' (try skintrack analyze --help)", argv[i]);
        } else if (!dir) {
            dir = argv[i];
        } else {
            return cli_fail(EXIT_BAD_USAGE, "analyze: one series folder at a time ('%s' is extra)", argv[i]);
        }
    }
    if (!dir)
        return cli_fail(EXIT_BAD_USAGE, "analyze: which series folder? (skintrack analyze SERIES_DIR)");
    char def_out[4200];
    if (!out) {
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
            n--;
        snprintf(def_out, sizeof def_out, "%.*s.out", (int)n, dir);
        out = def_out;
    }
    if (isatty(STDERR_FILENO))
        o.progress = show_progress;
    char when[32];
    o.run_date = cli_run_date(when, sizeof when);
    st_analyze_result res;
    st_err err = {0};
    cli_signals_remove_temporaries();
    int rc = st_analyze_series(dir, out, &o, &res, &err);
    if (rc) {
        st_analyze_result_free(&res);
        return cli_fail(cli_exit_for(rc), "%s", err.msg);
    }
    for (size_t k = 0; k < res.notes.count; k++)
        cli_line("note: %s", res.notes.items[k]);
    for (size_t k = 0; k < res.failures.count; k++)
        cli_line("%s: %s", dir, res.failures.items[k]);
    cli_line("%s: %zu sessions, %zu failed; results in %s", dir, res.n_sessions, res.n_failed, out);
    int status = res.n_failed ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
    st_analyze_result_free(&res);
    return status;
}
