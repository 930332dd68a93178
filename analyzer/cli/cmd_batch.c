/* skintrack batch ROOT [-o OUT] [-j N] [--shard K/N]: every series under ROOT. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/progress_bar.h"
#include "series/analyze.h"
#include "series/batch.h"
#include "series/batch_plan.h"

static volatile sig_atomic_t cancel_requested;

/* First SIGINT/SIGTERM: finish running series, start no new one. Second:
 * the default action (stop now; finished series are already stored). */
static void on_signal(int sig)
{
    cancel_requested = 1;
    signal(sig, SIG_DFL);
}

typedef struct batch_cli {
    cli_shared_opts shared;
    cli_progress bar;
} batch_cli;

static int analyze_one(const char *series_dir, const char *out_dir, int threads, void *ctx,
                       st_err *err)
{
    const batch_cli *b = ctx;
    st_analyze_opts o = {.ov = b->shared.ov, .max_pixels = b->shared.max_pixels, .threads = threads};
    return st_analyze_series(series_dir, out_dir, &o, NULL, err);
}

static void on_progress(const st_batch_progress *p, void *ctx)
{
    batch_cli *b = ctx;
    if (p->series_status) {
        cli_progress_clear(&b->bar);
        fprintf(stderr, "skintrack: series %s failed: %s\n", p->series, p->message);
    }
    cli_progress_draw(&b->bar, p->done, p->total, p->elapsed_s,
                      p->elapsed_s > 0 ? (double)p->photos / p->elapsed_s : 0.0, "series");
}

static int parse(int argc, char **argv, batch_cli *b, const char **root, const char **out,
                 int *k, int *n)
{
    for (int i = 1; i < argc; i++) {
        int used = cli_parse_shared(argc, argv, &i, &b->shared);
        if (used < 0)
            return -1;
        if (used)
            continue;
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            *out = argv[++i];
        else if (!strcmp(argv[i], "--shard") && i + 1 < argc) {
            if (st_shard_parse(argv[++i], k, n))
                return cli_fail(-1, "--shard: '%s' is not K/N with 1 <= K <= N", argv[i]);
        } else if (argv[i][0] == '-')
            return cli_fail(-1, "batch: unknown option '%s' (see skintrack batch --help)", argv[i]);
        else if (!*root)
            *root = argv[i];
        else
            return cli_fail(-1, "batch: more than one ROOT ('%s')", argv[i]);
    }
    if (!*root)
        return cli_fail(-1, "batch: usage: skintrack batch ROOT [-o OUT] [-j N] [--shard K/N]");
    return 0;
}

int cmd_batch(int argc, char **argv)
{
    batch_cli b = {0};
    const char *root = NULL, *out = NULL;
    int k = 1, n = 1;
    if (parse(argc, argv, &b, &root, &out, &k, &n))
        return EXIT_BAD_USAGE;
    char default_out[4096];
    if (!out) {
        snprintf(default_out, sizeof default_out, "%s.out", root);
        out = default_out;
    }
    char options[512];
    cli_shared_text(&b.shared, options, sizeof options);
    cli_progress_init(&b.bar);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    st_batch_opts o = {.threads = b.shared.threads, .shard_k = k, .shard_n = n,
                       .options_text = options, .analyze = analyze_one, .analyze_ctx = &b,
                       .cancel = &cancel_requested, .progress = on_progress, .progress_ctx = &b};
    st_batch_result r;
    st_err err;
    int rc = st_batch_run(root, out, &o, &r, &err);
    cli_progress_clear(&b.bar);
    if (rc)
        return cli_fail(cli_exit_for(rc), "%s", err.msg);
    fprintf(stderr, "skintrack: %zu series: %zu analysed, %zu skipped (unchanged), %zu failed, "
                    "%zu with failed sessions; results in %s\n",
            r.total, r.analysed, r.skipped, r.failed, r.partial, out);
    if (r.cancelled)
        fprintf(stderr, "skintrack: interrupted: %zu series not analysed; run again to resume\n",
                r.total - r.analysed - r.skipped - r.failed);
    return (r.failed || r.partial || r.cancelled) ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
}
