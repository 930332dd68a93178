/* Plumbing shared by the detection families: input checks, the plane
 * pool, normalised convolution, Hessians, colour planes (robust statistics
 * are in detect_stats.c, pyramids in detect_pyramid.c). */
#define _POSIX_C_SOURCE 200809L
#include "metrics/detect_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

double st_det_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double st_det_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double st_det_pixel_mm(const st_detect_input *in)
{
    if (in->pixel_mm > 0.0)
        return in->pixel_mm;
    return in->surface && in->surface->pixel_mm > 0.0 ? in->surface->pixel_mm : 0.0;
}

size_t st_det_roi_count(const st_detect_input *in)
{
    const st_image *s = in->surface;
    if (!in->mask)
        return (size_t)s->width * (size_t)s->height;
    size_t n = 0;
    for (int y = 0; y < s->height; y++)
        for (int x = 0; x < s->width; x++)
            n += st_det_inside(in, x, y) != 0;
    return n;
}

int st_det_check_input(const st_detect_input *in, const char *family, st_err *err)
{
    if (!in || !in->surface || !in->surface->data)
        return st_err_set(err, ST_EINVAL, "%s: no surface given", family);
    if (in->surface->channels != 1)
        return st_err_set(err, ST_EINVAL, "%s: surface has %d channels (1 expected)", family,
                          in->surface->channels);
    if (in->mask && in->mask_stride && in->mask_stride < (size_t)in->surface->width)
        return st_err_set(err, ST_EINVAL, "%s: mask stride %zu below width %d", family,
                          in->mask_stride, in->surface->width);
    if (in->rgb && (in->rgb->channels != 3 || in->rgb->width != in->surface->width ||
                    in->rgb->height != in->surface->height))
        return st_err_set(err, ST_EINVAL, "%s: photo is not a %dx%d RGB image", family,
                          in->surface->width, in->surface->height);
    return ST_OK;
}

float *st_det_alloc(int w, int h)
{
    size_t n;
    if (w < 1 || h < 1 || st_mul_size((size_t)w, (size_t)h, &n) ||
        st_mul_size(n, sizeof(float), &n))
        return NULL;
    /* Not zero-filled: every caller writes the whole plane, and a 12 MP
     * plane's memset costs as much as a light filter pass over it. */
    return st_aligned_alloc(n);
}

#define POOL_SLOTS 24
/* px: smoothed colour on the 2x grid from here on. At 0.05 mm/px the
 * colour Gaussian is 1 px: on the 2x grid the photo-course's ITA SD reads
 * 2 % higher and its spot area 3 % lower (the percent changes move by
 * 0.1-0.3 points), for a quarter of the colour work (pigment + redness
 * 0.38 -> 0.12 s CPU per 4 x 12 MP series), the largest part of batch time
 * left in detection. */
#define LAB_HALF_SIGMA 1.0

struct st_det_pool {
    struct {
        float *p;
        size_t cap; /* floats */
        int used;
    } slot[POOL_SLOTS];
    /* Smoothed L*, a*, b* of lab_rgb (st_det_smoothed_lab), kept for the
     * next colour family; lab_share: planes to make beyond those asked for. */
    float *lab[3];
    const st_image *lab_rgb;
    double lab_sigma;
    unsigned lab_share;
};

st_det_pool *st_det_pool_new(void) { return calloc(1, sizeof(st_det_pool)); }

void st_det_pool_free(st_det_pool *pool)
{
    if (!pool)
        return;
    for (int k = 0; k < 3; k++) { /* a plane beyond a full table is not in a slot */
        int pooled = 0;
        for (int i = 0; i < POOL_SLOTS; i++)
            pooled |= pool->slot[i].p == pool->lab[k];
        if (!pooled)
            st_aligned_free(pool->lab[k]);
    }
    for (int i = 0; i < POOL_SLOTS; i++)
        st_aligned_free(pool->slot[i].p);
    free(pool);
}

float *st_det_get(const st_detect_input *in, int w, int h)
{
    st_det_pool *pool = in ? in->pool : NULL;
    if (!pool || w < 1 || h < 1)
        return st_det_alloc(w, h);
    size_t n = (size_t)w * (size_t)h;
    int best = -1, empty = -1;
    /* the smallest free buffer that holds the plane */
    for (int i = 0; i < POOL_SLOTS; i++) {
        if (!pool->slot[i].p) {
            empty = empty < 0 ? i : empty;
            continue;
        }
        if (!pool->slot[i].used && pool->slot[i].cap >= n &&
            (best < 0 || pool->slot[i].cap < pool->slot[best].cap))
            best = i;
    }
    if (best >= 0) {
        pool->slot[best].used = 1;
        return pool->slot[best].p;
    }
    float *p = st_det_alloc(w, h);
    if (p && empty >= 0) {
        pool->slot[empty].p = p;
        pool->slot[empty].cap = n;
        pool->slot[empty].used = 1;
    }
    return p; /* a full table: an unpooled plane, freed by st_det_put */
}

void st_det_put(const st_detect_input *in, float *plane)
{
    st_det_pool *pool = in ? in->pool : NULL;
    if (!plane)
        return;
    for (int i = 0; pool && i < POOL_SLOTS; i++)
        if (pool->slot[i].p == plane) {
            pool->slot[i].used = 0;
            return;
        }
    st_aligned_free(plane);
}

void st_det_pool_share_lab(st_det_pool *pool, unsigned planes)
{
    if (pool)
        pool->lab_share = planes;
}

void *st_det_get_bytes(const st_detect_input *in, size_t bytes)
{
    /* rounded up, not one more: a byte mask of w*h fits a plane of
     * (w/2)*(h/2) floats when w and h are even (no fresh plane for it) */
    size_t floats = bytes / sizeof(float) + (bytes % sizeof(float) != 0) + (bytes == 0);
    return floats > (size_t)INT_MAX ? NULL : st_det_get(in, (int)floats, 1);
}

const st_detect_input *st_det_pool_begin(const st_detect_input *in, st_detect_input *local)
{
    if (in->pool)
        return in;
    *local = *in;
    local->pool = st_det_pool_new();
    return local;
}

void st_det_pool_end(const st_detect_input *in, st_detect_input *local)
{
    if (in == local) {
        st_det_pool_free(local->pool);
        local->pool = NULL;
    }
}

const float *st_det_surface(const st_detect_input *in, float **copy)
{
    const st_image *s = in->surface;
    *copy = NULL;
    if (s->stride == (size_t)s->width)
        return s->data;
    if (!(*copy = st_det_get(in, s->width, s->height)))
        return NULL;
    st_det_copy_plane(s, 0, *copy);
    return *copy;
}

void st_det_copy_plane(const st_image *img, int channel, float *dst)
{
    for (int y = 0; y < img->height; y++)
        memcpy(dst + (size_t)y * (size_t)img->width, st_image_row(img, channel, y),
               (size_t)img->width * sizeof(float));
}

int st_det_masked_blur(const float *v, const float *wt, float *dst, float *tmp, int w, int h,
                       double sigma, int threads)
{
    size_t n = (size_t)w * (size_t)h;
    float *num = st_det_alloc(w, h);
    if (!num)
        return ST_ENOMEM;
    for (size_t i = 0; i < n; i++)
        num[i] = v[i] * wt[i];
    int rc = st_gaussian_blur(num, (size_t)w, num, (size_t)w, w, h, sigma, threads);
    if (!rc)
        rc = st_gaussian_blur(wt, (size_t)w, tmp, (size_t)w, w, h, sigma, threads);
    if (!rc) {
        /* Far inside a large excluded hole the weights underflow: fall back
         * to the plain blur there (it is only reached for holes > ~6 sigma). */
        int need_plain = 0;
        for (size_t i = 0; i < n; i++)
            need_plain |= tmp[i] < 1e-6f;
        if (need_plain) {
            float *plain = st_det_alloc(w, h);
            if (!plain) {
                st_aligned_free(num);
                return ST_ENOMEM;
            }
            rc = st_gaussian_blur(v, (size_t)w, plain, (size_t)w, w, h, sigma, threads);
            for (size_t i = 0; i < n; i++)
                dst[i] = tmp[i] < 1e-6f ? plain[i] : num[i] / tmp[i];
            st_aligned_free(plain);
        } else {
            for (size_t i = 0; i < n; i++)
                dst[i] = num[i] / tmp[i];
        }
    }
    st_aligned_free(num);
    return rc;
}

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

void st_det_hessian(const float *s, int w, int h, int x, int y, float *dxx, float *dyy,
                    float *dxy)
{
    int xm = clampi(x - 1, 0, w - 1), xp = clampi(x + 1, 0, w - 1);
    int ym = clampi(y - 1, 0, h - 1), yp = clampi(y + 1, 0, h - 1);
    const float *r = s + (size_t)y * w, *rm = s + (size_t)ym * w, *rp = s + (size_t)yp * w;
    *dxx = r[xp] - 2.0f * r[x] + r[xm];
    *dyy = rp[x] - 2.0f * r[x] + rm[x];
    *dxy = 0.25f * (rp[xp] - rp[xm] - rm[xp] + rm[xm]);
}

typedef struct colour_ctx {
    const st_image *rgb;
    float *p0, *p1, *p2; /* L, a, b (Lab) or R, G (linear) */
} colour_ctx;

static void lab_rows(void *arg, int y0, int y1)
{
    const colour_ctx *c = arg;
    int w = c->rgb->width;
    float *tmp = st_det_alloc(w, 3);
    for (int y = y0; y < y1; y++) {
        size_t o = (size_t)y * w;
        /* a plane the caller does not want goes to scratch (always there
         * when some plane is skipped: NULL planes are only skipped with tmp) */
        float *L = c->p0 ? c->p0 + o : tmp, *A = c->p1 ? c->p1 + o : (tmp ? tmp + w : NULL);
        float *B = c->p2 ? c->p2 + o : (tmp ? tmp + 2 * (size_t)w : NULL);
        if (!L || !A || !B)
            continue;
        st_srgb_to_lab(st_image_row(c->rgb, 0, y), st_image_row(c->rgb, 1, y),
                       st_image_row(c->rgb, 2, y), L, A, B, (size_t)w);
    }
    st_aligned_free(tmp);
}

/* 2x means of the three sRGB channels in bands of output rows (each band
 * reads its own input rows: the same values for any band split). */
typedef struct half_ctx {
    const st_image *rgb;
    float *dst[3];
    int hw;
} half_ctx;

static void half_rows(void *arg, int y0, int y1)
{
    const half_ctx *c = arg;
    const st_image *rgb = c->rgb;
    int rows = (2 * y1 < rgb->height ? 2 * y1 : rgb->height) - 2 * y0;
    for (int k = 0; k < 3; k++)
        st_downsample2x(st_image_row(rgb, k, 2 * y0), rgb->stride, rgb->width, rows,
                        c->dst[k] + (size_t)y0 * c->hw, (size_t)c->hw);
}

/* The photo on the grid of factor f: itself (f = 1) or its 2x means in a
 * packed 3-channel image from the pool (*own, given back by the caller). */
static int grid_rgb(const st_detect_input *in, int f, int threads, st_image *view, float **own)
{
    const st_image *rgb = in->rgb;
    *own = NULL;
    *view = *rgb;
    if (f == 1)
        return ST_OK;
    int hw = (rgb->width + 1) / 2, hh = (rgb->height + 1) / 2;
    if (!(*own = st_det_get(in, hw, 3 * hh)))
        return ST_ENOMEM;
    half_ctx c = {rgb, {*own, *own + (size_t)hw * hh, *own + 2 * (size_t)hw * hh}, hw};
    st_parallel_for(threads, hh, 32, half_rows, &c);
    view->data = *own;
    view->width = hw;
    view->height = hh;
    view->stride = (size_t)hw;
    return ST_OK;
}

int st_det_lab_grid(double sigma)
{
    return sigma >= LAB_HALF_SIGMA ? 2 : 1;
}

int st_det_smoothed_lab(const st_detect_input *in, double sigma, unsigned need, int threads,
                        const float **lab)
{
    st_det_pool *pool = in->pool;
    const st_image *rgb = in->rgb;
    if (!pool)
        return ST_ENOMEM;
    if (pool->lab_rgb != rgb || pool->lab_sigma != sigma) {
        for (int k = 0; k < 3; k++) {
            st_det_put(in, pool->lab[k]);
            pool->lab[k] = NULL;
        }
        pool->lab_rgb = rgb;
        pool->lab_sigma = sigma;
    }
    unsigned make = 0;
    for (int k = 0; k < 3; k++)
        if (((need | pool->lab_share) >> k & 1u) && !pool->lab[k])
            make |= 1u << k;
    int rc = ST_OK;
    if (make) {
        /* On the 2x grid the means already blur by a 2-px box (variance
         * 1/4 px^2 per axis): the Gaussian adds the rest, in grid px. */
        int f = st_det_lab_grid(sigma);
        double s = f == 1 ? sigma : sqrt(sigma * sigma - 0.25) / f;
        st_image view;
        float *own = NULL;
        rc = grid_rgb(in, f, threads, &view, &own);
        const int w = view.width, h = view.height;
        float *p[3] = {NULL, NULL, NULL}, *tmp = rc ? NULL : st_det_get(in, w, h);
        for (int k = 0; k < 3 && !rc; k++)
            if (make >> k & 1u)
                p[k] = st_det_get(in, w, h);
        if (!rc)
            rc = tmp && (!(make & 1u) || p[0]) && (!(make & 2u) || p[1]) && (!(make & 4u) || p[2])
                     ? st_det_lab_planes(&view, p[0], p[1], p[2], threads)
                     : ST_ENOMEM;
        st_det_put(in, own);
        /* blurred out of place (an in-place blur copies the plane): the
         * scratch plane and the converted one swap roles */
        for (int k = 0; k < 3 && !rc; k++) {
            if (!p[k])
                continue;
            rc = st_gaussian_blur(p[k], (size_t)w, tmp, (size_t)w, w, h, s, threads);
            float *t = p[k];
            p[k] = tmp;
            tmp = t;
        }
        st_det_put(in, tmp);
        for (int k = 0; k < 3; k++) {
            if (rc)
                st_det_put(in, p[k]);
            else if (p[k])
                pool->lab[k] = p[k];
        }
    }
    for (int k = 0; k < 3; k++)
        lab[k] = rc ? NULL : pool->lab[k];
    return rc;
}

int st_det_lab_planes(const st_image *rgb, float *L, float *a, float *b, int threads)
{
    /* Probe the scratch allocation once, so that a failure is reported. */
    float *probe = st_det_alloc(rgb->width, 3);
    if (!probe)
        return ST_ENOMEM;
    st_aligned_free(probe);
    colour_ctx c = {rgb, L, a, b};
    st_parallel_for(threads, rgb->height, 32, lab_rows, &c);
    return ST_OK;
}
