/* Fourier-Mellin rotation and scale (Reddy & Chatterji 1996, IEEE TIP 5(8)).
 * |F| of each windowed image is emphasised by their high-pass filter
 * H = (1 - X)(2 - X), X = cos(pi fx) cos(pi fy), resampled on a log-polar
 * grid in physical frequency (cycles/pixel, so non-square images keep their
 * angles), and the two grids are phase-correlated: a shift along the angle
 * axis is the rotation, along the log-radius axis the log of the scale. */
#define _XOPEN_SOURCE 700
#include "register/logpolar.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "register/phasecor.h"

#define LP_THETA 360   /* samples over 180 degrees: 0.5 degree each */
#define LP_RHO 256
#define LP_RMIN 0.015  /* cycles/pixel: below, the window's own spectrum dominates */
#define LP_RMAX 0.45

typedef struct spectrum {
    int W, H, nx; /* real size and half-spectrum width W/2+1 */
    float *mag;   /* H x nx, emphasised magnitude */
} spectrum;

static int magnitude(st_fft *fft, const float *src, size_t stride, int w, int h, int W, int H,
                     spectrum *sp, st_err *err)
{
    size_t n = (size_t)W * H, nx = (size_t)(W / 2 + 1), nc = nx * H;
    float *r = st_fft_alloc_real(n);
    st_complex *c = st_fft_alloc_complex(nc);
    sp->mag = st_alloc_floats(nc);
    int rc = ST_OK;
    if (!r || !c || !sp->mag) {
        rc = st_err_set(err, ST_ENOMEM, "log-polar: out of memory (%dx%d)", W, H);
        goto done;
    }
    memset(r, 0, n * sizeof *r);
    double sum = 0.0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            sum += src[(size_t)y * stride + x];
    double mean = sum / ((double)w * h);
    for (int y = 0; y < h; y++) {
        double wy = 0.5 - 0.5 * cos(2.0 * M_PI * (y + 0.5) / h);
        for (int x = 0; x < w; x++) {
            double wx = 0.5 - 0.5 * cos(2.0 * M_PI * (x + 0.5) / w);
            r[(size_t)y * W + x] = (float)((src[(size_t)y * stride + x] - mean) * wx * wy);
        }
    }
    if ((rc = st_fft_r2c(fft, W, H, r, c, err)))
        goto done;
    for (int ky = 0; ky < H; ky++) {
        double fy = (ky <= H / 2 ? ky : ky - H) / (double)H;
        for (size_t kx = 0; kx < nx; kx++) {
            double fx = (double)kx / W;
            double X = cos(M_PI * fx) * cos(M_PI * fy);
            size_t i = (size_t)ky * nx + kx;
            double m = sqrt((double)c[i][0] * c[i][0] + (double)c[i][1] * c[i][1]);
            sp->mag[i] = (float)(m * (1.0 - X) * (2.0 - X));
        }
    }
    sp->W = W;
    sp->H = H;
    sp->nx = (int)nx;
done:
    st_fft_free_buf(r);
    st_fft_free_buf(c);
    return rc;
}

/* |F| at integer frequency (kx, ky), using F(-k) = conj F(k) for kx < 0. */
static float mag_at(const spectrum *sp, int kx, int ky)
{
    if (kx < 0) {
        kx = -kx;
        ky = -ky;
    }
    if (kx >= sp->nx)
        return 0.0f;
    ky %= sp->H;
    if (ky < 0)
        ky += sp->H;
    return sp->mag[(size_t)ky * sp->nx + kx];
}

/* Log-polar image: row = angle in [0, pi), column = log radius. */
static void resample(const spectrum *sp, float *lp)
{
    double step = log(LP_RMAX / LP_RMIN) / (LP_RHO - 1);
    for (int t = 0; t < LP_THETA; t++) {
        double th = M_PI * t / LP_THETA, ct = cos(th), s = sin(th);
        for (int p = 0; p < LP_RHO; p++) {
            double rr = LP_RMIN * exp(step * p);
            double kx = rr * ct * sp->W, ky = rr * s * sp->H;
            int x0 = (int)floor(kx), y0 = (int)floor(ky);
            double fx = kx - x0, fy = ky - y0;
            double v = (1 - fy) * ((1 - fx) * mag_at(sp, x0, y0) + fx * mag_at(sp, x0 + 1, y0)) +
                       fy * ((1 - fx) * mag_at(sp, x0, y0 + 1) + fx * mag_at(sp, x0 + 1, y0 + 1));
            lp[(size_t)t * LP_RHO + p] = (float)v;
        }
    }
}

int st_logpolar_rotscale(st_fft *fft, const float *a, size_t astride, const float *b,
                         size_t bstride, int w, int h, st_rotscale *out, st_err *err)
{
    if (!fft || !a || !b || !out || w < 16 || h < 16)
        return st_err_set(err, ST_EINVAL, "log-polar: bad arguments (%dx%d)", w, h);
    int W = st_fft_good_size(w), H = st_fft_good_size(h);
    spectrum sa = {0}, sb = {0};
    float *la = st_alloc_floats((size_t)LP_THETA * LP_RHO);
    float *lb = st_alloc_floats((size_t)LP_THETA * LP_RHO);
    int rc = ST_OK;
    if (!la || !lb) {
        rc = st_err_set(err, ST_ENOMEM, "log-polar: out of memory");
        goto done;
    }
    if ((rc = magnitude(fft, a, astride, w, h, W, H, &sa, err)) ||
        (rc = magnitude(fft, b, bstride, w, h, W, H, &sb, err)))
        goto done;
    resample(&sa, la);
    resample(&sb, lb);
    /* The angle axis is periodic (pi): windowed along log radius only. */
    st_phasecor_result pc;
    if ((rc = st_phasecor(fft, la, LP_RHO, lb, LP_RHO, LP_RHO, LP_THETA, ST_PC_WINDOW_X, 0, &pc,
                          err)))
        goto done;
    /* |B|(r, phi) = |A|(r / s, phi + theta) for b(x) = a(s R(theta) x), so
     * the log-polar shift is (+log s, -theta). */
    double step = log(LP_RMAX / LP_RMIN) / (LP_RHO - 1);
    out->scale = exp(pc.dx * step);
    out->angle_rad = -pc.dy * M_PI / LP_THETA;
    out->psr = pc.psr;
done:
    st_aligned_free(sa.mag);
    st_aligned_free(sb.mag);
    st_aligned_free(la);
    st_aligned_free(lb);
    return rc;
}
