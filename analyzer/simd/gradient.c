/* 3x3 filters (Sobel, Scharr, Laplacian) and the 2x downsample: drivers that
 * pick the mirrored neighbour rows and do the two edge columns with the
 * shared per-pixel formulas (generic/filter_px.h); the active path does the
 * interior columns. */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"

#include <stddef.h>

static void grad3(const float *src, size_t sstride, float *gx, float *gy, size_t dstride, int w,
                  int h, float we, float wm)
{
    if (!src || w < 1 || h < 1)
        return;
    const st_simd_fns *f = st_simd_fns_get();
    const int stream = (size_t)w * (size_t)h >= ST_STREAM_MIN_FLOATS;
    for (int y = 0; y < h; y++) {
        const float *a = src + (size_t)st_reflect(y - 1, h) * sstride;
        const float *b = src + (size_t)y * sstride;
        const float *c = src + (size_t)st_reflect(y + 1, h) * sstride;
        float *ox = gx ? gx + (size_t)y * dstride : NULL;
        float *oy = gy ? gy + (size_t)y * dstride : NULL;
        int last = w - 1;
        st_grad3_px(a, b, c, 0, 0, st_reflect(1, w), we, wm, ox, oy);
        if (last > 0) {
            f->grad3(a, b, c, ox, oy, 1, last, we, wm, stream);
            st_grad3_px(a, b, c, last - 1, last, last, we, wm, ox ? ox + last : NULL,
                        oy ? oy + last : NULL);
        }
    }
}

void st_sobel(const float *src, size_t sstride, float *gx, float *gy, size_t dstride, int w, int h)
{
    grad3(src, sstride, gx, gy, dstride, w, h, 1.0f, 2.0f);
}

void st_scharr(const float *src, size_t sstride, float *gx, float *gy, size_t dstride, int w, int h)
{
    grad3(src, sstride, gx, gy, dstride, w, h, 3.0f, 10.0f);
}

void st_laplacian(const float *src, size_t sstride, float *dst, size_t dstride, int w, int h)
{
    if (!src || !dst || w < 1 || h < 1)
        return;
    const st_simd_fns *f = st_simd_fns_get();
    const int stream = (size_t)w * (size_t)h >= ST_STREAM_MIN_FLOATS;
    for (int y = 0; y < h; y++) {
        const float *a = src + (size_t)st_reflect(y - 1, h) * sstride;
        const float *b = src + (size_t)y * sstride;
        const float *c = src + (size_t)st_reflect(y + 1, h) * sstride;
        float *o = dst + (size_t)y * dstride;
        int last = w - 1;
        o[0] = st_laplace_px(a, b, c, 0, 0, st_reflect(1, w));
        if (last > 0) {
            f->laplace(a, b, c, o, 1, last, stream);
            o[last] = st_laplace_px(a, b, c, last - 1, last, last);
        }
    }
}

void st_downsample2x(const float *src, size_t sstride, int w, int h, float *dst, size_t dstride)
{
    if (!src || !dst || w < 1 || h < 1)
        return;
    const st_simd_fns *f = st_simd_fns_get();
    int oh = (h + 1) / 2, full = w / 2;
    for (int oy = 0; oy < oh; oy++) {
        const float *a = src + (size_t)(2 * oy) * sstride;
        const float *b = src + (size_t)st_reflect(2 * oy + 1, h) * sstride;
        float *o = dst + (size_t)oy * dstride;
        f->down2(a, b, o, full);
        if (w & 1)
            o[full] = st_down2_px(a[w - 1], a[w - 1], b[w - 1], b[w - 1]);
    }
}
