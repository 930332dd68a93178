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
 * the centre's contrast, as an equal-area circle. */
#define _DEFAULT_SOURCE /* M_PI, M_SQRT2 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "metrics/detect_internal.h"
#include "simd/kernels.h"

#define PORE_D_MIN_MM 0.05
#define PORE_D_MAX_MM 0.5
#define SCALE_STEP 1.2599 /* 2^(1/3): three scales per octave */
#define RESP_SIGMAS 4.0   /* response threshold in robust SDs of the response */
#define RING_SIGMAS 3.0   /* contrast over the background ring's SD */
#define MIN_ROUNDNESS 0.35

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

static void plane_free(scale_plane *p)
{
    st_aligned_free(p->resp);
    st_aligned_free(p->maxf);
    st_aligned_free(p->blur);
    memset(p, 0, sizeof *p);
}

/* Blur the pyramid level, then sigma^2 * 5-point Laplacian and its 3x3 max. */
static int plane_make(const float *lvl, int w, int h, int level, double sigma, int threads,
                      scale_plane *p)
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
    p->resp = st_det_alloc(w, h);
    p->maxf = st_det_alloc(w, h);
    p->blur = st_det_alloc(w, h);
    if (!p->resp || !p->maxf || !p->blur)
        return ST_ENOMEM;
    int rc = st_gaussian_blur(lvl, (size_t)w, p->blur, (size_t)w, w, h, s_lvl, threads);
    if (rc)
        return rc;
    st_laplacian(p->blur, (size_t)w, p->resp, (size_t)w, w, h);
    float s2 = (float)(sigma * sigma / (f * f));
    size_t n = (size_t)w * (size_t)h;
    for (size_t i = 0; i < n; i++)
        p->resp[i] *= s2;
    for (int y = 0; y < h; y++) {
        int y0 = y ? y - 1 : y, y1 = y + 1 < h ? y + 1 : y;
        for (int x = 0; x < w; x++) {
            int x0 = x ? x - 1 : x, x1 = x + 1 < w ? x + 1 : x;
            float m = p->resp[(size_t)y0 * w + x0];
            for (int yy = y0; yy <= y1; yy++)
                for (int xx = x0; xx <= x1; xx++)
                    m = fmaxf(m, p->resp[(size_t)yy * w + xx]);
            p->maxf[(size_t)y * w + x] = m;
        }
    }
    p->thr = RESP_SIGMAS * st_det_robust_sigma(p->resp, n);
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

static int collect(const scale_plane *prev, const scale_plane *cur, const scale_plane *next,
                   const st_detect_input *in, cand_list *out)
{
    double f = (double)(1 << cur->level);
    for (int y = 1; y + 1 < cur->h; y++) {
        for (int x = 1; x + 1 < cur->w; x++) {
            float r = cur->resp[(size_t)y * cur->w + x];
            if (r <= cur->thr || r < cur->maxf[(size_t)y * cur->w + x])
                continue;
            double fx = (x + 0.5) * f - 0.5, fy = (y + 0.5) * f - 0.5;
            if (r < other_max(prev, fx, fy) || r < other_max(next, fx, fy))
                continue;
            int ix = (int)lround(fx), iy = (int)lround(fy);
            if (ix >= in->surface->width || iy >= in->surface->height || !st_det_inside(in, ix, iy))
                continue;
            /* Roundness: both principal curvatures positive (a pit, not a
             * valley), the smaller at least MIN_ROUNDNESS of the larger. */
            float dxx, dyy, dxy;
            st_det_hessian(cur->blur, cur->w, cur->h, x, y, &dxx, &dyy, &dxy);
            float tr = 0.5f * (dxx + dyy), dd = sqrtf(0.25f * (dxx - dyy) * (dxx - dyy) + dxy * dxy);
            float l1 = tr + dd, l2 = tr - dd;
            if (l2 <= 0.0f || l2 < MIN_ROUNDNESS * l1)
                continue;
            if (cand_push(out, (cand){fx, fy, cur->sigma, r}))
                return ST_ENOMEM;
        }
    }
    return ST_OK;
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

/* Background ring statistics around (cx, cy) on the smoothed surface. */
static void ring_stats(const float *s, int w, int h, double cx, double cy, double r_in,
                       double r_out, double *mean, double *sd)
{
    double sum = 0, sum2 = 0;
    size_t n = 0;
    int x0 = (int)floor(cx - r_out), x1 = (int)ceil(cx + r_out);
    int y0 = (int)floor(cy - r_out), y1 = (int)ceil(cy + r_out);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++) {
            double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            if (d2 < r_in * r_in || d2 > r_out * r_out)
                continue;
            double v = s[(size_t)y * w + x];
            sum += v;
            sum2 += v * v;
            n++;
        }
    *mean = n ? sum / (double)n : 0.0;
    *sd = n > 1 ? sqrt(fmax(sum2 / (double)n - *mean * *mean, 0.0)) : INFINITY;
}

/* Area (pixels) of the 4-connected region around (cx, cy) darker than lvl,
 * within radius rmax, and its centroid offset (sums in *sx, *sy); stack and
 * seen are scratch of (2 rmax + 1)^2. */
static size_t dark_area(const float *s, int w, int h, int cx, int cy, int rmax, float lvl,
                        int *stack, unsigned char *seen, double *sx, double *sy)
{
    *sx = *sy = 0.0;
    int side = 2 * rmax + 1;
    memset(seen, 0, (size_t)side * side);
    size_t area = 0, top = 0;
    if (s[(size_t)cy * w + cx] >= lvl)
        return 0;
    stack[top++] = rmax * side + rmax;
    seen[rmax * side + rmax] = 1;
    while (top) {
        int k = stack[--top], lx = k % side, ly = k / side;
        area++;
        *sx += lx - rmax;
        *sy += ly - rmax;
        static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
        for (int d = 0; d < 4; d++) {
            int nx = lx + dx[d], ny = ly + dy[d];
            int gx = cx - rmax + nx, gy = cy - rmax + ny;
            if (nx < 0 || ny < 0 || nx >= side || ny >= side || gx < 0 || gy < 0 || gx >= w ||
                gy >= h || seen[ny * side + nx])
                continue;
            seen[ny * side + nx] = 1;
            if (s[(size_t)gy * w + gx] < lvl)
                stack[top++] = ny * side + nx;
        }
    }
    return area;
}

typedef struct pore_ctx {
    const st_detect_input *in;
    const float *smooth; /* full-resolution surface, lightly smoothed */
    int w, h;
    double d_min_px, d_max_px;
    int *stack;
    unsigned char *seen;
    int rmax_cap;
} pore_ctx;

/* Contrast, roundness of the measured region and diameter; 1 if a pore. */
static int verify(const pore_ctx *c, const cand *k, st_pore *out, double *area_px)
{
    double r_est = M_SQRT2 * k->sigma;
    double bg, sd, ctr, ctr_sd;
    ring_stats(c->smooth, c->w, c->h, k->x, k->y, 1.5 * r_est + 1.0, 2.5 * r_est + 2.0, &bg, &sd);
    ring_stats(c->smooth, c->w, c->h, k->x, k->y, 0.0, fmax(1.0, r_est / 3.0), &ctr, &ctr_sd);
    double contrast = bg - ctr;
    if (!(contrast > RING_SIGMAS * sd))
        return 0;
    int rmax = (int)ceil(3.0 * r_est) + 2;
    if (rmax > c->rmax_cap)
        rmax = c->rmax_cap;
    int cx = (int)lround(k->x), cy = (int)lround(k->y);
    double sx, sy;
    size_t a = dark_area(c->smooth, c->w, c->h, cx, cy, rmax, (float)(bg - 0.5 * contrast),
                         c->stack, c->seen, &sx, &sy);
    /* A region that fills most of its window leaked into a darker
     * structure (a line, a shadow): not a pore. */
    if (a == 0 || (double)a > 0.6 * M_PI * rmax * rmax)
        return 0;
    double d = 2.0 * sqrt((double)a / M_PI);
    if (d < 0.75 * c->d_min_px || d > 1.25 * c->d_max_px)
        return 0;
    out->x = cx + sx / (double)a;
    out->y = cy + sy / (double)a;
    out->d_mm = d;
    *area_px = (double)a;
    return 1;
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
    float *lvl = st_det_alloc(w, h);
    if (!lvl)
        return ST_ENOMEM;
    memcpy(lvl, surf, (size_t)w * h * sizeof *lvl);
    int lw = w, lh = h, level = 0, rc = ST_OK;
    scale_plane pl[3];
    memset(pl, 0, sizeof pl);
    /* Sliding window of three scales: (k-1, k, k+1) in pl[0..2]. */
    for (int k = 0; k <= n_scales && !rc; k++) {
        if (k < n_scales) {
            double sigma = s_min * pow(SCALE_STEP, k);
            while (sigma / (double)(1 << level) > 1.6 && lw > 16 && lh > 16) {
                float *next = st_det_pyr_down(lvl, lw, lh, 1, &lw, &lh);
                st_aligned_free(lvl);
                lvl = next;
                if (!lvl) {
                    rc = ST_ENOMEM;
                    break;
                }
                level++;
            }
            if (rc)
                break;
            plane_free(&pl[0]);
            pl[0] = pl[1];
            pl[1] = pl[2];
            rc = plane_make(lvl, lw, lh, level, sigma, threads, &pl[2]);
        } else {
            plane_free(&pl[0]);
            pl[0] = pl[1];
            pl[1] = pl[2];
            memset(&pl[2], 0, sizeof pl[2]);
        }
        if (!rc && pl[1].resp)
            rc = collect(&pl[0], &pl[1], &pl[2], in, cl);
    }
    for (int i = 0; i < 3; i++)
        plane_free(&pl[i]);
    st_aligned_free(lvl);
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

int st_pores_detect(const st_detect_input *in, int threads, st_metric_set *out,
                    st_detections *dets, st_err *err)
{
    int rc = st_det_check_input(in, "pores", err);
    if (rc)
        return rc;
    const int w = in->surface->width, h = in->surface->height;
    double pmm = st_det_pixel_mm(in);
    /* Uncalibrated: assume pores span 2-16 pixels. */
    double d_min_px = pmm > 0 ? PORE_D_MIN_MM / pmm : 2.0;
    double d_max_px = pmm > 0 ? PORE_D_MAX_MM / pmm : 16.0;
    pore_ctx c = {in, NULL, w, h, d_min_px, d_max_px, NULL, NULL, 0};
    c.rmax_cap = (int)ceil(3.0 * d_max_px / 2.0) + 4;
    size_t side = (size_t)(2 * c.rmax_cap + 1);
    float *surf = st_det_alloc(w, h), *smooth = st_det_alloc(w, h);
    cand_list cl = {0};
    st_pore *p = NULL;
    double *area = NULL;
    c.stack = malloc(side * side * sizeof *c.stack);
    c.seen = malloc(side * side);
    if (!surf || !smooth || !c.stack || !c.seen) {
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
    if (cl.n) /* qsort(NULL, 0, ...) is undefined (UBSan: nonnull) */
        qsort(cl.v, cl.n, sizeof *cl.v, cmp_cand);
    p = malloc((cl.n ? cl.n : 1) * sizeof *p);
    area = malloc((cl.n ? cl.n : 1) * sizeof *area);
    if (!p || !area) {
        rc = st_err_set(err, ST_ENOMEM, "pores: out of memory for %zu candidates", cl.n);
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < cl.n; i++)
        n += verify(&c, &cl.v[i], &p[n], &area[n]);
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
    free(c.stack);
    free(c.seen);
    st_aligned_free(surf);
    st_aligned_free(smooth);
    return rc;
}
