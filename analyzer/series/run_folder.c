/* Writing a run beside OUT and swapping it in (series/run_folder.h). */
/* Paths and messages are cut at their buffer size on purpose. */
#define _GNU_SOURCE
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "series/run_folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "core/error.h"
#include "core/fs.h"
#include "series/stale_outputs.h"

#define STAGE_TAG ".skintrack-"

static const char *const top_names[] = {"metrics.json", "metrics.csv", "report.html", "report.pdf"};
#define N_TOP (sizeof top_names / sizeof *top_names)

static int is_top_name(const char *name)
{
    for (size_t i = 0; i < N_TOP; i++)
        if (!strcmp(name, top_names[i]))
            return 1;
    return 0;
}

/* .NAME.XXXXXX of one of skintrack's names: a temporary a killed run left. */
static int is_our_temporary(const char *name)
{
    size_t n = strlen(name);
    char inner[300];
    if (name[0] != '.' || n < 9 || n - 8 >= sizeof inner || name[n - 7] != '.')
        return 0;
    memcpy(inner, name + 1, n - 8);
    inner[n - 8] = 0;
    return is_top_name(inner) || st_is_session_image_name(inner);
}

/* dir and base of out, trailing slashes dropped ("a/b/" -> "a", "b"). */
static int split(const char *out, char *dir, size_t dcap, char *base, size_t bcap)
{
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && out[b - 1] != '/')
        b--;
    if (b == n || n - b >= bcap)
        return -1;
    snprintf(base, bcap, "%.*s", (int)(n - b), out + b);
    if (b == 0)
        snprintf(dir, dcap, ".");
    else
        snprintf(dir, dcap, "%.*s", b == 1 ? 1 : (int)(b - 1), out);
    return strcmp(base, ".") && strcmp(base, "..") ? 0 : -1;
}

/* Whether OUT (existing) may be replaced by a folder swap; see the header. */
static int swappable(const char *out, const char *parent)
{
    struct stat so, sp;
    if (lstat(out, &so))
        return errno == ENOENT;
    if (!S_ISDIR(so.st_mode) || access(out, W_OK | X_OK) || stat(parent, &sp) || sp.st_dev != so.st_dev)
        return 0;
    char ro[PATH_MAX], rc[PATH_MAX];
    if (!realpath(out, ro) || !realpath(".", rc) || st_path_within(rc, ro))
        return 0;
    DIR *d = opendir(out);
    if (!d)
        return 0;
    int ok = 1;
    for (struct dirent *e; ok && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[ST_PATH_MAX + 300];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", out, e->d_name);
        if (lstat(p, &st) || !S_ISDIR(st.st_mode))
            continue;
        if (strcmp(e->d_name, "images")) {
            ok = 0;
            break;
        }
        DIR *di = opendir(p);
        if (!di) {
            ok = 0;
            break;
        }
        for (struct dirent *g; ok && (g = readdir(di));) {
            char q[2 * ST_PATH_MAX];
            if (!strcmp(g->d_name, ".") || !strcmp(g->d_name, ".."))
                continue;
            snprintf(q, sizeof q, "%s/%s", p, g->d_name);
            ok = !lstat(q, &st) && !S_ISDIR(st.st_mode);
        }
        closedir(di);
    }
    closedir(d);
    return ok;
}

int st_run_folder_open(st_run_folder *f, const char *out, st_err *err)
{
    memset(f, 0, sizeof *f);
    char parent[ST_PATH_MAX], base[256];
    if (strlen(out) + 32 >= sizeof f->stage)
        return st_err_set(err, ST_EINVAL, "%s: path too long", out);
    snprintf(f->out, sizeof f->out, "%s", out);
    int rc = split(out, parent, sizeof parent, base, sizeof base);
    if (!rc && (rc = st_mkdir_p(parent, err)))
        return rc;
    if (rc || !swappable(out, parent)) {
        f->in_place = 1;
        snprintf(f->stage, sizeof f->stage, "%s", out);
        return st_mkdir_p(out, err);
    }
    snprintf(f->stage, sizeof f->stage, "%s%s.%s" STAGE_TAG "XXXXXX", strcmp(parent, "/") ? parent : "",
             "/", base);
    if (!mkdtemp(f->stage))
        return st_err_set(err, ST_EIO, "%s: cannot create a folder beside it (%s)", out, strerror(errno));
    f->slot = st_live_tree_add(f->stage);
    return ST_OK;
}

static int exists(const char *dir, const char *sub, const char *name)
{
    char p[2 * ST_PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s%s/%s", dir, sub, name);
    return lstat(p, &st) == 0;
}

/* OUT/rel into the new run: the same file by a hard link, a symbolic link
 * made again. */
static int carry(const st_run_folder *f, const char *rel, st_err *err)
{
    char from[2 * ST_PATH_MAX], to[2 * ST_PATH_MAX], target[ST_PATH_MAX];
    struct stat st;
    snprintf(from, sizeof from, "%s/%s", f->out, rel);
    snprintf(to, sizeof to, "%s/%s", f->stage, rel);
    if (lstat(from, &st))
        return errno == ENOENT ? ST_OK : st_err_set(err, ST_EIO, "%s: cannot read (%s)", from, strerror(errno));
    int fail;
    if (S_ISLNK(st.st_mode)) {
        ssize_t n = readlink(from, target, sizeof target - 1);
        fail = n < 0;
        if (!fail) {
            target[n] = 0;
            fail = symlink(target, to) != 0;
        }
    } else if (S_ISDIR(st.st_mode)) {
        errno = EISDIR; /* appeared during the run: swappable() refused folders */
        fail = 1;
    } else {
        fail = link(from, to) != 0;
    }
    if (fail)
        return st_err_set(err, ST_EIO, "%s: cannot keep it in the new run's folder (%s); %s left as it was", from,
                          strerror(errno), f->out);
    return ST_OK;
}

static int dropped(const st_run_folder *f, const char *rel, st_strlist *notes, st_err *err)
{
    return st_strlist_addf(notes, err, "%s/%s: left by an earlier run, removed", f->out, rel);
}

/* Every entry of OUT/images: ours not written now dropped, others carried. */
static int carry_images(const st_run_folder *f, st_strlist *notes, st_err *err)
{
    char dir[ST_PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/images", f->out);
    DIR *d = opendir(dir);
    if (!d)
        return ST_OK;
    int rc = ST_OK;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        char rel[300];
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || is_our_temporary(e->d_name) ||
            snprintf(rel, sizeof rel, "images/%s", e->d_name) >= (int)sizeof rel)
            continue;
        if (st_is_session_image_name(e->d_name)) {
            if (!exists(f->stage, "/images", e->d_name))
                rc = dropped(f, rel, notes, err);
            continue;
        }
        char img[ST_PATH_MAX + 16];
        snprintf(img, sizeof img, "%s/images", f->stage);
        if (mkdir(img, 0755) && errno != EEXIST)
            rc = st_err_set(err, ST_EIO, "%s/images: cannot create (%s)", f->out, strerror(errno));
        if (!rc)
            rc = carry(f, rel, err);
    }
    closedir(d);
    return rc;
}

static int carry_over(const st_run_folder *f, st_strlist *notes, st_err *err)
{
    int rc = ST_OK;
    for (size_t i = 0; i < N_TOP && !rc; i++)
        if (exists(f->out, "", top_names[i]) && !exists(f->stage, "", top_names[i]))
            rc = dropped(f, top_names[i], notes, err);
    if (!rc)
        rc = carry_images(f, notes, err);
    DIR *d = rc ? NULL : opendir(f->out);
    for (struct dirent *e; d && !rc && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "images") &&
            !is_top_name(e->d_name) && !is_our_temporary(e->d_name))
            rc = carry(f, e->d_name, err);
    if (d)
        closedir(d);
    return rc;
}

/* One atomic exchange where the kernel has it; else OUT is moved aside
 * and the run renamed in (a moment without OUT, never a mix). */
static int swap_in(st_run_folder *f, int out_exists)
{
    if (!out_exists)
        return rename(f->stage, f->out);
#if defined(__linux__) && defined(SYS_renameat2)
    if (syscall(SYS_renameat2, AT_FDCWD, f->stage, AT_FDCWD, f->out, 2 /* RENAME_EXCHANGE */) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    char aside[ST_PATH_MAX + 8];
    snprintf(aside, sizeof aside, "%s.old", f->stage);
    if (rename(f->out, aside))
        return -1;
    if (rename(f->stage, f->out)) {
        int e = errno;
        (void)rename(aside, f->out);
        errno = e;
        return -1;
    }
    /* the earlier run now lies where the stage was: removed below */
    return rename(aside, f->stage) ? (st_remove_tree_signal_safe(aside), 0) : 0;
}

int st_run_folder_publish(st_run_folder *f, const st_series_result *r, int report_written, st_strlist *notes,
                          st_err *err)
{
    if (f->in_place)
        return st_remove_stale_outputs(f->out, r, report_written, notes, err);
    struct stat so;
    int out_exists = stat(f->out, &so) == 0;
    int rc = out_exists ? carry_over(f, notes, err) : ST_OK;
    mode_t mode = out_exists ? so.st_mode & 07777 : 0755 & ~st_current_umask();
    if (!rc && chmod(f->stage, mode))
        rc = st_err_set(err, ST_EIO, "%s: cannot set its permissions (%s)", f->out, strerror(errno));
    if (!rc && swap_in(f, out_exists))
        rc = st_err_set(err, ST_EIO, "%s: cannot replace it with the new run (%s); left as it was", f->out,
                        strerror(errno));
    if (rc)
        return rc;
    /* the stage's name now holds the earlier run (or nothing) */
    st_remove_tree_signal_safe(f->stage);
    st_live_tree_remove(f->slot);
    f->slot = 0;
    f->stage[0] = 0;
    return ST_OK;
}

void st_run_folder_abort(st_run_folder *f)
{
    if (f->in_place || !f->stage[0])
        return;
    st_remove_tree_signal_safe(f->stage);
    st_live_tree_remove(f->slot);
    f->slot = 0;
    f->stage[0] = 0;
}

void st_run_folder_name_out(const st_run_folder *f, st_err *err)
{
    if (f->in_place || !f->stage[0] || !err)
        return;
    char *at = strstr(err->msg, f->stage);
    if (!at)
        return;
    char msg[ST_ERR_MSG_MAX];
    size_t n = strlen(f->stage);
    snprintf(msg, sizeof msg, "%.*s%s%s", (int)(at - err->msg), err->msg, f->out, at + n);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
}
