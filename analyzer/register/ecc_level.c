/* ECC inputs of one pyramid level: smoothed template, smoothed image with
 * its gradients interleaved, so one bilinear fetch of 4 floats per corner
 * gives the value and both derivatives (ecc.c). */
#include "register/ecc.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

/* A constant near the plane's mean: the mean of every 8th row, summed in
 * row order (deterministic, and any constant would do: see ecc.h). */
static float rough_mean(const float *p, size_t stride, int w, int h)
{
    double s = 0.0;
    size_t n = 0;
    for (int y = 0; y < h; y += 8) {
        const float *r = p + (size_t)y * stride;
        for (int x = 0; x < w; x++)
            s += r[x];
        n += (size_t)w;
    }
    return n ? (float)(s / (double)n) : 0.0f;
}

typedef struct interleave_job {
    const float *s; /* smoothed image, dense (stride w) */
    int w, h;
    float mean;
    float *dst;
} interleave_job;

/* (value - mean, central differences) per pixel; the edge rows and columns
 * use the one-sided half difference (ECC never samples them: border >= 1). */
static void interleave_band(void *ctx, int y0, int y1)
{
    const interleave_job *j = ctx;
    int w = j->w;
    for (int y = y0; y < y1; y++) {
        const float *r = j->s + (size_t)y * w;
        const float *up = j->s + (size_t)(y > 0 ? y - 1 : y) * w;
        const float *dn = j->s + (size_t)(y + 1 < j->h ? y + 1 : y) * w;
        float *d = j->dst + (size_t)y * w * 4;
        for (int x = 0; x < w; x++) {
            int xl = x > 0 ? x - 1 : x, xr = x + 1 < w ? x + 1 : x;
            d[4 * x] = r[x] - j->mean;
            d[4 * x + 1] = 0.5f * (r[xr] - r[xl]);
            d[4 * x + 2] = 0.5f * (dn[x] - up[x]);
            d[4 * x + 3] = 0.0f;
        }
    }
}

static int smooth_template(const st_plane *t, int threads, st_ecc_level *lv)
{
    /* Room for a block of 8 reads past the row's end. */
    lv->tstride = ((size_t)t->w + 7) / 8 * 8 + 8;
    size_t n;
    if (st_mul_size(lv->tstride, (size_t)t->h, &n) || !(lv->tpl = st_alloc_floats(n)))
        return ST_ENOMEM;
    int rc = st_gaussian_blur(t->data, t->stride, lv->tpl, lv->tstride, t->w, t->h, ST_ECC_SIGMA,
                              threads);
    if (rc)
        return rc;
    float mean = rough_mean(lv->tpl, lv->tstride, t->w, t->h);
    for (int y = 0; y < t->h; y++) {
        float *r = lv->tpl + (size_t)y * lv->tstride;
        for (int x = 0; x < t->w; x++)
            r[x] -= mean;
    }
    return ST_OK;
}

static int smooth_image(const st_plane *im, int threads, st_ecc_level *lv)
{
    size_t n, n4;
    if (st_mul_size((size_t)im->w, (size_t)im->h, &n) || st_mul_size(n, 4 * sizeof(float), &n4))
        return ST_ENOMEM;
    float *s = st_alloc_floats(n);
    if (!s || !(lv->img = st_aligned_alloc(n4))) {
        st_aligned_free(s);
        return ST_ENOMEM;
    }
    int rc = st_gaussian_blur(im->data, im->stride, s, (size_t)im->w, im->w, im->h, ST_ECC_SIGMA,
                              threads);
    if (!rc) {
        interleave_job j = {s, im->w, im->h, rough_mean(s, (size_t)im->w, im->w, im->h), lv->img};
        st_parallel_for(threads, im->h, 64, interleave_band, &j);
    }
    st_aligned_free(s);
    return rc;
}

int st_ecc_prepare(const st_plane *tpl, const st_plane *img, int threads, st_ecc_level *lv,
                   st_err *err)
{
    memset(lv, 0, sizeof *lv);
    if (!tpl || !img || !tpl->data || !img->data || tpl->w < 2 || tpl->h < 2 || img->w < 2 ||
        img->h < 2)
        return st_err_set(err, ST_EINVAL, "ECC: bad level");
    lv->tw = tpl->w;
    lv->th = tpl->h;
    lv->iw = img->w;
    lv->ih = img->h;
    int rc = smooth_template(tpl, threads, lv);
    if (!rc)
        rc = smooth_image(img, threads, lv);
    if (rc) {
        st_ecc_level_free(lv);
        return st_err_set(err, rc, "ECC: cannot prepare a %dx%d level (%s)", img->w, img->h,
                          rc == ST_ENOMEM ? "out of memory" : "bad size");
    }
    return ST_OK;
}

void st_ecc_level_free(st_ecc_level *lv)
{
    st_aligned_free(lv->tpl);
    st_aligned_free(lv->img);
    lv->tpl = NULL;
    lv->img = NULL;
}
