/* Pores' scale space: the scale-normalised Laplacian of Gaussian
 * (Lindeberg, IJCV 30(2), 1998) on a 2x mean pyramid (Lowe's SIFT octaves),
 * its 3x3 maxima compared with the neighbouring scales, and the roundness
 * check on the Hessian (pores.c verifies and measures the candidates).
 * The response (the LoG) is never stored as a plane: each pass makes the
 * rows it reads. Every full-image pass runs in row bands; the candidates
 * come out in row order whatever the number of bands. */
#define _DEFAULT_SOURCE /* M_SQRT2 */
#include "metrics/pore_scales.h"

#include <math.h>
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

typedef struct scale_plane {
    float *maxf, *blur; /* 3x3 max of the normalised LoG, the blurred level; the
                         * LoG itself is made row by row where it is read */
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
    st_det_put(in, p->maxf);
    st_det_put(in, p->blur);
    memset(p, 0, sizeof *p);
}

typedef struct lap_ctx {
    const float *blur;
    float *maxf;
    int w, h;
    float s2;
    atomic_int failed;
} lap_ctx;

static inline int reflect1(int i, int n) { return i < 0 ? 0 : (i >= n ? n - 1 : i); }

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
 * borders. No plane of it is kept: the 3x3 max, the noise samples and the
 * candidate scan each make the rows they read. */
static void lap_row(const float *blur, int w, int h, float s2, int y, float *restrict o)
{
    const float *restrict a = blur + (size_t)reflect1(y - 1, h) * w;
    const float *restrict b = blur + (size_t)y * w;
    const float *restrict d = blur + (size_t)reflect1(y + 1, h) * w;
    o[0] = s2 * (((a[0] + d[0]) + (b[0] + b[reflect1(1, w)])) - 4.0f * b[0]);
    lap_interior(a, b, d, s2, o, w);
    if (w > 1)
        o[w - 1] = s2 * (((a[w - 1] + d[w - 1]) + (b[w - 2] + b[w - 1])) - 4.0f * b[w - 1]);
}

/* The same value at one pixel (x, y). */
static float lap_at(const float *blur, int w, int h, float s2, int x, int y)
{
    const float *a = blur + (size_t)reflect1(y - 1, h) * w, *b = blur + (size_t)y * w;
    const float *d = blur + (size_t)reflect1(y + 1, h) * w;
    if (x == 0)
        return s2 * (((a[0] + d[0]) + (b[0] + b[reflect1(1, w)])) - 4.0f * b[0]);
    if (x < w - 1)
        return s2 * (((a[x] + d[x]) + (b[x - 1] + b[x + 1])) - 4.0f * b[x]);
    return s2 * (((a[x] + d[x]) + (b[x - 1] + b[x])) - 4.0f * b[x]);
}

/* 3 x 1 maximum of row r into o (edges repeat). */
ST_DET_VEC static void row_max3(const float *restrict r, float *restrict o, int w)
{
    o[0] = r[0] > r[w > 1 ? 1 : 0] ? r[0] : r[w > 1 ? 1 : 0];
    for (int x = 1; x < w - 1; x++) {
        float m = r[x - 1] > r[x] ? r[x - 1] : r[x];
        o[x] = m > r[x + 1] ? m : r[x + 1];
    }
    if (w > 1)
        o[w - 1] = r[w - 2] > r[w - 1] ? r[w - 2] : r[w - 1];
}

ST_DET_VEC static void col_max3(const float *restrict p, const float *restrict q,
                                const float *restrict n, float *restrict o, int w)
{
    for (int x = 0; x < w; x++) {
        float m = p[x] > q[x] ? p[x] : q[x];
        o[x] = m > n[x] ? m : n[x];
    }
}

/* 3x3 maximum of rows [y0, y1), separably through a ring of three row
 * maxima (each band computes the rows it needs above and below). */
static void max_rows(void *arg, int y0, int y1)
{
    lap_ctx *c = arg;
    const int w = c->w;
    float *ring = malloc(4 * (size_t)w * sizeof *ring), *lap = ring ? ring + 3 * (size_t)w : NULL;
    int held[3] = {-1, -1, -1};
    if (!ring) {
        atomic_store(&c->failed, 1);
        return;
    }
    for (int y = y0; y < y1; y++) {
        const float *rows[3];
        for (int k = 0; k < 3; k++) {
            int yy = reflect1(y - 1 + k, c->h);
            float *slot = ring + (size_t)(yy % 3) * w;
            if (held[yy % 3] != yy) {
                lap_row(c->blur, w, c->h, c->s2, yy, lap);
                row_max3(lap, slot, w);
                held[yy % 3] = yy;
            }
            rows[k] = slot;
        }
        col_max3(rows[0], rows[1], rows[2], c->maxf + (size_t)y * w, w);
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
    p->maxf = st_det_get(in, w, h);
    p->blur = st_det_get(in, w, h);
    p->s2 = (float)(sigma * sigma / (f * f));
    if (!p->maxf || !p->blur)
        return ST_ENOMEM;
    int rc = st_gaussian_blur(lvl, (size_t)w, p->blur, (size_t)w, w, h, s_lvl, threads);
    if (rc)
        return rc;
    lap_ctx c = {p->blur, p->maxf, w, h, p->s2, 0};
    st_parallel_for(threads, h, 32, max_rows, &c);
    if (atomic_load(&c.failed))
        return ST_ENOMEM;
    /* the response's noise from the pixels st_det_robust_sigma would
     * sample of a whole response plane (every step-th) */
    size_t n = (size_t)w * h, step = n > 65536 ? n / 65536 + 1 : 1, k = (n + step - 1) / step;
    float *smp = malloc(k * sizeof *smp);
    if (!smp)
        return ST_ENOMEM;
    size_t x = 0, y = 0; /* pixel j * step, advanced without a division */
    for (size_t j = 0; j < k; j++) {
        smp[j] = lap_at(p->blur, w, h, p->s2, (int)x, (int)y);
        for (x += step; x >= (size_t)w; x -= (size_t)w)
            y++;
    }
    p->thr = RESP_SIGMAS * st_det_robust_sigma(smp, k);
    free(smp);
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

/* Number of x in [0, n) with resp[x] above thr and not below maxf[x] (the
 * candidate test below, vectorised, so that the scalar tests only visit
 * the 16-pixel blocks that hold a local maximum). */
ST_DET_VEC static int count_peaks(const float *restrict resp, const float *restrict maxf,
                                  float thr, int n)
{
    int k = 0;
    for (int x = 0; x < n; x++)
        k += !(resp[x] <= thr) & !(resp[x] < maxf[x]);
    return k;
}

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
    /* a float threshold not above the double one: the block test may
     * only let through more than the exact test below */
    float thr = (float)cur->thr;
    if ((double)thr > cur->thr)
        thr = nextafterf(thr, -INFINITY);
    float *row = malloc((size_t)cur->w * sizeof *row);
    if (!row) {
        atomic_store(&c->failed, 1);
        return;
    }
    for (int y = y0 > 1 ? y0 : 1; y < y1 && y + 1 < cur->h; y++) {
        const float *resp = row, *maxf = cur->maxf + (size_t)y * cur->w;
        lap_row(cur->blur, cur->w, cur->h, cur->s2, y, row);
        for (int x = 1; x + 1 < cur->w; x++) {
            if ((x & 15) == 1) { /* blocks [x, x + 16) without a peak are skipped */
                int e = x + 16 < cur->w - 1 ? x + 16 : cur->w - 1;
                if (!count_peaks(resp + x, maxf + x, thr, e - x)) {
                    x = e - 1;
                    continue;
                }
            }
            float r = resp[x];
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
                free(row);
                return;
            }
        }
    }
    free(row);
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

/* Scale space on the pyramid: candidates of every scale into *cl. */
int st_det_pore_scales(const float *surf, int w, int h, double d_min_px, double d_max_px,
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
                float *next = st_det_pyr_down(lvl, lw, lh, 1, &lw, &lh, threads);
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
             * blur goes back to the pool for the next scale */
            st_det_put(in, pl[0].blur);
            pl[0].blur = NULL;
            rc = plane_make(in, lvl, lw, lh, level, sigma, threads, &pl[2]);
        } else {
            plane_free(in, &pl[0]);
            pl[0] = pl[1];
            pl[1] = pl[2];
            memset(&pl[2], 0, sizeof pl[2]);
        }
        if (!rc && pl[1].maxf)
            rc = collect(&pl[0], &pl[1], &pl[2], in, threads, cl);
    }
    for (int i = 0; i < 3; i++)
        plane_free(in, &pl[i]);
    st_aligned_free(own);
    return rc;
}
