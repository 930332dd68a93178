#define _POSIX_C_SOURCE 200809L
#include "core/atomic_file.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The process umask, read without changing it. umask(2) can only be read by
 * setting it, and two threads doing umask(0); umask(old) at once (batch -j N
 * commits files from several threads) could leave it at 0 for the rest of
 * the run, giving world-readable reports under a clinic's umask 077
 * (tests/unit/test_atomic_umask.c). Linux >= 4.7 shows it in
 * /proc/self/status; elsewhere the set-and-restore runs under a lock and
 * sets the strictest mask for its short window. */
mode_t st_current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned v;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Umask: %o", &v) == 1) {
                fclose(f);
                return (mode_t)v;
            }
        fclose(f);
    }
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    mode_t um = umask(0777);
    umask(um);
    pthread_mutex_unlock(&lock);
    return um;
}

/* The temporaries open now: files (LIVE_FILE) and run folders being
 * written (LIVE_TREE, core/run_folder.h). A slot's path is complete before
 * `used` is set (release store) and `used` is cleared before the path is
 * reused, so a signal handler that sees used != 0 reads a whole path. */
enum { LIVE_FILE = 1, LIVE_TREE = 2 };
static struct {
    int used;
    char path[ST_PATH_MAX];
} live[ST_AFILE_LIVE_MAX];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static int live_add_kind(const char *tmp, int kind)
{
    pthread_mutex_lock(&live_lock);
    int slot = 0;
    for (int i = 0; i < ST_AFILE_LIVE_MAX && !slot; i++)
        if (!__atomic_load_n(&live[i].used, __ATOMIC_ACQUIRE)) {
            snprintf(live[i].path, sizeof live[i].path, "%s", tmp);
            __atomic_store_n(&live[i].used, kind, __ATOMIC_RELEASE);
            slot = i + 1;
        }
    pthread_mutex_unlock(&live_lock);
    return slot;
}

static int live_add(const char *tmp)
{
    return live_add_kind(tmp, LIVE_FILE);
}

static void live_clear(int slot)
{
    if (slot)
        __atomic_store_n(&live[slot - 1].used, 0, __ATOMIC_RELEASE);
}

static void live_remove(st_afile *af)
{
    live_clear(af->slot);
    af->slot = 0;
}

int st_live_tree_add(const char *dir)
{
    return live_add_kind(dir, LIVE_TREE);
}

void st_live_tree_remove(int slot)
{
    live_clear(slot);
}

void st_afile_unlink_live(void)
{
    for (int i = 0; i < ST_AFILE_LIVE_MAX; i++) {
        int kind = __atomic_load_n(&live[i].used, __ATOMIC_ACQUIRE);
        if (kind == LIVE_FILE)
            unlink(live[i].path);
        else if (kind == LIVE_TREE)
            st_remove_tree_signal_safe(live[i].path);
    }
}

int st_afile_open(st_afile *af, const char *path, st_err *err)
{
    memset(af, 0, sizeof *af);
    size_t n = strlen(path);
    if (n + 16 >= sizeof af->tmp)
        return st_err_set(err, ST_EINVAL, "%s: path too long", path);
    memcpy(af->path, path, n + 1);
    /* Hidden name in the same folder: a crash leaves only a dot-file behind. */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(af->tmp, sizeof af->tmp, "%.*s.%s.XXXXXX", (int)dir_len, path,
             path + dir_len);
    int fd = mkstemp(af->tmp); /* mode 0600 */
    if (fd < 0)
        return st_err_set(err, ST_EIO, "%s: cannot create temporary file (%s)", path,
                          strerror(errno));
    af->slot = live_add(af->tmp);
    af->fp = fdopen(fd, "wb");
    if (!af->fp) {
        int e = errno;
        close(fd);
        unlink(af->tmp);
        live_remove(af);
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(e));
    }
    return ST_OK;
}

int st_afile_commit(st_afile *af, st_err *err)
{
    if (!af->fp)
        return st_err_set(err, ST_EINTERNAL, "%s: commit without open", af->path);
    int failed = ferror(af->fp) || fflush(af->fp) != 0 || fsync(fileno(af->fp)) != 0;
    int e = errno;
    if (!failed) {
        /* Final files get the usual permissions (umask applies); only the
         * temporary is private. */
        failed = fchmod(fileno(af->fp), 0644 & ~st_current_umask()) != 0;
        e = errno;
    }
    if (fclose(af->fp) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    af->fp = NULL;
    if (!failed && rename(af->tmp, af->path) != 0) {
        failed = 1;
        e = errno;
    }
    if (failed)
        unlink(af->tmp);
    live_remove(af);
    if (failed)
        return st_err_set(err, ST_EIO, "%s: cannot write (%s)", af->path, strerror(e));
    return ST_OK;
}

void st_afile_abort(st_afile *af)
{
    if (af->fp) {
        fclose(af->fp);
        af->fp = NULL;
    }
    if (af->tmp[0])
        unlink(af->tmp);
    live_remove(af);
}

int st_atomic_write(const char *path, const void *data, size_t size, st_err *err)
{
    st_afile af;
    int rc = st_afile_open(&af, path, err);
    if (rc)
        return rc;
    if (size && fwrite(data, 1, size, af.fp) != size) {
        int e = errno;
        st_afile_abort(&af);
        return st_err_set(err, ST_EIO, "%s: cannot write (%s)", path, strerror(e));
    }
    return st_afile_commit(&af, err);
}
