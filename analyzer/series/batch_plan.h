/* Which series a batch run analyses: the direct subfolders of the root
 * (hidden ones and skintrack's own output folders skipped), in byte order of their names, optionally cut to
 * one deterministic shard, and which of them changed since the last run. */
#ifndef ST_BATCH_PLAN_H
#define ST_BATCH_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "series/results_db.h"
#include "skintrack/skintrack.h"

/* FNV-1a 64-bit hash of the series name: stable across machines and runs,
 * so `--shard K/N` gives every series to exactly one of the N shards. */
uint64_t st_shard_hash(const char *name);
/* 1 if `name` belongs to shard k of n (1 <= k <= n). */
int st_shard_owns(const char *name, int k, int n);
/* Parses "K/N" (1 <= K <= N <= 100000); 0 on success. */
int st_shard_parse(const char *text, int *k, int *n);

/* The default output folder of analyze and batch, under the current folder:
 * never taken for a series by st_batch_list. */
#define ST_DEFAULT_OUT_DIR "skintrack-out"

/* What a folder looks like, for hints when a command gets the wrong kind:
 * the images directly in it, and its subfolders that hold images (a batch
 * root). Unreadable folders count as empty. */
void st_folder_survey(const char *dir, size_t *n_images, size_t *n_series);

/* The number of images directly in a series folder (0 if unreadable): the
 * batch's progress counts photos with it before any series is analysed. */
size_t st_series_image_count(const char *series_dir);

/* Sorted names of the series folders under root (filtered to shard k/n when
 * n > 0). Free with st_db_free_names. */
int st_batch_list(const char *root, int k, int n, char ***names, size_t *count, st_err *err);

/* The image files and manifest of one series with their hashes (re-hashing
 * only files whose size or mtime changed since the database saw them), and
 * the series fingerprint: SHA-256 over the tool version, the options text and
 * every (name, SHA-256) pair. */
typedef struct st_series_files {
    st_db_image *files;
    char **paths; /* owned copies behind files[i].path */
    size_t count;
    char fingerprint[65];
} st_series_files;

int st_series_fingerprint(const char *series_dir, const char *series_name, const char *options,
                          st_db *db, st_series_files *out, st_err *err);
void st_series_files_free(st_series_files *f);

#endif
