#define _DEFAULT_SOURCE
/* Keys and messages are cut at their buffer size on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "series/scan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/error.h"
#include "io/exif_date.h"

int st_is_image_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png") ||
                   !strcasecmp(dot, ".heic") || !strcasecmp(dot, ".heif"));
}

/* EXIF DateTimeOriginal read from the file's header only (the pixels are
 * decoded later, one session at a time). */
static int exif_date(const char *path, char out[ST_DATE_LEN])
{
    char dt[20];
    return st_image_exif_datetime(path, dt) ? -1 : st_date_from_exif(dt, out);
}

static int cmp_str(const void *a, const void *b)
{
    return st_natural_cmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's entries, sorted by name so every run sees the same order;
 * numbers in names by value (visit9 before visit10). */
static int list_dir(const char *dir, st_strlist *names, st_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return st_err_set(err, ST_EIO, "%s: cannot read the series folder (%s)", dir, strerror(errno));
    int rc = ST_OK;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        rc = st_strlist_add(names, e->d_name, err);
    }
    closedir(d);
    if (!rc && names->count > 1)
        qsort(names->items, names->count, sizeof *names->items, cmp_str);
    return rc;
}

static void session_defaults(st_series *s)
{
    long base_day = s->sessions[0].day;
    int base_dated = s->sessions[0].date[0] != 0;
    s->dates_unknown = 1;
    for (size_t i = 0; i < s->n_sessions; i++) {
        st_scan_session *ss = &s->sessions[i];
        if (ss->date[0])
            s->dates_unknown = 0;
        ss->days = (ss->date[0] && base_dated) ? (int)(ss->day - base_day) : 0;
        if (!ss->label[0]) {
            if (i == 0)
                snprintf(ss->label, sizeof ss->label, "baseline");
            else
                snprintf(ss->label, sizeof ss->label, "session %zu", i);
        }
    }
}

/* Dated before undated; dates ascending; then the given order (stable). */
typedef struct order_key {
    const char *date;
    const char *name;
    size_t pos;
} order_key;

static int cmp_order(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    int da = a->date[0] != 0, db = b->date[0] != 0;
    if (da != db)
        return db - da;
    int c = da ? strcmp(a->date, b->date) : 0;
    if (c)
        return c;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int new_session(st_series *s, st_err *err)
{
    st_scan_session *grown = realloc(s->sessions, (s->n_sessions + 1) * sizeof *grown);
    if (!grown)
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", s->dir);
    s->sessions = grown;
    memset(&s->sessions[s->n_sessions++], 0, sizeof *grown);
    return ST_OK;
}

int st_series_group(st_series *s, const char *const *files, const char *const *dates,
                    const st_date_source *sources, size_t n, st_err *err)
{
    if (!n)
        return st_err_set(err, ST_EINVAL, "%s: no images " ST_IMAGE_EXTS " in the series folder", s->dir);
    order_key *keys = malloc(n * sizeof *keys);
    if (!keys)
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", s->dir);
    for (size_t i = 0; i < n; i++)
        keys[i] = (order_key){dates[i], files[i], i};
    qsort(keys, n, sizeof *keys, cmp_order);
    int rc = ST_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const order_key *k = &keys[i];
        st_scan_session *last = s->n_sessions ? &s->sessions[s->n_sessions - 1] : NULL;
        /* Same date = repeat shots (or the lit images of a stereo set). */
        if (!(last && k->date[0] && !strcmp(last->date, k->date))) {
            rc = new_session(s, err);
            if (rc)
                break;
            last = &s->sessions[s->n_sessions - 1];
            snprintf(last->date, sizeof last->date, "%s", k->date);
            last->date_source = k->date[0] ? sources[k->pos] : ST_DATE_NONE;
            if (k->date[0])
                st_date_parse(k->date, &last->day);
        }
        rc = st_strlist_add(&last->files, k->name, err);
    }
    free(keys);
    if (!rc)
        session_defaults(s);
    return rc;
}

/* Date of one file from its name, else its EXIF header. */
static st_date_source file_date(const char *dir, const char *name, char out[ST_DATE_LEN])
{
    char path[PATH_MAX];
    out[0] = 0;
    if (!st_date_from_filename(name, out))
        return ST_DATE_FILENAME;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!exif_date(path, out))
        return ST_DATE_EXIF;
    out[0] = 0;
    return ST_DATE_NONE;
}

static int scan_without_manifest(st_series *s, const st_strlist *images, st_err *err)
{
    size_t n = images->count;
    char (*dates)[ST_DATE_LEN] = calloc(n ? n : 1, sizeof *dates);
    const char **dp = calloc(n ? n : 1, sizeof *dp);
    st_date_source *src = calloc(n ? n : 1, sizeof *src);
    int rc = (dates && dp && src) ? ST_OK : st_err_set(err, ST_ENOMEM, "%s: out of memory", s->dir);
    for (size_t i = 0; i < n && !rc; i++) {
        src[i] = file_date(s->dir, images->items[i], dates[i]);
        dp[i] = dates[i];
    }
    if (!rc)
        rc = st_series_group(s, (const char *const *)images->items, dp, src, n, err);
    free(dates);
    free(dp);
    free(src);
    return rc;
}

static int listed(const st_manifest *m, const char *name)
{
    for (size_t i = 0; i < m->n_sessions; i++)
        for (size_t j = 0; j < m->sessions[i].files.count; j++)
            if (!strcmp(m->sessions[i].files.items[j], name))
                return 1;
    return 0;
}

static int scan_with_manifest(st_series *s, const st_manifest *m, const st_strlist *images, st_err *err)
{
    int rc = ST_OK;
    for (size_t i = 0; i < images->count && !rc; i++)
        if (!listed(m, images->items[i]))
            rc = st_strlist_addf(&s->notes, err, "%s: not listed in series.json, ignored", images->items[i]);
    order_key *keys = calloc(m->n_sessions, sizeof *keys);
    st_scan_session *tmp = calloc(m->n_sessions, sizeof *tmp);
    if (!rc && (!keys || !tmp))
        rc = st_err_set(err, ST_ENOMEM, "%s: out of memory", s->dir);
    for (size_t i = 0; i < m->n_sessions && !rc; i++) {
        const st_manifest_session *ms = &m->sessions[i];
        st_scan_session *ss = &tmp[i];
        snprintf(ss->date, sizeof ss->date, "%s", ms->date);
        ss->date_source = ms->date[0] ? ST_DATE_MANIFEST : ST_DATE_NONE;
        if (!ms->date[0])
            ss->date_source = file_date(s->dir, ms->files.items[0], ss->date);
        if (ss->date[0])
            st_date_parse(ss->date, &ss->day);
        snprintf(ss->label, sizeof ss->label, "%s", ms->label);
        ss->treatment = ms->treatment;
        ss->n_lights = ms->n_lights;
        memcpy(ss->lights, ms->lights, sizeof ss->lights);
        rc = st_strlist_extend(&ss->files, &ms->files, err);
        keys[i] = (order_key){ss->date, ms->files.items[0], i};
    }
    if (!rc) {
        qsort(keys, m->n_sessions, sizeof *keys, cmp_order);
        s->sessions = malloc(m->n_sessions * sizeof *s->sessions);
        if (!s->sessions)
            rc = st_err_set(err, ST_ENOMEM, "%s: out of memory", s->dir);
    }
    for (size_t i = 0; i < m->n_sessions && !rc; i++) {
        s->sessions[i] = tmp[keys[i].pos];
        memset(&tmp[keys[i].pos], 0, sizeof *tmp); /* ownership of files moved */
        s->n_sessions = i + 1;
    }
    for (size_t i = 0; tmp && i < m->n_sessions; i++)
        st_strlist_free(&tmp[i].files);
    free(tmp);
    free(keys);
    if (!rc)
        session_defaults(s);
    return rc;
}

static void resolve_options(st_series *s, const st_manifest *m, const st_series_overrides *ov)
{
    static const st_series_overrides none;
    if (!ov)
        ov = &none;
    snprintf(s->patient, sizeof s->patient, "%s", m->patient);
    snprintf(s->area, sizeof s->area, "%s", m->area);
    s->modality = ov->has_modality ? ov->modality : m->has_modality ? m->modality : ST_MODALITY_PHOTO;
    s->pixel_mm = ov->has_pixel_mm ? ov->pixel_mm : m->has_pixel_mm ? m->pixel_mm : 0.0;
    s->height_um_per_unit = ov->has_height_scale ? ov->height_um_per_unit
                            : m->has_height_scale ? m->height_um_per_unit : 1.0;
    s->has_roi = ov->has_roi || m->has_roi;
    s->roi_from_option = ov->has_roi;
    s->colour_fixed = m->colour_fixed;
    s->chart_pitch_mm = m->chart_pitch_mm;
    memcpy(s->roi, ov->has_roi ? ov->roi : m->roi, sizeof s->roi);
}

/* 1 if path is a PNG whose header says 16-bit gray: what height maps are
 * stored as (PNG 1.2 §4.1.1 IHDR: bit depth at byte 24, colour type 0 at 25). */
static int png_gray16(const char *path)
{
    unsigned char h[26];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    return n == sizeof h && !memcmp(h, "\x89PNG\r\n\x1a\n", 8) && !memcmp(h + 12, "IHDR", 4) &&
           h[24] == 16 && h[25] == 0;
}

/* Sorts the folder's entries into images and notes about the rest. */
static int split_entries(st_series *s, const st_strlist *names, st_strlist *images, st_err *err)
{
    int rc = ST_OK;
    for (size_t i = 0; i < names->count && !rc; i++) {
        const char *n = names->items[i];
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", s->dir, n);
        if (!strcmp(n, "series.json"))
            continue;
        int is_reg = stat(path, &st) == 0 && S_ISREG(st.st_mode);
        if (!is_reg && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            rc = st_strlist_addf(&s->notes, err, "%s: a folder" ST_SCAN_IGNORED, n);
        else if (!st_is_image_name(n))
            rc = st_strlist_addf(&s->notes, err,
                                 "%s: not an image " ST_IMAGE_EXTS ST_SCAN_IGNORED, n);
        else if (st_check_inside(s->dir, n, s->dir, NULL))
            rc = st_strlist_addf(&s->notes, err,
                                 "%s: a link leading out of the series folder" ST_SCAN_IGNORED, n);
        else {
            rc = st_strlist_add(images, n, err);
            s->gray16_pngs += is_reg && png_gray16(path);
        }
    }
    return rc;
}

int st_series_scan(const char *dir, const st_series_overrides *ov, st_series *s, st_err *err)
{
    memset(s, 0, sizeof *s);
    if (strlen(dir) >= sizeof s->dir)
        return st_err_set(err, ST_EINVAL, "%s: path too long", dir);
    strcpy(s->dir, dir);
    size_t len = strlen(s->dir);
    while (len > 1 && s->dir[len - 1] == '/')
        s->dir[--len] = 0;
    const char *base = strrchr(s->dir, '/');
    snprintf(s->name, sizeof s->name, "%s", base ? base + 1 : s->dir);

    st_strlist names = {0}, images = {0};
    st_manifest m;
    int rc = list_dir(s->dir, &names, err);
    memset(&m, 0, sizeof m);
    if (!rc && !(ov && ov->ignore_manifest))
        rc = st_manifest_load(s->dir, &m, err);
    if (rc) {
        st_strlist_free(&names);
        return rc;
    }
    resolve_options(s, &m, ov);
    s->modality_given = (ov && ov->has_modality) || m.has_modality;
    s->has_manifest = m.present;
    rc = st_strlist_extend(&s->notes, &m.warnings, err);
    if (!rc)
        rc = split_entries(s, &names, &images, err);
    /* No image at all is an unreadable series, even when series.json names
     * files: there is nothing to analyse (exit status 2, not a series of
     * failed sessions). */
    if (!rc && !images.count)
        rc = st_err_set(err, ST_EINVAL, "%s: no images " ST_IMAGE_EXTS " in the series folder", s->dir);
    if (!rc && m.n_sessions)
        rc = scan_with_manifest(s, &m, &images, err);
    else if (!rc)
        rc = scan_without_manifest(s, &images, err);
    st_strlist_free(&names);
    st_strlist_free(&images);
    st_manifest_free(&m);
    if (rc)
        st_series_free(s);
    return rc;
}

void st_series_free(st_series *s)
{
    for (size_t i = 0; i < s->n_sessions; i++)
        st_strlist_free(&s->sessions[i].files);
    free(s->sessions);
    st_strlist_free(&s->notes);
    s->sessions = NULL;
    s->n_sessions = 0;
}

int st_series_hints(const st_series *s, st_strlist *hints, st_err *err)
{
    int rc = ST_OK;
    size_t n_files = 0;
    for (size_t i = 0; i < s->n_sessions; i++)
        n_files += s->sessions[i].files.count;
    if (s->modality == ST_MODALITY_PHOTO && !s->modality_given && s->gray16_pngs &&
        s->gray16_pngs * 2 >= n_files)
        rc = st_strlist_addf(hints, err,
                             "%zu of %zu images are 16-bit gray PNGs, read as photos: if they are "
                             "height maps, use --modality height (or \"modality\": \"height\" in series.json)",
                             s->gray16_pngs, n_files);
    if (!rc && s->dates_unknown) {
        char order[512];
        size_t len = 0;
        order[0] = 0;
        for (size_t i = 0; i < s->n_sessions && len < sizeof order; i++)
            len += (size_t)snprintf(order + len, sizeof order - len, "%s%s", i ? ", " : "",
                                    s->sessions[i].files.items[0]);
        if (len >= sizeof order)
            snprintf(order + sizeof order - 5, 5, "...");
        rc = st_strlist_addf(hints, err,
                             "dates unknown (no date in series.json, the file names or EXIF): sessions "
                             "in file-name order: %s",
                             order);
    }
    return rc;
}
