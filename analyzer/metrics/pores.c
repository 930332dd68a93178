/* Pores: dark, roughly round blobs 0.05-0.5 mm across (SPEC.md).
 *
 * Blob detection by the scale-normalised Laplacian of Gaussian, sigma^2 *
 * lap(G_sigma * s) (Lindeberg, "Feature detection with automatic scale
 * selection", IJCV 30(2), 1998): a dark disk of radius r gives a positive
 * extremum at sigma = r / sqrt(2). Scales are computed on a 2x mean pyramid
 * once sigma exceeds one pixel of the current level (pore_scales.c),
 * non-maximum suppression runs over 3x3 in space and over the neighbouring
 * scales, and each candidate must be round (both Hessian eigenvalues
 * positive, ratio >= 0.35), darker than its ring of background by a margin
 * over the ring's own variability, and darker than the skin's null
 * contrast at its scale allows (contrast_floors()). The diameter is
 * SPEC.md's, measured, not taken from the scale nor from a model: the
 * circle with the area of the pore's half-contrast region (pore_area.h),
 * on the full-resolution pixels. Where the darkening ends, which the
 * isotropy tests look at, is estimated as for a smooth funnel (1 - rho^2)^2,
 * whose half-depth radius is ST_FUNNEL_HALF_RADIUS of its rim's. Height
 * maps differ (see RING_SIGMAS_HEIGHT below): pits on a pit map, judged by
 * a fitted funnel, measured as photos are. In a series, the
 * baseline's pores are followed in every later session (pore_follow.h),
 * by the volume of the funnel fitted at each one's place. */
#define _DEFAULT_SOURCE /* M_PI, M_SQRT2 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "metrics/pit_filter.h"
#include "metrics/pore_area.h"
#include "metrics/pore_fit.h"
#include "metrics/pore_follow.h"
#include "metrics/pore_scales.h"
#include "simd/kernels.h"

#define PORE_D_MIN_MM 0.05
#define PORE_D_MAX_MM 0.5
#define RING_SIGMAS 3.0   /* contrast over the background ring's SD */
/* Height maps (µm) see no light, no albedo and no sensor noise. Pores
 * there are found on the pit map (pit_filter.h), with the furrow network
 * taken out: segments PIT_SEGMENT times the largest pore's diameter, at
 * PIT_ANGLES orientations (11.25° apart: a segment 0.6 mm long stays
 * inside a furrow 0.1 mm wide). What the pit map keeps besides pores is
 * the relief's own shallow dimples, 10-20 µm deep and 0.3 mm wide on the
 * height course; a pore is a funnel whose depth is a third of its radius
 * or more (150 µm per mm of opening and more in the generator). So a
 * pore's fitted funnel (pore_fit.h) must be deeper than PIT_MIN_SLOPE
 * times its radius (a mean wall slope of 14°), and deeper than
 * PIT_ARM_RATIO times the furrows running out of it (a crossing of
 * furrows is not). On the
 * height course (samples/demo/height-scars: pores 1.5-11 px, 10-70 µm
 * deep, in relief of Sq ~22 µm): recall 0.58 at precision 0.47 (before
 * the pit map: 0.16 at 0.69), the pores missed being the smallest; the
 * stereo course's integrated heights are smoother and keep 7 % of the
 * pores, all true. */
#define RING_SIGMAS_HEIGHT 1.5
#define NULL_SIGMAS_HEIGHT 3.0
#define PIT_SEGMENT 1.2
#define PIT_ANGLES 16
#define PIT_MIN_SLOPE 0.25
#define PIT_ARM_RATIO 1.2
#define ARM_RATIO 1.6
#define NULL_SIGMAS 5.0  /* contrast over skin's own (robust SDs of the null contrast) */
#define NULL_POINTS 32   /* per side of the grid the null contrast is sampled on */
#define MAX_SCALES 32
#define SMOOTH_SIGMA 0.7 /* px: the measuring surface, and the finest scale */

static int cmp_cand(const void *a, const void *b)
{
    const cand *p = a, *q = b;
    if (p->resp != q->resp)
        return p->resp < q->resp ? 1 : -1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

/* Median of the surface in the ring r_in <= r <= r_out around (cx, cy),
 * sampled on RING_CIRCLES circles of RING_DIRS nearest pixels each (a
 * few dozen samples estimate a median as well as the thousands of pixels
 * of a wide ring, at a fixed cost): robust to the furrows crossing it.
 * The samples stay in buf (at least RING_CIRCLES * RING_DIRS floats) for
 * ring_sd; returns their count. */
#define RING_CIRCLES 3
#define RING_DIRS 16
typedef double ring_dirs[2][RING_DIRS][2]; /* cos, sin of 2 pi (k + 0.5 j) / RING_DIRS */

static void ring_dirs_init(ring_dirs cs)
{
    for (int j = 0; j < 2; j++)
        for (int k = 0; k < RING_DIRS; k++) {
            double a = 2.0 * M_PI * (k + 0.5 * j) / RING_DIRS;
            cs[j][k][0] = cos(a);
            cs[j][k][1] = sin(a);
        }
}

static size_t ring_median(const float *s, int w, int h, const ring_dirs cs, double cx, double cy,
                          double r_in, double r_out, float *buf, double *med)
{
    size_t n = 0;
    for (int c = 0; c < RING_CIRCLES; c++) {
        double r = r_in + (r_out - r_in) * c / (RING_CIRCLES - 1);
        for (int k = 0; k < RING_DIRS; k++) {
            int x = (int)lround(cx + r * cs[c & 1][k][0]);
            int y = (int)lround(cy + r * cs[c & 1][k][1]);
            if (x >= 0 && y >= 0 && x < w && y < h)
                buf[n++] = s[(size_t)y * w + x];
        }
    }
    *med = n >= 3 ? st_det_select(buf, n, n / 2) : 0.0;
    return n;
}

/* Robust SD (1.4826 MAD) of the n ring samples about their median. */
static double ring_sd(float *buf, size_t n, double med)
{
    if (n < 3)
        return INFINITY;
    for (size_t i = 0; i < n; i++)
        buf[i] = fabsf(buf[i] - (float)med);
    return 1.4826 * st_det_select(buf, n, n / 2);
}

#define N_DIR 16

/* Darkness (bg - value) at radius r, averaged over opposite directions
 * (N_DIR / 2 diameters): the median over them, the share darker than
 * `level`, the maximum. The average of opposite points cancels the odd
 * part of the profile: a directional light shades a pit's walls as a
 * dipole (dark towards the light, bright away from it, in proportion to
 * the wall's slope; Lambert), which is odd about the centre, so what is
 * left is the pore's own, even darkening. */
static void radial(const float *s, int w, int h, double cx, double cy, double r, double bg,
                   double level, double *median, double *share, double *maxd)
{
    /* cos and sin of 2 pi k / 16 */
    static const double cs[N_DIR] = {1, 0.92387953, 0.70710678, 0.38268343, 0, -0.38268343,
                                     -0.70710678, -0.92387953, -1, -0.92387953, -0.70710678,
                                     -0.38268343, 0, 0.38268343, 0.70710678, 0.92387953};
    enum { M = N_DIR / 2 };
    float sv[N_DIR], v[M];
    int dark = 0;
    for (int k = 0; k < N_DIR; k++) {
        double x = cx + r * cs[k], y = cy + r * cs[(k + 12) % N_DIR];
        sv[k] = st_sample_bilinear(s, (size_t)w, w, h, x, y, (float)bg);
    }
    for (int k = 0; k < M; k++) {
        v[k] = (float)(bg - 0.5 * ((double)sv[k] + (double)sv[k + M]));
        dark += v[k] > level;
    }
    /* insertion sort: 8 finite values */
    for (int i = 1; i < M; i++) {
        float t = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > t; j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
    *median = 0.5 * (v[M / 2 - 1] + v[M / 2]);
    *share = (double)dark / M;
    *maxd = v[M - 1];
}

typedef struct pore_ctx {
    const st_detect_input *in;
    const float *smooth; /* full-resolution surface, lightly smoothed */
    const float *fit;    /* where funnels are fitted: the pit map (unsmoothed), or a
                          * photo's smoothed luminance once its pores are found (a
                          * volume does not care for the smoothing) */
    const float *relief; /* height maps: the surface itself */
    const float *value;  /* the unsmoothed surface (photo) or pit map (height map):
                          * the pixels a pore's half-contrast area is read from */
    int w, h;
    double d_min_px, d_max_px;
    float *buf;
    st_pore_area_buf *area; /* the band's own scratch for st_pore_half_area */
    int rmax_cap;
    ring_dirs dirs;
    int height; /* a height map (µm): pits, no light */
    double um_per_px;
    int n_scales;
    double sigma[MAX_SCALES], floor[MAX_SCALES]; /* each scale's least contrast */
} pore_ctx;

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
/* The centre (the darkest pixel near p), the ring's median and the
 * contrast between them at scale sigma; returns the ring's sample count
 * (the samples stay in buf). */
static size_t centre_contrast(const pore_ctx *c, double px, double py, double sigma, float *buf,
                              int *cx, int *cy, double *bg, double *contrast)
{
    double r_est = M_SQRT2 * sigma;
    darkest(c->smooth, c->w, c->h, px, py, fmax(1.0, 0.5 * r_est), cx, cy);
    double r_in = 2.0 * r_est + 1.0, r_out = fmin(3.0 * r_est + 2.0, (double)c->rmax_cap);
    size_t n = ring_median(c->smooth, c->w, c->h, c->dirs, *cx, *cy, r_in, r_out, buf, bg);
    *contrast = *bg - c->smooth[(size_t)*cy * c->w + *cx];
    return n;
}

/* A crossing of grooves is deeper than either groove, so the pit map keeps
 * it as a small pit as deep as the shallower groove; on the surface itself
 * the grooves run out of it as arms at least that deep. A pore is deeper
 * than the grooves through it. 1 when the fitted pit f is a crossing. */
static int groove_crossing(const pore_ctx *c, const st_funnel *f, float *buf)
{
    double bg, med, share, arm;
    size_t n = ring_median(c->relief, c->w, c->h, c->dirs, f->x, f->y, f->r_rim + 1.0,
                           2.0 * f->r_rim + 2.0, buf, &bg);
    if (n < 3)
        return 1;
    radial(c->relief, c->w, c->h, f->x, f->y, 1.15 * f->r_rim + 1.0, bg, 0.0, &med, &share, &arm);
    return f->depth < PIT_ARM_RATIO * arm;
}

static int verify(const pore_ctx *c, const cand *k, st_pore *out, double *area_px)
{
    double r_est = M_SQRT2 * k->sigma, bg, sd, contrast;
    double r_out = fmin(3.0 * r_est + 2.0, (double)c->rmax_cap);
    int cx, cy, s = 0;
    while (s + 1 < c->n_scales && c->sigma[s] != k->sigma)
        s++;
    size_t n = centre_contrast(c, k->x, k->y, k->sigma, c->buf, &cx, &cy, &bg, &contrast);
    if (n < 3 || !(contrast >= c->floor[s]))
        return 0;
    sd = ring_sd(c->buf, n, bg);
    if (!(contrast > (c->height ? RING_SIGMAS_HEIGHT : RING_SIGMAS) * sd))
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
    double r_rim = r_half / ST_FUNNEL_HALF_RADIUS; /* where the darkening ends */
    radial(c->smooth, c->w, c->h, cx, cy, 1.15 * r_rim + 1.0, bg, half, &med, &share, &arm);
    if (share > 0.25)
        return 0;
    if (contrast < ARM_RATIO * arm)
        return 0;
    /* the diameter by SPEC.md: the half-contrast area, between the
     * centre's level and the ring's, as an equal-area circle */
    double darkest = st_pore_darkest(c->value, c->w, c->h, cx, cy, 0.6 * r_half);
    double a_half = st_pore_half_area(c->smooth, c->value, c->w, c->h, cx, cy, darkest, bg,
                                      (int)ceil(r_out), c->area);
    if (!(a_half > 0))
        return 0;
    double ox = cx, oy = cy, depth = 0, volume = 0;
    if (c->height) {
        st_funnel f;
        if (!st_fit_funnel(c->fit, c->w, c->h, cx, cy, fmax(0.5, 0.5 * r_rim), 1.5 * r_rim + 1.0,
                           &f))
            return 0;
        if (c->um_per_px > 0 && f.depth < PIT_MIN_SLOPE * f.r_rim * c->um_per_px)
            return 0;
        if (groove_crossing(c, &f, c->buf))
            return 0;
        ox = f.x;
        oy = f.y;
        depth = f.depth;
        volume = st_funnel_volume(&f);
    }
    double d = 2.0 * sqrt(a_half / M_PI);
    if (d < 0.75 * c->d_min_px || d > 1.25 * c->d_max_px)
        return 0;
    out->x = ox;
    out->y = oy;
    out->d_mm = d;
    out->depth = depth;
    out->volume = volume;
    *area_px = a_half; /* the area the diameter stands for */
    return 1;
}

/* The null contrast: what centre_contrast() gives at scale sigma on a
 * grid of NULL_POINTS^2 points of the ROI, i.e. on skin where, nearly
 * everywhere, there is no pore (they cover ~1 % of it). Its median plus
 * NULL_SIGMAS robust SDs is the least contrast a pore must have at that
 * scale: texture, relief shading, noise and (on height maps) relief all
 * show up in it as they would in a pore's contrast, so one rule holds
 * whatever the light or the modality. A plain SD of the surface would
 * count slopes and bumps wider than the ring, which a centre-to-ring
 * contrast does not see. */
typedef struct floor_ctx {
    const pore_ctx *c;
    float *con; /* n_scales x NULL_POINTS^2 null contrasts, NAN off the skin */
    atomic_int failed;
} floor_ctx;

/* Grid rows [b, e): every scale at each point in turn, so the surface
 * around a point is fetched once for all scales. */
static void floor_rows(void *arg, int b, int e)
{
    floor_ctx *f = arg;
    const pore_ctx *c = f->c;
    float *buf = malloc(RING_CIRCLES * RING_DIRS * sizeof *buf);
    if (!buf) {
        atomic_store(&f->failed, 1);
        return;
    }
    for (int j = b; j < e; j++)
        for (int i = 0; i < NULL_POINTS; i++) {
            int x = (int)((i + 0.5) * c->w / NULL_POINTS);
            int y = (int)((j + 0.5) * c->h / NULL_POINTS);
            for (int s = 0; s < c->n_scales; s++) {
                int cx, cy;
                double bg, ct;
                float *o = &f->con[((size_t)s * NULL_POINTS + j) * NULL_POINTS + i];
                *o = NAN;
                if (st_det_inside(c->in, x, y) &&
                    centre_contrast(c, x, y, c->sigma[s], buf, &cx, &cy, &bg, &ct) >= 3)
                    *o = (float)ct;
            }
        }
    free(buf);
}

/* In a series, the baseline's floors where the scales agree (the same
 * pixel size gives the same scales). The null contrast is the skin's
 * texture and noise: a session whose relief got 10 % shallower had its
 * floor 9-23 % lower and counted 14-47 % more pores of unchanged size and
 * darkness (skingen relief, seed 7), and repeat shots of one skin moved
 * their floors by up to 15 % (skingen repeat, seed 3: counts -13 and -26
 * %). One yardstick for the series: a pore counts when it is as dark as
 * the baseline asked. */
static void baseline_floors(pore_ctx *c)
{
    const st_detect_input *in = c->in;
    for (int s = 0; s < c->n_scales && !c->height && in->track_floor && in->track_floor_sigma; s++)
        for (int k = 0; k < in->n_track_floors; k++)
            if (fabs(in->track_floor_sigma[k] - c->sigma[s]) <= 1e-6 * c->sigma[s] &&
                isfinite(in->track_floor[k]))
                c->floor[s] = in->track_floor[k];
}

/* The distinct scales of the candidates and each one's least contrast. */
static int contrast_floors(pore_ctx *c, const cand_list *cl, int threads)
{
    c->n_scales = 0;
    for (size_t i = 0; i < cl->n; i++) {
        int s = 0;
        while (s < c->n_scales && c->sigma[s] != cl->v[i].sigma)
            s++;
        if (s == c->n_scales && s < MAX_SCALES)
            c->sigma[c->n_scales++] = cl->v[i].sigma;
    }
    const size_t np = NULL_POINTS * NULL_POINTS;
    floor_ctx f = {c, malloc(((size_t)c->n_scales * np + 1) * sizeof *f.con), 0};
    if (!f.con)
        return ST_ENOMEM;
    st_parallel_for(threads, NULL_POINTS, 1, floor_rows, &f);
    for (int s = 0; s < c->n_scales && !atomic_load(&f.failed); s++) {
        float *con = f.con + (size_t)s * np;
        size_t n = 0;
        for (size_t i = 0; i < np; i++)
            if (!isnan(con[i]))
                con[n++] = con[i];
        if (n < 16) { /* too little skin to tell: the ring test alone */
            c->floor[s] = -INFINITY;
            continue;
        }
        double med = st_det_select(con, n, n / 2);
        for (size_t i = 0; i < n; i++)
            con[i] = fabsf(con[i] - (float)med);
        double k = c->height ? NULL_SIGMAS_HEIGHT : NULL_SIGMAS;
        c->floor[s] = med + k * 1.4826 * st_det_select(con, n, n / 2);
    }
    free(f.con);
    baseline_floors(c);
    return atomic_load(&f.failed) ? ST_ENOMEM : ST_OK;
}

typedef struct verify_ctx {
    const pore_ctx *c;
    const cand *v;
    st_pore *p;
    double *area;
    unsigned char *ok;
    size_t buf_len;
    atomic_int *failed; /* a band had no memory for its scratch */
} verify_ctx;

static void verify_band(void *arg, int b, int e)
{
    const verify_ctx *v = arg;
    pore_ctx c = *v->c;
    st_pore_area_buf ab = {0};
    int ab_ok = st_pore_area_buf_init(&ab, c.rmax_cap) == 0;
    c.buf = malloc(v->buf_len * sizeof *c.buf);
    c.area = &ab;
    if (!c.buf || !ab_ok)
        atomic_store(v->failed, 1);
    for (int i = b; i < e; i++)
        v->ok[i] = c.buf && ab_ok && verify(&c, &v->v[i], &v->p[i], &v->area[i]);
    free(c.buf);
    st_pore_area_buf_free(&ab);
}

/* Verifies every candidate (in parallel bands; each result has its own
 * slot, so the order and the bytes do not depend on the thread count) and
 * packs the pores to the front of p and area; returns their count. */
typedef struct ranked {
    cand c;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    return cmp_cand(&((const ranked *)a)->c, &((const ranked *)b)->c);
}

/* Raster order (y, then x): candidates of every scale interleaved. */
static int cmp_raster(const void *a, const void *b)
{
    const cand *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->sigma > q->sigma) - (p->sigma < q->sigma);
}

/* Verifies every candidate in parallel bands, in raster order (the
 * surface around a candidate is then still cached from its neighbours; in
 * response order, or scale by scale, nearly every ring sample is a cache
 * miss), each result in its
 * own slot, so the bytes do not depend on the thread count. Then the
 * pores go to the front of p and area, strongest response first (the
 * order suppress() wants); returns their count, or -1 when out of memory. */
static long verify_all(const pore_ctx *c, cand_list *cl, int threads, st_pore *p,
                       double *area)
{
    unsigned char *ok = calloc(cl->n ? cl->n : 1, 1);
    st_pore *q = malloc((cl->n ? cl->n : 1) * sizeof *q);
    double *qa = malloc((cl->n ? cl->n : 1) * sizeof *qa);
    ranked *r = malloc((cl->n ? cl->n : 1) * sizeof *r);
    long n = -1;
    if (ok && q && qa && r) {
        if (cl->n) /* qsort(NULL, 0, ...) is undefined (UBSan: nonnull) */
            qsort(cl->v, cl->n, sizeof *cl->v, cmp_raster);
        atomic_int failed;
        atomic_init(&failed, 0);
        verify_ctx v = {c, cl->v, q, qa, ok, RING_CIRCLES * RING_DIRS, &failed};
        st_parallel_for(threads, (int)cl->n, 256, verify_band, &v);
        size_t k = 0;
        for (size_t i = 0; i < cl->n; i++)
            if (ok[i])
                r[k++] = (ranked){cl->v[i], i};
        if (k) /* qsort(NULL, 0, ...) is undefined (UBSan: nonnull) */
            qsort(r, k, sizeof *r, cmp_ranked);
        for (size_t j = 0; j < k; j++) {
            p[j] = q[r[j].i];
            area[j] = qa[r[j].i];
        }
        n = atomic_load(&failed) ? -1 : (long)k;
    }
    free(ok);
    free(q);
    free(qa);
    free(r);
    return n;
}

/* 1 when q's centre lies within the radius of the larger of p and q. */
static int same_pore(const st_pore *p, const st_pore *q)
{
    double r = 0.5 * fmax(p->d_mm, q->d_mm);
    double dx = p->x - q->x, dy = p->y - q->y;
    return dx * dx + dy * dy < r * r;
}

/* Greedy suppression: a weaker pore whose centre lies within the radius of
 * a stronger one is the same pore seen at another scale. The kept pores
 * are binned in square cells as wide as the largest diameter, so each
 * pore is compared with the kept ones of its 3x3 cells only (the same
 * outcome as comparing with all of them). */
static size_t suppress(st_pore *p, double *area, size_t n, int w, int h)
{
    double dmax = 1.0;
    for (size_t i = 0; i < n; i++)
        dmax = fmax(dmax, p[i].d_mm);
    int gw = (int)(w / dmax) + 1, gh = (int)(h / dmax) + 1;
    size_t cells = (size_t)gw * (size_t)gh;
    int32_t *head = malloc(cells * sizeof *head), *next = malloc((n ? n : 1) * sizeof *next);
    if (!head || !next || cells / (size_t)gw != (size_t)gh) { /* fall back: all pairs */
        free(head);
        free(next);
        head = next = NULL;
    } else
        for (size_t c = 0; c < cells; c++)
            head[c] = -1;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int dup = 0, cx = (int)(p[i].x / dmax), cy = (int)(p[i].y / dmax);
        cx = cx < 0 ? 0 : (cx >= gw ? gw - 1 : cx);
        cy = cy < 0 ? 0 : (cy >= gh ? gh - 1 : cy);
        for (size_t j = 0; j < kept && !dup && !head; j++)
            dup = same_pore(&p[i], &p[j]);
        for (int yy = cy - 1; yy <= cy + 1 && !dup && head; yy++)
            for (int xx = cx - 1; xx <= cx + 1 && !dup; xx++)
                if (xx >= 0 && yy >= 0 && xx < gw && yy < gh)
                    for (int32_t j = head[(size_t)yy * gw + xx]; j >= 0 && !dup; j = next[j])
                        dup = same_pore(&p[i], &p[j]);
        if (!dup) {
            p[kept] = p[i];
            area[kept] = area[i];
            if (head) {
                size_t c = (size_t)cy * gw + cx;
                next[kept] = head[c];
                head[c] = (int32_t)kept;
            }
            kept++;
        }
    }
    free(head);
    free(next);
    return kept;
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
    pore_ctx c = {.in = in, .w = w, .h = h, .d_min_px = d_min_px, .d_max_px = d_max_px,
                  .height = in->unit == ST_UNIT_UM, .um_per_px = pmm * 1000.0};
    ring_dirs_init(c.dirs);
    c.rmax_cap = (int)ceil(3.0 * d_max_px / 2.0) + 4;
    float *copy = NULL, *pit = NULL, *smooth = st_det_get(in, w, h);
    const float *surf = st_det_surface(in, &copy);
    cand_list cl = {0};
    st_pore *p = NULL;
    double *area = NULL;
    if (!surf || !smooth) {
        rc = st_err_set(err, ST_ENOMEM, "pores: out of memory for %dx%d", w, h);
        goto done;
    }
    if (c.height) { /* pores are pits of the relief: measured on its pit map */
        pit = st_det_get(in, w, h);
        /* very fine pixels (a microscope's): segments of at most
         * ST_PIT_MAX_RADIUS px still bridge pores up to that size */
        double radius = fmin(0.5 * PIT_SEGMENT * d_max_px, ST_PIT_MAX_RADIUS);
        rc = pit ? st_pit_depth(surf, w, h, (int)fmax(1.0, lround(radius)), PIT_ANGLES, threads,
                                pit)
                 : ST_ENOMEM;
        if (rc) {
            rc = st_err_set(err, rc, "pores: no pit map for %dx%d (%s)", w, h, st_status_name(rc));
            goto done;
        }
        for (size_t i = 0; i < (size_t)w * h; i++)
            pit[i] = -pit[i]; /* pits low, as pores are dark on a photo */
        c.relief = surf;
        c.fit = surf = pit;
    }
    /* Measuring surface: just enough smoothing to tame pixel noise without
     * widening the smallest pores noticeably. */
    rc = st_gaussian_blur(surf, (size_t)w, smooth, (size_t)w, w, h, SMOOTH_SIGMA, threads);
    if (!rc)
        rc = st_det_pore_scales(surf, smooth, SMOOTH_SIGMA, w, h, d_min_px, d_max_px, in, threads,
                                &cl);
    if (rc) {
        rc = st_err_set(err, rc, "pores: scale space failed (%s)", st_status_name(rc));
        goto done;
    }
    c.smooth = smooth;
    c.value = surf; /* kept to the end: half-contrast areas read its pixels */
    if (contrast_floors(&c, &cl, threads)) {
        rc = st_err_set(err, ST_ENOMEM, "pores: out of memory for the contrast floors");
        goto done;
    }
    p = malloc((cl.n ? cl.n : 1) * sizeof *p);
    area = malloc((cl.n ? cl.n : 1) * sizeof *area);
    if (!p || !area) {
        rc = st_err_set(err, ST_ENOMEM, "pores: out of memory for %zu candidates", cl.n);
        goto done;
    }
    long nv = verify_all(&c, &cl, threads, p, area);
    if (nv < 0) {
        rc = st_err_set(err, ST_ENOMEM, "pores: out of memory verifying %zu candidates", cl.n);
        goto done;
    }
    size_t n = suppress(p, area, (size_t)nv, w, h);
    if (!c.height) {
        c.fit = smooth;
        st_pores_fit(c.fit, w, h, p, n, threads);
    }
    double sum_d = 0, area_px = 0;
    for (size_t i = 0; i < n; i++) {
        area_px += area[i];
        if (pmm > 0)
            p[i].d_mm *= pmm;
        sum_d += p[i].d_mm;
    }
    rc = put_metrics(out, n, sum_d, area_px, st_det_roi_count(in), pmm, err);
    size_t n_tracked = 0;
    st_pore *tracked = NULL;
    if (!rc && (in->track_pores || (in->follow_own && n))) {
        /* own pores, as a session receives the baseline's (surface
         * pixels, d_mm as reported) */
        st_pore *own = NULL;
        if (!in->track_pores) {
            own = malloc(n * sizeof *own);
            if (own)
                memcpy(own, p, n * sizeof *own);
        }
        if (in->track_pores || own)
            tracked = st_pores_follow(c.fit, w, h, own ? own : in->track_pores, own ? n : in->n_track_pores, pmm,
                                      c.height, threads, &n_tracked);
        free(own);
        if (!tracked)
            rc = st_err_set(err, ST_ENOMEM, "pores: out of memory following %zu pores",
                            in->n_track_pores);
    }
    if (!rc && n_tracked) {
        double sum = 0;
        for (size_t i = 0; i < n_tracked; i++)
            sum += tracked[i].d_mm;
        rc = st_metric_set_put(out, "pores.mean_diameter_mm", sum / (double)n_tracked,
                               pmm > 0 ? "mm" : "px", err);
    }
    if (!rc && dets && tracked) {
        free(dets->tracked);
        dets->tracked = tracked;
        dets->n_tracked = n_tracked;
        tracked = NULL;
    }
    free(tracked);
    if (!rc && dets) {
        dets->n_pore_floors = c.n_scales < ST_PORE_FLOORS_MAX ? c.n_scales : ST_PORE_FLOORS_MAX;
        for (int s = 0; s < dets->n_pore_floors; s++) {
            dets->pore_floor_sigma[s] = c.sigma[s];
            dets->pore_floor[s] = c.floor[s];
        }
        free(dets->pores);
        dets->pores = p;
        dets->n_pores = n;
        p = NULL;
    }
done:
    free(p);
    free(area);
    free(cl.v);
    st_det_put(in, copy);
    st_det_put(in, pit);
    st_det_put(in, smooth);
    st_det_pool_end(in, &local);
    return rc;
}
