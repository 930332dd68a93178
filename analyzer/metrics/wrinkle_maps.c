/* Wrinkles' multi-scale line filter: per working pixel the best response
 * of the valley measure over the scales, its direction and scale (see
 * wrinkles.c for the method and its references). Scales run on a 2x mean
 * pyramid; the working level's Hessian is made row by row where it is used,
 * coarser levels' Hessians are interpolated from their own planes; every
 * pass runs in row bands and gives the same bytes for any thread count. */
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
#define SCALE_STEP 1.4142
#define GRAD_WEIGHT 1.0f

void st_det_wrinkle_maps_free(const st_detect_input *in, line_maps *m)
{
    st_det_put(in, m->surf);
    st_det_put(in, m->snr);
    st_det_put(in, m->best);
    st_det_put(in, m->h2b);
    st_det_put(in, m->hamc);
    st_det_put(in, m->sigma);
}

/* Scratch planes of one scale's level, allocated once at the working size
 * and reused by every scale (fresh 12 MP planes cost a page fault per 4 KiB). */
typedef struct scale_bufs {
    float *b, *xx, *yy, *xy, *gm;
} scale_bufs;

typedef struct hess_ctx {
    const float *b;
    float *xx, *yy, *xy, *gm;
    int w, h, border;
    float s1, s2;
} hess_ctx;

/* st_det_hessian's central differences, term for term, and the squared
 * gradient over [x0, x1) of row r (a function of its own so that the
 * restrict parameters let the loop vectorise). */
ST_DET_VEC static void hess_interior(const float *restrict r, int w, int x0, int x1, float s2,
                          float *restrict xx, float *restrict yy, float *restrict xy,
                          float *restrict g2)
{
    const float *rm = r - w, *rp = r + w;
    for (int x = x0; x < x1; x++) {
        float a = r[x + 1] - 2.0f * r[x] + r[x - 1];
        float cc = rp[x] - 2.0f * r[x] + rm[x];
        float d = 0.25f * (rp[x + 1] - rp[x - 1] - rm[x + 1] + rm[x - 1]);
        float gx = 0.5f * (r[x + 1] - r[x - 1]), gy = 0.5f * (rp[x] - rm[x]);
        xx[x] = s2 * a;
        yy[x] = s2 * cc;
        xy[x] = s2 * d;
        g2[x] = gx * gx + gy * gy;
    }
}

/* One row of the Hessian and gradient. The interior (at least 2 px from
 * the border, since s_lvl >= 1) needs no clamping, so its loops vectorise;
 * the square roots run as a separate row pass (st_det_sqrt_row). Infinite
 * border gradients are stored as 1e30, a finite stand-in for interpolation. */
static void hess_row_into(const hess_ctx *c, int y, float *restrict xx, float *restrict yy,
                          float *restrict xy, float *restrict gm)
{
    const int w = c->w, bd = c->border;
    size_t o = (size_t)y * w;
    const float s1 = c->s1;
    int x0 = bd, x1 = w - bd;
    if (y < bd || y >= c->h - bd || x1 <= x0)
        x0 = x1 = w;
    for (int x = 0; x < w; x++) {
        if (x == x0)
            x = x1; /* skip the interior */
        if (x >= w)
            break;
        xx[x] = yy[x] = xy[x] = 0.0f;
        gm[x] = 1e30f;
    }
    if (x1 <= x0)
        return;
    hess_interior(c->b + o, w, x0, x1, c->s2, xx, yy, xy, gm);
    st_det_sqrt_row(gm + x0, (size_t)(x1 - x0));
    for (int x = x0; x < x1; x++) {
        float g = s1 * gm[x];
        gm[x] = g < 1e30f ? g : 1e30f;
    }
}

static void hess_rows(void *arg, int y0, int y1)
{
    const hess_ctx *c = arg;
    for (int y = y0; y < y1; y++) {
        size_t o = (size_t)y * c->w;
        hess_row_into(c, y, c->xx + o, c->yy + o, c->xy + o, c->gm + o);
    }
}

/* Hessian (sigma^2-normalised) and gradient magnitude (sigma-normalised)
 * of one scale on its own pyramid level; a border of 2 sigma, where the
 * mirrored extension bends ramps into false valleys, gets no response. */
static int scale_hessian(const float *lvl, int w, int h, double s_lvl, const scale_bufs *sb,
                         int planes, int threads, hess_ctx *c)
{
    int rc = st_gaussian_blur(lvl, (size_t)w, sb->b, (size_t)w, w, h, s_lvl, threads);
    if (rc)
        return rc;
    *c = (hess_ctx){sb->b, sb->xx, sb->yy, sb->xy, sb->gm, w, h, (int)ceil(2.0 * s_lvl),
                    (float)s_lvl, (float)(s_lvl * s_lvl)};
    /* On the working level the rows are made where they are used
     * (scale_rows): no full-resolution Hessian planes. */
    if (planes)
        st_parallel_for(threads, h, 64, hess_rows, c);
    return ST_OK;
}

/* Line response from a normalised Hessian and gradient, over a row. The
 * gradient term removes the toes of edges (a pore's rim, a shadow border),
 * where the curvature across is as large as at a valley but the surface is
 * still sloping; at a valley's centre line the gradient vanishes. dd is
 * scratch. */
ST_DET_VEC static void line_response_row(const float *restrict a, const float *restrict c,
                              const float *restrict b, const float *restrict g,
                              float *restrict dd, float *restrict r, int n)
{
    for (int x = 0; x < n; x++)
        dd[x] = 0.25f * (a[x] - c[x]) * (a[x] - c[x]) + b[x] * b[x];
    st_det_sqrt_row(dd, (size_t)n);
    for (int x = 0; x < n; x++) {
        float tr = 0.5f * (a[x] + c[x]);
        float l1 = tr + dd[x], l2 = tr - dd[x];
        float v = l1 - fabsf(l2) - GRAD_WEIGHT * g[x];
        r[x] = ((l1 > 0) & (v > 0)) ? v : 0.0f;
    }
}

typedef struct scale_ctx {
    line_maps *m;
    const hess_ctx *hc;   /* working level: Hessian rows made on the fly */
    atomic_int failed;    /* a band could not get its row buffers */
    const float *maps[4]; /* xx, yy, xy, gm of this scale's level: lw x lh */
    int lw, lh;
    double f;    /* level pixel / working pixel */
    const int *cx0, *cx1; /* per working column: level columns and weight */
    const float *ctx;
    float inv;   /* 1 / noise */
    float sigma;
} scale_ctx;

/* Bilinear weights of working row or column i on a level 2^k coarser (the
 * pixel centres of 2x2 means, as st_det_pyr_up places them). */
static inline void coarse_pos(int i, double f, int n, int *i0, int *i1, float *t)
{
    double c = (i + 0.5) / f - 0.5;
    c = c < 0 ? 0 : (c > n - 1 ? n - 1 : c);
    *i0 = (int)c;
    *i1 = *i0 + 1 < n ? *i0 + 1 : *i0;
    *t = (float)(c - *i0);
}

/* Level row `row` of the four maps interpolated along x to the working
 * width (the first half of the bilinear formula, shared by every working row that reads
 * this level row). */
static void hrow(const scale_ctx *c, int row, float *out[4])
{
    for (int k = 0; k < 4; k++)
        st_det_gather_lerp_row(c->maps[k] + (size_t)row * c->lw, c->cx0, c->cx1, c->ctx, out[k],
                               c->m->w);
}

/* q = p0 + t (p1 - p0), the second half of the bilinear formula. */
ST_DET_VEC static void lerp_row(const float *restrict p0, const float *restrict p1, float t,
                                float *restrict q, int n)
{
    for (int x = 0; x < n; x++)
        q[x] = p0[x] + t * (p1[x] - p0[x]);
}

/* Keeps, per pixel of working row y, this scale's response where it beats
 * the scales before. */
/* Number of x in [0, n) with r[x] > best[x] (a vectorised test, so that
 * the stores below only visit the 16-pixel blocks that have any). */
ST_DET_VEC static int count_better(const float *restrict r, const float *restrict best, int n)
{
    int k = 0;
    for (int x = 0; x < n; x++)
        k += r[x] > best[x];
    return k;
}

static void keep_best(const scale_ctx *c, int y, const float *r, const float *a,
                      const float *cc, const float *b)
{
    line_maps *m = c->m;
    size_t o = (size_t)y * m->w;
    for (int x0 = 0; x0 < m->w; x0 += 16) {
        int x1 = x0 + 16 < m->w ? x0 + 16 : m->w;
        if (!count_better(r + x0, m->best + o + x0, x1 - x0))
            continue;
        for (int x = x0; x < x1; x++)
            if (r[x] > m->best[o + x]) {
            m->best[o + x] = r[x];
            m->snr[o + x] = r[x] * c->inv;
            m->h2b[o + x] = 2.0f * b[x];
            m->hamc[o + x] = a[x] - cc[x];
            m->sigma[o + x] = c->sigma;
            }
    }
}

/* Response of this scale at every working pixel (Hessian interpolated from
 * its level along x, then y), kept where it beats the scales
 * before. On the working level itself the samples are read directly. */
static void scale_rows(void *arg, int y0, int y1)
{
    scale_ctx *c = arg;
    int w = c->m->w;
    float *buf = malloc(15 * (size_t)w * sizeof *buf);
    if (!buf) {
        atomic_store(&c->failed, 1);
        return;
    }
    float *slot[2][4], *cur[4], *dd = buf + 12 * (size_t)w, *r = dd + w;
    int held[2] = {-1, -1};
    for (int k = 0; k < 4; k++) {
        slot[0][k] = buf + (size_t)k * w;
        slot[1][k] = buf + (size_t)(4 + k) * w;
        cur[k] = buf + (size_t)(8 + k) * w;
    }
    for (int y = y0; y < y1; y++) {
        const float *v[4];
        if (c->hc) {
            hess_row_into(c->hc, y, cur[0], cur[1], cur[2], cur[3]);
            for (int k = 0; k < 4; k++)
                v[k] = cur[k];
        } else {
            int cy[2];
            float ty;
            coarse_pos(y, c->f, c->lh, &cy[0], &cy[1], &ty);
            /* two level rows cached: consecutive working rows share them */
            int s0 = held[0] == cy[0] ? 0 : (held[1] == cy[0] ? 1 : -1);
            if (s0 < 0) {
                s0 = held[0] == cy[1] ? 1 : 0;
                hrow(c, cy[0], slot[s0]);
                held[s0] = cy[0];
            }
            int s1 = held[0] == cy[1] ? 0 : (held[1] == cy[1] ? 1 : -1);
            if (s1 < 0) {
                s1 = 1 - s0;
                hrow(c, cy[1], slot[s1]);
                held[s1] = cy[1];
            }
            for (int k = 0; k < 4; k++) {
                lerp_row(slot[s0][k], slot[s1][k], ty, cur[k], w);
                v[k] = cur[k];
            }
        }
        line_response_row(v[0], v[1], v[2], v[3], dd, r, w);
        keep_best(c, y, r, v[0], v[1], v[2]);
    }
    free(buf);
}

typedef struct noise_ctx {
    const scale_ctx *c;
    const float *xx, *yy;
    size_t step;
    float *smp;
} noise_ctx;

/* Samples [k0, k1) (pixel k * step of the working grid): bands of samples,
 * each written to its own slot. The column weights are the tabulated ones
 * (the same coarse_pos values); the row's are made once per row. */
static void noise_samples(void *arg, int k0, int k1)
{
    const noise_ctx *n = arg;
    const scale_ctx *c = n->c;
    const line_maps *m = c->m;
    int yc = -1, y0 = 0, y1 = 0;
    float ty = 0.0f;
    for (int k = k0; k < k1; k++) {
        size_t i = (size_t)k * n->step;
        int x = (int)(i % (size_t)m->w), y = (int)(i / (size_t)m->w);
        if (c->hc) {
            /* working level: the Laplacian at the pixel itself (the
             * interpolation weights are 0), zero in the border; the terms
             * of hess_interior */
            const hess_ctx *h = c->hc;
            float a = 0.0f, b = 0.0f;
            if (x >= h->border && y >= h->border && x < h->w - h->border && y < h->h - h->border) {
                const float *r = h->b + (size_t)y * h->w;
                a = h->s2 * (r[x + 1] - 2.0f * r[x] + r[x - 1]);
                b = h->s2 * (r[x + h->w] - 2.0f * r[x] + r[x - h->w]);
            }
            n->smp[k] = a + b;
            continue;
        }
        if (y != yc) {
            coarse_pos(y, c->f, c->lh, &y0, &y1, &ty);
            yc = y;
        }
        int x0 = c->cx0[x], x1 = c->cx1[x];
        float tx = c->ctx[x];
        const float *r0 = n->xx + (size_t)y0 * c->lw, *r1 = n->xx + (size_t)y1 * c->lw;
        const float *q0 = n->yy + (size_t)y0 * c->lw, *q1 = n->yy + (size_t)y1 * c->lw;
        float l00 = r0[x0] + q0[x0], l01 = r0[x1] + q0[x1];
        float l10 = r1[x0] + q1[x0], l11 = r1[x1] + q1[x1];
        float a = l00 + tx * (l01 - l00), b = l10 + tx * (l11 - l10);
        n->smp[k] = a + ty * (b - a);
    }
}

/* Noise level of a scale: the robust SD of the normalised Laplacian xx + yy,
 * symmetric about zero on skin without lines (the line response itself is
 * mostly clipped to zero, so its MAD is not), measured on the working grid
 * where the response is compared (interpolation from a coarser level smooths
 * it): ~65536 evenly spaced samples. */
static double scale_noise(const scale_ctx *c, const float *xx, const float *yy, int threads)
{
    const line_maps *m = c->m;
    size_t nw = (size_t)m->w * m->h, step = nw / 65536 + 1, k = (nw + step - 1) / step;
    float *smp = malloc(k * sizeof *smp);
    if (!smp)
        return 0.0;
    noise_ctx n = {c, xx, yy, step, smp};
    st_parallel_for(threads, (int)k, 4096, noise_samples, &n);
    double noise = st_det_robust_sigma(smp, k);
    free(smp);
    return noise;
}

/* Runs one scale and keeps, per working pixel, the best response. */
static int run_scale(line_maps *m, const float *lvl, int lw, int lh, int up, double sigma,
                     const scale_bufs *sb, int threads)
{
    hess_ctx hc;
    int rc = scale_hessian(lvl, lw, lh, sigma / (double)(1 << up), sb, up > 0, threads, &hc);
    if (rc)
        return rc;
    scale_ctx c = {m, up > 0 ? NULL : &hc, 0, {sb->xx, sb->yy, sb->xy, sb->gm}, lw, lh,
                   (double)(1 << up), NULL, NULL, NULL, 0.0f, (float)sigma};
    int *cols = malloc(2 * (size_t)m->w * sizeof *cols);
    float *cw = malloc((size_t)m->w * sizeof *cw);
    if (!cols || !cw)
        rc = ST_ENOMEM;
    for (int x = 0; !rc && x < m->w; x++)
        coarse_pos(x, c.f, lw, &cols[x], &cols[m->w + x], &cw[x]);
    c.cx0 = cols;
    c.cx1 = cols ? cols + m->w : NULL;
    c.ctx = cw;
    if (!rc) {
        double noise = scale_noise(&c, sb->xx, sb->yy, threads);
        c.inv = noise > 0 ? (float)(1.0 / noise) : 0.0f;
        st_parallel_for(threads, m->h, 64, scale_rows, &c);
        rc = atomic_load(&c.failed) ? ST_ENOMEM : ST_OK;
    }
    free(cols);
    free(cw);
    return rc;
}

static void zero_rows(void *arg, int y0, int y1)
{
    line_maps *m = arg;
    size_t o = (size_t)y0 * m->w, n = (size_t)(y1 - y0) * m->w;
    memset(m->best + o, 0, n * sizeof *m->best);
    memset(m->snr + o, 0, n * sizeof *m->snr);
}

/* Working grid (smallest scale >= 1 px), then every scale on a pyramid. */
int st_det_wrinkle_maps(const st_detect_input *in, int threads, line_maps *m)
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
    /* base: the working level the scales start from; m->surf becomes its
     * lightly smoothed copy at the end */
    float *copy = NULL, *own_base = NULL;
    const float *base = st_det_surface(in, &copy);
    if (!base)
        return ST_ENOMEM;
    m->w = W;
    m->h = H;
    if (m->level) {
        base = own_base = st_det_pyr_down(base, W, H, m->level, &m->w, &m->h, threads);
        st_det_put(in, copy);
        copy = NULL;
        if (!base)
            return ST_ENOMEM;
    }
    m->snr = st_det_get(in, m->w, m->h);
    m->best = st_det_get(in, m->w, m->h);
    m->h2b = st_det_get(in, m->w, m->h);
    m->hamc = st_det_get(in, m->w, m->h);
    m->sigma = st_det_get(in, m->w, m->h);
    /* The Hessian planes serve the coarser levels only: half size. */
    int hw = (m->w + 1) / 2, hh = (m->h + 1) / 2;
    scale_bufs sb = {st_det_get(in, m->w, m->h), st_det_get(in, hw, hh), st_det_get(in, hw, hh),
                     st_det_get(in, hw, hh), st_det_get(in, hw, hh)};
    m->surf = st_det_get(in, m->w, m->h);
    int rc = (m->surf && m->snr && m->best && m->h2b && m->hamc && m->sigma && sb.b && sb.xx &&
              sb.yy && sb.xy && sb.gm) ? ST_OK : ST_ENOMEM;
    if (!rc) /* no response yet: the maps read where no scale answered */
        st_parallel_for(threads, m->h, 64, zero_rows, m);
    s_min = fmax(1.0, s_min / f);
    s_max = fmax(s_min, s_max / f);
    const float *lvl = base;
    float *own = NULL; /* the current level when it is not base */
    int lw = m->w, lh = m->h, up = 0;
    for (double s = s_min; s <= s_max * 1.0001 && !rc; s *= SCALE_STEP) {
        while (s / (double)(1 << up) > 2.0 && lw >= 32 && lh >= 32) {
            float *next = st_det_pyr_down(lvl, lw, lh, 1, &lw, &lh, threads);
            st_aligned_free(own);
            lvl = own = next;
            if (!next) {
                rc = ST_ENOMEM;
                break;
            }
            up++;
        }
        if (!rc)
            rc = run_scale(m, lvl, lw, lh, up, s, &sb, threads);
    }
    st_aligned_free(own);
    st_det_put(in, sb.b);
    st_det_put(in, sb.xx);
    st_det_put(in, sb.yy);
    st_det_put(in, sb.xy);
    st_det_put(in, sb.gm);
    /* The measuring surface: a little smoothing against pixel noise. */
    if (!rc)
        rc = st_gaussian_blur(base, (size_t)m->w, m->surf, (size_t)m->w, m->w, m->h, 0.7, threads);
    st_det_put(in, copy);
    st_aligned_free(own_base);
    return rc;
}
