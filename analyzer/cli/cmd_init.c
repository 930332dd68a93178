/* skintrack init DIR [--force]: a series.json skeleton from the photos found. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/atomic_file.h"
#include "series/skeleton.h"

typedef struct init_args {
    int force;
} init_args;

static int on_option(void *ctx, const cli_option *opt, const char *v)
{
    init_args *a = ctx;
    (void)v;
    if (!strcmp(opt->name, "force"))
        a->force = 1;
    else if (!strcmp(opt->name, "quiet"))
        cli_quiet = 1;
    return 0;
}

int cmd_init(int argc, char **argv)
{
    init_args a = {0};
    int first, n = cli_parse(cli_command_named("init"), argc, argv, on_option, &a, &first);
    if (n < 0)
        return EXIT_BAD_USAGE;
    if (n != 1)
        return cli_fail(EXIT_BAD_USAGE, n ? "init: one series folder at a time ('%s' is extra)"
                                          : "init: which series folder? (skintrack init DIR)%s",
                        n ? argv[first + 1] : "");
    const char *dir = argv[first];
    char path[4200];
    if (snprintf(path, sizeof path, "%s/series.json", dir) >= (int)sizeof path)
        return cli_fail(EXIT_BAD_USAGE, "init: %s: path too long", dir);
    struct stat sb;
    if (!a.force && lstat(path, &sb) == 0)
        return cli_fail(EXIT_BAD_USAGE, "init: %s exists; left as it is (--force replaces it)", path);
    st_skeleton sk;
    st_err err = {0};
    int rc = st_skeleton_build(dir, &sk, &err);
    if (!rc)
        rc = st_atomic_write(path, sk.json, strlen(sk.json), &err);
    if (rc) {
        st_skeleton_free(&sk); /* zeroed when the build failed */
        return cli_fail(cli_exit_for(rc), "init: %s", err.msg);
    }
    cli_note("wrote %s: %zu sessions, %zu photos%s; complete patient, area, pixel_mm and roi "
             "(x, y, width, height in baseline pixels; null: the automatic skin area)",
             path, sk.n_sessions, sk.n_photos,
             sk.dates_unknown ? "; dates unknown (file-name order): add each session's date" : "");
    st_skeleton_free(&sk);
    return EXIT_ALL_DONE;
}
