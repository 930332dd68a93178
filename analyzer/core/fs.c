#define _POSIX_C_SOURCE 200809L
#include "core/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"

int st_mkdir_p(const char *path, st_err *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return st_err_set(err, ST_EINVAL, "%s: path too long", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) && errno != EEXIST)
            return st_err_set(err, ST_EIO, "%s: cannot create (%s)", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0755) && errno != EEXIST)
        return st_err_set(err, ST_EIO, "%s: cannot create (%s)", tmp, strerror(errno));
    return ST_OK;
}
