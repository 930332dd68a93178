#define _POSIX_C_SOURCE 200809L
#include "report/report_model.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "report/report_catalog.h"

/* Every allocation of a model hangs on one list, freed at once. */
typedef struct st_rp_pool {
    void **items;
    size_t n, cap;
    int oom;
} st_rp_pool;

static void *pool_alloc(st_rp_pool *p, size_t n, size_t size)
{
    if (p->oom)
        return NULL;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        void **it = realloc(p->items, cap * sizeof *it);
        if (!it) {
            p->oom = 1;
            return NULL;
        }
        p->items = it;
        p->cap = cap;
    }
    void *mem = calloc(n ? n : 1, size);
    if (!mem) {
        p->oom = 1;
        return NULL;
    }
    p->items[p->n++] = mem;
    return mem;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, at most U+10FFFF), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4                                  ? 4
                                                                               : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((n == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (n == 3 && s[0] == 0xED && s[1] >= 0xA0) ||
        (n == 4 && s[0] == 0xF0 && s[1] < 0x90) || (n == 4 && s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* A pooled copy; invalid UTF-8 bytes become '?' so every renderer (cairo
 * refuses invalid UTF-8) gets text it can show. */
static const char *pool_str(st_rp_pool *p, const char *s)
{
    if (!s)
        return "";
    size_t n = strlen(s);
    char *d = pool_alloc(p, n + 1, 1);
    if (!d)
        return "";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_len(u + i);
        if (k == 0) {
            d[i++] = '?';
            continue;
        }
        memcpy(d + i, u + i, k);
        i += k;
    }
    d[n] = '\0';
    return d;
}

static double *pool_nans(st_rp_pool *p, size_t n)
{
    double *v = pool_alloc(p, n, sizeof *v);
    if (v)
        for (size_t i = 0; i < n; i++)
            v[i] = NAN;
    return v;
}

/* ---- small JSON accessors --------------------------------------------- */
static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const cJSON *jobj(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *jarr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(v) ? v : NULL;
}

/* Strings of a JSON array joined with ", " (non-strings skipped). */
static const char *join_strings(st_rp_pool *p, const cJSON *arr)
{
    size_t len = 1;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it)) len += strlen(it->valuestring) + 2;
    char *s = pool_alloc(p, len, 1);
    if (!s)
        return "";
    cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it))
    {
        if (s[0])
            strcat(s, ", ");
        strcat(s, it->valuestring);
    }
    return s;
}

static const char **string_list(st_rp_pool *p, const cJSON *arr, size_t *n)
{
    *n = 0;
    int count = cJSON_GetArraySize(arr);
    const char **out = pool_alloc(p, (size_t)(count > 0 ? count : 1), sizeof *out);
    const cJSON *it;
    if (!out)
        return NULL;
    cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it)) out[(*n)++] = pool_str(p, it->valuestring);
    return out;
}

/* Numbers of a JSON array into a pooled vector; 0 if not all numbers. */
static size_t num_vector(st_rp_pool *p, const cJSON *arr, double **out)
{
    int n = cJSON_GetArraySize(arr);
    *out = NULL;
    if (!arr || n <= 0)
        return 0;
    double *v = pool_alloc(p, (size_t)n, sizeof *v);
    if (!v)
        return 0;
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsNumber(it))
            return 0;
        v[i++] = it->valuedouble;
    }
    *out = v;
    return (size_t)n;
}

/* ---- metric name table ------------------------------------------------ */
/* Catalog order first (SPEC table order, grouped by family), then unknown
 * names in the order met, so both renderers list metrics the same way. */
static int collect_metrics(st_rp_model *m, const cJSON *sessions)
{
    size_t cap = 0, n = 0;
    const cJSON *s, *it;
    cJSON_ArrayForEach(s, sessions)
    {
        const cJSON *mo = jobj(s, "metrics");
        cJSON_ArrayForEach(it, mo) cap++;
    }
    size_t ncat;
    const st_rp_metric_info *cat = st_rp_catalog(&ncat);
    m->metric_names = pool_alloc(m->pool, cap + 1, sizeof(char *));
    m->metric_units = pool_alloc(m->pool, cap + 1, sizeof(char *));
    if (!m->metric_names || !m->metric_units)
        return -1;
    for (size_t pass = 0; pass <= ncat; pass++) {
        cJSON_ArrayForEach(s, sessions)
        {
            cJSON_ArrayForEach(it, jobj(s, "metrics"))
            {
                const char *key = it->string;
                if (!key || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(it, "value")))
                    continue;
                int known = st_rp_metric_info_find(key) != NULL;
                if (pass < ncat ? strcmp(key, cat[pass].name) != 0 : known)
                    continue;
                if (st_rp_metric_index(m, key) >= 0)
                    continue;
                m->metric_names[n] = pool_str(m->pool, key);
                m->metric_units[n] = pool_str(m->pool, jstr(it, "unit"));
                m->n_metrics = ++n;
            }
        }
    }
    return 0;
}

int st_rp_metric_index(const st_rp_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_metrics; i++)
        if (strcmp(m->metric_names[i], name) == 0)
            return (int)i;
    return -1;
}

/* ---- sessions ----------------------------------------------------------- */
static void parse_detections(st_rp_pool *p, st_rp_session *s, const cJSON *d)
{
    const cJSON *it;
    const cJSON *pores = jarr(d, "pores"), *scars = jarr(d, "scars"),
                *wr = jarr(d, "wrinkles");
    s->has_detections = d != NULL;
    s->pores = pool_alloc(p, (size_t)cJSON_GetArraySize(pores) + 1, sizeof *s->pores);
    s->scars = pool_alloc(p, (size_t)cJSON_GetArraySize(scars) + 1, sizeof *s->scars);
    s->wrinkles = pool_alloc(p, (size_t)cJSON_GetArraySize(wr) + 1, sizeof *s->wrinkles);
    if (!s->pores || !s->scars || !s->wrinkles)
        return;
    cJSON_ArrayForEach(it, pores)
    {
        st_rp_pore q = {jnum(it, "x"), jnum(it, "y"), jnum(it, "d_mm")};
        if (isfinite(q.x) && isfinite(q.y))
            s->pores[s->n_pores++] = q;
    }
    cJSON_ArrayForEach(it, scars)
    {
        st_rp_scar q = {jnum(it, "x"), jnum(it, "y"), jnum(it, "area_mm2"),
                        jnum(it, "max_depth")};
        if (isfinite(q.x) && isfinite(q.y))
            s->scars[s->n_scars++] = q;
    }
    cJSON_ArrayForEach(it, wr)
    {
        st_rp_wrinkle q = {jnum(it, "x0"), jnum(it, "y0"), jnum(it, "x1"), jnum(it, "y1"),
                           jnum(it, "width_mm")};
        if (isfinite(q.x0) && isfinite(q.y0) && isfinite(q.x1) && isfinite(q.y1))
            s->wrinkles[s->n_wrinkles++] = q;
    }
}

/* "tiles": {name: {"unit", "rows", "cols", "x0", "y0", "tile_px",
 * "values": [v | null]}} as analyze writes it (report/json_writer.c); null (a
 * tile outside the mask) becomes NAN. A map whose grid is implausible or
 * whose values do not fill it is left out. */
static void parse_tiles(st_rp_model *m, st_rp_session *s, const cJSON *t)
{
    const cJSON *it;
    int n = cJSON_GetArraySize(t);
    if (!cJSON_IsObject(t) || n < 1 || !(s->tiles = pool_alloc(m->pool, (size_t)n, sizeof *s->tiles)))
        return;
    cJSON_ArrayForEach(it, t)
    {
        const cJSON *vals = cJSON_GetObjectItemCaseSensitive(it, "values");
        double rows = jnum(it, "rows"), cols = jnum(it, "cols");
        if (!it->string || !cJSON_IsArray(vals) || !(rows >= 1 && rows <= 256 && cols >= 1 && cols <= 256))
            continue;
        size_t want = (size_t)rows * (size_t)cols;
        if ((size_t)cJSON_GetArraySize(vals) != want)
            continue;
        st_rp_tiles tl = {pool_str(m->pool, it->string), "", (int)rows, (int)cols,
                          pool_alloc(m->pool, want, sizeof(double))};
        int mi = st_rp_metric_index(m, it->string);
        tl.unit = mi >= 0 ? m->metric_units[mi] : "";
        size_t k = 0;
        const cJSON *v;
        cJSON_ArrayForEach(v, vals) if (tl.values) tl.values[k++] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        if (tl.values)
            s->tiles[s->n_tiles++] = tl;
    }
}

static int file_exists(const char *dir, const char *rel)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void find_images(st_rp_model *m, st_rp_session *s, const cJSON *imgs)
{
    double *o = NULL;
    s->img_ox = s->img_oy = s->img_scale = NAN;
    if (num_vector(m->pool, jarr(imgs, "origin"), &o) == 2 && jnum(imgs, "scale") > 0) {
        s->img_ox = o[0];
        s->img_oy = o[1];
        s->img_scale = jnum(imgs, "scale");
    }
    static const char *const keys[ST_IMG_COUNT] = {"aligned",         "diff",
                                                   "overlay",         "tiles_roughness",
                                                   "tiles_depth",     "melanin",
                                                   "haemoglobin"};
    for (int k = 0; k < ST_IMG_COUNT; k++) {
        s->images[k] = "";
        const char *given = jstr(imgs, keys[k]);
        if (given) {
            if (file_exists(m->out_dir, given))
                s->images[k] = pool_str(m->pool, given);
            continue;
        }
        if (imgs)
            continue;
        static const char *const ext[] = {"png", "jpg", "jpeg"};
        for (int e = 0; e < 3 && !s->images[k][0]; e++) {
            char rel[128];
            snprintf(rel, sizeof rel, "images/s%d_%s.%s", s->index, keys[k], ext[e]);
            if (file_exists(m->out_dir, rel))
                s->images[k] = pool_str(m->pool, rel);
        }
    }
}

static void parse_quality(st_rp_pool *p, st_rp_session *s, const cJSON *q)
{
    s->q_status = pool_str(p, jstr(q, "status"));
    s->sharpness = jnum(q, "sharpness");
    s->clipped_pct = jnum(q, "clipped_pct");
    s->q_messages = string_list(p, jarr(q, "messages"), &s->n_q_messages);
}

static void parse_registration(st_rp_pool *p, st_rp_session *s, const cJSON *r)
{
    s->reg_status = pool_str(p, jstr(r, "status"));
    s->reg_model = pool_str(p, jstr(r, "model"));
    s->reg_message = pool_str(p, jstr(r, "message"));
    s->ncc = jnum(r, "ncc");
    s->overlap = jnum(r, "overlap");
}

/* session.colour: a null ΔE00 (no chart fitted) stays NAN. */
static void parse_colour(st_rp_pool *p, st_rp_colour *c, const cJSON *o)
{
    c->status = pool_str(p, jstr(o, "status"));
    c->method = pool_str(p, jstr(o, "method"));
    c->message = pool_str(p, jstr(o, "message"));
    c->de00_before = jnum(o, "delta_e00_before");
    c->de00_after = jnum(o, "delta_e00_after");
    double *box = NULL;
    if (num_vector(p, jarr(o, "chart_box"), &box) == 4) {
        c->has_chart_box = 1;
        memcpy(c->chart_box, box, sizeof c->chart_box);
    }
}

static void parse_light(st_rp_pool *p, st_rp_light *l, const cJSON *o)
{
    double *d = NULL;
    l->present = o != NULL;
    l->angle_deg = jnum(o, "angle_to_baseline_deg");
    l->direction[0] = l->direction[1] = l->direction[2] = NAN;
    if (num_vector(p, jarr(o, "direction"), &d) == 3)
        memcpy(l->direction, d, sizeof l->direction);
    const cJSON *rc = cJSON_GetObjectItemCaseSensitive(o, "relief_comparable");
    l->relief_comparable = cJSON_IsBool(rc) ? cJSON_IsTrue(rc) : -1;
}

/* session.withheld: {metric: reason}. A withheld change is never shown,
 * even if "change" carries one too (SPEC.md: it is absent from change). */
static void parse_withheld(st_rp_model *m, st_rp_session *s, const cJSON *w)
{
    st_rp_pool *p = m->pool;
    size_t n = (size_t)cJSON_GetArraySize(w);
    s->withheld = pool_alloc(p, m->n_metrics + 1, sizeof *s->withheld);
    s->wh_names = pool_alloc(p, n + 1, sizeof *s->wh_names);
    s->wh_reasons = pool_alloc(p, n + 1, sizeof *s->wh_reasons);
    if (!s->withheld || !s->wh_names || !s->wh_reasons)
        return;
    const cJSON *it;
    cJSON_ArrayForEach(it, w)
    {
        if (!it->string)
            continue;
        const char *why = pool_str(p, cJSON_IsString(it) ? it->valuestring : "");
        s->wh_names[s->n_withheld] = pool_str(p, it->string);
        s->wh_reasons[s->n_withheld++] = why;
        int mi = st_rp_metric_index(m, it->string);
        if (mi >= 0) {
            s->withheld[mi] = why;
            if (s->changes)
                s->changes[mi] = NAN;
        }
    }
}

const char *st_rp_withheld(const st_rp_session *s, int mi)
{
    return mi >= 0 && s->withheld ? s->withheld[mi] : NULL;
}

static void parse_session(st_rp_model *m, st_rp_session *s, const cJSON *js, int pos)
{
    st_rp_pool *p = m->pool;
    double idx = jnum(js, "index");
    s->index = isfinite(idx) ? (int)idx : pos;
    s->days = jnum(js, "days");
    s->date = pool_str(p, jstr(js, "date"));
    s->label = pool_str(p, jstr(js, "label"));
    s->files = join_strings(p, jarr(js, "files"));
    const cJSON *t = jobj(js, "treatment");
    s->has_treatment = t != NULL;
    s->setting = pool_str(p, jstr(t, "setting"));
    s->needle_mm = jnum(t, "needle_mm");
    s->adjuncts = join_strings(p, jarr(t, "adjuncts"));
    parse_registration(p, s, jobj(js, "registration"));
    parse_quality(p, s, jobj(js, "quality"));
    const char *status = jstr(js, "status");
    s->failed = (status && strcmp(status, "failed") == 0) || strcmp(s->reg_status, "failed") == 0;
    const char *why = jstr(js, "reason");
    if (!why || !why[0])
        why = jstr(js, "error");
    if (!why || !why[0])
        why = s->reg_message[0] ? s->reg_message : jstr(js, "message");
    s->fail_reason = pool_str(p, s->failed ? why : "");
    s->values = pool_nans(p, m->n_metrics + 1);
    s->changes = pool_nans(p, m->n_metrics + 1);
    s->spread = pool_nans(p, m->n_metrics + 1);
    const cJSON *mo = jobj(js, "metrics"), *ch = jobj(js, "change"), *rp = jobj(js, "repeatability");
    for (size_t i = 0; s->values && s->changes && s->spread && i < m->n_metrics; i++) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(rp, m->metric_names[i]);
        s->spread[i] = cJSON_IsNumber(r) ? r->valuedouble : jnum(r, "value");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(mo, m->metric_names[i]);
        s->values[i] = jnum(v, "value");
        s->changes[i] = jnum(ch, m->metric_names[i]);
    }
    parse_withheld(m, s, jobj(js, "withheld"));
    parse_colour(p, &s->colour, jobj(js, "colour"));
    parse_light(p, &s->light, jobj(js, "light"));
    parse_detections(p, s, jobj(js, "detections"));
    const cJSON *psd = jobj(js, "psd");
    double *f = NULL, *pw = NULL;
    size_t nf = num_vector(p, jarr(psd, "freq_per_mm"), &f);
    size_t np = num_vector(p, jarr(psd, "power"), &pw);
    if (nf >= 2 && nf == np) {
        s->psd_f = f;
        s->psd_p = pw;
        s->n_psd = nf;
    }
    parse_tiles(m, s, jobj(js, "tiles"));
    find_images(m, s, jobj(js, "images"));
}

/* ---- the document ------------------------------------------------------- */
static void parse_series(st_rp_model *m, const cJSON *root)
{
    st_rp_pool *p = m->pool;
    const cJSON *tool = jobj(root, "tool"), *se = jobj(root, "series");
    m->tool_name = pool_str(p, jstr(tool, "name"));
    m->tool_version = pool_str(p, jstr(tool, "version"));
    m->run_date = pool_str(p, jstr(tool, "run_date"));
    m->name = pool_str(p, jstr(se, "name"));
    m->patient = pool_str(p, jstr(se, "patient"));
    m->area = pool_str(p, jstr(se, "area"));
    const char *mod = jstr(se, "modality");
    m->modality = pool_str(p, mod ? mod : "photo");
    m->pixel_mm = jnum(se, "pixel_mm");
    const cJSON *cal = cJSON_GetObjectItemCaseSensitive(se, "calibrated");
    m->calibrated = cJSON_IsBool(cal) ? cJSON_IsTrue(cal) : isfinite(m->pixel_mm) && m->pixel_mm > 0;
    double *roi = NULL;
    if (num_vector(p, jarr(se, "roi"), &roi) == 4) {
        m->has_roi = 1;
        for (int i = 0; i < 4; i++)
            m->roi[i] = (int)roi[i];
    }
    m->notes = string_list(p, jarr(se, "notes"), &m->n_notes);
    const cJSON *du = cJSON_GetObjectItemCaseSensitive(se, "dates_unknown");
    m->dates_flagged_unknown = cJSON_IsTrue(du);
    double b = jnum(se, "baseline");
    m->baseline = isfinite(b) ? (int)b : 0;
}

/* "#rrggbb" -> 0xRRGGBB; 0 when malformed. */
static int parse_rgb(const char *t, unsigned *rgb)
{
    unsigned v = 0;
    if (!t || t[0] != '#' || strlen(t) != 7)
        return 0;
    for (int i = 1; i < 7; i++) {
        char ch = t[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
        if (d < 0)
            return 0;
        v = v << 4 | (unsigned)d;
    }
    *rgb = v;
    return 1;
}

/* chromophore_keys: a key is used only when complete (finite min < max and
 * both colours), so a map is never drawn against a wrong scale. */
static void parse_chromo_keys(st_rp_model *m, const cJSON *keys)
{
    static const char *const names[ST_CHROMO_COUNT] = {"melanin", "haemoglobin"};
    for (int k = 0; k < ST_CHROMO_COUNT; k++) {
        const cJSON *o = jobj(keys, names[k]);
        st_rp_chromo_key *c = &m->chromo[k];
        c->min = jnum(o, "min");
        c->max = jnum(o, "max");
        c->unit = pool_str(m->pool, jstr(o, "unit"));
        c->present = o && isfinite(c->min) && isfinite(c->max) && c->max > c->min &&
                     parse_rgb(jstr(o, "colour_min"), &c->colour_min) &&
                     parse_rgb(jstr(o, "colour_max"), &c->colour_max);
    }
}

static void parse_progress(st_rp_model *m, const cJSON *pr)
{
    const cJSON *ri = jobj(pr, "remodeling_index");
    m->index_value = jnum(ri, "value");
    m->index_lo = m->index_hi = NAN;
    const cJSON *ci = jarr(ri, "ci95");
    if (cJSON_GetArraySize(ci) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(ci, 0)) &&
        cJSON_IsNumber(cJSON_GetArrayItem(ci, 1))) {
        m->index_lo = cJSON_GetArrayItem(ci, 0)->valuedouble;
        m->index_hi = cJSON_GetArrayItem(ci, 1)->valuedouble;
    }
    m->trend_30d = pool_nans(m->pool, m->n_metrics + 1);
    m->ci_lo = pool_nans(m->pool, m->n_metrics + 1);
    m->ci_hi = pool_nans(m->pool, m->n_metrics + 1);
    const cJSON *tr = jobj(pr, "trend_per_30d"), *cc = jobj(pr, "change_ci95");
    for (size_t i = 0; m->trend_30d && m->ci_lo && m->ci_hi && i < m->n_metrics; i++) {
        m->trend_30d[i] = jnum(tr, m->metric_names[i]);
        const cJSON *c = jarr(cc, m->metric_names[i]);
        if (cJSON_GetArraySize(c) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(c, 0)) &&
            cJSON_IsNumber(cJSON_GetArrayItem(c, 1))) {
            m->ci_lo[i] = cJSON_GetArrayItem(c, 0)->valuedouble;
            m->ci_hi[i] = cJSON_GetArrayItem(c, 1)->valuedouble;
        }
    }
    m->flags = string_list(m->pool, jarr(pr, "flags"), &m->n_flags);
}

int st_rp_model_parse(const char *json, size_t len, const char *out_dir, st_rp_model *m,
                      st_err *err)
{
    memset(m, 0, sizeof *m);
    const char *where = out_dir ? out_dir : "(memory)";
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root)
        return st_err_set(err, ST_EFORMAT, "%s/metrics.json: not valid JSON", where);
    const char *schema = jstr(root, "schema");
    const cJSON *sessions = jarr(root, "sessions");
    int code = ST_OK;
    if (!schema || strcmp(schema, "skintrack/1") != 0)
        code = st_err_set(err, ST_EFORMAT, "%s/metrics.json: schema is not \"skintrack/1\"", where);
    else if (!jobj(root, "series"))
        code = st_err_set(err, ST_EFORMAT, "%s/metrics.json: no \"series\" object", where);
    else if (!sessions || cJSON_GetArraySize(sessions) < 1)
        code = st_err_set(err, ST_EFORMAT, "%s/metrics.json: no \"sessions\"", where);
    m->pool = calloc(1, sizeof *m->pool);
    if (code == ST_OK && !m->pool)
        code = st_err_set(err, ST_ENOMEM, "%s/metrics.json: out of memory", where);
    if (code != ST_OK) {
        cJSON_Delete(root);
        st_rp_model_free(m);
        return code;
    }
    m->out_dir = pool_str(m->pool, out_dir ? out_dir : ".");
    parse_series(m, root);
    collect_metrics(m, sessions);
    size_t ns = (size_t)cJSON_GetArraySize(sessions);
    m->sessions = pool_alloc(m->pool, ns, sizeof *m->sessions);
    const cJSON *js;
    m->dates_known = 1;
    cJSON_ArrayForEach(js, sessions)
    {
        if (!m->sessions || !cJSON_IsObject(js))
            continue;
        st_rp_session *s = &m->sessions[m->n_sessions];
        parse_session(m, s, js, (int)m->n_sessions);
        if (!isfinite(s->days) || m->dates_flagged_unknown)
            m->dates_known = 0;
        m->n_sessions++;
    }
    /* series.baseline is a session index; find its position. */
    int pos = 0;
    for (size_t i = 0; i < m->n_sessions; i++)
        if (m->sessions[i].index == m->baseline)
            pos = (int)i;
    m->baseline = pos;
    parse_progress(m, jobj(root, "progress"));
    const cJSON *keys = jobj(root, "chromophore_keys");
    parse_chromo_keys(m, keys ? keys : jobj(jobj(root, "series"), "chromophore_keys"));
    cJSON_Delete(root);
    if (m->pool->oom || m->n_sessions == 0) {
        st_rp_model_free(m);
        return st_err_set(err, ST_ENOMEM, "%s/metrics.json: out of memory", where);
    }
    return ST_OK;
}

unsigned char *st_rp_read_asset(const st_rp_model *m, const char *rel, size_t *size)
{
    *size = 0;
    if (!rel || !rel[0] || rel[0] == '/' || strstr(rel, ".."))
        return NULL;
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", m->out_dir, rel) >= sizeof path)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (1L << 30) &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) != NULL &&
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        *size = (size_t)n;
    return buf;
}

int st_rp_model_load(const char *out_dir, st_rp_model *m, st_err *err)
{
    char path[4096];
    memset(m, 0, sizeof *m);
    if ((size_t)snprintf(path, sizeof path, "%s/metrics.json", out_dir) >= sizeof path)
        return st_err_set(err, ST_EINVAL, "%s: path too long", out_dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(errno));
    st_rp_model tmp = {.out_dir = out_dir};
    size_t n = 0;
    fclose(f);
    char *json = (char *)st_rp_read_asset(&tmp, "metrics.json", &n);
    if (!json)
        return st_err_set(err, ST_EIO, "%s: cannot read (empty or unreadable)", path);
    int code = st_rp_model_parse(json, n, out_dir, m, err);
    free(json);
    return code;
}

void st_rp_model_free(st_rp_model *m)
{
    if (m->pool) {
        for (size_t i = 0; i < m->pool->n; i++)
            free(m->pool->items[i]);
        free(m->pool->items);
        free(m->pool);
    }
    memset(m, 0, sizeof *m);
}

int st_rp_latest(const st_rp_model *m)
{
    for (size_t i = m->n_sessions; i-- > 0;)
        if ((int)i != m->baseline && !m->sessions[i].failed)
            return (int)i;
    return -1;
}

int st_rp_trend_fit(const st_rp_model *m, int metric, double *slope, double *icept)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (size_t i = 0; i < m->n_sessions; i++) {
        const st_rp_session *s = &m->sessions[i];
        double y = (int)i == m->baseline ? 0.0 : s->changes[metric];
        if (s->failed || !isfinite(s->days) || !isfinite(y))
            continue;
        sx += s->days, sy += y, sxx += s->days * s->days, sxy += s->days * y;
        n++;
    }
    double den = n * sxx - sx * sx;
    if (n < 2 || fabs(den) < 1e-12)
        return 0;
    *slope = (n * sxy - sx * sy) / den;
    *icept = (sy - *slope * sx) / n;
    return 1;
}

int st_rp_det_map(const st_rp_model *m, const st_rp_session *s, int img_w, int img_h,
                  double *ox, double *oy, double *f)
{
    *ox = *oy = 0;
    *f = 1;
    if (isfinite(s->img_scale)) {
        *ox = s->img_ox, *oy = s->img_oy, *f = s->img_scale;
        return 1;
    }
    if (m->has_roi && img_w == m->roi[2] && img_h == m->roi[3]) {
        *ox = m->roi[0], *oy = m->roi[1];
        return 1;
    }
    return 0;
}

double st_rp_mm_to_px(const st_rp_model *m, double mm)
{
    if (!isfinite(mm))
        return 0;
    return m->calibrated && m->pixel_mm > 0 ? mm / m->pixel_mm : mm;
}
