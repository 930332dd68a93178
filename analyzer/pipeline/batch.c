#define _DEFAULT_SOURCE /* realpath */
#include "pipeline/batch.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/parallel.h"
#include "report/cohort_csv.h"
#include "report/report.h"
#include "series/batch_plan.h"
#include "series/manifest.h"
#include "series/metrics_import.h"
#include "series/results_db.h"

typedef struct batch_state {
    const char *root, *out;
    const st_batch_opts *opts;
    st_db *db;
    int64_t run_id;
    char **names;
    size_t count, next;
    int inner_threads;
    pthread_mutex_t lock;
    st_batch_result *result;
    struct timespec t0;
    int fatal;      /* a database error: stop starting new series */
    st_err fatal_err;
    size_t *series_photos;            /* images in each series, counted at the start */
    double photos_done, photos_total; /* for the progress bar (see series_share) */
} batch_state;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Who a failed series is about: it has no metrics.json, so its series.json
 * says, when it parses (all "" otherwise, and for what it leaves out). */
static void manifest_identity(const char *dir, st_db_identity *id)
{
    st_manifest m;
    st_err ignored;
    id->patient[0] = id->area[0] = id->modality[0] = '\0';
    if (st_manifest_load(dir, &m, &ignored))
        return;
    snprintf(id->patient, sizeof id->patient, "%s", m.patient);
    snprintf(id->area, sizeof id->area, "%s", m.area);
    if (m.has_modality)
        snprintf(id->modality, sizeof id->modality, "%s", st_modality_name(m.modality));
    st_manifest_free(&m);
}

/* Stores a series (analysed now, status its outcome; or analysed before and
 * stored by an older schema) from its metrics.json; counts it as partial when
 * sessions failed. A database error stops the batch. */
static void store_series(batch_state *b, const char *name, const char *dir, const char *json,
                         const st_series_files *files, int *status, st_err *err)
{
    st_imported imp = {0};
    st_db_identity failed_id = {0};
    if (!*status)
        *status = st_metrics_import(json, &imp, err);
    if (*status)
        manifest_identity(dir, &failed_id);
    st_db_series rec = {.name = name, .dir = dir, .fingerprint = files->fingerprint,
                        .patient = *status ? failed_id.patient : imp.patient,
                        .area = *status ? failed_id.area : imp.area,
                        .modality = *status ? failed_id.modality : imp.modality,
                        .status = *status ? "failed" : (imp.n_failed_sessions ? "partial" : "ok"),
                        .message = *status ? err->msg : "", .run_id = b->run_id,
                        .has_index = imp.has_index, .remodeling_index = imp.remodeling_index,
                        .ci_lo = imp.ci_lo, .ci_hi = imp.ci_hi, .images = files->files,
                        .n_images = files->count, .sessions = imp.sessions,
                        .n_sessions = imp.n_sessions, .metrics = imp.metrics,
                        .n_metrics = imp.n_metrics};
    st_err db_err;
    int db_rc = st_db_store_series(b->db, &rec, &db_err);
    pthread_mutex_lock(&b->lock);
    b->result->partial += !*status && imp.n_failed_sessions;
    if (db_rc) {
        b->fatal = 1;
        b->fatal_err = db_err;
    }
    pthread_mutex_unlock(&b->lock);
    st_imported_free(&imp);
}

/* Completes a row stored by schema 1 (no patient, area, modality): a
 * success from its metrics.json, a failure from its series.json, keeping
 * the stored cause. Returns the success's status (a metrics.json that no
 * longer reads fails it); ST_OK for a failure, whose status stays. */
static int complete_old_row(batch_state *b, const char *name, const char *dir, const char *json,
                            const st_series_files *files, const char *old_status, st_err *err)
{
    int status = ST_OK;
    if (strcmp(old_status, "failed")) {
        store_series(b, name, dir, json, files, &status, err);
        return status;
    }
    st_err why;
    char stored[16];
    st_err_clear(&why);
    st_err db_err;
    if (st_db_series_failure(b->db, name, stored, why.msg, sizeof why.msg, &db_err)) {
        pthread_mutex_lock(&b->lock); /* a database error stops the batch, as in store_series */
        b->fatal = 1;
        b->fatal_err = db_err;
        pthread_mutex_unlock(&b->lock);
        return ST_OK;
    }
    status = ST_EFORMAT;
    store_series(b, name, dir, json, files, &status, &why);
    return ST_OK;
}

/* Analyses (or skips) one series and stores it; returns the series status. */
static int one_series(batch_state *b, const char *name, const st_series_tick *tick, int *skipped,
                      size_t *photos, st_err *err)
{
    char dir[4096], out_dir[4096], json[4200];
    snprintf(dir, sizeof dir, "%s/%s", b->root, name);
    snprintf(out_dir, sizeof out_dir, "%s/%s", b->out, name);
    snprintf(json, sizeof json, "%s/metrics.json", out_dir);
    st_series_files files;
    int rc = st_series_fingerprint(dir, name, b->opts->options_text, b->db, &files, err);
    if (rc)
        return rc;
    *photos = files.count;
    char old_fp[65], old_status[16];
    int found = 0, outdated = 0;
    rc = st_db_series_state(b->db, name, old_fp, old_status, &found, &outdated, err);
    /* Unchanged inputs and options: the stored result stands (a failure too:
     * the same inputs would fail the same way). A success whose outputs were
     * deleted is analysed again. */
    *skipped = !rc && found && !strcmp(old_fp, files.fingerprint) &&
               (!strcmp(old_status, "failed") || file_exists(json));
    if (rc || *skipped) {
        int ok = 0;
        if (!rc && outdated) /* a row of schema 1: completed */
            ok = complete_old_row(b, name, dir, json, &files, old_status, err);
        st_series_files_free(&files);
        if (!rc && !outdated && !strcmp(old_status, "partial")) {
            pthread_mutex_lock(&b->lock);
            b->result->partial++;
            pthread_mutex_unlock(&b->lock);
        }
        if (rc || strcmp(old_status, "failed"))
            return rc ? rc : ok;
        return st_err_set(err, ST_EFORMAT, "%s: failed in an earlier run with the same inputs "
                          "(reason in results.db)", dir);
    }
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
        st_series_files_free(&files);
        return st_err_set(err, ST_EIO, "%s: cannot create (%s)", out_dir, strerror(errno));
    }
    int status = b->opts->analyze(dir, out_dir, b->inner_threads, tick, b->opts->analyze_ctx, err);
    store_series(b, name, dir, json, &files, &status, err);
    st_series_files_free(&files);
    return status;
}

/* Called under b->lock. */
static void report_progress(batch_state *b, const char *name, int finished, int status,
                            const st_err *err)
{
    if (!b->opts->progress)
        return;
    st_batch_progress p = {.done = b->result->analysed + b->result->skipped + b->result->failed,
                           .total = b->count, .skipped = b->result->skipped,
                           .failed = b->result->failed, .photos = b->result->photos,
                           .photos_done = b->photos_done, .photos_total = b->photos_total,
                           .elapsed_s = seconds_since(&b->t0), .series = name,
                           .finished = finished, .series_status = status,
                           .message = status ? err->msg : ""};
    b->opts->progress(&p, b->opts->progress_ctx);
}

/* A running series' share of the batch's photos: its photos (counted when
 * the batch began) times the fraction of its own steps done. */
typedef struct series_share {
    batch_state *b;
    const char *name;
    double photos, counted;
} series_share;

static void on_series_step(void *ctx, size_t done, size_t total, const char *file)
{
    series_share *s = ctx;
    (void)file;
    double f = total ? (double)(done < total ? done : total) / (double)total : 0.0;
    pthread_mutex_lock(&s->b->lock);
    s->b->photos_done += s->photos * f - s->counted;
    s->counted = s->photos * f;
    report_progress(s->b, s->name, 0, ST_OK, NULL);
    pthread_mutex_unlock(&s->b->lock);
}

static void worker(void *ctx, int begin, int end)
{
    batch_state *b = ctx;
    (void)begin;
    (void)end;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        int stop = b->fatal || b->next >= b->count || (b->opts->cancel && *b->opts->cancel);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        if (stop)
            return;
        st_err err;
        st_err_clear(&err);
        int skipped = 0;
        size_t photos = 0;
        series_share share = {b, b->names[i], (double)b->series_photos[i], 0.0};
        st_series_tick tick = {on_series_step, &share};
        int status = one_series(b, b->names[i], &tick, &skipped, &photos, &err);
        pthread_mutex_lock(&b->lock);
        if (status)
            b->result->failed++;
        else if (skipped)
            b->result->skipped++;
        else {
            b->result->analysed++;
            b->result->photos += photos;
        }
        /* A skipped series leaves the count: the bar and its ETA are about
         * the photos this run measures. */
        if (skipped && !status)
            b->photos_total -= share.photos;
        else
            b->photos_done += share.photos - share.counted;
        report_progress(b, b->names[i], 1, status, &err);
        pthread_mutex_unlock(&b->lock);
    }
}

/* One band per worker: st_parallel_for gives each worker the whole queue. */
static void run_workers(batch_state *b, int workers)
{
    st_parallel_for(workers, workers, 1, worker, b);
}

/* The cause the database keeps for each series that failed ("" for the
 * others, and for all when db is NULL), so the overview and the cohort
 * table name it rather than the missing metrics.json; and who a failed
 * series is about (its stored patient, area and modality). */
static int stored_failures(st_db *db, char *const *names, size_t count, char (*why)[1024],
                           st_db_identity *who, st_err *err)
{
    for (size_t i = 0; i < count; i++) {
        char status[16] = "";
        int rc = db ? st_db_series_failure(db, names[i], status, why[i], sizeof why[i], err) : ST_OK;
        if (!rc && !strcmp(status, "failed"))
            rc = st_db_series_identity(db, names[i], &who[i], err);
        /* A row of schema 1 (merged from an old shard) has none stored:
         * its series.json, if its folder is still where it was. */
        if (!rc && !strcmp(status, "failed") && !who[i].patient[0] && !who[i].area[0] &&
            !who[i].modality[0] && who[i].dir[0])
            manifest_identity(who[i].dir, &who[i]);
        if (rc)
            return rc;
        if (strcmp(status, "failed"))
            why[i][0] = '\0';
    }
    return ST_OK;
}

/* OUT/index.html, OUT/summary.csv, then OUT/metrics.csv (the cohort table). */
static int write_overviews(const char *out, char *const *names, char **dirs, char (*why)[1024],
                           const st_db_identity *who, size_t count, st_err *err)
{
    const char **causes = calloc(count ? count : 1, sizeof *causes);
    st_cohort_series *rows = calloc(count ? count : 1, sizeof *rows);
    char (*json)[4200] = calloc(count ? count : 1, sizeof *json);
    int rc = causes && rows && json ? ST_OK : st_err_set(err, ST_ENOMEM, "%s: out of memory", out);
    for (size_t i = 0; i < count && !rc; i++) {
        causes[i] = why[i];
        snprintf(json[i], sizeof json[i], "%s/metrics.json", dirs[i]);
        rows[i] = (st_cohort_series){names[i], json[i], why[i], who[i].patient, who[i].area,
                                     who[i].modality};
    }
    if (!rc)
        rc = st_batch_index_write(out, (const char *const *)dirs, causes, count, err);
    char path[4200];
    snprintf(path, sizeof path, "%s/metrics.csv", out);
    if (!rc)
        rc = st_cohort_csv_write(path, rows, count, err);
    free(causes);
    free(rows);
    free(json);
    return rc;
}

int st_batch_write_index(const char *out, st_db *db, char *const *names, size_t count, st_err *err)
{
    char **dirs = calloc(count ? count : 1, sizeof *dirs);
    char (*why)[1024] = calloc(count ? count : 1, sizeof *why);
    st_db_identity *who = calloc(count ? count : 1, sizeof *who);
    int rc = dirs && why && who ? ST_OK : st_err_set(err, ST_ENOMEM, "%s: out of memory", out);
    for (size_t i = 0; i < count && !rc; i++) {
        size_t len = strlen(out) + strlen(names[i]) + 2;
        if (!(dirs[i] = malloc(len)))
            rc = st_err_set(err, ST_ENOMEM, "%s: out of memory", out);
        else
            snprintf(dirs[i], len, "%s/%s", out, names[i]);
    }
    if (!rc)
        rc = stored_failures(db, names, count, why, who, err);
    if (!rc)
        rc = write_overviews(out, names, dirs, why, who, count, err);
    for (size_t i = 0; dirs && i < count; i++)
        free(dirs[i]);
    free(dirs);
    free(why);
    free(who);
    return rc;
}

static void live_set(st_batch_live *live, st_db *db, int64_t run_id)
{
    if (!live)
        return;
    pthread_mutex_lock(&live->lock);
    live->db = db;
    live->run_id = run_id;
    pthread_mutex_unlock(&live->lock);
}

void st_batch_abandon(st_batch_live *live)
{
    st_afile_unlink_live();
    pthread_mutex_lock(&live->lock); /* never unlocked: the process ends next */
    st_err ignored; /* nothing more can be done about it: the run stays without an end */
    if (live->db)
        st_db_run_end(live->db, live->run_id, "interrupted", &ignored);
}

/* Input folders are never written (SPEC "Bad input"): OUT may not be ROOT or
 * lie inside it (OUT/index.html would land in the input tree, OUT itself
 * would be read as a series), and ROOT may not lie inside OUT (OUT/<series>
 * folders and results.db beside the inputs). Checked before OUT is made. */
static int check_out(const char *root, const char *out, st_err *err)
{
    char rr[PATH_MAX], ro[PATH_MAX];
    if (!realpath(root, rr))
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", root, strerror(errno));
    if (st_path_resolve_future(out, ro))
        return st_err_set(err, ST_EIO, "%s: cannot resolve (%s)", out, strerror(errno));
    if (st_path_within(ro, rr))
        return st_err_set(err, ST_EINVAL, "%s: the output folder may not be the batch root %s or lie inside it",
                          out, root);
    if (st_path_within(rr, ro))
        return st_err_set(err, ST_EINVAL, "%s: the output folder may not contain the batch root %s", out, root);
    return ST_OK;
}

int st_batch_run(const char *root, const char *out, const st_batch_opts *opts,
                 st_batch_result *result, st_err *err)
{
    memset(result, 0, sizeof *result);
    if (!opts->analyze)
        return st_err_set(err, ST_EINVAL, "batch: no analysis function");
    int rc = check_out(root, out, err);
    if (!rc)
        rc = st_mkdir_p(out, err);
    if (rc)
        return rc;
    batch_state b = {.root = root, .out = out, .opts = opts, .result = result};
    rc = st_batch_list(root, opts->shard_k, opts->shard_n, &b.names, &b.count, err);
    if (rc)
        return rc;
    char db_path[4096];
    /* Shards may run at once on several machines over one shared OUT: each
     * keeps its own database (SQLite must not be shared over a network file
     * system), and `skintrack merge` joins them into OUT/results.db. */
    if (opts->shard_n > 1)
        snprintf(db_path, sizeof db_path, "%s/results.shard-%d-of-%d.db", out, opts->shard_k,
                 opts->shard_n);
    else
        snprintf(db_path, sizeof db_path, "%s/results.db", out);
    if ((rc = st_db_open_rebuild(db_path, &b.db, result->db_set_aside, sizeof result->db_set_aside,
                                 result->db_damage, sizeof result->db_damage, err)) ||
        (rc = st_db_run_begin(b.db, opts->options_text, &b.run_id, err))) {
        st_db_close(b.db);
        st_db_free_names(b.names, b.count);
        return rc;
    }
    result->total = b.count;
    live_set(opts->live, b.db, b.run_id);
    if (!(b.series_photos = calloc(b.count ? b.count : 1, sizeof *b.series_photos))) {
        st_db_close(b.db);
        st_db_free_names(b.names, b.count);
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", root);
    }
    for (size_t i = 0; i < b.count; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", root, b.names[i]);
        b.series_photos[i] = st_series_image_count(dir);
        b.photos_total += (double)b.series_photos[i];
    }
    pthread_mutex_init(&b.lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b.t0);
    int threads = opts->threads > 0 ? opts->threads : st_cpu_count();
    int workers = b.count < (size_t)threads ? (int)b.count : threads;
    b.inner_threads = workers > 0 ? threads / workers : 1;
    if (workers > 0)
        run_workers(&b, workers);
    result->cancelled = opts->cancel && *opts->cancel;
    rc = b.fatal ? st_err_set(err, b.fatal_err.code, "%s", b.fatal_err.msg) : ST_OK;
    const char *status = b.fatal ? "error" : result->cancelled ? "interrupted"
                         : result->failed ? "some failed" : "ok";
    live_set(opts->live, NULL, 0);
    st_db_run_end(b.db, b.run_id, status, NULL);
    /* The overview lists every series of this root (or shard) that has
     * outputs; a sharded run leaves it to `skintrack merge`. */
    if (!rc && opts->shard_n <= 1)
        rc = st_batch_write_index(out, b.db, b.names, b.count, err);
    pthread_mutex_destroy(&b.lock);
    free(b.series_photos);
    st_db_close(b.db);
    st_db_free_names(b.names, b.count);
    return rc;
}
