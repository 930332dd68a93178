/* Wrinkles' multi-scale line filter: per working pixel the best response
 * of the valley measure over the scales, its direction and scale (see
 * wrinkles.c for the method and its references). Scales double from the
 * finest (a bar of width w answers best at sigma = w / 2, so octaves leave
 * no width more than ~30 % below its peak response) and each runs on the
 * level of a 2x mean pyramid where it spans 1-2 pixels: its response is
 * computed on that level's own grid, the coarsest level first, and each
 * finer level starts from the coarser one's best maps upsampled
 * (bilinearly), so the working grid only ever computes its own 1-2 scales.
 * Every pass runs in row bands and gives the same bytes for any thread
 * count. */
#include "metrics/wrinkle_maps.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

#define W_MIN_MM 0.05
#define W_MAX_MM 1.0
#define SCALE_STEP 2.0
#define GRAD_WEIGHT 1.0f
#define MAX_LEVELS 16

static void maps_put(const st_detect_input *in, line_maps *m)
{
    st_det_put(in, m->snr);
    st_det_put(in, m->best);
    st_det_put(in, m->h2b);
    st_det_put(in, m->hamc);
    st_det_put(in, m->sigma);
    m->snr = m->best = m->h2b = m->hamc = m->sigma = NULL;
}

void st_det_wrinkle_maps_free(const st_detect_input *in, line_maps *m)
{
    st_det_put(in, m->surf);
    m->surf = NULL;
    maps_put(in, m);
}

typedef struct hess_ctx {
    const float *b; /* the level blurred at this scale */
    int w, h, border;
    float s1, s2;
} hess_ctx;

/* st_det_hessian's central differences, term for term, the squared
 * gradient and the squared half-difference of the eigenvalues dd over
 * [x0, x1) of row r (a function of its own so that the restrict parameters
 * let the loop vectorise). */
ST_DET_VEC static void hess_interior(const float *restrict r, int w, int x0, int x1, float s2,
                          float *restrict xx, float *restrict yy, float *restrict xy,
                          float *restrict g2, float *restrict dd)
{
    const float *rm = r - w, *rp = r + w;
    for (int x = x0; x < x1; x++) {
        float a = r[x + 1] - 2.0f * r[x] + r[x - 1];
        float cc = rp[x] - 2.0f * r[x] + rm[x];
        float d = 0.25f * (rp[x + 1] - rp[x - 1] - rm[x + 1] + rm[x - 1]);
        float gx = 0.5f * (r[x + 1] - r[x - 1]), gy = 0.5f * (rp[x] - rm[x]);
        float sa = s2 * a, sc = s2 * cc, sd = s2 * d;
        xx[x] = sa;
        yy[x] = sc;
        xy[x] = sd;
        g2[x] = gx * gx + gy * gy;
        dd[x] = 0.25f * (sa - sc) * (sa - sc) + sd * sd;
    }
}

/* One row of the Hessian (v[0..2]: xx, yy, xy), the gradient magnitude
 * (v[3], not yet sigma-normalised) and the eigenvalues' half-difference
 * (v[4]). The interior (at least 2 px from the border, since s_lvl >= 1)
 * needs no clamping, so its loop vectorises; the square roots run as row
 * passes (st_det_sqrt_row). The border of 2 sigma, where the mirrored
 * extension bends ramps into false valleys, gets an infinite gradient,
 * hence no response. */
static void hess_row_into(const hess_ctx *c, int y, float *const v[5])
{
    const int w = c->w, bd = c->border;
    size_t o = (size_t)y * w;
    int x0 = bd, x1 = w - bd;
    if (y < bd || y >= c->h - bd || x1 <= x0)
        x0 = x1 = w;
    for (int x = 0; x < w; x++) {
        if (x == x0)
            x = x1; /* skip the interior */
        if (x >= w)
            break;
        v[0][x] = v[1][x] = v[2][x] = v[4][x] = 0.0f;
        v[3][x] = INFINITY;
    }
    if (x1 > x0)
        hess_interior(c->b + o, w, x0, x1, c->s2, v[0], v[1], v[2], v[3], v[4]);
    st_det_sqrt_row(v[3], (size_t)w);
    st_det_sqrt_row(v[4], (size_t)w);
}

/* Line response from a normalised Hessian (a, c, b), the gradient
 * magnitude g (times s1: sigma-normalised, kept finite) and the
 * eigenvalues' half-difference dd, over a row. The gradient term removes
 * the toes of edges (a pore's rim, a shadow border), where the curvature
 * across is as large as at a valley but the surface is still sloping; at
 * a valley's centre line the gradient vanishes. */
ST_DET_VEC static void line_response_row(const float *restrict a, const float *restrict c,
                                         const float *restrict g, const float *restrict dd,
                                         float s1, float *restrict r, int n)
{
    for (int x = 0; x < n; x++) {
        float gs = s1 * g[x];
        gs = gs < 1e30f ? gs : 1e30f;
        float tr = 0.5f * (a[x] + c[x]);
        float l1 = tr + dd[x], l2 = tr - dd[x];
        float v = l1 - fabsf(l2) - GRAD_WEIGHT * gs;
        r[x] = ((l1 > 0) & (v > 0)) ? v : 0.0f;
    }
}

typedef struct scale_ctx {
    line_maps *m;         /* the maps of this scale's level */
    const hess_ctx *hc;
    atomic_int failed;    /* a band could not get its row buffers */
    float inv;            /* 1 / noise */
    float sigma;          /* working px */
} scale_ctx;

/* Number of x in [0, n) with r[x] > best[x] (a vectorised test, so that
 * the stores below only visit the 16-pixel blocks that have any). */
ST_DET_VEC static int count_better(const float *restrict r, const float *restrict best, int n)
{
    int k = 0;
    for (int x = 0; x < n; x++)
        k += r[x] > best[x];
    return k;
}

/* Where r beats best over a block: the winner's response, SNR, direction
 * and scale (selects, so that the loop vectorises; the same values as
 * per-pixel branches). */
ST_DET_VEC static void blend_block(const float *restrict r, const float *restrict a,
                                   const float *restrict cc, const float *restrict b, float inv,
                                   float sigma, float *restrict best, float *restrict snr,
                                   float *restrict h2b, float *restrict hamc, float *restrict sg,
                                   int n)
{
    for (int x = 0; x < n; x++) {
        int win = r[x] > best[x];
        best[x] = win ? r[x] : best[x];
        snr[x] = win ? r[x] * inv : snr[x];
        h2b[x] = win ? 2.0f * b[x] : h2b[x];
        hamc[x] = win ? a[x] - cc[x] : hamc[x];
        sg[x] = win ? sigma : sg[x];
    }
}

static void keep_best(const scale_ctx *c, int y, const float *r, const float *a,
                      const float *cc, const float *b)
{
    line_maps *m = c->m;
    size_t o = (size_t)y * m->w;
    for (int x0 = 0; x0 < m->w; x0 += 32) {
        int n = x0 + 32 < m->w ? 32 : m->w - x0;
        if (count_better(r + x0, m->best + o + x0, n))
            blend_block(r + x0, a + x0, cc + x0, b + x0, c->inv, c->sigma, m->best + o + x0,
                        m->snr + o + x0, m->h2b + o + x0, m->hamc + o + x0, m->sigma + o + x0, n);
    }
}

/* Response of this scale at every pixel of its level, the Hessian rows
 * made where they are used (no Hessian planes). */
static void scale_rows(void *arg, int y0, int y1)
{
    scale_ctx *c = arg;
    int w = c->m->w;
    float *buf = malloc(6 * (size_t)w * sizeof *buf);
    if (!buf) {
        atomic_store(&c->failed, 1);
        return;
    }
    float *v[5], *r = buf + 5 * (size_t)w;
    for (int k = 0; k < 5; k++)
        v[k] = buf + (size_t)k * w;
    for (int y = y0; y < y1; y++) {
        hess_row_into(c->hc, y, v);
        line_response_row(v[0], v[1], v[3], v[4], c->hc->s1, r, w);
        keep_best(c, y, r, v[0], v[1], v[2]);
    }
    free(buf);
}

typedef struct noise_ctx {
    const hess_ctx *h;
    size_t step;
    float *smp;
} noise_ctx;

/* Samples [k0, k1) (pixel k * step of the level): the normalised
 * Laplacian, zero in the border (the terms of hess_interior). */
static void noise_samples(void *arg, int k0, int k1)
{
    const noise_ctx *n = arg;
    const hess_ctx *h = n->h;
    for (int k = k0; k < k1; k++) {
        size_t i = (size_t)k * n->step;
        int x = (int)(i % (size_t)h->w), y = (int)(i / (size_t)h->w);
        float a = 0.0f, b = 0.0f;
        if (x >= h->border && y >= h->border && x < h->w - h->border && y < h->h - h->border) {
            const float *r = h->b + (size_t)y * h->w;
            a = h->s2 * (r[x + 1] - 2.0f * r[x] + r[x - 1]);
            b = h->s2 * (r[x + h->w] - 2.0f * r[x] + r[x - h->w]);
        }
        n->smp[k] = a + b;
    }
}

/* Noise level of a scale: the robust SD of the normalised Laplacian xx + yy,
 * symmetric about zero on skin without lines (the line response itself is
 * mostly clipped to zero, so its MAD is not), on the level's grid where the
 * response is computed: ~65536 evenly spaced samples. */
static double scale_noise(const hess_ctx *h, int threads)
{
    size_t nw = (size_t)h->w * h->h, step = nw / 65536 + 1, k = (nw + step - 1) / step;
    float *smp = malloc(k * sizeof *smp);
    if (!smp)
        return 0.0;
    noise_ctx n = {h, step, smp};
    st_parallel_for(threads, (int)k, 4096, noise_samples, &n);
    double noise = st_det_robust_sigma(smp, k);
    free(smp);
    return noise;
}

/* Runs one scale (s_lvl level px, sigma working px) on its level `lvl`
 * (the maps' size) and keeps, per pixel, the best response. b is a scratch
 * plane of at least that size. */
static int run_scale(line_maps *m, const float *lvl, float *b, double s_lvl, double sigma,
                     int threads)
{
    int rc = st_gaussian_blur(lvl, (size_t)m->w, b, (size_t)m->w, m->w, m->h, s_lvl, threads);
    if (rc)
        return rc;
    hess_ctx hc = {b, m->w, m->h, (int)ceil(2.0 * s_lvl), (float)s_lvl, (float)(s_lvl * s_lvl)};
    double noise = scale_noise(&hc, threads);
    scale_ctx c = {m, &hc, 0, noise > 0 ? (float)(1.0 / noise) : 0.0f, (float)sigma};
    st_parallel_for(threads, m->h, 64, scale_rows, &c);
    return atomic_load(&c.failed) ? ST_ENOMEM : ST_OK;
}

static void zero_rows(void *arg, int y0, int y1)
{
    line_maps *m = arg;
    size_t o = (size_t)y0 * m->w, n = (size_t)(y1 - y0) * m->w;
    /* all five: a coarser level's maps are interpolated, even where no
     * scale answered */
    memset(m->best + o, 0, n * sizeof *m->best);
    memset(m->snr + o, 0, n * sizeof *m->snr);
    memset(m->h2b + o, 0, n * sizeof *m->h2b);
    memset(m->hamc + o, 0, n * sizeof *m->hamc);
    memset(m->sigma + o, 0, n * sizeof *m->sigma);
}

int st_det_wrinkle_maps_get(const st_detect_input *in, line_maps *m, int w, int h)
{
    m->w = w;
    m->h = h;
    m->snr = st_det_get(in, w, h);
    m->best = st_det_get(in, w, h);
    m->h2b = st_det_get(in, w, h);
    m->hamc = st_det_get(in, w, h);
    m->sigma = st_det_get(in, w, h);
    return (m->snr && m->best && m->h2b && m->hamc && m->sigma) ? ST_OK : ST_ENOMEM;
}

/* The maps of level l (given planes when l->best is set, else from the
 * pool) from those of the coarser level c (or none yet: zero responses),
 * bilinearly. `all`: the five maps, and c is given back; else only the
 * best response and its SNR, sigma 0 marking every pixel as the coarser
 * level's (the direction and scale are read from c where needed,
 * fill_coarse), and c is kept. */
static int maps_start(const st_detect_input *in, line_maps *l, line_maps *c, int w, int h,
                      int all, int threads)
{
    int rc = l->best ? ST_OK : st_det_wrinkle_maps_get(in, l, w, h);
    if (!rc && !c->best) {
        st_parallel_for(threads, h, 64, zero_rows, l);
        return ST_OK;
    }
    float *src[5] = {c->snr, c->best, c->h2b, c->hamc, c->sigma};
    float *dst[5] = {l->snr, l->best, l->h2b, l->hamc, l->sigma};
    for (int k = 0; k < (all ? 5 : 2) && !rc; k++)
        rc = st_det_pyr_up(src[k], c->w, c->h, 1, dst[k], w, h, threads);
    if (all)
        maps_put(in, c);
    else if (!rc)
        memset(l->sigma, 0, (size_t)w * h * sizeof *l->sigma);
    return rc;
}

typedef struct fill_ctx {
    line_maps *m;
    const line_maps *c;
    const st_det_up *u;
    float min_snr;
} fill_ctx;

/* Direction and scale, bilinearly from the coarser level, at the pixels
 * the coarser level won (sigma 0) whose SNR exceeds min_snr: the only ones
 * read later (line candidates), a small share of the plane. */
/* Number of x in [0, n) with snr[x] > t and sg[x] == 0 (vectorised, so
 * that the plane is scanned in blocks). */
ST_DET_VEC static int count_fill(const float *restrict snr, const float *restrict sg, float t, int n)
{
    int k = 0;
    for (int x = 0; x < n; x++)
        k += (snr[x] > t) & (sg[x] == 0.0f);
    return k;
}

static void fill_rows(void *arg, int y0, int y1)
{
    const fill_ctx *f = arg;
    line_maps *m = f->m;
    for (int y = y0; y < y1; y++) {
        size_t o = (size_t)y * m->w;
        for (int x0 = 0; x0 < m->w; x0 += 64) {
            int x1 = x0 + 64 < m->w ? x0 + 64 : m->w;
            if (!count_fill(m->snr + o + x0, m->sigma + o + x0, f->min_snr, x1 - x0))
                continue;
            for (int x = x0; x < x1; x++) {
                if (!(m->snr[o + x] > f->min_snr) || m->sigma[o + x] != 0.0f)
                    continue;
                m->h2b[o + x] = st_det_up_at(f->u, f->c->h2b, x, y);
                m->hamc[o + x] = st_det_up_at(f->u, f->c->hamc, x, y);
                m->sigma[o + x] = st_det_up_at(f->u, f->c->sigma, x, y);
            }
        }
    }
}

static int fill_coarse(line_maps *m, const line_maps *c, double min_snr, int threads)
{
    st_det_up u;
    if (st_det_up_init(&u, c->w, c->h, 1, m->w))
        return ST_ENOMEM;
    fill_ctx f = {m, c, &u, (float)min_snr};
    st_parallel_for(threads, m->h, 64, fill_rows, &f);
    st_det_up_free(&u);
    return ST_OK;
}

/* The level of scale s (working px): level k is 2^k coarser than the
 * working grid; a scale runs where it spans 1-2 px (down while s / 2^k
 * exceeds 2 and the level keeps >= 32 px). */
static int scale_level(double s, int w, int h)
{
    int up = st_det_pyr_level_for(s, 2.0, w, h, 32);
    return up < MAX_LEVELS - 1 ? up : MAX_LEVELS - 1;
}

/* Runs the scales of each level, coarsest first, each level starting from
 * the coarser one's maps; lv[k] is level k (lw, lh its sizes), b scratch,
 * m's planes (the working level's maps) already allocated. */
static int run_levels(const st_detect_input *in, line_maps *m, const float *const *lv, const int *lw,
                      const int *lh, int top, double s_min, double s_max, double min_snr, float *b,
                      int threads)
{
    line_maps acc = {0}, cur = {0};
    int rc = ST_OK;
    for (int up = top; up >= 0 && !rc; up--) {
        if (up == 0)
            cur = *m;
        rc = maps_start(in, &cur, &acc, lw[up], lh[up], up > 0, threads);
        for (double s = s_min; s <= s_max * 1.0001 && !rc; s *= SCALE_STEP)
            if (scale_level(s, lw[0], lh[0]) == up)
                rc = run_scale(&cur, lv[up], b, s / (double)(1 << up), s, threads);
        if (up == 0 && acc.best) {
            if (!rc)
                rc = fill_coarse(&cur, &acc, min_snr, threads);
            maps_put(in, &acc);
        }
        acc = cur;
        cur = (line_maps){0};
    }
    if (acc.best != m->best)
        maps_put(in, &acc); /* failed on a coarser level */
    return rc;
}

/* Working grid (smallest scale >= 1 px), its pyramid, then every scale. */
int st_det_wrinkle_maps(const st_detect_input *in, double min_snr, int threads, line_maps *m)
{
    memset(m, 0, sizeof *m);
    int W = in->surface->width, H = in->surface->height;
    double pmm = st_det_pixel_mm(in);
    /* A bar of width w answers best at sigma = w / 2. */
    double s_min = pmm > 0 ? 0.5 * W_MIN_MM / pmm : 1.0, s_max = pmm > 0 ? 0.5 * W_MAX_MM / pmm : 8.0;
    while (s_min / (double)(1 << (m->level + 1)) >= 1.0 && (W >> (m->level + 1)) >= 32 &&
           (H >> (m->level + 1)) >= 32)
        m->level++;
    double f = (double)(1 << m->level);
    m->px_mm = (pmm > 0 ? pmm : 1.0) * f;
    float *copy = NULL;
    const float *base = st_det_surface(in, &copy);
    if (!base)
        return ST_ENOMEM;
    float *lv[MAX_LEVELS] = {0};
    int lw[MAX_LEVELS] = {W}, lh[MAX_LEVELS] = {H};
    if (m->level) {
        lv[0] = st_det_pyr_down(base, W, H, m->level, &lw[0], &lh[0], threads);
        st_det_put(in, copy);
        copy = NULL;
        if (!lv[0])
            return ST_ENOMEM;
        base = lv[0];
    }
    m->w = lw[0];
    m->h = lh[0];
    s_min = fmax(1.0, s_min / f);
    s_max = fmax(s_min, s_max / f);
    int top = 0;
    for (double s = s_min; s <= s_max * 1.0001; s *= SCALE_STEP) {
        int up = scale_level(s, m->w, m->h);
        top = up > top ? up : top;
    }
    int rc = ST_OK;
    for (int k = 1; k <= top && !rc; k++)
        if (!(lv[k] = st_det_pyr_down(k == 1 ? base : lv[k - 1], lw[k - 1], lh[k - 1], 1, &lw[k],
                                      &lh[k], threads)))
            rc = ST_ENOMEM;
    /* The working level's planes first: the pool's free full-size planes
     * go to them, not to coarser levels (fresh planes cost page faults). */
    float *b = rc ? NULL : st_det_get(in, m->w, m->h);
    if (!rc)
        rc = st_det_wrinkle_maps_get(in, m, m->w, m->h);
    if (!rc && !b)
        rc = ST_ENOMEM;
    if (!rc) {
        const float *levels[MAX_LEVELS] = {base};
        for (int k = 1; k <= top; k++)
            levels[k] = lv[k];
        rc = run_levels(in, m, levels, lw, lh, top, s_min, s_max, min_snr, b, threads);
    }
    /* The measuring surface, in the scales' scratch plane: a little
     * smoothing against pixel noise. */
    if (!rc)
        rc = st_gaussian_blur(base, (size_t)m->w, b, (size_t)m->w, m->w, m->h, 0.7, threads);
    if (!rc) {
        m->surf = b;
        b = NULL;
    }
    st_det_put(in, b);
    st_det_put(in, copy);
    for (int k = 0; k <= top; k++)
        st_aligned_free(lv[k]);
    return rc;
}
