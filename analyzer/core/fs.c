#define _DEFAULT_SOURCE /* realpath */
/* Paths are cut at PATH_MAX on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "core/fs.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

int st_fopen_regular(const char *path, int missing_ok, FILE **fp, st_err *err)
{
    *fp = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT && missing_ok)
            return ST_OK;
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(errno));
    }
    struct stat st = {0};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int dir = S_ISDIR(st.st_mode);
        close(fd);
        return st_err_set(err, ST_EIO, "%s: %s", path,
                          dir ? "is a directory" : "not a regular file (FIFO, device or socket)");
    }
    /* Back to blocking reads: a regular file ignores the flag, but stdio
     * should not see EAGAIN from anything. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *fp = fdopen(fd, "rb");
    if (!*fp) {
        int e = errno;
        close(fd);
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(e));
    }
    return ST_OK;
}

int st_path_resolve_future(const char *path, char *out)
{
    char head[PATH_MAX], rest[PATH_MAX] = "", tmp[PATH_MAX];
    snprintf(head, sizeof head, "%s", path);
    while (!realpath(head[0] ? head : ".", out)) {
        char *slash = strrchr(head, '/');
        const char *last = slash ? slash + 1 : head;
        snprintf(tmp, sizeof tmp, "%s%s%s", last, rest[0] ? "/" : "", rest);
        snprintf(rest, sizeof rest, "%s", tmp);
        if (!slash)
            head[0] = 0;
        else if (slash == head)
            head[1] = 0; /* "/" */
        else
            *slash = 0;
        if (!head[0] && !realpath(".", out))
            return -1;
        if (!head[0])
            break;
    }
    if (rest[0]) {
        size_t len = strlen(out);
        snprintf(out + len, PATH_MAX - len, "%s%s", len > 1 ? "/" : "", rest);
    }
    return 0;
}

int st_path_within(const char *inner, const char *outer)
{
    size_t n = strlen(outer);
    if (n == 1 && outer[0] == '/')
        return 1;
    return !strncmp(inner, outer, n) && (inner[n] == 0 || inner[n] == '/');
}
