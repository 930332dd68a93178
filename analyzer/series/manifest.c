#define _DEFAULT_SOURCE
/* Keys and messages are cut at their buffer size on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "series/manifest.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/fs.h"

#define MANIFEST_MAX_BYTES (4u << 20) /* a series.json is a few kB; refuse absurd ones */

const char *st_modality_name(st_modality m)
{
    switch (m) {
    case ST_MODALITY_HEIGHT: return "height";
    case ST_MODALITY_STEREO: return "stereo";
    default: return "photo";
    }
}

int st_modality_parse(const char *s, st_modality *out)
{
    static const char *names[] = {"photo", "height", "stereo"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = (st_modality)i;
            return 0;
        }
    return -1;
}

/* ---- typed getters: each error names the key (a JSON path) and the file -- */

typedef struct ctx {
    const char *name; /* file, for messages */
    const char *dir;
    st_manifest *m;
    st_err *err;
} ctx;

static int bad(const ctx *c, const char *key, const char *what)
{
    return st_err_set(c->err, ST_EINVAL, "%s: key '%s' %s", c->name, key, what);
}

static int get_string(const ctx *c, const cJSON *v, const char *key, char *out, size_t cap)
{
    if (!cJSON_IsString(v))
        return bad(c, key, "must be a string");
    if (strlen(v->valuestring) >= cap)
        return bad(c, key, "is too long");
    strcpy(out, v->valuestring);
    return ST_OK;
}

static int get_number(const ctx *c, const cJSON *v, const char *key, double lo, double hi,
                      double *out)
{
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return bad(c, key, "must be a number");
    if (v->valuedouble < lo || v->valuedouble > hi)
        return st_err_set(c->err, ST_EINVAL, "%s: key '%s': %g is not plausible (%g to %g)",
                          c->name, key, v->valuedouble, lo, hi);
    *out = v->valuedouble;
    return ST_OK;
}

static int unknown_key(const ctx *c, const char *prefix, const char *key)
{
    return st_strlist_addf(&c->m->warnings, c->err, "%s: unknown key '%s%s' ignored", c->name,
                           prefix, key);
}

/* ---- file names ------------------------------------------------------ */

int st_check_inside(const char *dir, const char *file, const char *what, st_err *err)
{
    if (!file[0])
        return st_err_set(err, ST_EINVAL, "%s: empty file name", what);
    if (file[0] == '/')
        return st_err_set(err, ST_EINVAL, "%s: '%s' is an absolute path; files must lie in the series folder",
                          what, file);
    for (const char *p = file; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return st_err_set(err, ST_EINVAL, "%s: '%s' leaves the series folder ('..')", what, file);
        p += n + (slash ? 1 : 0);
    }
    if (!dir)
        return ST_OK;
    char path[PATH_MAX], real_dir[PATH_MAX], real_file[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return st_err_set(err, ST_EINVAL, "%s: '%s': path too long", what, file);
    if (!realpath(path, real_file))
        return ST_OK; /* missing files are reported when the session is read */
    if (!realpath(dir, real_dir))
        return st_err_set(err, ST_EIO, "%s: cannot resolve the series folder (%s)", what, strerror(errno));
    size_t n = strlen(real_dir);
    if (strncmp(real_file, real_dir, n) || (real_file[n] != '/' && strcmp(real_dir, "/")))
        return st_err_set(err, ST_EINVAL, "%s: '%s' points outside the series folder (symlink to %s)",
                          what, file, real_file);
    return ST_OK;
}

/* ---- sessions -------------------------------------------------------- */

static int parse_treatment(const ctx *c, const cJSON *obj, const char *key, st_treatment *t)
{
    char k[96];
    if (!cJSON_IsObject(obj))
        return bad(c, key, "must be an object");
    t->present = 1;
    for (const cJSON *it = obj->child; it; it = it->next) {
        int rc = ST_OK;
        snprintf(k, sizeof k, "%s.%s", key, it->string);
        if (!strcmp(it->string, "setting")) {
            rc = get_string(c, it, k, t->setting, sizeof t->setting);
        } else if (!strcmp(it->string, "needle_mm")) {
            rc = get_number(c, it, k, 0.0, ST_NEEDLE_MM_MAX, &t->needle_mm);
            t->has_needle_mm = 1;
        } else if (!strcmp(it->string, "adjuncts")) {
            if (!cJSON_IsArray(it))
                return bad(c, k, "must be an array of strings");
            for (const cJSON *a = it->child; a && !rc; a = a->next) {
                if (t->n_adjuncts == ST_MAX_ADJUNCTS)
                    return bad(c, k, "lists too many adjuncts");
                rc = get_string(c, a, k, t->adjuncts[t->n_adjuncts++], sizeof t->adjuncts[0]);
            }
        } else {
            snprintf(k, sizeof k, "%s.", key);
            rc = unknown_key(c, k, it->string);
        }
        if (rc)
            return rc;
    }
    return ST_OK;
}

static int parse_lights(const ctx *c, const cJSON *arr, const char *key, st_manifest_session *s)
{
    if (!cJSON_IsArray(arr))
        return bad(c, key, "must be an array of [x, y, z] directions");
    for (const cJSON *l = arr->child; l; l = l->next) {
        if (s->n_lights == ST_MAX_LIGHTS)
            return bad(c, key, "lists too many lights");
        if (!cJSON_IsArray(l) || cJSON_GetArraySize(l) != 3)
            return bad(c, key, "must hold [x, y, z] arrays of 3 numbers");
        double *d = s->lights[s->n_lights++];
        double norm = 0;
        int i = 0;
        for (const cJSON *v = l->child; v; v = v->next, i++) {
            if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
                return bad(c, key, "must hold [x, y, z] arrays of 3 numbers");
            d[i] = v->valuedouble;
            norm += d[i] * d[i];
        }
        /* Directions are given as unit vectors; accept small rounding
         * (0.87 for √3/2) and normalise, refuse nonsense. */
        if (norm < 0.25 || norm > 4.0 || d[2] <= 0)
            return bad(c, key, "must hold unit vectors pointing towards the camera (z > 0)");
        for (i = 0; i < 3; i++)
            d[i] /= sqrt(norm);
    }
    return ST_OK;
}

static int parse_files(const ctx *c, const cJSON *arr, const char *key, st_manifest_session *s)
{
    if (!cJSON_IsArray(arr) || !arr->child)
        return bad(c, key, "must be a non-empty array of file names");
    for (const cJSON *f = arr->child; f; f = f->next) {
        if (!cJSON_IsString(f))
            return bad(c, key, "must be a non-empty array of file names");
        char what[160];
        snprintf(what, sizeof what, "%s: key '%s'", c->name, key);
        int rc = st_check_inside(c->dir, f->valuestring, what, c->err);
        if (!rc)
            rc = st_strlist_add(&s->files, f->valuestring, c->err);
        if (rc)
            return rc;
    }
    return ST_OK;
}

static int parse_session(const ctx *c, const cJSON *obj, size_t index, st_manifest_session *s)
{
    char key[64], k[96];
    snprintf(key, sizeof key, "sessions[%zu]", index);
    if (!cJSON_IsObject(obj))
        return bad(c, key, "must be an object");
    for (const cJSON *it = obj->child; it; it = it->next) {
        int rc = ST_OK;
        snprintf(k, sizeof k, "%s.%s", key, it->string);
        if (!strcmp(it->string, "date")) {
            long day;
            rc = get_string(c, it, k, s->date, sizeof s->date);
            if (!rc && st_date_parse(s->date, &day))
                return bad(c, k, "must be a date YYYY-MM-DD");
        } else if (!strcmp(it->string, "label")) {
            rc = get_string(c, it, k, s->label, sizeof s->label);
        } else if (!strcmp(it->string, "files")) {
            rc = parse_files(c, it, k, s);
        } else if (!strcmp(it->string, "treatment")) {
            rc = parse_treatment(c, it, k, &s->treatment);
        } else if (!strcmp(it->string, "lights")) {
            rc = parse_lights(c, it, k, s);
        } else {
            snprintf(k, sizeof k, "%s.", key);
            rc = unknown_key(c, k, it->string);
        }
        if (rc)
            return rc;
    }
    if (!s->files.count)
        return bad(c, key, "has no 'files'");
    if (s->n_lights && (size_t)s->n_lights != s->files.count)
        return st_err_set(c->err, ST_EINVAL, "%s: key '%s.lights' must give one direction per file (%d for %zu)",
                          c->name, key, s->n_lights, s->files.count);
    return ST_OK;
}

static int parse_sessions(const ctx *c, const cJSON *arr)
{
    if (!cJSON_IsArray(arr))
        return bad(c, "sessions", "must be an array of objects");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (!n)
        return bad(c, "sessions", "is empty");
    c->m->sessions = calloc(n, sizeof *c->m->sessions);
    if (!c->m->sessions)
        return st_err_set(c->err, ST_ENOMEM, "%s: out of memory", c->name);
    size_t i = 0;
    for (const cJSON *s = arr->child; s; s = s->next, i++) {
        c->m->n_sessions = i + 1;
        int rc = parse_session(c, s, i, &c->m->sessions[i]);
        if (rc)
            return rc;
    }
    return ST_OK;
}

/* ---- duplicate keys -------------------------------------------------- */

static int cmp_member(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* cJSON keeps every member of an object, a repeated key included, and the
 * parser below would read both (a second "sessions" list replaced the first,
 * which leaked). RFC 8259 §4 leaves repeated names undefined; a manifest that
 * says two things is refused. Returns 1 with the JSON path of the first
 * repeated key (in sort order) in path, 0 if none, -1 out of memory. Depth is
 * bounded by cJSON's nesting limit; members are sorted, so a huge object
 * costs n log n, not n². */
static int find_duplicate(const cJSON *v, char *path, size_t cap)
{
    size_t n = 0, len = strlen(path);
    for (const cJSON *c = v->child; c; c = c->next)
        n++;
    if (cJSON_IsObject(v) && n > 1) {
        const cJSON **m = malloc(n * sizeof *m);
        if (!m)
            return -1;
        n = 0;
        for (const cJSON *c = v->child; c; c = c->next)
            m[n++] = c;
        qsort(m, n, sizeof *m, cmp_member);
        const char *dup = NULL;
        for (size_t i = 1; i < n && !dup; i++)
            if (!strcmp(m[i - 1]->string, m[i]->string))
                dup = m[i]->string;
        if (dup)
            snprintf(path + len, cap - len, "%s%s", len ? "." : "", dup);
        free(m);
        if (dup)
            return 1;
    }
    size_t i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        if (cJSON_IsObject(v))
            snprintf(path + len, cap - len, "%s%s", len ? "." : "", c->string);
        else
            snprintf(path + len, cap - len, "[%zu]", i);
        int rc = find_duplicate(c, path, cap);
        if (rc)
            return rc;
        path[len] = 0;
    }
    return 0;
}

/* ---- top level ------------------------------------------------------- */

static int parse_roi(const ctx *c, const cJSON *v)
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 4)
        return bad(c, "roi", "must be an array [x, y, width, height]");
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        double d = cJSON_IsNumber(e) ? e->valuedouble : -1;
        if (d < 0 || d != floor(d) || d > ST_MAX_DIMENSION || (i >= 2 && d < 1))
            return bad(c, "roi", "must hold 4 whole numbers x, y >= 0 and width, height >= 1");
        c->m->roi[i] = (int)d;
    }
    c->m->has_roi = 1;
    return ST_OK;
}

/* "colour": "auto" (calibrate where a chart is found) or "fixed-camera"
 * (the clinic vouches that camera, settings and lamp never change). */
static int parse_colour(const ctx *c, const cJSON *v)
{
    char s[32];
    int rc = get_string(c, v, "colour", s, sizeof s);
    if (rc)
        return rc;
    if (strcmp(s, "auto") && strcmp(s, "fixed-camera"))
        return st_err_set(c->err, ST_EINVAL, "%s: key 'colour': unknown value '%s' (auto or fixed-camera)",
                          c->name, s);
    c->m->colour_fixed = !strcmp(s, "fixed-camera");
    return ST_OK;
}

/* "chart": {"patch_pitch_mm": P}: a ColorChecker Classic whose patches are
 * P mm apart, centre to centre (about 66 mm on the full-size card, 10 mm on
 * the Mini; 0.1 mm for prints made for skin microscopy). */
static int parse_chart(const ctx *c, const cJSON *v)
{
    if (!cJSON_IsObject(v))
        return bad(c, "chart", "must be an object");
    for (const cJSON *it = v->child; it; it = it->next) {
        if (strcmp(it->string, "patch_pitch_mm")) {
            int rc = unknown_key(c, "chart.", it->string);
            if (rc)
                return rc;
            continue;
        }
        double p = 0;
        int rc = get_number(c, it, "chart.patch_pitch_mm", 0.1, 100.0, &p);
        if (rc)
            return rc;
        c->m->chart_pitch_mm = p;
    }
    return ST_OK;
}

static int parse_top_key(const ctx *c, const cJSON *it)
{
    st_manifest *m = c->m;
    const char *k = it->string;
    /* null: not given, the placeholder `skintrack init` writes for the
     * clinic to complete (docs/series-json.md). */
    if (cJSON_IsNull(it) && (!strcmp(k, "roi") || !strcmp(k, "pixel_mm") ||
                             !strcmp(k, "height_um_per_unit")))
        return ST_OK;
    if (!strcmp(k, "patient"))
        return get_string(c, it, k, m->patient, sizeof m->patient);
    if (!strcmp(k, "area"))
        return get_string(c, it, k, m->area, sizeof m->area);
    if (!strcmp(k, "pixel_mm")) {
        m->has_pixel_mm = 1;
        return get_number(c, it, k, ST_PIXEL_MM_MIN, ST_PIXEL_MM_MAX, &m->pixel_mm);
    }
    if (!strcmp(k, "height_um_per_unit")) {
        m->has_height_scale = 1;
        return get_number(c, it, k, ST_HEIGHT_SCALE_MIN, ST_HEIGHT_SCALE_MAX, &m->height_um_per_unit);
    }
    if (!strcmp(k, "roi"))
        return parse_roi(c, it);
    if (!strcmp(k, "modality")) {
        char s[32];
        int rc = get_string(c, it, k, s, sizeof s);
        if (rc || st_modality_parse(s, &m->modality))
            return rc ? rc : st_err_set(c->err, ST_EINVAL, "%s: key 'modality': unknown modality '%s' (photo, height or stereo)",
                                        c->name, s);
        m->has_modality = 1;
        return ST_OK;
    }
    if (!strcmp(k, "sessions"))
        return parse_sessions(c, it);
    if (!strcmp(k, "colour"))
        return parse_colour(c, it);
    if (!strcmp(k, "chart"))
        return parse_chart(c, it);
    return unknown_key(c, "", k);
}

int st_manifest_parse(const char *text, size_t len, const char *name, const char *dir,
                      st_manifest *m, st_err *err)
{
    memset(m, 0, sizeof *m);
    ctx c = {name, dir, m, err};
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        long off = at && at >= text && at <= text + len ? (long)(at - text) : -1;
        return st_err_set(err, ST_EFORMAT, "%s: not valid JSON (near byte %ld)", name, off);
    }
    int rc = ST_OK;
    char dup[256] = "";
    if (!cJSON_IsObject(root))
        rc = st_err_set(err, ST_EINVAL, "%s: the top level must be an object", name);
    else if ((rc = find_duplicate(root, dup, sizeof dup)) != 0)
        rc = rc < 0 ? st_err_set(err, ST_ENOMEM, "%s: out of memory", name)
                    : st_err_set(err, ST_EINVAL, "%s: key '%s' is given more than once", name, dup);
    for (const cJSON *it = cJSON_IsObject(root) ? root->child : NULL; it && !rc; it = it->next)
        rc = parse_top_key(&c, it);
    cJSON_Delete(root);
    if (rc) {
        st_manifest_free(m);
        return rc;
    }
    m->present = 1;
    return ST_OK;
}

int st_manifest_load(const char *dir, st_manifest *m, st_err *err)
{
    memset(m, 0, sizeof *m);
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/series.json", dir) >= (int)sizeof path)
        return st_err_set(err, ST_EINVAL, "%s: path too long", dir);
    FILE *fp;
    int orc = st_fopen_regular(path, 1, &fp, err);
    if (orc || !fp)
        return orc;
    char *buf = malloc(MANIFEST_MAX_BYTES + 1);
    if (!buf) {
        fclose(fp);
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, MANIFEST_MAX_BYTES + 1, fp);
    int read_error = ferror(fp);
    fclose(fp);
    int rc;
    if (read_error)
        rc = st_err_set(err, ST_EIO, "%s: read error", path);
    else if (n > MANIFEST_MAX_BYTES)
        rc = st_err_set(err, ST_ETOOBIG, "%s: larger than %u bytes", path, MANIFEST_MAX_BYTES);
    else
        rc = st_manifest_parse(buf, n, path, dir, m, err);
    free(buf);
    return rc;
}

void st_manifest_free(st_manifest *m)
{
    for (size_t i = 0; i < m->n_sessions; i++)
        st_strlist_free(&m->sessions[i].files);
    free(m->sessions);
    st_strlist_free(&m->warnings);
    memset(m, 0, sizeof *m);
}
