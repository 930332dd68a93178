/* skintrack report OUT_DIR...: (re)writes report.html and report.pdf from
 * the metrics.json that `analyze` left in each OUT_DIR; with --index ROOT,
 * also ROOT/index.html and ROOT/summary.csv over those folders. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "report/report.h"

static int on_option(void *ctx, const cli_option *opt, const char *v)
{
    *(const char **)ctx = v; /* --index, the only option */
    return 0;
}

int cmd_report(int argc, char **argv)
{
    const char *index_root = NULL;
    int first, count = cli_parse(cli_command_named("report"), argc, argv, on_option, &index_root, &first);
    if (count < 0)
        return EXIT_BAD_USAGE;
    const char *const *dirs = (const char *const *)argv + first;
    size_t n = (size_t)count;
    if (n == 0)
        return cli_fail(EXIT_BAD_USAGE, "report: give at least one output folder of analyze");
    char when[32];
    st_report_opts opts = {cli_run_date(when, sizeof when)};
    int status = EXIT_ALL_DONE;
    for (size_t i = 0; i < n; i++) {
        st_err err = {0};
        if (st_report_write_opts(dirs[i], &opts, &err) != ST_OK) {
            cli_fail(cli_exit_for(err.code), "%s", err.msg);
            status = EXIT_SOME_FAILED;
        }
    }
    if (index_root) {
        st_err err = {0};
        if (st_batch_index_write(index_root, dirs, NULL, n, &err) != ST_OK)
            return cli_fail(cli_exit_for(err.code), "%s", err.msg);
    }
    return status;
}
