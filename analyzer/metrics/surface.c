#define _POSIX_C_SOURCE 200809L
#include "metrics/surface.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "metrics/gfilter.h"
#include "metrics/plane.h"
#include "metrics/roughness.h"
#include "metrics/tiles.h"

enum unit_kind { K_Z, K_NONE, K_GRAD, K_PCT, K_LEN, K_DEG, K_BITS };

/* Roughness values (roughness.h order), then texture values (tiles.h order). */
static const struct {
    const char *name;
    enum unit_kind kind;
} metric_table[ST_SURF_NMETRICS] = {
    {"roughness.sa", K_Z},          {"roughness.sq", K_Z},
    {"roughness.ssk", K_NONE},      {"roughness.sku", K_NONE},
    {"roughness.sp", K_Z},          {"roughness.sv", K_Z},
    {"roughness.sz", K_Z},          {"roughness.sdq", K_GRAD},
    {"roughness.sdr", K_PCT},       {"roughness.sal", K_LEN},
    {"roughness.str", K_NONE},      {"roughness.std", K_DEG},
    {"roughness.band_fine", K_Z},   {"roughness.band_medium", K_Z},
    {"roughness.band_coarse", K_Z}, {"roughness.psd_slope", K_NONE},
    {"roughness.fractal_dim", K_NONE},
    {"texture.glcm.contrast", K_NONE}, {"texture.glcm.dissimilarity", K_NONE},
    {"texture.glcm.homogeneity", K_NONE}, {"texture.glcm.asm", K_NONE},
    {"texture.glcm.entropy", K_BITS}, {"texture.glcm.correlation", K_NONE},
    {"texture.lbp.entropy", K_BITS},
};

static const char *unit_of(enum unit_kind k, st_unit u, int calibrated)
{
    switch (k) {
    case K_Z: return u == ST_UNIT_UM ? "um" : "rel";
    case K_GRAD:
        if (calibrated)
            return u == ST_UNIT_UM ? "" : "rel/mm";
        return u == ST_UNIT_UM ? "um/px" : "rel/px";
    case K_PCT: return "%";
    case K_LEN: return calibrated ? "mm" : "px";
    case K_DEG: return "deg";
    case K_BITS: return "bits";
    default: return "";
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int check_input(const st_surface_input *in, const st_surface_opts *o, st_err *err)
{
    if (!in || !in->data || in->width < 8 || in->height < 8 || in->stride < (size_t)in->width)
        return st_err_set(err, ST_EINVAL, "surface: need a plane of at least 8x8 pixels");
    if (in->mask && in->mask_stride < (size_t)in->width)
        return st_err_set(err, ST_EINVAL, "surface: mask stride shorter than the width");
    if (!(in->pixel_mm >= 0) || (in->unit != ST_UNIT_REL && in->unit != ST_UNIT_UM))
        return st_err_set(err, ST_EINVAL, "surface: bad pixel size or unit");
    if (!(o->scut_mm >= 0) || !(o->lcut_mm >= 0) ||
        (o->lcut_mm > 0 && o->scut_mm >= o->lcut_mm))
        return st_err_set(err, ST_EINVAL,
                          "surface: cut-offs need 0 <= --scut < --lcut (got %g, %g mm)",
                          o->scut_mm, o->lcut_mm);
    if ((o->scut_mm > 0 || o->lcut_mm > 0) && in->pixel_mm <= 0)
        return st_err_set(err, ST_EINVAL,
                          "surface: --scut/--lcut are in mm and need a pixel size (--pixel-mm)");
    return ST_OK;
}

/* Robust [lo, hi] of the levelled heights: 0.5th and 99.5th percentiles
 * inside the mask, from a 65536-bin histogram between min and max. */
static int robust_range(const float *z, int w, int h, const unsigned char *mask, size_t ms,
                        double *lo, double *hi)
{
    double mn = INFINITY, mx = -INFINITY;
    size_t n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (!mask || mask[(size_t)y * ms + x]) {
                double v = z[(size_t)y * w + x];
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
                n++;
            }
    if (!n || !(mx > mn))
        return -1;
    enum { NB = 65536 };
    size_t *hist = calloc(NB, sizeof *hist);
    if (!hist)
        return -1;
    double scale = (NB - 1) / (mx - mn);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (!mask || mask[(size_t)y * ms + x])
                hist[(size_t)((z[(size_t)y * w + x] - mn) * scale)]++;
    size_t acc = 0, qlo = (size_t)(0.005 * n), qhi = (size_t)(0.995 * n);
    int blo = -1, bhi = NB - 1;
    for (int b = 0; b < NB; b++) {
        acc += hist[b];
        if (blo < 0 && acc > qlo)
            blo = b;
        if (acc > qhi) {
            bhi = b;
            break;
        }
    }
    free(hist);
    *lo = mn + blo / scale;
    *hi = mn + (bhi + 1) / scale;
    return *hi > *lo ? 0 : -1;
}

/* Height maps: the texture plane t = clamp((z − lo)/(hi − lo), 0, 1). */
static float *height_texture(const float *z, int w, int h, const unsigned char *mask, size_t ms)
{
    double lo, hi;
    if (robust_range(z, w, h, mask, ms, &lo, &hi))
        return NULL;
    float *t = st_alloc_floats_huge((size_t)w * h); /* every pixel is written */
    if (!t)
        return NULL;
    double inv = 1.0 / (hi - lo);
    for (size_t i = 0; i < (size_t)w * h; i++) {
        double v = (z[i] - lo) * inv;
        t[i] = (float)(v < 0 ? 0 : (v > 1 ? 1 : v));
    }
    return t;
}

/* The surface s: levelled by the least-squares plane, then S/L-filtered. */
static int prepare_surface(const st_surface_input *in, const st_surface_opts *o, st_fft *fft,
                           int threads, float **zout, st_err *err)
{
    int w = in->width, h = in->height;
    /* Not zero-filled: st_plane_subtract writes every pixel. */
    float *z = st_alloc_floats_huge((size_t)w * h);
    if (!z)
        return st_err_set(err, ST_ENOMEM, "surface: out of memory for %dx%d", w, h);
    double c[3];
    if (!st_plane_fit(in->data, in->stride, w, h, in->mask, in->mask_stride, threads, c)) {
        st_aligned_free(z);
        return st_err_set(err, ST_EINVAL, "surface: no pixel inside the mask");
    }
    st_plane_subtract(in->data, in->stride, z, (size_t)w, w, h, in->mask, in->mask_stride, c,
                      threads);
    if (o->scut_mm > 0 || o->lcut_mm > 0) {
        int rc = st_gaussian_sl_filter(fft, z, (size_t)w, w, h, o->scut_mm / in->pixel_mm,
                                       o->lcut_mm / in->pixel_mm, err);
        if (rc) {
            st_aligned_free(z);
            return rc;
        }
        if (in->mask) /* the filter spreads values into the excluded pixels */
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if (!in->mask[(size_t)y * in->mask_stride + x])
                        z[(size_t)y * w + x] = 0.0f;
    }
    *zout = z;
    return ST_OK;
}

static int put_values(st_metric_set *out, const double *v, st_unit u, int calibrated, st_err *err)
{
    for (int m = 0; m < ST_SURF_NMETRICS; m++) {
        if (!isfinite(v[m]))
            continue; /* absent, not zero */
        int rc = st_metric_set_put(out, metric_table[m].name, v[m],
                                   unit_of(metric_table[m].kind, u, calibrated), err);
        if (rc)
            return rc;
    }
    return ST_OK;
}

/* Tile output, metric-major, with names and the spread per metric. */
static int fill_tiles(st_tile_grid *g, const st_tile_layout *tl, const double *rv,
                      const double *tv, double pixel_mm, st_unit u, st_err *err)
{
    size_t nt = (size_t)tl->nx * tl->ny, nm = ST_SURF_NMETRICS;
    g->nx = tl->nx;
    g->ny = tl->ny;
    g->tile_px = tl->ts;
    g->x0 = tl->x0;
    g->y0 = tl->y0;
    g->tile_mm = pixel_mm > 0 ? tl->ts * pixel_mm : 0;
    g->n_metrics = nm;
    g->names = calloc(nm, sizeof *g->names);
    g->values = malloc((nt ? nt : 1) * nm * sizeof *g->values);
    g->mean = malloc(nm * sizeof *g->mean);
    g->sd = malloc(nm * sizeof *g->sd);
    g->n_valid = malloc(nm * sizeof *g->n_valid);
    if (!g->names || !g->values || !g->mean || !g->sd || !g->n_valid)
        return st_err_set(err, ST_ENOMEM, "surface: out of memory for the tile maps");
    for (size_t m = 0; m < nm; m++) {
        snprintf(g->names[m].name, sizeof g->names[m].name, "%s", metric_table[m].name);
        snprintf(g->names[m].unit, sizeof g->names[m].unit, "%s",
                 unit_of(metric_table[m].kind, u, pixel_mm > 0));
        for (size_t t = 0; t < nt; t++)
            g->values[m * nt + t] = m < ST_RV_COUNT ? rv[t * ST_RV_COUNT + m]
                                                    : tv[t * ST_TV_COUNT + (m - ST_RV_COUNT)];
    }
    st_tile_stats(g->values, nt, nm, g->mean, g->sd, g->n_valid);
    return ST_OK;
}

static int keep_psd(st_surface_psd *p, st_rough_result *r, st_unit u, int calibrated)
{
    p->n = r->n;
    p->freq = r->freq;
    p->psd = r->psd;
    r->freq = r->psd = NULL;
    p->fit_lo = r->fit_lo;
    p->fit_hi = r->fit_hi;
    const char *len = calibrated ? "mm" : "px";
    snprintf(p->freq_unit, sizeof p->freq_unit, "1/%s", len);
    snprintf(p->psd_unit, sizeof p->psd_unit, "%s2.%s2", u == ST_UNIT_UM ? "um" : "rel", len);
    return ST_OK;
}

typedef struct run_state {
    st_fft *fft;
    float *z, *tex;
    unsigned char *valid;
    double *rv_tiles, *tv_tiles;
    st_rough_result rr;
} run_state;

static void run_free(run_state *s, const st_surface_opts *o)
{
    if (s->fft && s->fft != o->fft)
        st_fft_free(s->fft);
    st_aligned_free(s->z);
    st_aligned_free(s->tex);
    free(s->valid);
    free(s->rv_tiles);
    free(s->tv_tiles);
    free(s->rr.freq);
    free(s->rr.psd);
}

static st_rough_cfg rough_cfg(const st_surface_input *in, const st_surface_opts *o, int threads,
                              int keep_radial)
{
    int cal = in->pixel_mm > 0;
    st_rough_cfg c = {0};
    c.px = cal ? in->pixel_mm : 1.0;
    c.calibrated = cal;
    /* Slopes: µm per µm for heights, luminance per mm (or per px) for photos. */
    c.grad_dx = in->unit == ST_UNIT_UM ? (cal ? in->pixel_mm * 1000.0 : 1.0) : c.px;
    c.window = o->window == ST_WINDOW_NONE ? ST_WINDOW_NONE : ST_WINDOW_HANN;
    c.acf = (st_acf_opts){0.2}; /* ISO 25178-2 default s = 0.2 */
    c.aps_rmin = 3;
    c.remove_plane = 0;
    c.keep_radial = keep_radial;
    c.threads = threads;
    return c;
}

static int tile_side(const st_surface_input *in, const st_surface_opts *o)
{
    if (o->no_tiles)
        return 0;
    int ts = in->pixel_mm > 0 ? (int)lround((o->tile_mm > 0 ? o->tile_mm : 2.0) / in->pixel_mm)
                              : (o->tile_px > 0 ? o->tile_px : 64);
    return ts >= 8 ? ts : 0; /* smaller tiles hold too few pixels for a spectrum */
}

int st_measure_surface(const st_surface_input *in, const st_surface_opts *opts,
                       st_metric_set *out, st_surface_extras *extras, st_err *err)
{
    static const st_surface_opts defaults = {0};
    const st_surface_opts *o = opts ? opts : &defaults;
    if (extras)
        memset(extras, 0, sizeof *extras);
    int rc = check_input(in, o, err);
    if (rc)
        return rc;
    double t_start = now_s();
    int w = in->width, h = in->height, cal = in->pixel_mm > 0;
    int threads = o->threads;
    run_state s = {0};
    st_surface_timing tm = {0};
    s.fft = o->fft;
    if (!s.fft && (rc = st_fft_new(threads, &s.fft, err)))
        return rc;
    if ((rc = prepare_surface(in, o, s.fft, threads, &s.z, err)))
        goto done;
    tm.prep = now_s() - t_start;
    st_rough_cfg cfg = rough_cfg(in, o, threads, extras != NULL);
    if ((rc = st_roughness_region(s.fft, s.z, (size_t)w, w, h, in->mask, in->mask_stride, &cfg,
                                  NULL, &s.rr, err)))
        goto done;
    tm.fft = s.rr.fft_seconds;
    st_tile_layout tl;
    st_tile_layout_make(w, h, tile_side(in, o), &tl);
    size_t nt = (size_t)tl.nx * tl.ny;
    s.valid = malloc(nt ? nt : 1);
    s.rv_tiles = malloc((nt ? nt : 1) * ST_RV_COUNT * sizeof *s.rv_tiles);
    s.tv_tiles = malloc((nt ? nt : 1) * ST_TV_COUNT * sizeof *s.tv_tiles);
    if (!s.valid || !s.rv_tiles || !s.tv_tiles) {
        rc = st_err_set(err, ST_ENOMEM, "surface: out of memory for %zu tiles", nt);
        goto done;
    }
    st_tile_valid(&tl, in->mask, in->mask_stride, s.valid, threads);
    /* Texture plane: Y for photos, the robustly scaled height otherwise. */
    const float *tex = in->data;
    size_t tstride = in->stride;
    if (in->unit == ST_UNIT_UM) {
        s.tex = height_texture(s.z, w, h, in->mask, in->mask_stride);
        tex = s.tex;
        tstride = (size_t)w;
    }
    double v[ST_SURF_NMETRICS];
    memcpy(v, s.rr.v, sizeof s.rr.v);
    for (int k = 0; k < ST_TV_COUNT; k++)
        v[ST_RV_COUNT + k] = NAN;
    for (size_t i = 0; i < nt * ST_TV_COUNT; i++)
        s.tv_tiles[i] = NAN;
    if (tex && (rc = st_texture_measure(tex, tstride, w, h, in->mask, in->mask_stride,
                                        o->glcm_distance, &tl, s.valid, threads, v + ST_RV_COUNT,
                                        s.tv_tiles, &tm.glcm, &tm.lbp, err)))
        goto done;
    double t_tiles = now_s();
    if (nt && (rc = st_roughness_tiles(s.fft, s.z, (size_t)w, w, h, in->mask, in->mask_stride,
                                       &cfg, &tl, s.valid, threads, s.rv_tiles, err)))
        goto done;
    tm.tiles = now_s() - t_tiles;
    if ((rc = put_values(out, v, in->unit, cal, err)))
        goto done;
    if (extras) {
        keep_psd(&extras->psd, &s.rr, in->unit, cal);
        if ((rc = fill_tiles(&extras->tiles, &tl, s.rv_tiles, s.tv_tiles, in->pixel_mm, in->unit,
                             err)))
            goto done;
        tm.total = now_s() - t_start;
        extras->timing = tm;
    }
done:
    if (rc && extras)
        st_surface_extras_free(extras);
    run_free(&s, o);
    return rc;
}

void st_surface_extras_free(st_surface_extras *x)
{
    if (!x)
        return;
    free(x->psd.freq);
    free(x->psd.psd);
    free(x->tiles.names);
    free(x->tiles.values);
    free(x->tiles.mean);
    free(x->tiles.sd);
    free(x->tiles.n_valid);
    memset(x, 0, sizeof *x);
}
