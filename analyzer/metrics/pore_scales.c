/* Pores' scale space: the scale-normalised Laplacian of Gaussian
 * (Lindeberg, IJCV 30(2), 1998) on a 2x mean pyramid (Lowe's SIFT octaves),
 * its 3x3 maxima compared with the neighbouring scales, and the roundness
 * check on the Hessian (pores.c verifies and measures the candidates).
 * Each scale's blur is made from the previous one on its level (Gaussians
 * compose: only the difference of variances is filtered) and the finest
 * from the caller's smoothed surface; the response plane is written once,
 * and the non-maximum suppression reads it where its vectorised 3x3 test
 * lets a pixel through. Every full-image pass runs in row bands; the
 * candidates come out in row order whatever the number of bands. */
#define _DEFAULT_SOURCE /* M_SQRT2 */
#include "metrics/pore_scales.h"

#include <math.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

#define SCALE_STEP 1.2599 /* 2^(1/3): three scales per octave */
#define RESP_SIGMAS 4.0   /* response threshold in robust SDs of the response */
#define MIN_ROUNDNESS 0.35
/* A scale goes to the next 2x level once sigma exceeds one pixel there
 * (SIFT waits for 1.6): candidates only seed pores.c, which measures on
 * the full-resolution surface, and the pores' recall, precision and
 * diameters did not change on the tests (test_pores, test_detect_gen),
 * while the full-resolution scales, which cost 4x a half-resolution one,
 * went from four to two. */
#define LEVEL_SIGMA 1.0

typedef struct scale_plane {
    float *blur;    /* the blurred level (NULL when borrowed) */
    const float *b; /* the blurred level: blur, or the level itself */
    float s2;           /* sigma^2 in this level's pixels */
    int w, h, level;
    double sigma;  /* in full-resolution pixels */
    double thr;
} scale_plane;

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
    st_det_put(in, p->blur);
    memset(p, 0, sizeof *p);
}

static inline int clampi(int i, int n) { return i < 0 ? 0 : (i >= n ? n - 1 : i); }

/* The interior x in [1, w - 1) of a Laplacian row (AVX2 clone: the same
 * operations in the same order). */
ST_DET_VEC static void lap_interior(const float *restrict a, const float *restrict b,
                                   const float *restrict d, float s2, float *restrict o, int w)
{
    for (int x = 1; x < w - 1; x++)
        o[x] = s2 * (((a[x] + d[x]) + (b[x - 1] + b[x + 1])) - 4.0f * b[x]);
}

/* Row y of sigma^2 * 5-point Laplacian of the blurred level: st_laplacian's
 * sum, term for term ((up + down) + (left + right)) - 4 centre, mirrored
 * borders. */
static void lap_row(const float *blur, int w, int h, float s2, int y, float *restrict o)
{
    const float *restrict a = blur + (size_t)clampi(y - 1, h) * w;
    const float *restrict b = blur + (size_t)y * w;
    const float *restrict d = blur + (size_t)clampi(y + 1, h) * w;
    o[0] = s2 * (((a[0] + d[0]) + (b[0] + b[clampi(1, w)])) - 4.0f * b[0]);
    lap_interior(a, b, d, s2, o, w);
    if (w > 1)
        o[w - 1] = s2 * (((a[w - 1] + d[w - 1]) + (b[w - 2] + b[w - 1])) - 4.0f * b[w - 1]);
}

/* The same value at one pixel (x, y). */
static float lap_at(const float *blur, int w, int h, float s2, int x, int y)
{
    const float *a = blur + (size_t)clampi(y - 1, h) * w, *b = blur + (size_t)y * w;
    const float *d = blur + (size_t)clampi(y + 1, h) * w;
    if (x == 0)
        return s2 * (((a[0] + d[0]) + (b[0] + b[clampi(1, w)])) - 4.0f * b[0]);
    if (x < w - 1)
        return s2 * (((a[x] + d[x]) + (b[x - 1] + b[x + 1])) - 4.0f * b[x]);
    return s2 * (((a[x] + d[x]) + (b[x - 1] + b[x])) - 4.0f * b[x]);
}

typedef struct noise_ctx {
    const scale_plane *p;
    float *smp;
    size_t step;
} noise_ctx;

/* Samples [b, e) of the response, sample j at pixel j * step (each in its
 * own slot: the same values for any band split). */
static void noise_samples(void *arg, int b, int e)
{
    const noise_ctx *c = arg;
    const scale_plane *p = c->p;
    size_t i = (size_t)b * c->step, x = i % (size_t)p->w, y = i / (size_t)p->w;
    for (int j = b; j < e; j++) {
        c->smp[j] = lap_at(p->b, p->w, p->h, p->s2, (int)x, (int)y);
        for (x += c->step; x >= (size_t)p->w; x -= (size_t)p->w)
            y++;
    }
}

/* Blur the level (from the previous scale's blur on the same level when
 * there is one: Gaussians compose, sigma^2 adding up, so only the
 * difference is filtered, with a shorter kernel), then the noise level of
 * the response sigma^2 * 5-point Laplacian (no plane of it is kept: the
 * candidate scan makes the rows it reads, the scale comparisons the
 * pixels). */
static int plane_make(const st_detect_input *in, const float *lvl, const scale_plane *prev,
                      int w, int h, int level, double base_var, double sigma, int threads,
                      scale_plane *p)
{
    memset(p, 0, sizeof *p);
    double f = (double)(1 << level);
    double from_var = base_var; /* blur already in lvl, full-resolution px^2 */
    const float *src = lvl;
    if (prev->b && prev->level == level) {
        from_var = prev->sigma * prev->sigma;
        src = prev->b;
    }
    double s_lvl = sqrt(fmax(sigma * sigma - from_var, 0.0)) / f;
    p->w = w;
    p->h = h;
    p->level = level;
    p->sigma = sigma;
    p->s2 = (float)(sigma * sigma / (f * f));
    /* a blur this small (sigma/0.7 - 1 < 1 %) is below the kernel's
     * resolution: the level itself is used */
    p->b = src;
    if (s_lvl >= 0.25)
        p->b = p->blur = st_det_get(in, w, h);
    if (!p->b)
        return ST_ENOMEM;
    int rc = ST_OK;
    if (p->blur)
        rc = st_gaussian_blur(src, (size_t)w, p->blur, (size_t)w, w, h, s_lvl, threads);
    if (rc)
        return rc;
    /* the response's noise from every step-th pixel, as st_det_robust_sigma
     * samples a plane */
    size_t n = (size_t)w * h, step = n > 65536 ? n / 65536 + 1 : 1, k = (n + step - 1) / step;
    float *smp = malloc(k * sizeof *smp);
    if (!smp)
        return ST_ENOMEM;
    noise_ctx nc = {p, smp, step};
    st_parallel_for(threads, (int)k, 4096, noise_samples, &nc);
    p->thr = RESP_SIGMAS * st_det_robust_sigma(smp, k);
    free(smp);
    return ST_OK;
}

/* 3x3 maximum of a scale's response around (x, y) (borders clamped). */
static float max3x3(const scale_plane *o, int x, int y)
{
    float m = -INFINITY;
    if (x >= 2 && y >= 2 && x + 2 < o->w && y + 2 < o->h) { /* lap_at's values, unclamped */
        const float *r = o->b + (size_t)y * o->w + x;
        const ptrdiff_t w = o->w;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                const float *b = r + dy * w + dx;
                float v = o->s2 * (((b[-w] + b[w]) + (b[-1] + b[1])) - 4.0f * b[0]);
                m = v > m ? v : m;
            }
        return m;
    }
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            float v = lap_at(o->b, o->w, o->h, o->s2, clampi(x + dx, o->w), clampi(y + dy, o->h));
            m = v > m ? v : m;
        }
    return m;
}

/* 3x3 max of a neighbouring scale at full-resolution point (fx, fy). */
static float other_max(const scale_plane *o, double fx, double fy)
{
    if (!o->b)
        return -INFINITY;
    double f = (double)(1 << o->level);
    int x = (int)lround((fx + 0.5) / f - 0.5), y = (int)lround((fy + 0.5) / f - 0.5);
    return max3x3(o, clampi(x, o->w), clampi(y, o->h));
}

#define MAX_BANDS 64 /* st_parallel_for's thread limit */

typedef struct collect_ctx {
    const scale_plane *prev, *cur, *next;
    const st_detect_input *in;
    cand_list band[MAX_BANDS];
    int begin[MAX_BANDS];
    atomic_int nb, failed;
} collect_ctx;

/* m[x] = 1 where b[x] (x in [1, n - 1)) is above thr and not below any of
 * its eight neighbours in rows a, b, d: the 3x3 non-maximum suppression,
 * vectorised (the scalar tests only visit the pixels it lets through). */
ST_DET_VEC static void nms_row(const float *restrict a, const float *restrict b,
                               const float *restrict d, float thr, unsigned char *restrict m,
                               int n)
{
    for (int x = 1; x < n - 1; x++) {
        float v = b[x];
        int k = !(v <= thr) & !(v < b[x - 1]) & !(v < b[x + 1]);
        k &= !(v < a[x - 1]) & !(v < a[x]) & !(v < a[x + 1]);
        k &= !(v < d[x - 1]) & !(v < d[x]) & !(v < d[x + 1]);
        m[x] = (unsigned char)k;
    }
}

/* Roundness: both principal curvatures positive (a pit, not a valley), the
 * smaller at least MIN_ROUNDNESS of the larger. */
static int round_pit(const scale_plane *cur, int x, int y)
{
    float dxx, dyy, dxy;
    st_det_hessian(cur->b, cur->w, cur->h, x, y, &dxx, &dyy, &dxy);
    float tr = 0.5f * (dxx + dyy), dd = sqrtf(0.25f * (dxx - dyy) * (dxx - dyy) + dxy * dxy);
    float l1 = tr + dd, l2 = tr - dd;
    return !(l2 <= 0.0f || l2 < MIN_ROUNDNESS * l1);
}

/* Candidates of rows [y0, y1) of the middle scale into a list of the band's
 * own; collect() joins the lists in row order, so the candidates come out
 * in the same order whatever the number of bands. Non-maximum suppression
 * (3x3 in space, the neighbouring scales) runs only at the pixels above
 * the response threshold. */
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
    /* a float threshold not above the double one: the vector test may
     * only let through more than the exact test below */
    float thr = (float)cur->thr;
    if ((double)thr > cur->thr)
        thr = nextafterf(thr, -INFINITY);
    const int w = cur->w;
    unsigned char *m = calloc((size_t)w + 8, 1);
    float *ring = malloc(3 * (size_t)w * sizeof *ring); /* response rows y - 1 .. y + 1 */
    int held[3] = {-1, -1, -1};
    if (!m || !ring) {
        atomic_store(&c->failed, 1);
        free(m);
        free(ring);
        return;
    }
    for (int y = y0 > 1 ? y0 : 1; y < y1 && y + 1 < cur->h; y++) {
        const float *rows[3];
        for (int k = 0; k < 3; k++) {
            int yy = y - 1 + k;
            float *slot = ring + (size_t)(yy % 3) * w;
            if (held[yy % 3] != yy) {
                lap_row(cur->b, w, cur->h, cur->s2, yy, slot);
                held[yy % 3] = yy;
            }
            rows[k] = slot;
        }
        const float *resp = rows[1];
        nms_row(rows[0], resp, rows[2], thr, m, w);
        for (int x = st_det_next_set(m, 1, cur->w - 1); x < cur->w - 1;
             x = st_det_next_set(m, x + 1, cur->w - 1)) {
            float r = resp[x];
            if (r <= cur->thr)
                continue;
            double fx = (x + 0.5) * f - 0.5, fy = (y + 0.5) * f - 0.5;
            int ix = (int)lround(fx), iy = (int)lround(fy);
            if (ix >= c->in->surface->width || iy >= c->in->surface->height ||
                !st_det_inside(c->in, ix, iy) || !round_pit(cur, x, y))
                continue;
            if (r < other_max(c->prev, fx, fy) || r < other_max(c->next, fx, fy))
                continue;
            if (cand_push(out, (cand){fx, fy, cur->sigma, r})) {
                atomic_store(&c->failed, 1);
                break;
            }
        }
    }
    free(m);
    free(ring);
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

/* Scale space on the pyramid: candidates of every scale into *cl. The
 * full-resolution scales start from `smooth` (surf after a Gaussian of
 * smooth_sigma px), each further scale of a level from the one before. */
int st_det_pore_scales(const float *surf, const float *smooth, double smooth_sigma, int w,
                       int h, double d_min_px, double d_max_px, const st_detect_input *in,
                       int threads, cand_list *cl)
{
    double s_min = fmax(smooth_sigma, d_min_px / (2.0 * M_SQRT2));
    double s_max = d_max_px / (2.0 * M_SQRT2);
    int n_scales = 1 + (int)ceil(log(fmax(s_max / s_min, 1.0)) / log(SCALE_STEP));
    const float *lvl = smooth;
    float *own = NULL; /* the current level once it is not smooth */
    double base_var = smooth_sigma * smooth_sigma;
    int lw = w, lh = h, level = 0, rc = ST_OK;
    scale_plane pl[3];
    memset(pl, 0, sizeof pl);
    /* Sliding window of three scales: (k-1, k, k+1) in pl[0..2]. */
    for (int k = 0; k <= n_scales && !rc; k++) {
        if (k < n_scales) {
            double sigma = s_min * pow(SCALE_STEP, k);
            while (sigma / (double)(1 << level) > LEVEL_SIGMA && lw > 16 && lh > 16) {
                /* coarser levels from the raw surface: 2x2 means blur by
                 * variance 0.25 per step, in that step's pixels */
                float *next = st_det_pyr_down(level ? lvl : surf, lw, lh, 1, &lw, &lh, threads);
                st_aligned_free(own);
                lvl = own = next;
                if (!next) {
                    rc = ST_ENOMEM;
                    break;
                }
                level++;
                base_var = (pow(4.0, level) - 1.0) / 12.0;
            }
            if (rc)
                break;
            plane_free(in, &pl[0]);
            pl[0] = pl[1];
            pl[1] = pl[2];
            rc = plane_make(in, lvl, &pl[1], lw, lh, level, base_var, sigma, threads, &pl[2]);
        } else {
            plane_free(in, &pl[0]);
            pl[0] = pl[1];
            pl[1] = pl[2];
            memset(&pl[2], 0, sizeof pl[2]);
        }
        if (!rc && pl[1].b)
            rc = collect(&pl[0], &pl[1], &pl[2], in, threads, cl);
    }
    for (int i = 0; i < 3; i++)
        plane_free(in, &pl[i]);
    st_aligned_free(own);
    return rc;
}
