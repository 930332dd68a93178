/* skintrack merge OUT_DB SHARD_DB...: join the results databases of batch
 * shards. Idempotent: merging the same shard twice changes nothing. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "pipeline/batch.h"
#include "series/results_db.h"

static int on_option(void *ctx, const cli_option *opt, const char *v)
{
    cli_quiet = 1; /* --quiet, the only option */
    return 0;
}

int cmd_merge(int argc, char **argv)
{
    int first, count = cli_parse(cli_command_named("merge"), argc, argv, on_option, NULL, &first);
    if (count < 0)
        return EXIT_BAD_USAGE;
    if (count < 2)
        return cli_fail(EXIT_BAD_USAGE, "merge: usage: skintrack merge OUT_DB SHARD_DB...");
    argc = count + 1;
    argv += first - 1; /* argv[1] is OUT_DB from here on */
    /* Every shard checked before OUT_DB is opened: a missing or foreign
     * shard leaves nothing created or changed. */
    st_err err;
    int bad = 0;
    for (int i = 2; i < argc; i++)
        if (st_db_check_shard(argv[i], &err))
            bad = cli_fail(EXIT_BAD_USAGE, "merge: %s", err.msg);
    if (bad)
        return cli_fail(EXIT_BAD_USAGE, "merge: nothing merged; %s left as it was", argv[1]);
    st_db *db;
    if (st_db_open(argv[1], &db, &err))
        return cli_fail(cli_exit_for(err.code), "%s", err.msg);
    int status = EXIT_ALL_DONE;
    for (int i = 2; i < argc; i++) {
        if (st_db_merge(db, argv[i], &err)) {
            cli_fail(EXIT_SOME_FAILED, "%s", err.msg);
            status = EXIT_SOME_FAILED;
        }
    }
    /* The overview beside OUT_DB covers every series the database now holds. */
    char **names;
    size_t n = 0;
    char out[4096];
    snprintf(out, sizeof out, "%s", argv[1]);
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(out, sizeof out, ".");
    if (st_db_series_names(db, &names, &n, &err) || st_batch_write_index(out, db, names, n, &err)) {
        cli_fail(EXIT_SOME_FAILED, "%s", err.msg);
        status = EXIT_SOME_FAILED;
    } else {
        cli_note("merged %d shard(s) into %s: %zu series; overview in %s/index.html, values in metrics.csv",
                 argc - 2, argv[1], n, out);
    }
    st_db_free_names(names, n);
    st_db_close(db);
    return status;
}
