/* Removing a run folder (OUT/ and OUT/images/, files only) from a SIGTERM
 * handler as well as from normal code. opendir/readdir allocate, so on
 * Linux the entries are read with the getdents64 system call into a buffer
 * on the stack; open, unlinkat, rmdir and close are async-signal-safe. */
#define _GNU_SOURCE
#include "core/atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#define TREE_DEPTH 2 /* OUT/images/file */

#if defined(__linux__) && defined(SYS_getdents64)
struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Calls fn(dirfd, name, ctx) for every entry but . and ..; -1 on a read error. */
static int each_entry(int dirfd, int (*fn)(int, const char *, int), int depth)
{
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        long n = syscall(SYS_getdents64, dirfd, buf, sizeof buf);
        if (n <= 0)
            return n < 0 ? -1 : 0;
        for (long off = 0; off < n;) {
            struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
            off += e->d_reclen;
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                fn(dirfd, e->d_name, depth);
        }
        /* Removing entries while reading on: getdents64 continues from its
         * offset, and a second pass below catches anything it skipped. */
    }
}
#else
static int each_entry(int dirfd, int (*fn)(int, const char *, int), int depth)
{
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL; /* not async-signal-safe off Linux */
    if (!d) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fn(dirfd, e->d_name, depth);
    closedir(d);
    return 0;
}
#endif

static int remove_entry(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
        return 0;
    if (depth <= 1 || (errno != EISDIR && errno != EPERM))
        return -1;
    int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        lseek(sub, 0, SEEK_SET);
        each_entry(sub, remove_entry, depth - 1);
    }
    close(sub);
    return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int st_remove_tree_signal_safe(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    for (int pass = 0; pass < 2; pass++) {
        lseek(fd, 0, SEEK_SET);
        each_entry(fd, remove_entry, TREE_DEPTH);
    }
    close(fd);
    return rmdir(dir) == 0 || errno == ENOENT ? 0 : -1;
}
