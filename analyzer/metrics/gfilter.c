#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/gfilter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* Mirror index with the edge sample repeated (…cba|abc…). */
static int reflect(int i, int n)
{
    while (i < 0 || i >= n) {
        if (i < 0)
            i = -i - 1;
        if (i >= n)
            i = 2 * n - i - 1;
    }
    return i;
}

int st_gaussian_sl_filter(st_fft *fft, float *z, size_t stride, int w, int h,
                          double lambda_s_px, double lambda_c_px, st_err *err)
{
    if (!(lambda_s_px > 0) && !(lambda_c_px > 0))
        return ST_OK;
    if (lambda_s_px < 0 || lambda_c_px < 0 || (lambda_c_px > 0 && lambda_s_px >= lambda_c_px))
        return st_err_set(err, ST_EINVAL, "filter: need 0 <= S cut-off < L cut-off (%g, %g px)",
                          lambda_s_px, lambda_c_px);
    double longest = lambda_c_px > lambda_s_px ? lambda_c_px : lambda_s_px;
    int pad = (int)ceil(0.5 * longest);
    int px_ = pad < w ? pad : w - 1, py_ = pad < h ? pad : h - 1;
    int fw = st_fft_good_size(w + 2 * px_), fh = st_fft_good_size(h + 2 * py_), hw = fw / 2 + 1;
    size_t nreal, ncplx;
    if (st_mul_size((size_t)fw, (size_t)fh, &nreal) || st_mul_size((size_t)hw, (size_t)fh, &ncplx))
        return st_err_set(err, ST_ETOOBIG, "filter: %dx%d too large", w, h);
    float *buf = st_fft_alloc_real(nreal);
    st_complex *F = st_fft_alloc_complex(ncplx);
    int rc = ST_OK;
    if (!buf || !F) {
        rc = st_err_set(err, ST_ENOMEM, "filter: out of memory for a %dx%d transform", fw, fh);
        goto done;
    }
    /* The padded field is the mirrored surface (mirroring continues past
     * the pad up to the FFT size, so the wrap joins mirror images too). */
    for (int y = 0; y < fh; y++) {
        const float *src = z + (size_t)reflect(y - py_, h) * stride;
        float *dst = buf + (size_t)y * fw;
        for (int x = 0; x < fw; x++)
            dst[x] = src[reflect(x - px_, w)];
    }
    if ((rc = st_fft_r2c(fft, fw, fh, buf, F, err)))
        goto done;
    const double alpha = sqrt(log(2.0) / M_PI);
    double as = M_PI * pow(alpha * lambda_s_px, 2), ac = M_PI * pow(alpha * lambda_c_px, 2);
    double norm = 1.0 / ((double)fw * fh);
    for (int ky = 0; ky < fh; ky++) {
        double fy = (double)(ky <= fh / 2 ? ky : ky - fh) / fh;
        for (int kx = 0; kx < hw; kx++) {
            double fx = (double)kx / fw, f2 = fx * fx + fy * fy;
            double g = (lambda_s_px > 0 ? exp(-as * f2) : 1.0) *
                       (lambda_c_px > 0 ? 1.0 - exp(-ac * f2) : 1.0) * norm;
            F[(size_t)ky * hw + kx][0] *= (float)g;
            F[(size_t)ky * hw + kx][1] *= (float)g;
        }
    }
    if ((rc = st_fft_c2r(fft, fw, fh, F, buf, err)))
        goto done;
    for (int y = 0; y < h; y++)
        memcpy(z + (size_t)y * stride, buf + (size_t)(y + py_) * fw + px_, (size_t)w * sizeof *z);
done:
    st_fft_free_buf(buf);
    st_fft_free_buf(F);
    return rc;
}
