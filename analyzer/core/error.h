/* Filling an st_err: one line naming the file (or the step) and the cause. */
#ifndef ST_CORE_ERROR_H
#define ST_CORE_ERROR_H

#include "skintrack/skintrack.h"

/* Sets err (if not NULL) and returns code, so callers can write
 * `return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(errno));` */
int st_err_set(st_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline void st_err_clear(st_err *err)
{
    if (err) {
        err->code = ST_OK;
        err->msg[0] = '\0';
    }
}

#endif
