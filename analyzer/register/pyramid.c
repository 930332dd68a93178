/* Flattened luminance pyramid (Burt & Adelson 1983 style, 2x2 block means). */
#include "register/pyramid.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

int st_pyramid_level_for(int w, int h, int max_dim)
{
    int l = 0;
    while ((w > max_dim || h > max_dim) && l < ST_PYR_MAX - 1) {
        w = (w + 1) / 2;
        h = (h + 1) / 2;
        l++;
    }
    return l;
}

/* Luminance of rows [r0, r0 + n) of img into n dense rows of w floats. */
static void luminance_rows(const st_image *img, int r0, int n, float *dst)
{
    int w = img->width;
    for (int r = r0; r < r0 + n; r++) {
        float *d = dst + (size_t)(r - r0) * w;
        if (img->channels == 3)
            st_luminance(st_image_row(img, 0, r), st_image_row(img, 1, r), st_image_row(img, 2, r),
                         d, (size_t)w);
        else
            memcpy(d, st_image_row(img, 0, r), (size_t)w * sizeof *d);
    }
}

typedef struct lum_job {
    const st_image *img;
    float *dst;
    int down;           /* 1: output is level 1 (2x2 means of the luminance) */
    _Atomic int failed; /* a band could not get its scratch rows */
} lum_job;

/* One band of output rows. Level 1 is made from two luminance rows at a
 * time, so the full-resolution luminance never exists as a whole (48 MB for
 * 12 MP) and the band result does not depend on the band limits. */
static void lum_band(void *ctx, int begin, int end)
{
    lum_job *j = ctx;
    int w = j->img->width, h = j->img->height;
    if (!j->down) {
        luminance_rows(j->img, begin, end - begin, j->dst + (size_t)begin * w);
        return;
    }
    int dw = (w + 1) / 2;
    float *two = st_aligned_alloc(2 * (size_t)w * sizeof *two);
    if (!two) {
        j->failed = 1;
        return;
    }
    for (int r = begin; r < end; r++) {
        int n = 2 * r + 1 < h ? 2 : 1; /* an odd last row is mirrored by the kernel */
        luminance_rows(j->img, 2 * r, n, two);
        st_downsample2x(two, (size_t)w, w, n, j->dst + (size_t)r * dw, (size_t)dw);
    }
    st_aligned_free(two);
}

/* Luminance at level 0 (down = 0) or level 1 (down = 1), row bands in parallel. */
static float *luminance_level(const st_image *img, int down, int threads)
{
    int w = down ? (img->width + 1) / 2 : img->width;
    int h = down ? (img->height + 1) / 2 : img->height;
    float *y = st_aligned_alloc((size_t)w * h * sizeof *y);
    if (!y)
        return NULL;
    lum_job j = {img, y, down, 0};
    st_parallel_for(threads, h, 32, lum_band, &j);
    if (j.failed) {
        st_aligned_free(y);
        return NULL;
    }
    return y;
}

double st_pyramid_sigma(int w, int h)
{
    int mx = w > h ? w : h;
    double sigma = mx / 64.0;
    return sigma < 3.0 ? 3.0 : sigma;
}

/* Light field from the next coarser level: G_sigma on this level equals
 * G_sigma/2 on the 2x2-mean level (the block mean adds 1/3 px^2 of variance
 * to sigma^2 >= 64 px^2: sigma 0.3 % wider), and a field that smooth comes
 * back by bilinear interpolation within h^2 f''/8 = f / (2 sigma^2) of its
 * own variation (h = 2 px; < 1 %). A quarter of the pixels and half the
 * kernel: 8x less work on the levels that cost most. Level pixel x sits at
 * x / 2 - 1/4 on the coarser level. */
#define LC_HALF_RES_SIGMA 8.0

typedef struct upsample_job {
    const float *lo;    /* (w+1)/2 x (h+1)/2, dense */
    int lw, lh, w;
    const int *ix;      /* per column: left sample on the coarser level */
    const float *tx;    /* per column: weight of the right one */
    float *y;           /* in place: y / lp */
} upsample_job;

static double coarse_pos(int x, int n)
{
    double s = x * 0.5 - 0.25;
    return s < 0 ? 0 : (s > n - 1 ? n - 1 : s);
}

static void divide_upsampled_band(void *ctx, int y0, int y1)
{
    const upsample_job *j = ctx;
    for (int y = y0; y < y1; y++) {
        double sy = coarse_pos(y, j->lh);
        int iy = (int)sy, iy1 = iy + 1 < j->lh ? iy + 1 : iy;
        float ty = (float)(sy - iy);
        const float *r0 = j->lo + (size_t)iy * j->lw, *r1 = j->lo + (size_t)iy1 * j->lw;
        float *d = j->y + (size_t)y * j->w;
        for (int x = 0; x < j->w; x++) {
            int ix = j->ix[x], ix1 = ix + 1 < j->lw ? ix + 1 : ix;
            float top = r0[ix] + j->tx[x] * (r0[ix1] - r0[ix]);
            float bot = r1[ix] + j->tx[x] * (r1[ix1] - r1[ix]);
            float lp = top + ty * (bot - top);
            d[x] = d[x] / (lp > 1e-4f ? lp : 1e-4f);
        }
    }
}

/* y / (lo upsampled): the column positions once, then row bands. */
static int divide_upsampled(float *y, int w, int h, const float *lo, int lw, int lh, int threads)
{
    int *ix = malloc((size_t)w * sizeof *ix);
    float *tx = malloc((size_t)w * sizeof *tx);
    if (!ix || !tx) {
        free(ix);
        free(tx);
        return ST_ENOMEM;
    }
    for (int x = 0; x < w; x++) {
        double sx = coarse_pos(x, lw);
        ix[x] = (int)sx;
        tx[x] = (float)(sx - ix[x]);
    }
    upsample_job j = {lo, lw, lh, w, ix, tx, y};
    st_parallel_for(threads, h, 32, divide_upsampled_band, &j);
    free(ix);
    free(tx);
    return ST_OK;
}

/* In place: y / G_sigma(y), sigma = 1/64 of the larger side (at least 3
 * px). A local ratio, unlike a whole-image light field, so it commutes with a
 * shift of the camera except within 3 sigma of the border: two views of the
 * same skin become the same pattern whatever the light's slow variation.
 * half (may be NULL): y halved by st_downsample2x, for large sigmas. */
static int local_contrast(float *y, int w, int h, const float *half, int threads)
{
    double sigma = st_pyramid_sigma(w, h);
    int lw = (w + 1) / 2, lh = (h + 1) / 2;
    int lo = half && sigma >= LC_HALF_RES_SIGMA;
    float *lp = st_alloc_floats(lo ? (size_t)lw * lh : (size_t)w * h);
    if (!lp)
        return ST_ENOMEM;
    int rc = lo ? st_gaussian_blur(half, (size_t)lw, lp, (size_t)lw, lw, lh, sigma / 2, threads)
                : st_gaussian_blur(y, (size_t)w, lp, (size_t)w, w, h, sigma, threads);
    if (!rc && lo) {
        rc = divide_upsampled(y, w, h, lp, lw, lh, threads);
    } else if (!rc) {
        float floor_v = 1e-4f;
        for (size_t i = 0; i < (size_t)w * h; i++)
            y[i] = y[i] / (lp[i] > floor_v ? lp[i] : floor_v);
    }
    st_aligned_free(lp);
    return rc;
}

int st_pyramid_build(const st_image *img, int first, int last, int threads, st_pyramid *p,
                     st_err *err)
{
    memset(p, 0, sizeof *p);
    if (first < 0 || last < first || last >= ST_PYR_MAX)
        return st_err_set(err, ST_EINVAL, "pyramid: bad levels %d..%d", first, last);
    p->first = first;
    p->last = last;
    int down = first >= 1 && img->width >= 2 && img->height >= 2;
    float *cur = luminance_level(img, down, threads);
    int w = img->width, h = img->height;
    if (!cur)
        return st_err_set(err, ST_ENOMEM, "pyramid: out of memory (%dx%d)", w, h);
    if (down) {
        w = (w + 1) / 2;
        h = (h + 1) / 2;
    }
    for (int l = down; l <= last; l++) {
        p->w[l] = w;
        p->h[l] = h;
        float *next = NULL;
        int nw = (w + 1) / 2, nh = (h + 1) / 2;
        if (l < last) {
            next = st_alloc_floats((size_t)nw * nh);
            if (!next) {
                st_aligned_free(cur);
                st_pyramid_free(p);
                return st_err_set(err, ST_ENOMEM, "pyramid: out of memory");
            }
            st_downsample2x(cur, (size_t)w, w, h, next, (size_t)nw);
        }
        if (l >= first) {
            int rc = local_contrast(cur, w, h, next, threads);
            if (rc) {
                st_aligned_free(cur);
                st_aligned_free(next);
                st_pyramid_free(p);
                return st_err_set(err, rc, "pyramid: out of memory (%dx%d)", w, h);
            }
            p->lv[l] = cur;
        } else {
            st_aligned_free(cur);
        }
        cur = next;
        w = nw;
        h = nh;
    }
    return ST_OK;
}

void st_pyramid_free(st_pyramid *p)
{
    for (int l = 0; l < ST_PYR_MAX; l++) {
        st_aligned_free(p->lv[l]);
        p->lv[l] = NULL;
    }
}

st_plane st_pyramid_plane(const st_pyramid *p, int level)
{
    st_plane pl = {p->lv[level], (size_t)p->w[level], p->w[level], p->h[level]};
    return pl;
}
