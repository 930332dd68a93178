/* batch scheduling, shards, the results database and incremental re-runs.
 * The analysis itself is replaced by a small function that writes a valid
 * skintrack/1 metrics.json, so these tests check the scheduler's own logic
 * (what is analysed, skipped, stored, merged) exactly. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "pipeline/batch.h"
#include "series/batch_plan.h"
#include "series/metrics_import.h"
#include "series/results_db.h"

typedef struct fake_ctx {
    pthread_mutex_t lock;
    int calls;
} fake_ctx;

/* Writes metrics.json with one metric whose value is the series name's length. */
static int fake_analyze(const char *series_dir, const char *out_dir, int threads,
                        const st_series_tick *tick, void *ctx, st_err *err)
{
    fake_ctx *f = ctx;
    (void)threads;
    tick->fn(tick->ctx, 1, 1, "a.jpg"); /* one step: its whole share */
    pthread_mutex_lock(&f->lock);
    f->calls++;
    pthread_mutex_unlock(&f->lock);
    const char *name = strrchr(series_dir, '/') + 1;
    if (!strcmp(name, "bad"))
        return st_err_set(err, ST_EFORMAT, "%s/a.jpg: truncated JPEG data", series_dir);
    char path[4200], json[1024];
    snprintf(path, sizeof path, "%s/metrics.json", out_dir);
    snprintf(json, sizeof json,
             "{\"schema\":\"skintrack/1\",\"sessions\":["
             "{\"index\":0,\"date\":\"2026-01-05\",\"days\":0,\"label\":\"baseline\","
             "\"registration\":{\"status\":\"ok\"},\"metrics\":{\"roughness.sq\":{\"value\":%zu,"
             "\"unit\":\"rel\"}}},"
             "{\"index\":1,\"date\":\"2026-02-09\",\"days\":35,\"label\":\"session 1\","
             "\"registration\":{\"status\":\"%s\",\"message\":\"too little overlap\"},"
             "\"metrics\":{\"roughness.sq\":{\"value\":1,\"unit\":\"rel\"}},"
             "\"change\":{\"roughness.sq\":-50.0}}],"
             "\"progress\":{\"remodeling_index\":{\"value\":12.5,\"ci95\":[10,15]}}}",
             strlen(name), strcmp(name, "partial") ? "ok" : "fail");
    return st_atomic_write(path, json, strlen(json), err);
}

static void write_file(const char *dir, const char *name, const char *content)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fputs(content, f);
    fclose(f);
}

static const char *make_root(const char *tag)
{
    static char root[1024];
    snprintf(root, sizeof root, "%s", test_tmpdir(tag));
    const char *series[] = {"alpha", "beta", "gamma", "bad", "partial"};
    for (int i = 0; i < 5; i++) {
        char dir[1200];
        snprintf(dir, sizeof dir, "%s/%s", root, series[i]);
        mkdir(dir, 0755);
        write_file(dir, "2026-01-05.jpg", series[i]);
        write_file(dir, "2026-02-09.png", "png bytes");
        write_file(dir, "notes.txt", "ignored");
    }
    return root;
}

static void test_shards(void)
{
    int k, n;
    CHECK(st_shard_parse("2/3", &k, &n) == 0 && k == 2 && n == 3);
    CHECK(st_shard_parse("0/3", &k, &n) != 0);
    CHECK(st_shard_parse("4/3", &k, &n) != 0);
    CHECK(st_shard_parse("1/2x", &k, &n) != 0);
    /* Every name lands in exactly one of the shards. */
    int exactly_one = 1;
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "P-%04d-cheek", i);
        int owners = 0;
        for (int s = 1; s <= 3; s++)
            owners += st_shard_owns(name, s, 3);
        exactly_one &= owners == 1;
    }
    CHECK(exactly_one);
    /* FNV-1a 64 reference value of "a" (the published test vector). */
    CHECK(st_shard_hash("a") == 0xaf63dc4c8601ec8cull);
}

static void batch(const char *root, const char *out, fake_ctx *f, int k, int n, const char *opts,
                  st_batch_result *res)
{
    st_batch_opts o = {.threads = 2, .shard_k = k, .shard_n = n, .options_text = opts,
                       .analyze = fake_analyze, .analyze_ctx = f};
    st_err err;
    int rc = st_batch_run(root, out, &o, res, &err);
    CHECK_MSG(rc == ST_OK, "%s", err.msg);
}

static int db_count(const char *db_path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_open(db_path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

static void test_incremental(void)
{
    const char *root = make_root("batch-root");
    char out[1200], db_path[1300];
    snprintf(out, sizeof out, "%s/../batch-out", root);
    snprintf(db_path, sizeof db_path, "%s/results.db", out);
    unlink(db_path);
    fake_ctx f = {PTHREAD_MUTEX_INITIALIZER, 0};
    st_batch_result r;
    batch(root, out, &f, 0, 0, "photo", &r);
    CHECK_EQ_INT(r.total, 5);
    CHECK_EQ_INT(r.analysed, 4);
    CHECK_EQ_INT(r.failed, 1);
    CHECK_EQ_INT(r.partial, 1);
    CHECK_EQ_INT(r.photos, 8); /* 2 images in each of 4 analysed series; notes.txt ignored */
    CHECK_EQ_INT(f.calls, 5);
    CHECK_EQ_INT(db_count(db_path, "SELECT count(*) FROM series"), 5);
    CHECK_EQ_INT(db_count(db_path, "SELECT count(*) FROM series WHERE status='failed'"), 1);
    CHECK_EQ_INT(db_count(db_path, "SELECT count(*) FROM series WHERE status='partial'"), 1);
    CHECK_EQ_INT(db_count(db_path, "SELECT count(*) FROM images"), 10);
    CHECK_EQ_INT(db_count(db_path, "SELECT value FROM metrics WHERE series='gamma' AND session=0"), 5);
    CHECK_EQ_INT(db_count(db_path, "SELECT count(*) FROM metrics WHERE change_pct=-50"), 4);
    CHECK_EQ_INT(db_count(db_path, "SELECT count(*) FROM runs WHERE ended IS NOT NULL"), 1);

    /* Nothing changed: nothing re-analysed (the failed series stays failed). */
    batch(root, out, &f, 0, 0, "photo", &r);
    CHECK_EQ_INT(f.calls, 5);
    CHECK_EQ_INT(r.skipped, 4);
    CHECK_EQ_INT(r.failed, 1);
    CHECK_EQ_INT(r.partial, 1); /* a skipped series keeps its stored status */

    /* One image's content changed: only its series runs again. */
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/beta", root);
    write_file(dir, "2026-02-09.png", "other png bytes");
    batch(root, out, &f, 0, 0, "photo", &r);
    CHECK_EQ_INT(f.calls, 6);
    CHECK_EQ_INT(r.analysed, 1);
    CHECK_EQ_INT(r.skipped, 3);

    /* Other options: everything runs again. */
    batch(root, out, &f, 0, 0, "photo --pixel-mm 0.05", &r);
    CHECK_EQ_INT(f.calls, 11);
    CHECK_EQ_INT(db_count(db_path, "SELECT count(*) FROM runs"), 4);
}

static void test_shards_and_merge(void)
{
    const char *root = make_root("batch-root");
    char out[1200], merged[1300], shard_db[2][1400];
    snprintf(out, sizeof out, "%s/../batch-shards", root);
    mkdir(out, 0755);
    fake_ctx f = {PTHREAD_MUTEX_INITIALIZER, 0};
    size_t total = 0;
    for (int k = 1; k <= 2; k++) {
        char o[1300];
        snprintf(o, sizeof o, "%s/shard%d", out, k);
        snprintf(shard_db[k - 1], sizeof shard_db[k - 1], "%s/results.shard-%d-of-2.db", o, k);
        unlink(shard_db[k - 1]);
        st_batch_result r;
        batch(root, o, &f, k, 2, "photo", &r);
        total += r.total;
    }
    CHECK_EQ_INT(total, 5); /* the two shards share the five series out */
    snprintf(merged, sizeof merged, "%s/merged.db", out);
    unlink(merged);
    st_db *db;
    st_err err;
    CHECK_EQ_INT(st_db_open(merged, &db, &err), ST_OK);
    for (int pass = 0; pass < 2; pass++) /* merging twice changes nothing */
        for (int k = 0; k < 2; k++)
            CHECK_MSG(st_db_merge(db, shard_db[k], &err) == ST_OK, "%s", err.msg);
    char **names;
    size_t n;
    CHECK_EQ_INT(st_db_series_names(db, &names, &n, &err), ST_OK);
    CHECK_EQ_INT(n, 5);
    CHECK(n == 5 && !strcmp(names[0], "alpha") && !strcmp(names[4], "partial"));
    st_db_free_names(names, n);
    st_db_close(db);
    CHECK_EQ_INT(db_count(merged, "SELECT count(*) FROM runs"), 2);
    CHECK_EQ_INT(db_count(merged, "SELECT count(*) FROM images"), 10);
    CHECK_EQ_INT(db_count(merged, "SELECT count(*) FROM metrics"), 8);
}

static void test_schema_version(void)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/future.db", test_tmpdir("batch-db"));
    unlink(path);
    sqlite3 *raw;
    sqlite3_open(path, &raw);
    sqlite3_exec(raw, "PRAGMA user_version=99", NULL, NULL, NULL);
    sqlite3_close(raw);
    st_db *db;
    st_err err;
    CHECK_EQ_INT(st_db_open(path, &db, &err), ST_EFORMAT);
    CHECK(strstr(err.msg, "schema version 99") != NULL);
    snprintf(path, sizeof path, "%s/not-a-db.db", test_tmpdir("batch-db"));
    write_file(test_tmpdir("batch-db"), "not-a-db.db", "this is text, not SQLite");
    CHECK(st_db_open(path, &db, &err) != ST_OK);
    CHECK(strstr(err.msg, "not-a-db.db") != NULL);
}

/* SPEC.md: a withheld change (colour not calibrated, lamp moved) is absent
 * from "change"; results.db must not hold one either: its change_pct is NULL
 * while the value is kept. The demo fixture withholds session 1's relief
 * and colour changes. */
static void test_withheld_not_stored(void)
{
    st_imported imp;
    st_err err = {0};
    CHECK_EQ_INT(st_metrics_import("data/report/demo/metrics.json", &imp, &err), ST_OK);
    if (err.code)
        return;
    int seen = 0;
    for (size_t i = 0; i < imp.n_metrics; i++) {
        const st_db_metric *r = &imp.metrics[i];
        if (r->session != 1)
            continue;
        if (!strcmp(r->name, "roughness.sq") || !strcmp(r->name, "redness.erythema_index")) {
            CHECK(!r->has_change && isfinite(r->value));
            seen++;
        }
        if (!strcmp(r->name, "pores.mean_diameter_mm")) {
            CHECK(r->has_change && r->change_pct != 0.0);
            seen++;
        }
    }
    CHECK_EQ_INT(seen, 3);
    char path[1024];
    snprintf(path, sizeof path, "%s/withheld.db", test_tmpdir("batch_withheld"));
    unlink(path);
    st_db *db = NULL;
    CHECK_EQ_INT(st_db_open(path, &db, &err), ST_OK);
    st_db_series rec = {.name = "demo", .dir = "demo", .fingerprint = "0", .status = "ok",
                        .message = "", .sessions = imp.sessions, .n_sessions = imp.n_sessions,
                        .metrics = imp.metrics, .n_metrics = imp.n_metrics};
    CHECK_MSG(db && st_db_store_series(db, &rec, &err) == ST_OK, "%s", err.msg);
    st_db_close(db);
    sqlite3 *q = NULL;
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_open_v2(path, &q, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(q, "SELECT name, value, change_pct FROM metrics WHERE session = 1 "
                                "AND name IN ('roughness.sq', 'redness.erythema_index', "
                                "'pores.mean_diameter_mm') ORDER BY name", -1, &st, NULL) == SQLITE_OK);
    int rows = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int pores = !strcmp(name, "pores.mean_diameter_mm");
        CHECK(sqlite3_column_type(st, 1) == SQLITE_FLOAT);
        CHECK_MSG((sqlite3_column_type(st, 2) == SQLITE_NULL) != pores, "%s", name);
        rows++;
    }
    CHECK_EQ_INT(rows, 3);
    sqlite3_finalize(st);
    sqlite3_close(q);
    st_imported_free(&imp);
}

int main(void)
{
    test_withheld_not_stored();
    test_shards();
    test_incremental();
    test_shards_and_merge();
    test_schema_version();
    return test_summary();
}
