#define _POSIX_C_SOURCE 200809L
#include "metrics/roughness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "metrics/height_params.h"
#include "metrics/hybrid_params.h"
#include "metrics/plane.h"

const double st_rough_bands_mm[3][2] = {{0.1, 0.5}, {0.5, 2.0}, {2.0, 8.0}};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* A band is measured when part of it is above the Nyquist wavelength (2 px)
 * and its longest wavelength fits in the region. */
static int band_present(const st_rough_cfg *c, int w, int h, int k)
{
    double side = (w < h ? w : h) * c->px;
    return c->calibrated && 2.0 * c->px < st_rough_bands_mm[k][1] &&
           side >= st_rough_bands_mm[k][1] * (1 - 1e-6);
}

/* Slope fit band, stated: wavelengths from max(0.1 mm, 4 px) to
 * min(2 mm, side/4) when calibrated, 4 px to side/4 otherwise: above the
 * pixel-scale roll-off and below the window's low-frequency smearing. */
static void fit_band(const st_rough_cfg *c, int w, int h, double *f_lo, double *f_hi)
{
    double side = (w < h ? w : h) * c->px;
    double lmin = 4.0 * c->px, lmax = side / 4.0;
    if (c->calibrated) {
        lmin = lmin > 0.1 ? lmin : 0.1;
        lmax = lmax < 2.0 ? lmax : 2.0;
    }
    *f_lo = 1.0 / lmax;
    *f_hi = 1.0 / lmin;
}

static int spectral_params(st_fft *fft, const float *z, size_t stride, int w, int h,
                           const unsigned char *mask, size_t mstride, const st_rough_cfg *c,
                           st_rough_result *r, st_err *err)
{
    int want_bands = c->calibrated && (band_present(c, w, h, 0) || band_present(c, w, h, 1) ||
                                       band_present(c, w, h, 2));
    st_spectrum s;
    int rc = st_spectrum_compute_ex(fft, z, stride, w, h, mask, mstride, c->px, c->window,
                                    c->wcache, c->threads, want_bands, &s, err);
    if (rc)
        return rc;
    double bands[3][2];
    for (int k = 0; k < 3; k++)
        for (int e = 0; e < 2; e++)
            bands[k][e] = st_rough_bands_mm[k][e];
    st_spectrum_sums sums;
    if (st_spectrum_reduce(&s, NULL, 0, c->aps_rmin,
                           c->geom, c->threads, &sums)) {
        st_spectrum_free(&s);
        return st_err_set(err, ST_ENOMEM, "psd: out of memory");
    }
    if (want_bands) {
        double ms[3], total;
        rc = st_band_ms_spectrum(fft, &s, z, stride, mask, mstride, (const double(*)[2])bands, 3,
                                 c->threads, ms, &total, err);
        if (rc) {
            st_spectrum_sums_free(&sums);
            st_spectrum_free(&s);
            return rc;
        }
        for (int k = 0; k < 3; k++)
            if (band_present(c, w, h, k))
                r->v[ST_RV_BAND_FINE + k] = sqrt(ms[k]);
    }
    r->v[ST_RV_STD] = st_texture_direction(&sums);
    double *f = NULL, *p = NULL, slope, resid;
    size_t n = 0;
    fit_band(c, w, h, &r->fit_lo, &r->fit_hi);
    if (!st_radial_psd(&s, &sums, &f, &p, &n) &&
        !st_psd_slope(f, p, n, r->fit_lo, r->fit_hi, &slope, &resid)) {
        r->v[ST_RV_PSD_SLOPE] = slope;
        r->v[ST_RV_FRACTAL_DIM] = st_fractal_dim(slope, resid); /* NaN: not self-affine */
    }
    if (c->keep_radial && f) {
        r->freq = f;
        r->psd = p;
        r->n = n;
    } else {
        free(f);
        free(p);
    }
    st_spectrum_sums_free(&sums);
    st_spectrum_free(&s);
    /* Sal, Str: the ACF of the levelled surface itself, not of the
     * windowed one (ISO 25178-2, as Gwyddion computes it; acf.h). */
    double sal_px, str;
    rc = st_acf_params(fft, z, stride, w, h, mask, mstride, &c->acf, &sal_px, &str, err);
    if (rc)
        return rc;
    if (isfinite(sal_px)) {
        r->v[ST_RV_SAL] = sal_px * c->px;
        r->v[ST_RV_STR] = str;
    }
    return ST_OK;
}

int st_roughness_region(st_fft *fft, const float *z, size_t stride, int w, int h,
                        const unsigned char *mask, size_t mstride, const st_rough_cfg *cfg,
                        float *scratch, st_rough_result *res, st_err *err)
{
    memset(res, 0, sizeof *res);
    for (int k = 0; k < ST_RV_COUNT; k++)
        res->v[k] = NAN;
    float *own = NULL;
    if (cfg->remove_plane) {
        if (!scratch && !(scratch = own = malloc((size_t)w * h * sizeof *own)))
            return st_err_set(err, ST_ENOMEM, "roughness: out of memory");
        double c[3];
        st_plane_fit(z, stride, w, h, mask, mstride, cfg->threads, c);
        st_plane_subtract(z, stride, scratch, (size_t)w, w, h, mask, mstride, c, cfg->threads);
        z = scratch;
        stride = (size_t)w;
    }
    st_height_stats hs;
    if (st_height_params(z, stride, w, h, mask, mstride, cfg->threads, &hs)) {
        free(own);
        return st_err_set(err, ST_EINVAL, "roughness: no pixel inside the mask");
    }
    res->v[ST_RV_SA] = hs.sa;
    res->v[ST_RV_SQ] = hs.sq;
    res->v[ST_RV_SSK] = hs.ssk;
    res->v[ST_RV_SKU] = hs.sku;
    res->v[ST_RV_SP] = hs.sp;
    res->v[ST_RV_SV] = hs.sv;
    res->v[ST_RV_SZ] = hs.sz;
    double sdq, sdr;
    if (!st_hybrid_params(z, stride, w, h, mask, mstride, cfg->grad_dx, cfg->threads, &sdq, &sdr)) {
        res->v[ST_RV_SDQ] = sdq;
        res->v[ST_RV_SDR] = sdr;
    }
    int rc = ST_OK;
    if (hs.sq > 0) { /* a flat region has no spectrum to read */
        double t0 = now_s();
        rc = spectral_params(fft, z, stride, w, h, mask, mstride, cfg, res, err);
        res->fft_seconds = now_s() - t0;
    }
    free(own);
    return rc;
}
