/* Output files that are never seen half-written: data goes to a 0600
 * temporary file beside the target (same file system, so rename is atomic),
 * is flushed and synced, then renamed over the final name. */
#ifndef ST_CORE_ATOMIC_FILE_H
#define ST_CORE_ATOMIC_FILE_H

#include <stdio.h>
#include <sys/types.h>
#include "skintrack/skintrack.h"

#define ST_PATH_MAX 4096

typedef struct st_afile {
    FILE *fp;
    char tmp[ST_PATH_MAX];
    char path[ST_PATH_MAX];
    int slot; /* 1 + its place in the registry of live temporaries, or 0 */
} st_afile;

int st_afile_open(st_afile *af, const char *path, st_err *err);
/* Flush, fsync, close and rename. On failure the temporary is removed and the
 * previous file under `path` (if any) is left untouched. */
int st_afile_commit(st_afile *af, st_err *err);
/* Close and remove the temporary; safe to call after a failed commit. */
void st_afile_abort(st_afile *af);

/* Removes every temporary that is open at this moment (unlink only, no lock,
 * no allocation: async-signal-safe). For a SIGTERM/SIGINT handler, which then
 * re-raises the signal: a killed run leaves no .name.XXXXXX behind. Up to
 * ST_AFILE_LIVE_MAX temporaries open at once are known; more are still
 * removed by commit and abort as usual. */
#define ST_AFILE_LIVE_MAX 128
void st_afile_unlink_live(void);

/* A folder being written (a run folder, core/run_folder.h): the same
 * handler removes it and what it holds (st_remove_tree_signal_safe).
 * Returns the slot for st_live_tree_remove, or 0 when the registry is full. */
int st_live_tree_add(const char *dir);
void st_live_tree_remove(int slot);

/* Removes dir, its files and the files of its subfolders, two levels deep
 * (a run folder: OUT/ and OUT/images/): open, getdents64, unlinkat and rmdir
 * only, on fixed buffers, so a signal handler may call it. Returns 0 when
 * dir is gone. */
int st_remove_tree_signal_safe(const char *dir);

/* The process umask, read without changing it (thread-safe). */
mode_t st_current_umask(void);

/* Whole buffer in one call. */
int st_atomic_write(const char *path, const void *data, size_t size, st_err *err);

#endif
