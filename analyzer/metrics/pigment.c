/* Pigmentation: individual typology angle, melanin index, brown spots.
 *
 * Colour: sRGB -> linear -> CIE XYZ -> L*a*b* (D65, 2 degrees) by the
 * kernels of simd/kernels.h. ITA = atan2(L* - 50, b*) * 180 / pi as SPEC.md
 * writes it; for b* > 0 (all real skin) it equals the usual
 * arctan((L* - 50) / b*) * 180 / pi (Chardon, Cretois & Hourseau, IJCS 13,
 * 1991), and it stays defined at b* <= 0. Mean and SD are over the ROI's
 * pixels after a 0.05 mm Gaussian (sensor noise would otherwise dominate the
 * SD, which is meant to show evenness). Melanin index MI = 100 log10(1/R)
 * on linear R (Diffey, Oliver & Farr, Br J Dermatol 111, 1984), the ROI mean.
 * Brown spots: pixels at least 4 L* units darker and 2 b* units warmer (more
 * yellow) than the local skin (a 2 mm weighted mean that leaves the spots
 * themselves out), in regions of at least 0.3 mm across. When the 0.05 mm
 * Gaussian spans >= 1.5 px, all of this runs on the 2x grid of the
 * smoothed colour (st_det_smoothed_lab): the Gaussian has already removed
 * what the grid cannot hold, and MI's unsmoothed R is read at the grid's
 * pixels, a regular quarter sample of the ROI. */
#define _DEFAULT_SOURCE /* M_PI */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "simd/kernels.h"

#define SPOT_DL (-4.0)
#define SPOT_DB 2.0
#define SPOT_MIN_D_MM 0.3
#define BG_SIGMA_MM 2.0
#define SMOOTH_MM 0.05
#define R_FLOOR 1e-4f /* linear reflectance floor: log of black pixels */

typedef struct pig_stats {
    double ita_sum, ita_sum2, mi_sum;
    size_t n;
} pig_stats;

typedef struct ita_ctx {
    const st_detect_input *in;
    const float *L, *b; /* on the colour grid: w x h, factor f */
    int w, f;
    pig_stats *row; /* per row: sums in a fixed order, whatever the bands */
} ita_ctx;

/* Inside the ROI at grid pixel (x, y) (its full pixel (f x, f y)). */
static inline int grid_inside(const st_detect_input *in, int f, int x, int y)
{
    return st_det_inside(in, f * x, f * y);
}

/* ITA and MI of each ROI pixel of grid rows [y0, y1), summed per row: on
 * the colour grid (every f-th full pixel of every f-th row for the
 * unsmoothed R of MI, a regular sample of the ROI). The transcendental
 * functions run vectorised over the row (detect_math.c); the sums stay in
 * double. */
static void ita_rows(void *arg, int y0, int y1)
{
    const ita_ctx *c = arg;
    int w = c->w;
    float *buf = malloc(4 * (size_t)w * sizeof *buf);
    for (int y = y0; y < y1; y++) {
        pig_stats *s = &c->row[y];
        memset(s, 0, sizeof *s);
        if (!buf) {
            s->n = (size_t)-1; /* reported as out of memory */
            continue;
        }
        size_t o = (size_t)y * w;
        float *l50 = buf, *ita = buf + w, *r = buf + 2 * (size_t)w, *lr = buf + 3 * (size_t)w;
        /* linear R per row (a full plane would cost more in page faults
         * than the conversion) */
        const float *src = st_image_row(c->in->rgb, 0, c->f * y);
        if (c->f == 1) {
            st_srgb_to_linear(src, r, (size_t)w);
        } else {
            for (int x = 0; x < w; x++)
                lr[x] = src[c->f * x];
            st_srgb_to_linear(lr, r, (size_t)w);
        }
        for (int x = 0; x < w; x++) {
            l50[x] = c->L[o + x] - 50.0f;
            r[x] = r[x] > R_FLOOR ? r[x] : R_FLOOR;
        }
        st_det_atan2_row(l50, c->b + o, ita, (size_t)w);
        st_det_log10_row(r, lr, (size_t)w);
        for (int x = 0; x < w; x++) {
            if (!grid_inside(c->in, c->f, x, y))
                continue;
            double d = (double)ita[x] * (180.0 / M_PI);
            s->ita_sum += d;
            s->ita_sum2 += d * d;
            s->mi_sum -= 100.0 * (double)lr[x]; /* 100 log10(1 / R) */
            s->n++;
        }
    }
    free(buf);
}

static int ita_mi(const st_detect_input *in, const float *L, const float *b, int w, int h,
                  int f, int threads, pig_stats *s)
{
    memset(s, 0, sizeof *s);
    pig_stats *row = malloc((size_t)h * sizeof *row);
    if (!row)
        return ST_ENOMEM;
    ita_ctx c = {in, L, b, w, f, row};
    st_parallel_for(threads, h, 16, ita_rows, &c);
    int rc = ST_OK;
    for (int y = 0; y < h; y++) {
        if (row[y].n == (size_t)-1)
            rc = ST_ENOMEM;
        s->ita_sum += row[y].ita_sum;
        s->ita_sum2 += row[y].ita_sum2;
        s->mi_sum += row[y].mi_sum;
        s->n += row[y].n;
    }
    free(row);
    return rc;
}

typedef struct spot_ctx {
    const st_detect_input *in;
    const float *L, *b;
    const float *Lc, *bc; /* coarse local means */
    const st_det_up *up;
    int w, f, pass;
    float *wt;
    unsigned char *spot;
    atomic_int failed;
} spot_ctx;

/* The spot test of a row without a ROI mask (the same comparisons as
 * below, written to vectorise); wt (pass 0 only) loses the spots. */
ST_DET_VEC static void spot_row(const float *restrict L, const float *restrict b,
                                const float *restrict Lbg, const float *restrict bbg,
                                unsigned char *restrict spot, float *restrict wt, int n)
{
    for (int x = 0; x < n; x++)
        spot[x] = (L[x] - Lbg[x] <= SPOT_DL) & (b[x] - bbg[x] >= SPOT_DB);
    if (wt)
        for (int x = 0; x < n; x++)
            wt[x] = spot[x] ? 0.0f : wt[x];
}

/* Spot test of rows [y0, y1) against the local means, read back from the
 * coarse grid a row at a time (no full-resolution background planes). */
static void spot_rows(void *arg, int y0, int y1)
{
    spot_ctx *c = arg;
    int w = c->w;
    float *Lbg = malloc(2 * (size_t)w * sizeof *Lbg), *bbg = Lbg ? Lbg + w : NULL;
    if (!Lbg) {
        atomic_store(&c->failed, 1);
        return;
    }
    st_det_up_cache cl, cb; /* failed caches fall back to the direct formula */
    st_det_up_cache_init(&cl, w);
    st_det_up_cache_init(&cb, w);
    for (int y = y0; y < y1; y++) {
        size_t o = (size_t)y * w;
        st_det_up_row(c->up, c->Lc, y, Lbg, &cl);
        st_det_up_row(c->up, c->bc, y, bbg, &cb);
        if (!c->in->mask) {
            spot_row(c->L + o, c->b + o, Lbg, bbg, c->spot + o, c->pass == 0 ? c->wt + o : NULL, w);
            continue;
        }
        for (int x = 0; x < w; x++) {
            unsigned char sp = grid_inside(c->in, c->f, x, y) && c->L[o + x] - Lbg[x] <= SPOT_DL &&
                               c->b[o + x] - bbg[x] >= SPOT_DB;
            c->spot[o + x] = sp;
            if (c->pass == 0 && sp)
                c->wt[o + x] = 0.0f;
        }
    }
    st_det_up_cache_free(&cl);
    st_det_up_cache_free(&cb);
    free(Lbg);
}

typedef struct wt_ctx {
    const st_detect_input *in;
    float *wt;
    int w, f;
} wt_ctx;

static void wt_rows(void *arg, int y0, int y1)
{
    const wt_ctx *c = arg;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < c->w; x++)
            c->wt[(size_t)y * c->w + x] = grid_inside(c->in, c->f, x, y) ? 1.0f : 0.0f;
}

/* Spot candidates: darker and warmer than the local skin mean. */
static int spot_mask(const st_detect_input *in, const float *L, const float *b, int w, int h,
                     int f, double sigma_px, int threads, unsigned char *spot)
{
    float *wt = st_det_get(in, w, h);
    if (!wt)
        return ST_ENOMEM;
    wt_ctx wc = {in, wt, w, f};
    st_parallel_for(threads, h, 64, wt_rows, &wc);
    int rc = ST_OK;
    /* Twice: the second background leaves out the first pass's spots. */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        const float *planes[2] = {L, b};
        float *co[2] = {NULL, NULL};
        int cw, ch, levels;
        st_det_up up = {0};
        rc = st_det_local_mean_coarse(planes, 2, wt, w, h, sigma_px, threads, co, &cw, &ch,
                                      &levels);
        if (!rc)
            rc = st_det_up_init(&up, cw, ch, levels, w);
        if (!rc) {
            spot_ctx c = {in, L, b, co[0], co[1], &up, w, f, pass, wt, spot, 0};
            st_parallel_for(threads, h, 64, spot_rows, &c);
            rc = atomic_load(&c.failed) ? ST_ENOMEM : ST_OK;
        }
        st_det_up_free(&up);
        st_aligned_free(co[0]);
        st_aligned_free(co[1]);
    }
    st_det_put(in, wt);
    return rc;
}

int st_pigment_measure(const st_detect_input *in0, int threads, st_metric_set *out, st_err *err)
{
    int rc = st_det_check_input(in0, "pigment", err);
    if (rc || !in0->rgb)
        return rc;
    st_detect_input local;
    const st_detect_input *in = st_det_pool_begin(in0, &local);
    double pmm = st_det_pixel_mm(in);
    double smooth_px = pmm > 0 ? fmax(0.5, SMOOTH_MM / pmm) : 1.0;
    /* the colour grid: every statistic below is on it, sizes in its px */
    const int f = st_det_lab_grid(smooth_px);
    const int w = (in->rgb->width + f - 1) / f, h = (in->rgb->height + f - 1) / f;
    double bg_px = (pmm > 0 ? BG_SIGMA_MM / pmm : 40.0) / f;
    double d_px = (pmm > 0 ? SPOT_MIN_D_MM / pmm : 6.0) / f;
    const float *lab[3], *L = NULL, *b = NULL;
    unsigned char *spot = st_det_get_bytes(in, (size_t)w * h);
    if (!spot) {
        rc = st_err_set(err, ST_ENOMEM, "pigment: out of memory for %dx%d", w, h);
        goto done;
    }
    if ((rc = st_det_smoothed_lab(in, smooth_px, 1u | 4u, threads, lab))) {
        rc = st_err_set(err, rc, "pigment: Lab planes of %dx%d (%s)", w, h, st_status_name(rc));
        goto done;
    }
    L = lab[0];
    b = lab[2];
    pig_stats s;
    if (!rc)
        rc = ita_mi(in, L, b, w, h, f, threads, &s);
    if (!rc)
        rc = spot_mask(in, L, b, w, h, f, bg_px, threads, spot);
    if (rc) {
        rc = st_err_set(err, rc, "pigment: %s", st_status_name(rc));
        goto done;
    }
    size_t area = 0;
    rc = st_det_large_area8(spot, w, h, M_PI * d_px * d_px / 4.0, &area, err);
    if (!rc && s.n) {
        double mean = s.ita_sum / (double)s.n;
        double var = fmax(s.ita_sum2 / (double)s.n - mean * mean, 0.0);
        rc = st_metric_set_put(out, "pigment.ita_deg", mean, "deg", err);
        if (!rc)
            rc = st_metric_set_put(out, "pigment.ita_sd", sqrt(var), "deg", err);
        if (!rc)
            rc = st_metric_set_put(out, "pigment.melanin_index", s.mi_sum / (double)s.n, "", err);
        if (!rc)
            rc = st_metric_set_put(out, "pigment.spot_area_fraction",
                                   100.0 * (double)area / (double)s.n, "%", err);
    }
done:
    st_det_put(in, (float *)spot);
    st_det_pool_end(in, &local);
    return rc;
}
