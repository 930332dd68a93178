/* An output folder used before keeps the files of that run: a longer series'
 * images/session_05_*.jpg, or a report.html that --no-report would leave
 * describing other data. After a run, every file skintrack writes under a
 * name of its own that this run did not write is removed; files of any other
 * name are never touched. */
#define _POSIX_C_SOURCE 200809L
#include "series/stale_outputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

/* images/session_NN_WHAT.jpg, WHAT in lower-case letters: analyze_images.c's names. */
int st_is_session_image_name(const char *name)
{
    const char *p = name;
    if (strncmp(p, "session_", 8))
        return 0;
    p += 8;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p - digits < 2 || *p++ != '_')
        return 0;
    const char *what = p;
    while (*p >= 'a' && *p <= 'z')
        p++;
    return p > what && !strcmp(p, ".jpg");
}

static int written(const st_series_result *r, const char *rel)
{
    if (!strcmp(r->image_area, rel))
        return 1;
    for (size_t i = 0; i < r->n_sessions; i++) {
        const st_session_result *s = &r->sessions[i];
        if (!strcmp(s->image_aligned, rel) || !strcmp(s->image_overlay, rel) || !strcmp(s->image_diff, rel) ||
            !strcmp(s->image_melanin, rel) || !strcmp(s->image_haemoglobin, rel))
            return 1;
    }
    return 0;
}

/* Removes out/rel if it is a regular file; a note names it. */
static int remove_file(const char *out, const char *rel, st_strlist *notes, st_err *err)
{
    char path[4400];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", out, rel);
    if (lstat(path, &sb) || !S_ISREG(sb.st_mode))
        return ST_OK;
    if (unlink(path))
        return st_err_set(err, ST_EIO, "%s: cannot remove a file of an earlier run (%s)", path, strerror(errno));
    return st_strlist_addf(notes, err, "%s: left by an earlier run, removed", path);
}

int st_remove_stale_outputs(const char *out, const st_series_result *r, int report_written, st_strlist *notes,
                            st_err *err)
{
    int rc = ST_OK;
    if (!report_written) {
        rc = remove_file(out, "report.html", notes, err);
        if (!rc)
            rc = remove_file(out, "report.pdf", notes, err);
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/images", out);
    DIR *d = opendir(dir);
    if (!d)
        return rc; /* no images/: nothing stale in it */
    for (struct dirent *e; !rc && (e = readdir(d));) {
        char rel[300];
        if (!st_is_session_image_name(e->d_name) || snprintf(rel, sizeof rel, "images/%s", e->d_name) >= (int)sizeof rel)
            continue;
        if (!written(r, rel))
            rc = remove_file(out, rel, notes, err);
    }
    closedir(d);
    return rc;
}
