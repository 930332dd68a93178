#define _POSIX_C_SOURCE 200809L
#include "series/results_db.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/error.h"

struct st_db {
    sqlite3 *sql;
    pthread_mutex_t lock;
    char path[1024];
};

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS runs ("
    " id INTEGER PRIMARY KEY, tool_version TEXT NOT NULL, options TEXT NOT NULL,"
    " started TEXT NOT NULL, ended TEXT, status TEXT,"
    " UNIQUE(started, options, tool_version));"
    "CREATE TABLE IF NOT EXISTS series ("
    " name TEXT PRIMARY KEY, dir TEXT NOT NULL, fingerprint TEXT NOT NULL,"
    " status TEXT NOT NULL, message TEXT NOT NULL, run_started TEXT,"
    " remodeling_index REAL, ci_lo REAL, ci_hi REAL, analyzed TEXT NOT NULL,"
    " patient TEXT, area TEXT, modality TEXT);"
    "CREATE TABLE IF NOT EXISTS sessions ("
    " series TEXT NOT NULL REFERENCES series(name) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, date TEXT, days INTEGER, label TEXT, status TEXT, message TEXT,"
    " PRIMARY KEY(series, idx));"
    "CREATE TABLE IF NOT EXISTS images ("
    " series TEXT NOT NULL REFERENCES series(name) ON DELETE CASCADE,"
    " path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER,"
    " PRIMARY KEY(series, path));"
    "CREATE TABLE IF NOT EXISTS metrics ("
    " series TEXT NOT NULL REFERENCES series(name) ON DELETE CASCADE,"
    " session INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, unit TEXT,"
    " change_pct REAL, withheld TEXT, PRIMARY KEY(series, session, name));";

/* Version 1 -> 2: the columns version 2 appended (at the end, so a migrated
 * table has the columns of a new one in the same order). Old rows keep NULL
 * there, which st_db_series_state reports as outdated. */
static const char *const migrate_v1_sql =
    "ALTER TABLE series ADD COLUMN patient TEXT;"
    "ALTER TABLE series ADD COLUMN area TEXT;"
    "ALTER TABLE series ADD COLUMN modality TEXT;"
    "ALTER TABLE metrics ADD COLUMN withheld TEXT;";

/* Every column of each table, for copies between databases (merge). */
#define SERIES_COLUMNS "name, dir, fingerprint, status, message, run_started, remodeling_index," \
                       " ci_lo, ci_hi, analyzed, patient, area, modality"
#define METRICS_COLUMNS "series, session, name, value, unit, change_pct, withheld"

static int sql_fail(st_db *db, st_err *err, const char *what)
{
    return st_err_set(err, ST_EIO, "%s: %s (%s)", db->path, what, sqlite3_errmsg(db->sql));
}

static int exec(st_db *db, const char *sql, st_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = st_err_set(err, ST_EIO, "%s: %s", db->path, msg ? msg : "SQL error");
        sqlite3_free(msg);
        return rc;
    }
    return ST_OK;
}

static int pragma_int(st_db *db, const char *sql, int *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int ok = sqlite3_step(st) == SQLITE_ROW;
    *value = ok ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

/* The file cannot be read as SQLite: not a database, or pages that fail
 * SQLite's own checks. */
static int is_damage(st_db *db)
{
    int e = sqlite3_errcode(db->sql) & 0xff;
    return e == SQLITE_NOTADB || e == SQLITE_CORRUPT;
}

/* PRAGMA quick_check (the structure of every page, without the index
 * cross-checks of integrity_check: linear in the file): 1 if it says "ok". */
static int quick_check_ok(st_db *db, char *why, size_t cap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, cap, "%s", sqlite3_errmsg(db->sql));
        return 0;
    }
    int step = sqlite3_step(st);
    const unsigned char *t = step == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    int ok = t && !strcmp((const char *)t, "ok");
    if (!ok)
        snprintf(why, cap, "%s", t ? (const char *)t : sqlite3_errmsg(db->sql));
    sqlite3_finalize(st);
    return ok;
}

/* Is the file ours? Read before anything is written (even the WAL switch
 * rewrites the header). Ours: our application_id; or a database made before
 * the id was set (id 0, our schema version, our tables); or an empty one. A
 * damaged file sets *damaged and why. */
static int check_ours(st_db *db, int *damaged, int *old_version, char *why, size_t cap, st_err *err)
{
    int app = 0, version = 0, tables = 0, own = 0;
    if (pragma_int(db, "PRAGMA application_id", &app) || pragma_int(db, "PRAGMA user_version", &version) ||
        pragma_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &tables) ||
        pragma_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                       " ('runs', 'series', 'sessions', 'images', 'metrics')", &own)) {
        if ((*damaged = is_damage(db)))
            snprintf(why, cap, "%s", sqlite3_errmsg(db->sql));
        return sql_fail(db, err, "not a results database");
    }
    if ((app == 0 || app == ST_DB_APPLICATION_ID) && version != 0 && version != 1 &&
        version != ST_DB_SCHEMA_VERSION)
        return st_err_set(err, ST_EFORMAT, "%s: results database schema version %d, this "
                          "skintrack reads versions 1 to %d", db->path, version, ST_DB_SCHEMA_VERSION);
    *old_version = version;
    int empty = app == 0 && version == 0 && tables == 0;
    int legacy = app == 0 && version >= 1 && own == 5;
    if (app != ST_DB_APPLICATION_ID && !empty && !legacy)
        return st_err_set(err, ST_EFORMAT, "%s: not a skintrack results database (application_id %d, "
                          "%d table(s)); left as it is", db->path, app, tables);
    if (!quick_check_ok(db, why, cap)) {
        *damaged = 1;
        return st_err_set(err, ST_EFORMAT, "%s: damaged results database (%s)", db->path, why);
    }
    return ST_OK;
}

static int db_open(const char *path, st_db **out, int *damaged, char *why, size_t cap, st_err *err)
{
    *out = NULL;
    *damaged = 0;
    st_db *db = calloc(1, sizeof *db);
    if (!db)
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", path);
    snprintf(db->path, sizeof db->path, "%s", path);
    pthread_mutex_init(&db->lock, NULL);
    int rc = ST_OK;
    if (sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = sql_fail(db, err, "cannot open results database");
        goto fail;
    }
    sqlite3_busy_timeout(db->sql, 10000);
    int version = 0;
    if ((rc = check_ours(db, damaged, &version, why, cap, err)))
        goto fail;
    /* WAL + NORMAL: a committed transaction survives a killed process. */
    if ((rc = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       "PRAGMA foreign_keys=ON;", err)))
        goto fail;
    if ((rc = exec(db, "BEGIN IMMEDIATE", err)))
        goto fail;
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d", ST_DB_SCHEMA_VERSION,
             ST_DB_APPLICATION_ID);
    if ((version == 1 && (rc = exec(db, migrate_v1_sql, err))) || (rc = exec(db, schema_sql, err)) ||
        (rc = exec(db, sql, err)) || (rc = exec(db, "COMMIT", err))) {
        exec(db, "ROLLBACK", NULL);
        goto fail;
    }
    *out = db;
    return ST_OK;
fail:
    if (!*damaged && is_damage(db)) {
        *damaged = 1;
        snprintf(why, cap, "%s", sqlite3_errmsg(db->sql));
    }
    st_db_close(db);
    return rc;
}

int st_db_open(const char *path, st_db **out, st_err *err)
{
    int damaged;
    char why[256];
    return db_open(path, out, &damaged, why, sizeof why, err);
}

/* path -> path.damaged-<n> (with its -wal and -shm, so they stay a pair),
 * the first n not taken. */
static int set_aside(const char *path, char *aside, size_t cap, st_err *err)
{
    for (int n = 1; n < 1000; n++) {
        snprintf(aside, cap, "%s.damaged-%d", path, n);
        struct stat sb;
        if (lstat(aside, &sb) == 0 || errno != ENOENT)
            continue;
        if (rename(path, aside))
            return st_err_set(err, ST_EIO, "%s: cannot set the damaged database aside (%s)", path, strerror(errno));
        static const char *const side[] = {"-wal", "-shm"};
        for (int k = 0; k < 2; k++) {
            char from[1100], to[1100];
            snprintf(from, sizeof from, "%s%s", path, side[k]);
            snprintf(to, sizeof to, "%s%s", aside, side[k]);
            if (rename(from, to) && errno != ENOENT)
                return st_err_set(err, ST_EIO, "%s: cannot set aside (%s)", from, strerror(errno));
        }
        return ST_OK;
    }
    return st_err_set(err, ST_EIO, "%s: too many damaged copies set aside already", path);
}

int st_db_open_rebuild(const char *path, st_db **out, char *aside, size_t aside_cap,
                       char *why, size_t why_cap, st_err *err)
{
    int damaged;
    aside[0] = why[0] = 0;
    int rc = db_open(path, out, &damaged, why, why_cap, err);
    if (!rc || !damaged)
        return rc;
    if ((rc = set_aside(path, aside, aside_cap, err)))
        return rc;
    char again[8]; /* a second damage is an error like any other */
    return db_open(path, out, &damaged, again, sizeof again, err);
}

void st_db_close(st_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->sql);
    pthread_mutex_destroy(&db->lock);
    free(db);
}

static void utc_now(char buf[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

/* Prepares sql, binds text/int/double parameters from a format string
 * ('t' text, 'i' int64, 'd' double, 'n' null), steps once. Returns the
 * sqlite3 result code of the step (SQLITE_DONE or SQLITE_ROW). */
typedef union bind_val {
    const char *t;
    int64_t i;
    double d;
} bind_val;

static int run_stmt(st_db *db, const char *sql, const char *types, const bind_val *vals)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    for (int k = 0; types[k]; k++) {
        switch (types[k]) {
        case 't': sqlite3_bind_text(st, k + 1, vals[k].t ? vals[k].t : "", -1, SQLITE_TRANSIENT); break;
        case 'i': sqlite3_bind_int64(st, k + 1, vals[k].i); break;
        case 'd': sqlite3_bind_double(st, k + 1, vals[k].d); break;
        default: sqlite3_bind_null(st, k + 1); break;
        }
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc;
}

int st_db_run_begin(st_db *db, const char *options, int64_t *run_id, st_err *err)
{
    char now[32];
    utc_now(now);
    pthread_mutex_lock(&db->lock);
    bind_val v[] = {{.t = ST_VERSION_STRING}, {.t = options}, {.t = now}};
    int rc = run_stmt(db, "INSERT INTO runs(tool_version, options, started) VALUES(?,?,?)", "ttt", v);
    *run_id = sqlite3_last_insert_rowid(db->sql);
    int out = rc == SQLITE_DONE ? ST_OK : sql_fail(db, err, "cannot record the run");
    pthread_mutex_unlock(&db->lock);
    return out;
}

int st_db_run_end(st_db *db, int64_t run_id, const char *status, st_err *err)
{
    char now[32];
    utc_now(now);
    pthread_mutex_lock(&db->lock);
    bind_val v[] = {{.t = now}, {.t = status}, {.i = run_id}};
    int rc = run_stmt(db, "UPDATE runs SET ended=?, status=? WHERE id=?", "tti", v);
    int out = rc == SQLITE_DONE ? ST_OK : sql_fail(db, err, "cannot close the run");
    pthread_mutex_unlock(&db->lock);
    return out;
}

/* Copies column 0 and 1 of the first row of a one-text-parameter query. */
static int query_two_texts(st_db *db, const char *sql, const char *const *params, int nparams,
                           char *a, size_t alen, char *b, size_t blen, int *found)
{
    sqlite3_stmt *st;
    *found = 0;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int k = 0; k < nparams; k++)
        sqlite3_bind_text(st, k + 1, params[k], -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = 1;
        const unsigned char *x = sqlite3_column_text(st, 0), *y = sqlite3_column_text(st, 1);
        snprintf(a, alen, "%s", x ? (const char *)x : "");
        if (b)
            snprintf(b, blen, "%s", y ? (const char *)y : "");
    }
    sqlite3_finalize(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : -1;
}

int st_db_series_state(st_db *db, const char *name, char fingerprint[65], char status[16],
                       int *found, int *outdated, st_err *err)
{
    pthread_mutex_lock(&db->lock);
    const char *p[] = {name};
    char old[2];
    int rc = query_two_texts(db, "SELECT fingerprint, status FROM series WHERE name=?", p, 1,
                             fingerprint, 65, status, 16, found);
    if (!rc)
        rc = query_two_texts(db, "SELECT 1, NULL FROM series WHERE name=? AND patient IS NULL", p, 1,
                             old, sizeof old, NULL, 0, outdated);
    int out = rc ? sql_fail(db, err, "cannot read series state") : ST_OK;
    pthread_mutex_unlock(&db->lock);
    return out;
}

int st_db_series_failure(st_db *db, const char *name, char status[16], char *message,
                         size_t message_cap, st_err *err)
{
    pthread_mutex_lock(&db->lock);
    const char *p[] = {name};
    int found;
    status[0] = message[0] = '\0';
    int rc = query_two_texts(db, "SELECT status, message FROM series WHERE name=?", p, 1, status, 16,
                             message, message_cap, &found);
    int out = rc ? sql_fail(db, err, "cannot read series state") : ST_OK;
    pthread_mutex_unlock(&db->lock);
    return out;
}

int st_db_series_identity(st_db *db, const char *name, st_db_identity *id, st_err *err)
{
    pthread_mutex_lock(&db->lock);
    const char *p[] = {name};
    int found;
    memset(id, 0, sizeof *id);
    int rc = query_two_texts(db, "SELECT patient, area FROM series WHERE name=?", p, 1, id->patient,
                             sizeof id->patient, id->area, sizeof id->area, &found);
    if (!rc)
        rc = query_two_texts(db, "SELECT modality, dir FROM series WHERE name=?", p, 1, id->modality,
                             sizeof id->modality, id->dir, sizeof id->dir, &found);
    int out = rc ? sql_fail(db, err, "cannot read series identity") : ST_OK;
    pthread_mutex_unlock(&db->lock);
    return out;
}

static int store_children(st_db *db, const st_db_series *r)
{
    for (size_t i = 0; i < r->n_sessions; i++) {
        const st_db_session *s = &r->sessions[i];
        bind_val v[] = {{.t = r->name}, {.i = s->index}, {.t = s->date}, {.i = s->days},
                        {.t = s->label}, {.t = s->status}, {.t = s->message}};
        if (run_stmt(db, "INSERT INTO sessions VALUES(?,?,?,?,?,?,?)", "titittt", v) != SQLITE_DONE)
            return -1;
    }
    for (size_t i = 0; i < r->n_images; i++) {
        const st_db_image *m = &r->images[i];
        bind_val v[] = {{.t = r->name}, {.t = m->path}, {.t = m->sha256}, {.i = (int64_t)m->size},
                        {.i = m->mtime_ns}};
        if (run_stmt(db, "INSERT INTO images VALUES(?,?,?,?,?)", "tttii", v) != SQLITE_DONE)
            return -1;
    }
    for (size_t i = 0; i < r->n_metrics; i++) {
        const st_db_metric *m = &r->metrics[i];
        bind_val v[] = {{.t = r->name}, {.i = m->session}, {.t = m->name}, {.d = m->value},
                        {.t = m->unit}, {.d = m->change_pct}, {.t = m->withheld}};
        if (run_stmt(db, "INSERT INTO metrics(" METRICS_COLUMNS ") VALUES(?,?,?,?,?,?,?)",
                     m->has_change ? "titdtdt" : "titdtnt", v) != SQLITE_DONE)
            return -1;
    }
    return 0;
}

int st_db_store_series(st_db *db, const st_db_series *r, st_err *err)
{
    char now[32];
    utc_now(now);
    pthread_mutex_lock(&db->lock);
    int rc = exec(db, "BEGIN IMMEDIATE", err);
    if (rc)
        goto out;
    bind_val del[] = {{.t = r->name}};
    bind_val v[] = {{.t = r->name}, {.t = r->dir}, {.t = r->fingerprint}, {.t = r->status},
                    {.t = r->message}, {.i = r->run_id}, {.d = r->remodeling_index},
                    {.d = r->ci_lo}, {.d = r->ci_hi}, {.t = now}, {.t = r->patient},
                    {.t = r->area}, {.t = r->modality}};
    const char *types = r->has_index ? "tttttidddtttt" : "tttttinnntttt";
    if (run_stmt(db, "DELETE FROM series WHERE name=?", "t", del) != SQLITE_DONE ||
        run_stmt(db, "INSERT INTO series(" SERIES_COLUMNS ") VALUES(?,?,?,?,?,"
                     "(SELECT started FROM runs WHERE id=?),?,?,?,?,?,?,?)", types, v) != SQLITE_DONE ||
        store_children(db, r)) {
        rc = sql_fail(db, err, "cannot store series");
        exec(db, "ROLLBACK", NULL);
        goto out;
    }
    rc = exec(db, "COMMIT", err);
out:
    pthread_mutex_unlock(&db->lock);
    return rc;
}

int st_db_check_shard(const char *path, st_err *err)
{
    struct stat sb;
    if (stat(path, &sb))
        return st_err_set(err, ST_EIO, "%s: cannot read the shard (%s)", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return st_err_set(err, ST_EINVAL, "%s: not a results database (not a regular file)", path);
    /* The header string of every SQLite 3 file (sqlite.org/fileformat.html §1.3.1). */
    char head[16] = {0};
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (!f)
        return st_err_set(err, ST_EIO, "%s: cannot read the shard (%s)", path, strerror(errno));
    if (n != sizeof head || memcmp(head, "SQLite format 3", 16))
        return st_err_set(err, ST_EFORMAT, "%s: not a results database (not an SQLite file)", path);
    sqlite3 *sql = NULL;
    int tables = 0;
    if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(sql, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                               " ('series', 'sessions', 'images', 'metrics', 'runs')", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                tables = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(sql);
    if (tables != 5)
        return st_err_set(err, ST_EFORMAT, "%s: not a results database of skintrack (an SQLite file "
                          "without its tables, or damaged)", path);
    return ST_OK;
}

int st_db_merge(st_db *db, const char *shard_path, st_err *err)
{
    /* The shard must be a results database of our schema: checked without
     * writing it (st_db_open would create a missing file or rebuild a damaged
     * one), then opened on its own, which checks the version. */
    int rc = st_db_check_shard(shard_path, err);
    if (rc)
        return rc;
    st_db *shard;
    rc = st_db_open(shard_path, &shard, err);
    if (rc)
        return rc;
    st_db_close(shard);
    pthread_mutex_lock(&db->lock);
    sqlite3_stmt *st;
    rc = ST_OK;
    if (sqlite3_prepare_v2(db->sql, "ATTACH DATABASE ? AS shard", -1, &st, NULL) != SQLITE_OK) {
        rc = sql_fail(db, err, "cannot attach shard");
        goto out;
    }
    sqlite3_bind_text(st, 1, shard_path, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        rc = sql_fail(db, err, "cannot attach shard");
        goto out;
    }
    /* Children go with their series (ON DELETE CASCADE), so replacing a
     * series row first and then copying its children is idempotent. */
    rc = exec(db,
              "BEGIN IMMEDIATE;"
              "INSERT OR IGNORE INTO runs(tool_version, options, started, ended, status)"
              " SELECT tool_version, options, started, ended, status FROM shard.runs;"
              "DELETE FROM main.series WHERE name IN (SELECT name FROM shard.series);"
              "INSERT INTO main.series(" SERIES_COLUMNS ") SELECT " SERIES_COLUMNS " FROM shard.series;"
              "INSERT INTO main.sessions SELECT * FROM shard.sessions;"
              "INSERT INTO main.images SELECT * FROM shard.images;"
              "INSERT INTO main.metrics(" METRICS_COLUMNS ") SELECT " METRICS_COLUMNS " FROM shard.metrics;"
              "COMMIT;",
              err);
    if (rc)
        exec(db, "ROLLBACK", NULL);
    exec(db, "DETACH DATABASE shard", NULL);
    if (rc)
        st_err_set(err, rc, "%s: cannot merge shard %s", db->path, shard_path);
out:
    pthread_mutex_unlock(&db->lock);
    return rc;
}

int st_db_series_names(st_db *db, char ***names, size_t *count, st_err *err)
{
    *names = NULL;
    *count = 0;
    pthread_mutex_lock(&db->lock);
    sqlite3_stmt *st;
    int rc = ST_OK;
    if (sqlite3_prepare_v2(db->sql, "SELECT name FROM series ORDER BY name", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = sql_fail(db, err, "cannot list series");
        goto out;
    }
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? 2 * cap : 16;
            char **grown = realloc(*names, cap * sizeof *grown);
            if (!grown) {
                rc = st_err_set(err, ST_ENOMEM, "%s: out of memory", db->path);
                break;
            }
            *names = grown;
        }
        char *copy = strdup((const char *)sqlite3_column_text(st, 0));
        if (!copy) {
            rc = st_err_set(err, ST_ENOMEM, "%s: out of memory", db->path);
            break;
        }
        (*names)[(*count)++] = copy;
    }
    sqlite3_finalize(st);
    if (rc) {
        st_db_free_names(*names, *count);
        *names = NULL;
        *count = 0;
    }
out:
    pthread_mutex_unlock(&db->lock);
    return rc;
}

void st_db_free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
