/* `skintrack batch`: every series under a root folder, in parallel, with an
 * incremental results database. The batch is a scheduler: the analysis of one
 * series is the caller's function (the CLI passes the analyze pipeline), so
 * the scheduling, skipping and storing are the same whatever is measured. */
#ifndef ST_BATCH_H
#define ST_BATCH_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>

#include "series/results_db.h"
#include "skintrack/skintrack.h"

/* How a running series tells the batch how far it is: fn(ctx, done, total,
 * file) after each of its `total` steps (the form of st_analyze_opts.progress,
 * so an analysis can be handed it as it is). */
typedef struct st_series_tick {
    void (*fn)(void *ctx, size_t done, size_t total, const char *file);
    void *ctx;
} st_series_tick;

/* Analyses one series folder into out_dir (which exists), using up to
 * `threads` threads, and writes out_dir/metrics.json, reporting its steps to
 * tick. Returns ST_OK when the series was analysed (even if some of its
 * sessions failed), else an error with its message in err. Must be safe to
 * call from several threads. */
typedef int (*st_series_fn)(const char *series_dir, const char *out_dir, int threads,
                            const st_series_tick *tick, void *ctx, st_err *err);

typedef struct st_batch_progress {
    size_t done, total, skipped, failed;
    size_t photos;        /* images analysed so far (skipped series excluded) */
    /* Photos of the series this run analyses, done so far: a running series
     * counts its photos times the fraction of its steps done, so the bar
     * moves per photo; skipped series leave the total. */
    double photos_done, photos_total;
    double elapsed_s;
    const char *series;   /* the series just finished, or the one that made a step */
    int finished;         /* 1: `series` just finished; 0: one of its steps */
    int series_status;    /* ST_OK or its error code (finished only) */
    const char *message;  /* its error message, "" when ok */
} st_batch_progress;

/* A running batch, for a caller that must end the process before the
 * running series finish (SIGTERM/SIGINT, issue 24: the analysis of a series
 * cannot be broken off in between, and a photo may take seconds). The
 * caller owns it (its lock initialised, db NULL); the
 * batch fills db and run_id once its run is recorded and clears them before
 * closing the database. */
typedef struct st_batch_live {
    pthread_mutex_t lock;
    st_db *db;
    int64_t run_id;
} st_batch_live;

/* Called by that caller from any thread (not a signal handler), then ends
 * the process: removes the temporaries and hidden run folders being
 * written (OUT/<series> of a running series stays as it was) and records
 * the run as "interrupted", after any series being stored (each is one
 * transaction: results.db keeps exactly the series stored before, the
 * running ones are not recorded, so the next batch redoes them). It keeps
 * `live` locked: the batch cannot close its database any more. */
void st_batch_abandon(st_batch_live *live);

typedef struct st_batch_opts {
    int threads;                 /* <= 0: all cores; split across series, never oversubscribed */
    int shard_k, shard_n;        /* shard_n <= 1: everything */
    const char *options_text;    /* analysis options as text: part of every fingerprint */
    st_series_fn analyze;
    void *analyze_ctx;
    volatile sig_atomic_t *cancel; /* set to non-zero (e.g. by SIGINT): no new series start */
    void (*progress)(const st_batch_progress *p, void *ctx); /* called under a lock */
    void *progress_ctx;
    st_batch_live *live;         /* NULL: none (see st_batch_abandon) */
} st_batch_opts;

typedef struct st_batch_result {
    size_t total, analysed, skipped, failed, partial;
    size_t photos;
    int cancelled;
    /* A damaged results database found at the start: where it was set
     * aside and what SQLite said ("" when none). */
    char db_set_aside[1100], db_damage[256];
} st_batch_result;

/* Returns ST_OK when the batch ran (even if series failed: see result), or
 * an error that stopped it (unreadable root, database problems). */
int st_batch_run(const char *root, const char *out, const st_batch_opts *opts,
                 st_batch_result *result, st_err *err);

/* OUT/index.html, OUT/summary.csv and OUT/metrics.csv (every series' values
 * in one long table, report/cohort_csv.h) over the series folders
 * OUT/<name>; a series that db holds as failed is listed with its stored
 * cause (db may be NULL). */
int st_batch_write_index(const char *out, st_db *db, char *const *names, size_t count, st_err *err);

#endif
