/* Pores: dark, roughly round blobs 0.05-0.5 mm across (SPEC.md).
 *
 * Blob detection by the scale-normalised Laplacian of Gaussian, sigma^2 *
 * lap(G_sigma * s) (Lindeberg, "Feature detection with automatic scale
 * selection", IJCV 30(2), 1998): a dark disk of radius r gives a positive
 * extremum at sigma = r / sqrt(2). Scales are computed on a 2x mean pyramid
 * once sigma exceeds ~1.6 pixels of the current level (as in Lowe's SIFT
 * octaves), non-maximum suppression runs over 3x3 in space and over the
 * neighbouring scales, and each candidate must be darker than its ring of
 * background by a margin over the ring's own variability and be round (both
 * Hessian eigenvalues positive, ratio >= 0.35). The diameter is measured, not
 * taken from the scale: the area of the connected pixels darker than half
 * the centre's contrast, as an equal-area circle, is the pore's diameter at
 * half depth; the opening's diameter (where the darkening ends) follows for
 * a smooth funnel, darkness (1 - rho^2)^2 (rho = r / rim radius, the
 * generator's pore model), whose half-depth radius is sqrt(1 - 1/sqrt 2) =
 * 0.541 of the rim's. */
#define _DEFAULT_SOURCE /* M_PI, M_SQRT2 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "simd/kernels.h"

#define PORE_D_MIN_MM 0.05
#define PORE_D_MAX_MM 0.5
#define SCALE_STEP 1.2599 /* 2^(1/3): three scales per octave */
#define RESP_SIGMAS 4.0   /* response threshold in robust SDs of the response */
#define RING_SIGMAS 3.0   /* contrast over the background ring's SD */
#define MIN_ROUNDNESS 0.35
#define ARM_RATIO 1.6
#define TEXTURE_SIGMAS 5.5 /* contrast over the image's texture level */
#define HALF_DEPTH_RADIUS 0.5412 /* sqrt(1 - 1/sqrt(2)): funnel (1 - rho^2)^2 */

typedef struct scale_plane {
    float *resp, *maxf, *blur; /* normalised LoG, its 3x3 max, the blurred level */
    int w, h, level;
    double sigma;  /* in full-resolution pixels */
    double thr;
} scale_plane;

typedef struct cand {
    double x, y, sigma, resp;
} cand;

typedef struct cand_list {
    cand *v;
    size_t n, cap;
} cand_list;

static int cand_push(cand_list *l, cand c)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        cand *g = realloc(l->v, cap * sizeof *g);
        if (!g)
            return ST_ENOMEM;
        l->v = g;
        l->cap = cap;
    }
    l->v[l->n++] = c;
    return ST_OK;
}

static void plane_free(const st_detect_input *in, scale_plane *p)
{
    st_det_put(in, p->resp);
    st_det_put(in, p->maxf);
    st_det_put(in, p->blur);
    memset(p, 0, sizeof *p);
}

typedef struct lap_ctx {
    const float *blur;
    float *resp, *maxf;
    int w, h;
    float s2;
} lap_ctx;

static inline int reflect1(int i, int n) { return i < 0 ? 0 : (i >= n ? n - 1 : i); }

/* sigma^2 * 5-point Laplacian of rows [y0, y1): st_laplacian's sum, term
 * for term ((up + down) + (left + right)) - 4 centre, mirrored borders, so
 * that bands can run on their own rows. */
static void lap_rows(void *arg, int y0, int y1)
{
    const lap_ctx *c = arg;
    const int w = c->w;
    for (int y = y0; y < y1; y++) {
        const float *restrict a = c->blur + (size_t)reflect1(y - 1, c->h) * w;
        const float *restrict b = c->blur + (size_t)y * w;
        const float *restrict d = c->blur + (size_t)reflect1(y + 1, c->h) * w;
        float *restrict o = c->resp + (size_t)y * w;
        const float s2 = c->s2;
        o[0] = s2 * (((a[0] + d[0]) + (b[0] + b[reflect1(1, w)])) - 4.0f * b[0]);
        for (int x = 1; x < w - 1; x++)
            o[x] = s2 * (((a[x] + d[x]) + (b[x - 1] + b[x + 1])) - 4.0f * b[x]);
        if (w > 1)
            o[w - 1] = s2 * (((a[w - 1] + d[w - 1]) + (b[w - 2] + b[w - 1])) - 4.0f * b[w - 1]);
    }
}

/* 3 x 1 maximum of row r into o (edges repeat). */
static void row_max3(const float *restrict r, float *restrict o, int w)
{
    o[0] = r[0] > r[w > 1 ? 1 : 0] ? r[0] : r[w > 1 ? 1 : 0];
    for (int x = 1; x < w - 1; x++) {
        float m = r[x - 1] > r[x] ? r[x - 1] : r[x];
        o[x] = m > r[x + 1] ? m : r[x + 1];
    }
    if (w > 1)
        o[w - 1] = r[w - 2] > r[w - 1] ? r[w - 2] : r[w - 1];
}

/* 3x3 maximum of rows [y0, y1), separably through a ring of three row
 * maxima (each band computes the rows it needs above and below). */
static void max_rows(void *arg, int y0, int y1)
{
    const lap_ctx *c = arg;
    const int w = c->w;
    float *ring = malloc(3 * (size_t)w * sizeof *ring);
    int held[3] = {-1, -1, -1};
    for (int y = y0; y < y1; y++) {
        const float *rows[3];
        for (int k = 0; k < 3; k++) {
            int yy = reflect1(y - 1 + k, c->h);
            if (!ring) { /* out of memory: a slower path without the ring */
                rows[k] = NULL;
                continue;
            }
            float *slot = ring + (size_t)(yy % 3) * w;
            if (held[yy % 3] != yy) {
                row_max3(c->resp + (size_t)yy * w, slot, w);
                held[yy % 3] = yy;
            }
            rows[k] = slot;
        }
        float *restrict o = c->maxf + (size_t)y * w;
        if (!ring) {
            for (int x = 0; x < w; x++) {
                float m = -INFINITY;
                for (int k = 0; k < 3; k++)
                    for (int dx = -1; dx <= 1; dx++) {
                        float v = c->resp[(size_t)reflect1(y - 1 + k, c->h) * w + reflect1(x + dx, w)];
                        m = v > m ? v : m;
                    }
                o[x] = m;
            }
            continue;
        }
        const float *restrict p = rows[0], *restrict q = rows[1], *restrict n = rows[2];
        for (int x = 0; x < w; x++) {
            float m = p[x] > q[x] ? p[x] : q[x];
            o[x] = m > n[x] ? m : n[x];
        }
    }
    free(ring);
}

/* Blur the pyramid level, then sigma^2 * 5-point Laplacian and its 3x3 max. */
static int plane_make(const st_detect_input *in, const float *lvl, int w, int h, int level,
                      double sigma, int threads, scale_plane *p)
{
    memset(p, 0, sizeof *p);
    double f = (double)(1 << level);
    /* 2x2 means already blurred the level by variance 0.25 per step, in
     * that step's pixels: (4^level - 1) / 12 full-resolution px^2. */
    double pre = (pow(4.0, level) - 1.0) / 12.0;
    double s_lvl = sqrt(fmax(sigma * sigma - pre, 0.25)) / f;
    p->w = w;
    p->h = h;
    p->level = level;
    p->sigma = sigma;
    p->resp = st_det_get(in, w, h);
    p->maxf = st_det_get(in, w, h);
    p->blur = st_det_get(in, w, h);
    if (!p->resp || !p->maxf || !p->blur)
        return ST_ENOMEM;
    int rc = st_gaussian_blur(lvl, (size_t)w, p->blur, (size_t)w, w, h, s_lvl, threads);
    if (rc)
        return rc;
    lap_ctx c = {p->blur, p->resp, p->maxf, w, h, (float)(sigma * sigma / (f * f))};
    st_parallel_for(threads, h, 32, lap_rows, &c);
    st_parallel_for(threads, h, 32, max_rows, &c);
    p->thr = RESP_SIGMAS * st_det_robust_sigma(p->resp, (size_t)w * h);
    return ST_OK;
}

/* 3x3 max of a neighbouring scale at full-resolution point (fx, fy). */
static float other_max(const scale_plane *o, double fx, double fy)
{
    if (!o->maxf)
        return -INFINITY;
    double f = (double)(1 << o->level);
    int x = (int)lround((fx + 0.5) / f - 0.5), y = (int)lround((fy + 0.5) / f - 0.5);
    x = x < 0 ? 0 : (x >= o->w ? o->w - 1 : x);
    y = y < 0 ? 0 : (y >= o->h ? o->h - 1 : y);
    return o->maxf[(size_t)y * o->w + x];
}

#define MAX_BANDS 64 /* st_parallel_for's thread limit */

typedef struct collect_ctx {
    const scale_plane *prev, *cur, *next;
    const st_detect_input *in;
    cand_list band[MAX_BANDS];
    int begin[MAX_BANDS];
    atomic_int nb, failed;
} collect_ctx;

/* Candidates of rows [y0, y1) of the middle scale into a list of the band's
 * own; collect() joins the lists in row order, so the candidates come out
 * in the same order whatever the number of bands. */
static void collect_rows(void *arg, int y0, int y1)
{
    collect_ctx *c = arg;
    const scale_plane *cur = c->cur;
    int k = atomic_fetch_add(&c->nb, 1);
    if (k >= MAX_BANDS) {
        atomic_store(&c->failed, 1);
        return;
    }
    c->begin[k] = y0;
    cand_list *out = &c->band[k];
    double f = (double)(1 << cur->level);
    for (int y = y0 > 1 ? y0 : 1; y < y1 && y + 1 < cur->h; y++) {
        for (int x = 1; x + 1 < cur->w; x++) {
            float r = cur->resp[(size_t)y * cur->w + x];
            if (r <= cur->thr || r < cur->maxf[(size_t)y * cur->w + x])
                continue;
            double fx = (x + 0.5) * f - 0.5, fy = (y + 0.5) * f - 0.5;
            if (r < other_max(c->prev, fx, fy) || r < other_max(c->next, fx, fy))
                continue;
            int ix = (int)lround(fx), iy = (int)lround(fy);
            if (ix >= c->in->surface->width || iy >= c->in->surface->height ||
                !st_det_inside(c->in, ix, iy))
                continue;
            /* Roundness: both principal curvatures positive (a pit, not a
             * valley), the smaller at least MIN_ROUNDNESS of the larger. */
            float dxx, dyy, dxy;
            st_det_hessian(cur->blur, cur->w, cur->h, x, y, &dxx, &dyy, &dxy);
            float tr = 0.5f * (dxx + dyy), dd = sqrtf(0.25f * (dxx - dyy) * (dxx - dyy) + dxy * dxy);
            float l1 = tr + dd, l2 = tr - dd;
            if (l2 <= 0.0f || l2 < MIN_ROUNDNESS * l1)
                continue;
            if (cand_push(out, (cand){fx, fy, cur->sigma, r})) {
                atomic_store(&c->failed, 1);
                return;
            }
        }
    }
}

static int collect(const scale_plane *prev, const scale_plane *cur, const scale_plane *next,
                   const st_detect_input *in, int threads, cand_list *out)
{
    collect_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return ST_ENOMEM;
    c->prev = prev;
    c->cur = cur;
    c->next = next;
    c->in = in;
    atomic_init(&c->nb, 0);
    atomic_init(&c->failed, 0);
    st_parallel_for(threads, cur->h, 64, collect_rows, c);
    int nb = atomic_load(&c->nb), rc = atomic_load(&c->failed) ? ST_ENOMEM : ST_OK;
    nb = nb < MAX_BANDS ? nb : MAX_BANDS;
    /* bands in row order (they finish in any order) */
    for (int done = 0; done < nb && !rc; done++) {
        int k = -1;
        for (int j = 0; j < nb; j++)
            if (c->begin[j] >= 0 && (k < 0 || c->begin[j] < c->begin[k]))
                k = j;
        for (size_t i = 0; i < c->band[k].n && !rc; i++)
            rc = cand_push(out, c->band[k].v[i]);
        c->begin[k] = -1;
    }
    for (int j = 0; j < nb; j++)
        free(c->band[j].v);
    free(c);
    return rc;
}

static int cmp_cand(const void *a, const void *b)
{
    const cand *p = a, *q = b;
    if (p->resp != q->resp)
        return p->resp < q->resp ? 1 : -1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median and robust SD (1.4826 MAD) of the surface in the ring
 * r_in <= r <= r_out around (cx, cy): robust to the furrows crossing it.
 * buf holds at least (2 r_out + 3)^2 floats. */
static void ring_stats(const float *s, int w, int h, double cx, double cy, double r_in,
                       double r_out, float *buf, double *med, double *sd)
{
    size_t n = 0;
    int x0 = (int)floor(cx - r_out), x1 = (int)ceil(cx + r_out);
    int y0 = (int)floor(cy - r_out), y1 = (int)ceil(cy + r_out);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++) {
            double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            if (d2 >= r_in * r_in && d2 <= r_out * r_out)
                buf[n++] = s[(size_t)y * w + x];
        }
    if (n < 3) {
        *med = 0.0;
        *sd = INFINITY;
        return;
    }
    *med = st_det_select(buf, n, n / 2);
    for (size_t i = 0; i < n; i++)
        buf[i] = fabsf(buf[i] - (float)*med);
    *sd = 1.4826 * st_det_select(buf, n, n / 2);
}

#define N_DIR 16

/* Darkness (bg - value) at radius r in N_DIR directions: the median over
 * directions, the share of directions darker than `level`, the maximum. */
static void radial(const float *s, int w, int h, double cx, double cy, double r, double bg,
                   double level, double *median, double *share, double *maxd)
{
    /* cos and sin of 2 pi k / 16 */
    static const double cs[N_DIR] = {1, 0.92387953, 0.70710678, 0.38268343, 0, -0.38268343,
                                     -0.70710678, -0.92387953, -1, -0.92387953, -0.70710678,
                                     -0.38268343, 0, 0.38268343, 0.70710678, 0.92387953};
    float v[N_DIR];
    int dark = 0;
    for (int k = 0; k < N_DIR; k++) {
        double x = cx + r * cs[k], y = cy + r * cs[(k + 12) % N_DIR];
        float sv = st_sample_bilinear(s, (size_t)w, w, h, x, y, (float)bg);
        v[k] = (float)(bg - sv);
        dark += v[k] > level;
    }
    qsort(v, N_DIR, sizeof *v, cmp_float);
    *median = 0.5 * (v[N_DIR / 2 - 1] + v[N_DIR / 2]);
    *share = (double)dark / N_DIR;
    *maxd = v[N_DIR - 1];
}

typedef struct pore_ctx {
    const st_detect_input *in;
    const float *smooth; /* full-resolution surface, lightly smoothed */
    int w, h;
    double d_min_px, d_max_px;
    float *buf;
    int rmax_cap;
    double texture; /* robust SD of the surface about its local mean */
} pore_ctx;

/* Robust SD of the smoothed surface about its local mean over a window of
 * a few pore sizes: the amplitude of skin texture and noise that a pore's
 * darkening has to stand out from. */
static double texture_level(const st_detect_input *in, const float *smooth, int w, int h,
                            double d_max_px, int threads)
{
    float *m = st_det_get(in, w, h);
    if (!m)
        return 0.0;
    double level = 0.0;
    if (!st_gaussian_blur(smooth, (size_t)w, m, (size_t)w, w, h, fmax(2.0, d_max_px), threads)) {
        for (size_t i = 0; i < (size_t)w * h; i++)
            m[i] = smooth[i] - m[i];
        level = st_det_robust_sigma(m, (size_t)w * h);
    }
    st_det_put(in, m);
    return level;
}

/* The darkest smoothed pixel within radius r of (x, y). */
static void darkest(const float *s, int w, int h, double x, double y, double r, int *ox, int *oy)
{
    int bx = (int)lround(x), by = (int)lround(y), ri = (int)ceil(r);
    bx = bx < 0 ? 0 : (bx >= w ? w - 1 : bx);
    by = by < 0 ? 0 : (by >= h ? h - 1 : by);
    float best = s[(size_t)by * w + bx];
    *ox = bx;
    *oy = by;
    for (int yy = by - ri; yy <= by + ri; yy++)
        for (int xx = bx - ri; xx <= bx + ri; xx++)
            if (xx >= 0 && yy >= 0 && xx < w && yy < h && (xx - x) * (xx - x) + (yy - y) * (yy - y) <= r * r &&
                s[(size_t)yy * w + xx] < best) {
                best = s[(size_t)yy * w + xx];
                *ox = xx;
                *oy = yy;
            }
}

/* Contrast over the ring's robust spread, the radius at half depth from
 * the median radial profile (furrows crossing the pore occupy few
 * directions and do not move the median), and isotropy: dark in (nearly)
 * every direction inside that radius, in few directions just outside the
 * rim (a crossing of furrows is dark along its arms), and clearly darker
 * than the darkest arm there (a pore in a furrow is; a bump of noise along
 * a furrow is not). 1 if a pore. */
static int verify(const pore_ctx *c, const cand *k, st_pore *out, double *area_px)
{
    double r_est = M_SQRT2 * k->sigma, bg, sd;
    int cx, cy;
    darkest(c->smooth, c->w, c->h, k->x, k->y, fmax(1.0, 0.5 * r_est), &cx, &cy);
    double r_in = 2.0 * r_est + 1.0, r_out = fmin(3.0 * r_est + 2.0, (double)c->rmax_cap);
    ring_stats(c->smooth, c->w, c->h, cx, cy, r_in, r_out, c->buf, &bg, &sd);
    double contrast = bg - c->smooth[(size_t)cy * c->w + cx];
    if (!(contrast > RING_SIGMAS * sd) || contrast < TEXTURE_SIGMAS * c->texture)
        return 0;
    double half = 0.5 * contrast, r_half = -1.0, prev = contrast, med, share, arm;
    for (double r = 0.5; r <= r_out; r += 0.5) {
        radial(c->smooth, c->w, c->h, cx, cy, r, bg, half, &med, &share, &arm);
        if (med < half) {
            r_half = r - 0.5 + 0.5 * (prev - half) / fmax(prev - med, 1e-12);
            break;
        }
        prev = med;
    }
    if (r_half <= 0)
        return 0;
    radial(c->smooth, c->w, c->h, cx, cy, 0.6 * r_half, bg, half, &med, &share, &arm);
    if (share < 0.8)
        return 0;
    double r_rim = r_half / HALF_DEPTH_RADIUS;
    radial(c->smooth, c->w, c->h, cx, cy, 1.15 * r_rim + 1.0, bg, half, &med, &share, &arm);
    if (share > 0.25 || contrast < ARM_RATIO * arm)
        return 0;
    double d = 2.0 * r_rim;
    if (d < 0.75 * c->d_min_px || d > 1.25 * c->d_max_px)
        return 0;
    out->x = cx;
    out->y = cy;
    out->d_mm = d;
    *area_px = M_PI * d * d / 4.0; /* the opening, as the diameter */
    return 1;
}

typedef struct verify_ctx {
    const pore_ctx *c;
    const cand *v;
    st_pore *p;
    double *area;
    unsigned char *ok;
    size_t buf_len;
} verify_ctx;

static void verify_band(void *arg, int b, int e)
{
    const verify_ctx *v = arg;
    pore_ctx c = *v->c;
    c.buf = malloc(v->buf_len * sizeof *c.buf);
    for (int i = b; i < e; i++)
        v->ok[i] = c.buf && verify(&c, &v->v[i], &v->p[i], &v->area[i]);
    free(c.buf);
}

/* Verifies every candidate (in parallel bands; each result has its own
 * slot, so the order and the bytes do not depend on the thread count) and
 * packs the pores to the front of p and area; returns their count. */
static size_t verify_all(const pore_ctx *c, const cand_list *cl, size_t side, int threads,
                         st_pore *p, double *area)
{
    unsigned char *ok = calloc(cl->n ? cl->n : 1, 1);
    if (!ok)
        return 0;
    verify_ctx v = {c, cl->v, p, area, ok, (side + 4) * (side + 4)};
    st_parallel_for(threads, (int)cl->n, 256, verify_band, &v);
    size_t n = 0;
    for (size_t i = 0; i < cl->n; i++)
        if (ok[i]) {
            p[n] = p[i];
            area[n] = area[i];
            n++;
        }
    free(ok);
    return n;
}

/* Greedy suppression: a weaker pore whose centre lies within the radius of
 * a stronger one is the same pore seen at another scale. */
static size_t suppress(st_pore *p, double *area, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int dup = 0;
        for (size_t j = 0; j < kept && !dup; j++) {
            double r = 0.5 * fmax(p[i].d_mm, p[j].d_mm);
            double dx = p[i].x - p[j].x, dy = p[i].y - p[j].y;
            dup = dx * dx + dy * dy < r * r;
        }
        if (!dup) {
            p[kept] = p[i];
            area[kept] = area[i];
            kept++;
        }
    }
    return kept;
}

/* Scale space on the pyramid: candidates of every scale into *cl. */
static int scan_scales(const float *surf, int w, int h, double d_min_px, double d_max_px,
                       const st_detect_input *in, int threads, cand_list *cl)
{
    double s_min = fmax(0.7, d_min_px / (2.0 * M_SQRT2)), s_max = d_max_px / (2.0 * M_SQRT2);
    int n_scales = 1 + (int)ceil(log(fmax(s_max / s_min, 1.0)) / log(SCALE_STEP));
    const float *lvl = surf;
    float *own = NULL; /* the current level once it is not surf */
    int lw = w, lh = h, level = 0, rc = ST_OK;
    scale_plane pl[3];
    memset(pl, 0, sizeof pl);
    /* Sliding window of three scales: (k-1, k, k+1) in pl[0..2]. */
    for (int k = 0; k <= n_scales && !rc; k++) {
        if (k < n_scales) {
            double sigma = s_min * pow(SCALE_STEP, k);
            while (sigma / (double)(1 << level) > 1.6 && lw > 16 && lh > 16) {
                float *next = st_det_pyr_down(lvl, lw, lh, 1, &lw, &lh);
                st_aligned_free(own);
                lvl = own = next;
                if (!next) {
                    rc = ST_ENOMEM;
                    break;
                }
                level++;
            }
            if (rc)
                break;
            plane_free(in, &pl[0]);
            pl[0] = pl[1];
            pl[1] = pl[2];
            /* the previous scale is only compared with (its 3x3 max): its
             * response and blur go back to the pool for the next scale */
            st_det_put(in, pl[0].resp);
            st_det_put(in, pl[0].blur);
            pl[0].resp = pl[0].blur = NULL;
            rc = plane_make(in, lvl, lw, lh, level, sigma, threads, &pl[2]);
        } else {
            plane_free(in, &pl[0]);
            pl[0] = pl[1];
            pl[1] = pl[2];
            memset(&pl[2], 0, sizeof pl[2]);
        }
        if (!rc && pl[1].resp)
            rc = collect(&pl[0], &pl[1], &pl[2], in, threads, cl);
    }
    for (int i = 0; i < 3; i++)
        plane_free(in, &pl[i]);
    st_aligned_free(own);
    return rc;
}

static int put_metrics(st_metric_set *out, size_t n, double sum_d, double area_px,
                       size_t roi_px, double pmm, st_err *err)
{
    int rc = st_metric_set_put(out, "pores.count", (double)n, "", err);
    if (!rc && roi_px)
        rc = st_metric_set_put(out, "pores.area_fraction", 100.0 * area_px / (double)roi_px, "%", err);
    if (!rc && n)
        rc = st_metric_set_put(out, "pores.mean_diameter_mm", sum_d / (double)n,
                               pmm > 0 ? "mm" : "px", err);
    if (!rc && pmm > 0 && roi_px)
        rc = st_metric_set_put(out, "pores.density_cm2",
                               (double)n / ((double)roi_px * pmm * pmm / 100.0), "1/cm2", err);
    return rc;
}

int st_pores_detect(const st_detect_input *in0, int threads, st_metric_set *out,
                    st_detections *dets, st_err *err)
{
    int rc = st_det_check_input(in0, "pores", err);
    if (rc)
        return rc;
    st_detect_input local;
    const st_detect_input *in = st_det_pool_begin(in0, &local);
    const int w = in->surface->width, h = in->surface->height;
    double pmm = st_det_pixel_mm(in);
    /* Uncalibrated: assume pores span 2-16 pixels. */
    double d_min_px = pmm > 0 ? PORE_D_MIN_MM / pmm : 2.0;
    double d_max_px = pmm > 0 ? PORE_D_MAX_MM / pmm : 16.0;
    pore_ctx c = {in, NULL, w, h, d_min_px, d_max_px, NULL, 0, 0.0};
    c.rmax_cap = (int)ceil(3.0 * d_max_px / 2.0) + 4;
    size_t side = (size_t)(2 * c.rmax_cap + 1);
    float *surf = st_det_get(in, w, h), *smooth = st_det_get(in, w, h);
    cand_list cl = {0};
    st_pore *p = NULL;
    double *area = NULL;
    if (!surf || !smooth) {
        rc = st_err_set(err, ST_ENOMEM, "pores: out of memory for %dx%d", w, h);
        goto done;
    }
    st_det_copy_plane(in->surface, 0, surf);
    /* Measuring surface: just enough smoothing to tame pixel noise without
     * widening the smallest pores noticeably. */
    rc = st_gaussian_blur(surf, (size_t)w, smooth, (size_t)w, w, h, 0.7, threads);
    if (!rc)
        rc = scan_scales(surf, w, h, d_min_px, d_max_px, in, threads, &cl);
    if (rc) {
        rc = st_err_set(err, rc, "pores: scale space failed (%s)", st_status_name(rc));
        goto done;
    }
    c.smooth = smooth;
    st_det_put(in, surf); /* the scale space is done with it */
    surf = NULL;
    c.texture = texture_level(in, smooth, w, h, d_max_px, threads);
    if (cl.n)
        qsort(cl.v, cl.n, sizeof *cl.v, cmp_cand);
    p = malloc((cl.n ? cl.n : 1) * sizeof *p);
    area = malloc((cl.n ? cl.n : 1) * sizeof *area);
    if (!p || !area) {
        rc = st_err_set(err, ST_ENOMEM, "pores: out of memory for %zu candidates", cl.n);
        goto done;
    }
    size_t n = verify_all(&c, &cl, side, threads, p, area);
    n = suppress(p, area, n);
    double sum_d = 0, area_px = 0;
    for (size_t i = 0; i < n; i++) {
        area_px += area[i];
        if (pmm > 0)
            p[i].d_mm *= pmm;
        sum_d += p[i].d_mm;
    }
    rc = put_metrics(out, n, sum_d, area_px, st_det_roi_count(in), pmm, err);
    if (!rc && dets) {
        free(dets->pores);
        dets->pores = p;
        dets->n_pores = n;
        p = NULL;
    }
done:
    free(p);
    free(area);
    free(cl.v);
    st_det_put(in, surf);
    st_det_put(in, smooth);
    st_det_pool_end(in, &local);
    return rc;
}
