/* Point sampling and the perspective warp (row bands, core/parallel.h). */
#include "core/parallel.h"
#include "simd/generic/warp_px.h"
#include "simd/simd_internal.h"
#include "skintrack/skintrack.h"

#include <math.h>

float st_sample_bilinear(const float *src, size_t sstride, int w, int h, double x, double y,
                         float outside)
{
    if (!src || w < 1 || h < 1 || !st_inside(x, y, w, h))
        return outside;
    double fx = floor(x), fy = floor(y);
    int x0 = (int)fx, y0 = (int)fy;
    int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    float tx = (float)(x - fx), ty = (float)(y - fy);
    const float *r0 = src + (size_t)y0 * sstride, *r1 = src + (size_t)y1 * sstride;
    float top = (1.0f - tx) * r0[x0] + tx * r0[x1];
    float bot = (1.0f - tx) * r1[x0] + tx * r1[x1];
    return (1.0f - ty) * top + ty * bot;
}

float st_sample_bicubic(const float *src, size_t sstride, int w, int h, double x, double y,
                        float outside)
{
    if (!src || w < 1 || h < 1 || !st_inside(x, y, w, h))
        return outside;
    return st_bicubic_px(src, sstride, w, h, x, y);
}

typedef struct warp_job {
    const float *const *src;
    int nch;
    size_t sstride;
    int sw, sh;
    float *const *dst;
    size_t dstride;
    int dw;
    const double *m;
    float outside;
    unsigned char *valid;
    const st_simd_fns *f;
} warp_job;

static void warp_band(void *ctx, int y0, int y1)
{
    const warp_job *j = ctx;
    for (int y = y0; y < y1; y++) {
        float *rows[ST_WARP_MAX_PLANES];
        for (int c = 0; c < j->nch; c++)
            rows[c] = j->dst[c] + (size_t)y * j->dstride;
        j->f->warp_row(j->src, j->nch, j->sstride, j->sw, j->sh, j->m, y, rows,
                       j->valid ? j->valid + (size_t)y * (size_t)j->dw : NULL, j->dw, j->outside);
    }
}

int st_warp_perspective_planes(const float *const *src, int nch, size_t sstride, int sw, int sh,
                               float *const *dst, size_t dstride, int dw, int dh,
                               const double m[9], float outside, unsigned char *valid,
                               int threads)
{
    if (!src || !dst || !m || nch < 1 || nch > ST_WARP_MAX_PLANES || sw < 1 || sh < 1 || dw < 1 ||
        dh < 1 || sstride < (size_t)sw || dstride < (size_t)dw)
        return ST_EINVAL;
    for (int c = 0; c < nch; c++)
        if (!src[c] || !dst[c])
            return ST_EINVAL;
    for (int i = 0; i < 9; i++)
        if (!isfinite(m[i]))
            return ST_EINVAL;
    warp_job job = {src,      nch, sstride, sw, sh, dst, dstride, dw, m, outside, valid,
                    st_simd_fns_get()};
    st_parallel_for(threads, dh, 16, warp_band, &job);
    return ST_OK;
}

int st_warp_perspective(const float *src, size_t sstride, int sw, int sh, float *dst,
                        size_t dstride, int dw, int dh, const double m[9], float outside,
                        unsigned char *valid, int threads)
{
    return st_warp_perspective_planes(&src, 1, sstride, sw, sh, &dst, dstride, dw, dh, m, outside,
                                      valid, threads);
}
