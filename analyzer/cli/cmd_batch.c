/* skintrack batch ROOT [-o OUT] [-j N] [--shard K/N]: every series under ROOT. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shared_opts.h"
#include "cli/progress_bar.h"
#include "pipeline/batch.h"
#include "series/batch_plan.h"

static volatile sig_atomic_t cancel_requested;

typedef struct batch_cli {
    st_analyze_opts analyze;
    cli_progress bar;
} batch_cli;

/* A canonical text of the options that change results (part of every series
 * fingerprint and of the runs table): the same options give the same text.
 * -j is left out on purpose: results do not depend on it. */
static void options_text(const st_analyze_opts *o, char *buf, size_t len)
{
    int n = snprintf(buf, len, "max-pixels=%llu", (unsigned long long)o->max_pixels);
    if (o->has_pixel_mm && n < (int)len)
        n += snprintf(buf + n, len - (size_t)n, " pixel-mm=%.9g", o->pixel_mm);
    if (o->has_roi && n < (int)len)
        n += snprintf(buf + n, len - (size_t)n, " roi=%d,%d,%d,%d", o->roi[0], o->roi[1],
                      o->roi[2], o->roi[3]);
    if (o->has_modality && n < (int)len)
        n += snprintf(buf + n, len - (size_t)n, " modality=%s", st_modality_name(o->modality));
    if (o->has_height_scale && n < (int)len)
        snprintf(buf + n, len - (size_t)n, " height-scale=%.9g", o->height_um_per_unit);
}

/* Series run on several threads: their lines and the bar take turns. */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

/* SIGINT/SIGTERM end the batch within a second (issue 24). The signals are
 * blocked in every thread and taken by this watcher (sigtimedwait), so it
 * can act outside a signal handler. The first one stops new series from
 * starting (st_batch_opts.cancel); a batch with nothing running then ends on
 * its own, recording its run as "interrupted". Series still running after
 * STOP_GRACE_S (the analysis has no cancellation point finer than a photo,
 * which can take seconds), or a second signal, end the process here: the
 * temporaries and hidden run folders being written are removed, OUT/<series>
 * of a running series stays as it was, and results.db keeps exactly the
 * series stored before (each in one SQLite transaction: one half-written is
 * rolled back), so the next batch redoes the interrupted ones. */
#define STOP_GRACE_S 0.5

typedef struct signal_watch {
    pthread_t thread;
    _Atomic int batch_over; /* set by the main thread when st_batch_run returned */
    batch_cli *b;
    st_batch_live live;
} signal_watch;

static void stop_signals_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
}

static _Noreturn void stop_now(signal_watch *w)
{
    st_batch_abandon(&w->live);
    pthread_mutex_lock(&print_lock); /* no line half-printed by a worker */
    cli_progress_clear(&w->b->bar);
    cli_line("interrupted: running series stopped (not stored); finished series are in "
             "results.db; run again to resume");
    _exit(EXIT_SOME_FAILED);
}

static void *watch_signals(void *ctx)
{
    signal_watch *w = ctx;
    sigset_t set;
    stop_signals_set(&set);
    const struct timespec poll = {0, 50 * 1000 * 1000};
    struct timespec first = {0, 0}, now;
    while (!w->batch_over) {
        int sig = sigtimedwait(&set, NULL, &poll);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (sig > 0 && cancel_requested)
            stop_now(w); /* a second signal */
        if (sig > 0) {
            cancel_requested = 1;
            first = now;
        }
        if (cancel_requested && !w->batch_over &&
            (double)(now.tv_sec - first.tv_sec) + 1e-9 * (double)(now.tv_nsec - first.tv_nsec) > STOP_GRACE_S)
            stop_now(w);
    }
    return NULL;
}

/* Blocks SIGINT/SIGTERM in this thread (and so in every thread the batch
 * starts) and starts the watcher. */
static int watch_start(signal_watch *w, batch_cli *b)
{
    sigset_t set;
    stop_signals_set(&set);
    w->b = b;
    w->batch_over = 0;
    pthread_mutex_init(&w->live.lock, NULL);
    w->live.db = NULL;
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    return pthread_create(&w->thread, NULL, watch_signals, w);
}

/* After st_batch_run: the watcher ends within one poll. A signal that comes
 * later stays pending (blocked) while the summary is printed. */
static void watch_end(signal_watch *w)
{
    w->batch_over = 1;
    pthread_join(w->thread, NULL);
}

/* The series' own name for messages: the last part of its folder. */
static const char *series_name(const char *dir)
{
    const char *slash = strrchr(dir, '/');
    return slash && slash[1] ? slash + 1 : dir;
}

static int analyze_one(const char *series_dir, const char *out_dir, int threads,
                       const st_series_tick *tick, void *ctx, st_err *err)
{
    batch_cli *b = ctx;
    st_analyze_opts o = b->analyze;
    o.threads = threads;
    o.progress = tick->fn; /* per photo, into the batch's bar (on_progress) */
    o.progress_ctx = tick->ctx;
    st_analysis *res = NULL;
    int rc = st_analyze_series(series_dir, out_dir, &o, &res, err);
    /* Every failed session by its series, photo and cause (SPEC: each named on stderr). */
    pthread_mutex_lock(&print_lock);
    if (!rc && st_analysis_failure(res, 0))
        cli_progress_clear(&b->bar);
    for (int k = 0; !rc && st_analysis_failure(res, k); k++)
        cli_line("series %s: %s", series_name(series_dir), st_analysis_failure(res, k));
    pthread_mutex_unlock(&print_lock);
    st_analysis_free(res);
    return rc;
}

/* Per photo of every series (st_batch_progress.photos_done), and each
 * failed series on a line of its own. */
static void on_progress(const st_batch_progress *p, void *ctx)
{
    batch_cli *b = ctx;
    pthread_mutex_lock(&print_lock);
    if (p->finished && p->series_status) {
        cli_progress_clear(&b->bar);
        cli_line("series %s failed: %s", p->series, p->message);
    }
    char text[128];
    snprintf(text, sizeof text, "%.0f/%.0f photos, %zu/%zu series", p->photos_done, p->photos_total,
             p->done, p->total);
    cli_progress_draw(&b->bar, p->photos_total > 0 ? p->photos_done / p->photos_total
                                                  : p->total ? (double)p->done / (double)p->total : 1.0,
                      text);
    pthread_mutex_unlock(&print_lock);
}

typedef struct batch_args {
    batch_cli *b;
    const char *out;
    int k, n;
} batch_args;

static int on_option(void *ctx, const cli_option *opt, const char *v)
{
    batch_args *a = ctx;
    int r = cli_shared_apply(opt, v, &a->b->analyze);
    if (r)
        return r < 0 ? -1 : 0;
    if (!strcmp(opt->name, "output"))
        a->out = v;
    else if (!strcmp(opt->name, "quiet"))
        cli_quiet = 1;
    else if (!strcmp(opt->name, "shard") && st_shard_parse(v, &a->k, &a->n))
        return cli_fail(-1, "--shard: '%s' is not K/N with 1 <= K <= N", v);
    return 0;
}

static int parse(int argc, char **argv, batch_cli *b, const char **root, const char **out,
                 int *k, int *n)
{
    batch_args a = {b, NULL, 1, 1};
    int first, count = cli_parse(cli_command_named("batch"), argc, argv, on_option, &a, &first);
    if (count < 0)
        return -1;
    if (count > 1)
        return cli_fail(-1, "batch: more than one ROOT ('%s')", argv[first + 1]);
    if (count == 0)
        return cli_fail(-1, "batch: usage: skintrack batch ROOT [-o OUT] [-j N] [--shard K/N]");
    *root = argv[first];
    *out = a.out;
    *k = a.k;
    *n = a.n;
    return 0;
}

int cmd_batch(int argc, char **argv)
{
    batch_cli b = {0};
    const char *root = NULL, *out = NULL;
    int k = 1, n = 1;
    if (parse(argc, argv, &b, &root, &out, &k, &n))
        return EXIT_BAD_USAGE;
    size_t n_images, n_series;
    st_folder_survey(root, &n_images, &n_series);
    if (n_images && !n_series) /* before anything is created */
        return cli_fail(EXIT_BAD_USAGE, "batch: %s holds %zu photos and no series folders: it looks "
                        "like one series (try skintrack analyze %s)", root, n_images, root);
    char default_out[4096];
    if (!out) {
        snprintf(default_out, sizeof default_out, "%s.out", root);
        out = default_out;
    }
    char options[512], when[32];
    options_text(&b.analyze, options, sizeof options);
    b.analyze.run_date = cli_run_date(when, sizeof when);
    cli_progress_init(&b.bar);
    signal_watch watch;
    if (watch_start(&watch, &b))
        return cli_fail(EXIT_INTERNAL, "batch: cannot start the signal watcher");
    st_batch_opts o = {.threads = b.analyze.threads, .shard_k = k, .shard_n = n,
                       .options_text = options, .analyze = analyze_one, .analyze_ctx = &b,
                       .cancel = &cancel_requested, .progress = on_progress, .progress_ctx = &b,
                       .live = &watch.live};
    st_batch_result r;
    st_err err;
    int rc = st_batch_run(root, out, &o, &r, &err);
    watch_end(&watch);
    cli_progress_clear(&b.bar);
    if (r.db_set_aside[0])
        cli_line("note: results database damaged (%s): set aside as %s and rebuilt", r.db_damage,
                 r.db_set_aside);
    if (rc)
        return cli_fail(cli_exit_for(rc), "%s", err.msg);
    cli_note("%zu series: %zu analysed, %zu skipped (unchanged), %zu failed, "
             "%zu with failed sessions; results in %s",
             r.total, r.analysed, r.skipped, r.failed, r.partial, out);
    if (r.cancelled)
        cli_line("interrupted: %zu series not analysed; run again to resume",
                 r.total - r.analysed - r.skipped - r.failed);
    return (r.failed || r.partial || r.cancelled) ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
}
