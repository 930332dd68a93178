/* Illumination flattening by division with a wide Gaussian low-pass (the
 * "flat-field" of microscopy; for skin photos e.g. Bae et al. 2010). */
#include "register/flatten.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "simd/kernels.h"

double st_flatten_default_sigma(int w, int h) { return 0.1 * (w > h ? w : h); }

/* Index into [0, n) for a point reflection across the edge sample. */
static int reflect_index(int i, int n, int *odd)
{
    *odd = 0;
    if (i < 0) {
        *odd = 1;
        i = -i;
    } else if (i >= n) {
        *odd = 2;
        i = 2 * (n - 1) - i;
    }
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
}

/* Low-res plane (lw x lh) extended by r on every side with point reflection. */
static void pad_odd(const float *lo, int lw, int lh, int r, float *p, int pw)
{
    for (int y = 0; y < lh + 2 * r; y++) {
        int oy, sy = reflect_index(y - r, lh, &oy);
        int ey = oy == 1 ? 0 : lh - 1;
        for (int x = 0; x < pw; x++) {
            int ox, sx = reflect_index(x - r, lw, &ox);
            int ex = ox == 1 ? 0 : lw - 1;
            double v = lo[(size_t)sy * lw + sx];
            if (ox)
                v = 2.0 * lo[(size_t)sy * lw + ex] - v;
            if (oy) {
                double e = lo[(size_t)ey * lw + sx];
                if (ox)
                    e = 2.0 * lo[(size_t)ey * lw + ex] - e;
                v = 2.0 * e - v;
            }
            p[(size_t)y * pw + x] = (float)v;
        }
    }
}

/* Bilinear upsampling of lo (factor f, block-mean geometry) to w x h. */
static void upsample(const float *lo, int lw, int lh, int f, float *dst, size_t dstride, int w,
                     int h)
{
    for (int y = 0; y < h; y++) {
        double v = (y - (f - 1) / 2.0) / f;
        int y0 = lh < 2 ? 0 : (int)floor(v);
        y0 = y0 < 0 ? 0 : (y0 > lh - 2 ? (lh < 2 ? 0 : lh - 2) : y0);
        double ty = lh < 2 ? 0.0 : v - y0;
        int y1 = lh < 2 ? 0 : y0 + 1;
        for (int x = 0; x < w; x++) {
            double u = (x - (f - 1) / 2.0) / f;
            int x0 = lw < 2 ? 0 : (int)floor(u);
            x0 = x0 < 0 ? 0 : (x0 > lw - 2 ? (lw < 2 ? 0 : lw - 2) : x0);
            double tx = lw < 2 ? 0.0 : u - x0;
            int x1 = lw < 2 ? 0 : x0 + 1;
            double a = (1 - tx) * lo[(size_t)y0 * lw + x0] + tx * lo[(size_t)y0 * lw + x1];
            double b = (1 - tx) * lo[(size_t)y1 * lw + x0] + tx * lo[(size_t)y1 * lw + x1];
            dst[(size_t)y * dstride + x] = (float)((1 - ty) * a + ty * b);
        }
    }
}

/* Downsamples src k times by 2 into a dense buffer (*lo, *lw, *lh). */
static int pyramid_down(const float *src, size_t sstride, int w, int h, int k, float **lo, int *lw,
                        int *lh)
{
    float *cur = st_alloc_floats((size_t)w * h);
    if (!cur)
        return ST_ENOMEM;
    for (int y = 0; y < h; y++)
        memcpy(cur + (size_t)y * w, src + (size_t)y * sstride, (size_t)w * sizeof *cur);
    int cw = w, ch = h;
    for (int i = 0; i < k; i++) {
        int nw = (cw + 1) / 2, nh = (ch + 1) / 2;
        float *nx = st_alloc_floats((size_t)nw * nh);
        if (!nx) {
            st_aligned_free(cur);
            return ST_ENOMEM;
        }
        st_downsample2x(cur, (size_t)cw, cw, ch, nx, (size_t)nw);
        st_aligned_free(cur);
        cur = nx;
        cw = nw;
        ch = nh;
    }
    *lo = cur;
    *lw = cw;
    *lh = ch;
    return ST_OK;
}

int st_light_field(const float *src, size_t sstride, int w, int h, double sigma_px, float *light,
                   size_t lstride, int threads, st_err *err)
{
    if (!src || !light || w < 1 || h < 1)
        return st_err_set(err, ST_EINVAL, "flatten: bad arguments");
    if (sigma_px <= 0.0)
        sigma_px = st_flatten_default_sigma(w, h);
    /* Wider than the image, the low-pass is a plane anyway; the cap bounds
     * the padding. */
    if (sigma_px > (w > h ? w : h))
        sigma_px = w > h ? w : h;
    int k = 0;
    while (sigma_px / (1 << (k + 1)) >= 4.0 && ((w >> (k + 1)) >= 8) && ((h >> (k + 1)) >= 8) && k < 12)
        k++;
    int f = 1 << k, lw, lh;
    float *lo = NULL, *pad = NULL;
    if (pyramid_down(src, sstride, w, h, k, &lo, &lw, &lh))
        return st_err_set(err, ST_ENOMEM, "flatten: out of memory (%dx%d)", w, h);
    double sl = sigma_px / f;
    int r = (int)ceil(3.0 * sl) + 1;
    int pw = lw + 2 * r, ph = lh + 2 * r;
    pad = st_alloc_floats((size_t)pw * ph);
    if (!pad) {
        st_aligned_free(lo);
        return st_err_set(err, ST_ENOMEM, "flatten: out of memory");
    }
    pad_odd(lo, lw, lh, r, pad, pw);
    int rc = st_gaussian_blur(pad, (size_t)pw, pad, (size_t)pw, pw, ph, sl, threads);
    if (rc) {
        st_aligned_free(lo);
        st_aligned_free(pad);
        return st_err_set(err, rc, "flatten: blur failed");
    }
    for (int y = 0; y < lh; y++)
        memcpy(lo + (size_t)y * lw, pad + (size_t)(y + r) * pw + r, (size_t)lw * sizeof *lo);
    st_aligned_free(pad);
    upsample(lo, lw, lh, f, light, lstride, w, h);
    st_aligned_free(lo);
    return ST_OK;
}

int st_flatten_plane(const float *src, size_t sstride, int w, int h, double sigma_px, float *dst,
                     size_t dstride, int threads, st_err *err)
{
    float *light = st_alloc_floats((size_t)w * h);
    if (!light)
        return st_err_set(err, ST_ENOMEM, "flatten: out of memory (%dx%d)", w, h);
    int rc = st_light_field(src, sstride, w, h, sigma_px, light, (size_t)w, threads, err);
    if (rc) {
        st_aligned_free(light);
        return rc;
    }
    double sum = 0.0, mx = 0.0;
    for (size_t i = 0; i < (size_t)w * h; i++) {
        sum += light[i];
        mx = light[i] > mx ? light[i] : mx;
    }
    double mean = sum / ((double)w * h);
    /* A floor keeps black corners (no light at all) finite. */
    float floor_v = (float)(1e-3 * (mx > 0 ? mx : 1.0));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float l = light[(size_t)y * w + x];
            l = l > floor_v ? l : floor_v;
            dst[(size_t)y * dstride + x] = (float)(src[(size_t)y * sstride + x] * mean / l);
        }
    st_aligned_free(light);
    return ST_OK;
}

int st_flatten_image(const st_image *in, double sigma_px, int threads, st_image **out,
                     st_err *err)
{
    if (!in || !out)
        return st_err_set(err, ST_EINVAL, "flatten: bad arguments");
    int w = in->width, h = in->height, rc;
    if ((rc = st_image_clone(in, out, err)))
        return rc;
    if (in->channels == 1)
        return st_flatten_plane(in->data, in->stride, w, h, sigma_px, (*out)->data, in->stride,
                                threads, err);
    float *y = st_alloc_floats((size_t)w * h), *ratio = st_alloc_floats((size_t)w * h);
    if (!y || !ratio) {
        rc = st_err_set(err, ST_ENOMEM, "flatten: out of memory (%dx%d)", w, h);
        goto done;
    }
    for (int r = 0; r < h; r++)
        st_luminance(st_image_row(in, 0, r), st_image_row(in, 1, r), st_image_row(in, 2, r),
                     y + (size_t)r * w, (size_t)w);
    if ((rc = st_flatten_plane(y, (size_t)w, w, h, sigma_px, ratio, (size_t)w, threads, err)))
        goto done;
    /* ratio = flattened / original luminance: the same gain for R, G and B. */
    for (int r = 0; r < h; r++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)r * w + x;
            float g = y[i] > 1e-6f ? ratio[i] / y[i] : 1.0f;
            for (int c = 0; c < 3; c++)
                st_image_row(*out, c, r)[x] = st_image_row(in, c, r)[x] * g;
        }
done:
    st_aligned_free(y);
    st_aligned_free(ratio);
    if (rc) {
        st_image_free(*out);
        *out = NULL;
    }
    return rc;
}
