/* Wrinkles and fine lines: dark (low) lines 0.05-1 mm wide.
 *
 * Valley measure from the Hessian of the Gaussian-smoothed surface at
 * several scales (Frangi et al., "Multiscale vessel enhancement filtering",
 * MICCAI 1998; here the simpler line measure sigma^2 (l1 - |l2|) for l1 > 0,
 * which is zero on round blobs such as pores and on flat or planar skin).
 * Each scale's response is divided by its robust noise level; the best scale
 * per pixel gives the orientation. Hysteresis (Canny 1986) keeps lines that
 * reach 5 noise SDs somewhere and follows them down to 2; non-maximum
 * suppression across the line gives centre lines. Length counts each centre-line pixel as
 * 1 / max(|cos t|, |sin t|) pixels along the local direction t, which is
 * exact for digital straight lines; width and depth are read across the
 * line on the surface (full width at half depth). */
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

#define W_MIN_MM 0.05
#define W_MAX_MM 1.0
#define SCALE_STEP 1.4142
#define T_HIGH 5.0
#define T_LOW 2.0
#define MIN_LEN_MM 0.5
#define GRAD_WEIGHT 1.0f
#define SIDE_BALANCE 0.35 /* smaller / larger rise of the two sides of a valley */

typedef struct line_maps {
    int w, h, level;   /* working grid: the surface at 2^level */
    double px_mm;      /* working pixel in mm (or in full pixels if uncalibrated) */
    float *surf;       /* working surface, lightly smoothed */
    float *snr;        /* best response / its noise */
    float *best;       /* best raw response */
    float *h2b, *hamc; /* 2 Hxy and Hxx - Hyy at the best scale (direction) */
    float *sigma;      /* best scale, working px */
} line_maps;

static void maps_free(const st_detect_input *in, line_maps *m)
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

/* Line direction at pixel i (rad, counter-clockwise on screen from +x): the
 * l1 eigenvector is across the line, at 0.5 atan2(2b, a - c) in image axes
 * (y down); the line runs at +90 degrees, and y down flips the sign. */
static inline double line_theta(const struct line_maps *m, size_t i)
{
    return -(0.5 * atan2(m->h2b[i], m->hamc[i]) + M_PI_2);
}

/* Unit normal across the line at pixel i (the l1 eigenvector, image axes),
 * by half-angle identities instead of trigonometric calls (this runs on
 * every candidate pixel). */
static inline void line_normal(const struct line_maps *m, size_t i, double *nx, double *ny)
{
    double c2 = m->hamc[i], s2 = m->h2b[i], r = hypot(c2, s2);
    if (r <= 0) {
        *nx = 1.0;
        *ny = 0.0;
        return;
    }
    c2 /= r;
    *nx = sqrt(fmax(0.0, 0.5 * (1.0 + c2)));
    *ny = copysign(sqrt(fmax(0.0, 0.5 * (1.0 - c2))), s2);
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
    int w = c->m->w;
    for (int k = 0; k < 4; k++) {
        const float *r = c->maps[k] + (size_t)row * c->lw;
        float *o = out[k];
        for (int x = 0; x < w; x++) {
            float v0 = r[c->cx0[x]];
            o[x] = v0 + c->ctx[x] * (r[c->cx1[x]] - v0);
        }
    }
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

/* Noise level of a scale: the robust SD of the normalised Laplacian xx + yy,
 * symmetric about zero on skin without lines (the line response itself is
 * mostly clipped to zero, so its MAD is not), measured on the working grid
 * where the response is compared (interpolation from a coarser level smooths
 * it): ~65536 evenly spaced samples. */
static double scale_noise(const scale_ctx *c, const float *xx, const float *yy)
{
    const line_maps *m = c->m;
    size_t nw = (size_t)m->w * m->h, step = nw / 65536 + 1, k = 0;
    float *smp = malloc((nw / step + 1) * sizeof *smp);
    if (!smp)
        return 0.0;
    for (size_t i = 0; i < nw; i += step) {
        int x = (int)(i % (size_t)m->w), y = (int)(i / (size_t)m->w), x0, x1, y0, y1;
        if (c->hc) {
            /* working level: the Laplacian at the pixel itself (the
             * interpolation weights are 0), zero in the border */
            const hess_ctx *h = c->hc;
            float a = 0.0f, b = 0.0f, d, g2;
            if (x >= h->border && y >= h->border && x < h->w - h->border && y < h->h - h->border)
                hess_interior(h->b + (size_t)y * h->w + x, h->w, 0, 1, h->s2, &a, &b, &d, &g2);
            smp[k++] = a + b;
            continue;
        }
        float tx, ty;
        coarse_pos(x, c->f, c->lw, &x0, &x1, &tx);
        coarse_pos(y, c->f, c->lh, &y0, &y1, &ty);
        const float *r0 = xx + (size_t)y0 * c->lw, *r1 = xx + (size_t)y1 * c->lw;
        const float *q0 = yy + (size_t)y0 * c->lw, *q1 = yy + (size_t)y1 * c->lw;
        float l00 = r0[x0] + q0[x0], l01 = r0[x1] + q0[x1];
        float l10 = r1[x0] + q1[x0], l11 = r1[x1] + q1[x1];
        float a = l00 + tx * (l01 - l00), b = l10 + tx * (l11 - l10);
        smp[k++] = a + ty * (b - a);
    }
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
        double noise = scale_noise(&c, sb->xx, sb->yy);
        c.inv = noise > 0 ? (float)(1.0 / noise) : 0.0f;
        st_parallel_for(threads, m->h, 64, scale_rows, &c);
        rc = atomic_load(&c.failed) ? ST_ENOMEM : ST_OK;
    }
    free(cols);
    free(cw);
    return rc;
}

/* Working grid (smallest scale >= 1 px), then every scale on a pyramid. */
static int build_maps(const st_detect_input *in, int threads, line_maps *m)
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
    float *full = st_det_get(in, W, H);
    if (!full)
        return ST_ENOMEM;
    st_det_copy_plane(in->surface, 0, full);
    if (m->level) {
        m->surf = st_det_pyr_down(full, W, H, m->level, &m->w, &m->h);
        st_det_put(in, full);
    } else {
        m->surf = full;
        m->w = W;
        m->h = H;
    }
    size_t nw = (size_t)m->w * m->h;
    m->snr = st_det_get(in, m->w, m->h);
    m->best = st_det_get(in, m->w, m->h);
    m->h2b = st_det_get(in, m->w, m->h);
    m->hamc = st_det_get(in, m->w, m->h);
    m->sigma = st_det_get(in, m->w, m->h);
    /* The Hessian planes serve the coarser levels only: half size. */
    int hw = (m->w + 1) / 2, hh = (m->h + 1) / 2;
    scale_bufs sb = {st_det_get(in, m->w, m->h), st_det_get(in, hw, hh), st_det_get(in, hw, hh),
                     st_det_get(in, hw, hh), st_det_get(in, hw, hh)};
    int rc = (m->surf && m->snr && m->best && m->h2b && m->hamc && m->sigma && sb.b && sb.xx &&
              sb.yy && sb.xy && sb.gm) ? ST_OK : ST_ENOMEM;
    if (!rc) {
        /* no response yet: the maps read where no scale answered */
        memset(m->best, 0, nw * sizeof *m->best);
        memset(m->snr, 0, nw * sizeof *m->snr);
    }
    s_min = fmax(1.0, s_min / f);
    s_max = fmax(s_min, s_max / f);
    const float *lvl = m->surf;
    float *own = NULL; /* the current level when it is not m->surf */
    int lw = m->w, lh = m->h, up = 0;
    for (double s = s_min; s <= s_max * 1.0001 && !rc; s *= SCALE_STEP) {
        while (s / (double)(1 << up) > 2.0 && lw >= 32 && lh >= 32) {
            float *next = st_det_pyr_down(lvl, lw, lh, 1, &lw, &lh);
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
        rc = st_gaussian_blur(m->surf, (size_t)m->w, m->surf, (size_t)m->w, m->w, m->h, 0.7, threads);
    return rc;
}

/* Centre lines: pixels of the mask whose response is a maximum across the
 * line (non-maximum suppression along the normal, as Canny 1986 does for
 * edges; Steger 1998 for lines), one pixel wide and without the spurs that
 * thinning leaves at the ends. */
static void centre_nms(const line_maps *m, unsigned char *bin)
{
    size_t n = (size_t)m->w * m->h;
    unsigned char *keep = malloc(n);
    if (!keep)
        return; /* the caller's mask stays: wider lines, still counted */
    for (int y = 0; y < m->h; y++)
        for (int x = 0; x < m->w; x++) {
            size_t i = (size_t)y * m->w + x;
            keep[i] = 0;
            if (!bin[i])
                continue;
            double nx, ny;
            line_normal(m, i, &nx, &ny);
            float r = m->best[i];
            float a = st_sample_bilinear(m->best, (size_t)m->w, m->w, m->h, x + nx, y + ny, 0.0f);
            float b = st_sample_bilinear(m->best, (size_t)m->w, m->w, m->h, x - nx, y - ny, 0.0f);
            keep[i] = r >= a && r > b;
        }
    memcpy(bin, keep, n);
    free(keep);
}

/* Hysteresis on the SNR inside the ROI, then centre lines. */
static int centre_lines(const st_detect_input *in, const line_maps *m, unsigned char **out,
                        st_err *err)
{
    size_t n = (size_t)m->w * m->h;
    unsigned char *bin = malloc(n);
    int32_t *lab = malloc(n * sizeof *lab);
    float *peak = NULL;
    int nl = 0, rc = (bin && lab) ? ST_OK : st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    int f = 1 << m->level;
    for (int y = 0; y < m->h && !rc; y++)
        for (int x = 0; x < m->w; x++) {
            int fx = x * f + f / 2, fy = y * f + f / 2;
            fx = fx < in->surface->width ? fx : in->surface->width - 1;
            fy = fy < in->surface->height ? fy : in->surface->height - 1;
            bin[(size_t)y * m->w + x] = m->snr[(size_t)y * m->w + x] > T_LOW && st_det_inside(in, fx, fy);
        }
    if (!rc)
        rc = st_det_label8(bin, m->w, m->h, lab, &nl, err);
    if (!rc && !(peak = calloc((size_t)nl + 1, sizeof *peak)))
        rc = st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        if (lab[i] && m->snr[i] > peak[lab[i]])
            peak[lab[i]] = m->snr[i];
    for (size_t i = 0; i < n && !rc; i++)
        bin[i] = lab[i] && peak[lab[i]] >= T_HIGH;
    if (!rc)
        centre_nms(m, bin);
    free(lab);
    free(peak);
    if (rc) {
        free(bin);
        return rc;
    }
    *out = bin;
    return ST_OK;
}

typedef struct line_acc {
    double len, wsum, dsum, mcount, sx, sy, sxx, syy, sxy, npx, c2, s2;
} line_acc;

/* Full width at half depth and depth across the line at (x, y). */
static int profile(const line_maps *m, int x, int y, double theta, double sigma, double *width,
                   double *depth)
{
    double nx = sin(theta), ny = cos(theta); /* normal, image axes */
    double reach = 3.0 * sigma + 2.0;
    float out = NAN;
    double v0 = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x, y, out);
    double va = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + reach * nx, y + reach * ny, out);
    double vb = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x - reach * nx, y - reach * ny, out);
    if (isnan(v0) || isnan(va) || isnan(vb))
        return 0;
    /* A valley rises on both sides; the toe of an edge (the rim of a dark
     * spot, a shadow's border) rises on one side only. */
    double ra = va - v0, rb = vb - v0;
    if (!(ra > 0 && rb > 0) || fmin(ra, rb) < SIDE_BALANCE * fmax(ra, rb))
        return 0;
    double bg = 0.5 * (va + vb), d = bg - v0;
    double half = bg - 0.5 * d, side[2] = {reach, reach};
    for (int s = 0; s < 2; s++) {
        double sg = s ? -1.0 : 1.0, prev = v0;
        for (double t = 0.25; t <= reach; t += 0.25) {
            double v = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + sg * t * nx,
                                          y + sg * t * ny, (float)bg);
            if (v >= half) {
                side[s] = t - 0.25 + 0.25 * (half - prev) / (v - prev);
                break;
            }
            prev = v;
        }
    }
    *width = side[0] + side[1];
    *depth = d;
    return 1;
}

static void accumulate(const line_maps *m, int x, int y, line_acc *a)
{
    size_t i = (size_t)y * m->w + x;
    double t = line_theta(m, i);
    double step = 1.0 / fmax(fabs(cos(t)), fabs(sin(t)));
    double wd, dp;
    if (!profile(m, x, y, t, m->sigma[i], &wd, &dp))
        return; /* not a valley here: not part of a line's length */
    a->len += step;
    a->npx += 1;
    a->c2 += step * cos(2.0 * t);
    a->s2 += step * sin(2.0 * t);
    a->sx += x;
    a->sy += y;
    a->sxx += (double)x * x;
    a->syy += (double)y * y;
    a->sxy += (double)x * y;
    a->wsum += wd * step;
    a->dsum += dp * step;
    a->mcount += step;
}

typedef struct proj_pt {
    double u, x, y;
} proj_pt;

static int cmp_proj(const void *a, const void *b)
{
    double p = ((const proj_pt *)a)->u, q = ((const proj_pt *)b)->u;
    return (p > q) - (p < q);
}

/* Wrinkle record: main axis by second moments, the path as means of bins
 * of ~4 working pixels along that axis, in full-resolution pixels. */
static int make_wrinkle(const line_maps *m, const line_acc *a, proj_pt *pts, size_t np,
                        st_wrinkle *w)
{
    double f = (double)(1 << m->level), mx = a->sx / a->npx, my = a->sy / a->npx;
    double cxx = a->sxx / a->npx - mx * mx, cyy = a->syy / a->npx - my * my;
    double cxy = a->sxy / a->npx - mx * my;
    double phi = 0.5 * atan2(2.0 * cxy, cxx - cyy), ux = cos(phi), uy = sin(phi);
    for (size_t i = 0; i < np; i++)
        pts[i].u = (pts[i].x - mx) * ux + (pts[i].y - my) * uy;
    qsort(pts, np, sizeof *pts, cmp_proj);
    size_t bins = (size_t)ceil((pts[np - 1].u - pts[0].u) / 4.0) + 1;
    memset(w, 0, sizeof *w);
    w->path = malloc(2 * (bins + 2) * sizeof *w->path);
    if (!w->path)
        return ST_ENOMEM;
    size_t i = 0;
    while (i < np) {
        double u0 = pts[i].u, sx = 0, sy = 0;
        size_t k = 0;
        for (; i < np && pts[i].u < u0 + 4.0; i++, k++) {
            sx += pts[i].x;
            sy += pts[i].y;
        }
        w->path[2 * w->n_path] = (sx / k + 0.5) * f - 0.5;
        w->path[2 * w->n_path + 1] = (sy / k + 0.5) * f - 0.5;
        w->n_path++;
    }
    w->x0 = (pts[0].x + 0.5) * f - 0.5;
    w->y0 = (pts[0].y + 0.5) * f - 0.5;
    w->x1 = (pts[np - 1].x + 0.5) * f - 0.5;
    w->y1 = (pts[np - 1].y + 0.5) * f - 0.5;
    w->length_mm = a->len * m->px_mm;
    w->width_mm = a->mcount > 0 ? a->wsum / a->mcount * m->px_mm : 0.0;
    w->depth = a->mcount > 0 ? a->dsum / a->mcount : 0.0;
    w->angle_deg = 0.5 * atan2(a->s2, a->c2) * 180.0 / M_PI;
    return ST_OK;
}

typedef struct line_totals {
    double len, wsum, dsum, mcount, c2, s2;
    size_t count;
} line_totals;

/* Labels the centre lines, measures each, keeps those >= MIN_LEN_MM. */
static int measure_lines(const line_maps *m, unsigned char *skel, st_detections *dets,
                         line_totals *tot, st_err *err)
{
    size_t n = (size_t)m->w * m->h;
    int32_t *lab = malloc(n * sizeof *lab);
    int nl = 0, rc = lab ? st_det_label8(skel, m->w, m->h, lab, &nl, err)
                         : st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    line_acc *acc = NULL;
    size_t *start = NULL;
    proj_pt *pts = NULL;
    st_wrinkle *wr = NULL;
    if (!rc) {
        acc = calloc((size_t)nl + 1, sizeof *acc);
        start = calloc((size_t)nl + 2, sizeof *start);
        if (!acc || !start)
            rc = st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    }
    for (int y = 0; y < m->h && !rc; y++)
        for (int x = 0; x < m->w; x++)
            if (lab[(size_t)y * m->w + x]) {
                accumulate(m, x, y, &acc[lab[(size_t)y * m->w + x]]);
                start[lab[(size_t)y * m->w + x] + 1]++;
            }
    size_t total = 0;
    for (int k = 1; k <= nl + 1 && !rc; k++) {
        start[k] += start[k - 1];
        total = start[k];
    }
    if (!rc && (!(pts = malloc((total ? total : 1) * sizeof *pts)) ||
                !(wr = calloc((size_t)nl + 1, sizeof *wr))))
        rc = st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    if (!rc) {
        size_t *fill = start; /* advanced per label while filling */
        for (int y = 0; y < m->h; y++)
            for (int x = 0; x < m->w; x++) {
                int32_t l = lab[(size_t)y * m->w + x];
                if (l)
                    pts[fill[l]++] = (proj_pt){0, x, y};
            }
    }
    /* After filling, start[l] is the end of label l and start[l-1] its start. */
    size_t kept = 0;
    for (int k = 1; k <= nl && !rc; k++) {
        const line_acc *a = &acc[k];
        if (a->len * m->px_mm < MIN_LEN_MM)
            continue;
        size_t b = start[k - 1], e = start[k];
        rc = make_wrinkle(m, a, pts + b, e - b, &wr[kept]);
        if (rc) {
            rc = st_err_set(err, rc, "wrinkles: out of memory");
            break;
        }
        kept++;
        tot->len += a->len;
        tot->wsum += a->wsum;
        tot->dsum += a->dsum;
        tot->mcount += a->mcount;
        tot->c2 += a->c2;
        tot->s2 += a->s2;
    }
    tot->count = kept;
    if (!rc && dets) {
        for (size_t i = 0; dets->wrinkles && i < dets->n_wrinkles; i++)
            free(dets->wrinkles[i].path);
        free(dets->wrinkles);
        dets->wrinkles = wr;
        dets->n_wrinkles = kept;
        wr = NULL;
    }
    for (size_t i = 0; wr && i < kept; i++)
        free(wr[i].path);
    free(wr);
    free(pts);
    free(acc);
    free(start);
    free(lab);
    return rc;
}

static int put_metrics(const st_detect_input *in, st_metric_set *out, const line_totals *t,
                       const line_maps *m, st_err *err)
{
    double pmm = st_det_pixel_mm(in);
    size_t roi = st_det_roi_count(in);
    int um = in->unit == ST_UNIT_UM && in->modality != ST_DETECT_PHOTO;
    int rc = st_metric_set_put(out, "wrinkles.count", (double)t->count, "", err);
    if (!rc && pmm > 0 && roi)
        rc = st_metric_set_put(out, "wrinkles.length_mm_cm2",
                               t->len * m->px_mm / ((double)roi * pmm * pmm / 100.0), "mm/cm2", err);
    if (!rc && t->mcount > 0)
        rc = st_metric_set_put(out, "wrinkles.mean_width_mm", t->wsum / t->mcount * m->px_mm,
                               pmm > 0 ? "mm" : "px", err);
    if (!rc)
        rc = st_metric_set_put(out, "wrinkles.depth_index", t->mcount > 0 ? t->dsum / t->mcount : 0.0,
                               um ? "um" : "rel", err);
    if (!rc && t->len > 0)
        rc = st_metric_set_put(out, "wrinkles.orientation_deg",
                               0.5 * atan2(t->s2, t->c2) * 180.0 / M_PI, "deg", err);
    return rc;
}

int st_wrinkles_detect(const st_detect_input *in0, int threads, st_metric_set *out,
                       st_detections *dets, st_err *err)
{
    int rc = st_det_check_input(in0, "wrinkles", err);
    if (rc)
        return rc;
    st_detect_input local;
    const st_detect_input *in = st_det_pool_begin(in0, &local);
    line_maps m;
    unsigned char *skel = NULL;
    line_totals tot = {0};
    rc = build_maps(in, threads, &m);
    if (rc) {
        rc = st_err_set(err, rc, "wrinkles: line filter failed (%s)", st_status_name(rc));
        goto done;
    }
    rc = centre_lines(in, &m, &skel, err);
    if (!rc)
        rc = measure_lines(&m, skel, dets, &tot, err);
    if (!rc)
        rc = put_metrics(in, out, &tot, &m, err);
done:
    free(skel);
    maps_free(in, &m);
    st_det_pool_end(in, &local);
    return rc;
}
