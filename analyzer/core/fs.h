/* Small file-system helpers shared by the stages. */
#ifndef ST_CORE_FS_H
#define ST_CORE_FS_H

#include <stdio.h>

#include "skintrack/skintrack.h"

/* mkdir -p: creates path and its missing parents (mode 0755). */
int st_mkdir_p(const char *path, st_err *err);

/* Opens path for reading only if it is a regular file: opened with
 * O_NONBLOCK (a FIFO named like an input must not block the run in open),
 * then fstat. *fp is NULL and ST_OK if the file does not exist and
 * missing_ok; a FIFO, device or directory is ST_EIO naming the file. */
int st_fopen_regular(const char *path, int missing_ok, FILE **fp, st_err *err);

/* The absolute form of a path that may not exist yet (out holds PATH_MAX
 * bytes): its deepest existing ancestor resolved (symlinks included), the
 * rest appended. -1 if not even the working directory resolves. */
int st_path_resolve_future(const char *path, char *out);

/* 1 if the absolute path inner is outer or lies inside it (whole path
 * components: /a/bc is not inside /a/b). */
int st_path_within(const char *inner, const char *outer);

#endif
