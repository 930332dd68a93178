/* results.db: the SQLite results database of SPEC.md ("series, sessions,
 * images (path, SHA-256, size), metric values, and runs").
 *
 * One connection, one writer: a batch keeps one st_db and serialises its
 * writes (the handle has its own mutex). WAL journal, so readers never block
 * the writer and a killed run (even kill -9) leaves the last committed series
 * intact. Every series is stored in one transaction: a series is either
 * entirely in the database or not at all. The schema version is kept in
 * PRAGMA user_version and checked on open; a database of an older version
 * of ours is migrated in place (version 1 -> 2: the series' patient, area
 * and modality, each metric's withheld reason). */
#ifndef ST_RESULTS_DB_H
#define ST_RESULTS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "skintrack/skintrack.h"

#define ST_DB_SCHEMA_VERSION 2
/* PRAGMA application_id of our files ("SkTr"), set on creation (sqlite.org
 * fileformat §1.3.15): a results.db that carries another id, or tables of
 * another schema, is not ours and is never changed. */
#define ST_DB_APPLICATION_ID 0x536b5472

typedef struct st_db st_db;

typedef struct st_db_image {
    const char *path;  /* relative to the series folder */
    char sha256[65];
    uint64_t size;
    int64_t mtime_ns;  /* used only to avoid re-hashing unchanged files */
} st_db_image;

typedef struct st_db_session {
    int index;
    const char *date;   /* "YYYY-MM-DD" or "" */
    int days;
    const char *label;
    const char *status; /* "ok", "warn", "failed" */
    const char *message; /* a failed session's cause, else the first quality warning or "" */
} st_db_session;

typedef struct st_db_metric {
    int session;
    const char *name;
    double value;
    const char *unit;
    double change_pct;
    int has_change;
    const char *withheld; /* why the change is not reported (SPEC "withheld"), or "" */
} st_db_metric;

typedef struct st_db_series {
    const char *name;
    const char *dir;
    const char *patient, *area, *modality; /* from metrics.json; "" when unknown */
    const char *fingerprint; /* hex SHA-256 of images, manifest, options, version */
    const char *status;      /* "ok", "partial", "failed" */
    const char *message;
    int64_t run_id;
    int has_index;
    double remodeling_index, ci_lo, ci_hi;
    const st_db_image *images;
    size_t n_images;
    const st_db_session *sessions;
    size_t n_sessions;
    const st_db_metric *metrics;
    size_t n_metrics;
} st_db_series;

/* Opens (or creates) a results database. A file that is not ours (see
 * ST_DB_APPLICATION_ID), of another schema version, or damaged (not SQLite,
 * or failing PRAGMA quick_check) is ST_EFORMAT, left untouched. */
int st_db_open(const char *path, st_db **out, st_err *err);

/* As st_db_open, but a damaged file is renamed aside (path.damaged-<n>,
 * with its -wal and -shm) and a new database made in its place; aside then
 * holds the new name and why the damage SQLite reported. A file that is not
 * ours is still refused. */
int st_db_open_rebuild(const char *path, st_db **out, char *aside, size_t aside_cap,
                       char *why, size_t why_cap, st_err *err);
void st_db_close(st_db *db);

/* Runs: tool version, options, start and end (UTC, ISO 8601). */
int st_db_run_begin(st_db *db, const char *options, int64_t *run_id, st_err *err);
int st_db_run_end(st_db *db, int64_t run_id, const char *status, st_err *err);

/* The fingerprint and status stored for a series by an earlier run;
 * *found = 0 when the series is not in the database. *outdated = 1 when the
 * row was stored by schema version 1 (no patient, area, modality, withheld
 * reasons): the caller stores it again from the series' metrics.json. */
int st_db_series_state(st_db *db, const char *name, char fingerprint[65], char status[16],
                       int *found, int *outdated, st_err *err);

/* The stored status and message of a series ("" and "" when absent). */
int st_db_series_failure(st_db *db, const char *name, char status[16], char *message,
                         size_t message_cap, st_err *err);

/* Who a stored series is about: its patient, area and modality ("" when
 * unknown or absent), and its folder. For the cohort rows of a failed
 * series, which has no metrics.json to read them from. */
#define ST_DB_IDENTITY_LEN 128
typedef struct st_db_identity {
    char patient[ST_DB_IDENTITY_LEN], area[ST_DB_IDENTITY_LEN], modality[ST_DB_IDENTITY_LEN];
    char dir[4096];
} st_db_identity;
int st_db_series_identity(st_db *db, const char *name, st_db_identity *id, st_err *err);

/* Replaces everything stored for rec->name, in one transaction. */
int st_db_store_series(st_db *db, const st_db_series *rec, st_err *err);

/* ST_OK if path is an existing results database (SQLite, with skintrack's
 * tables), read without writing; else why not. */
int st_db_check_shard(const char *path, st_err *err);

/* Copies every series (with its sessions, images and metrics) and run of the
 * database at shard_path into db, replacing a series already present; runs
 * are keyed by their start time and options, so merging twice changes nothing. */
int st_db_merge(st_db *db, const char *shard_path, st_err *err);

/* Names of the stored series, sorted; free with st_db_free_names. */
int st_db_series_names(st_db *db, char ***names, size_t *count, st_err *err);
void st_db_free_names(char **names, size_t count);

#endif
