/* Output files that are never seen half-written: data goes to a 0600
 * temporary file beside the target (same file system, so rename is atomic),
 * is flushed and synced, then renamed over the final name. */
#ifndef ST_CORE_ATOMIC_FILE_H
#define ST_CORE_ATOMIC_FILE_H

#include <stdio.h>
#include "skintrack/skintrack.h"

#define ST_PATH_MAX 4096

typedef struct st_afile {
    FILE *fp;
    char tmp[ST_PATH_MAX];
    char path[ST_PATH_MAX];
} st_afile;

int st_afile_open(st_afile *af, const char *path, st_err *err);
/* Flush, fsync, close and rename. On failure the temporary is removed and the
 * previous file under `path` (if any) is left untouched. */
int st_afile_commit(st_afile *af, st_err *err);
/* Close and remove the temporary; safe to call after a failed commit. */
void st_afile_abort(st_afile *af);

/* Whole buffer in one call. */
int st_atomic_write(const char *path, const void *data, size_t size, st_err *err);

#endif
