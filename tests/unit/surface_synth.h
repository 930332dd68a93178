/* Test surfaces with known answers for the surface family: sinusoids,
 * Gaussian random fields of known correlation (spectral synthesis), fBm of
 * known fractal dimension, with a seeded PRNG of our own (splitmix64), so
 * every run sees the same data. */
#ifndef ST_TEST_SURFACE_SYNTH_H
#define ST_TEST_SURFACE_SYNTH_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "fft/fft.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct synth_rng {
    uint64_t s;
} synth_rng;

static inline uint64_t synth_next(synth_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1). */
static inline double synth_uniform(synth_rng *r)
{
    return ((synth_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Standard normal (Box–Muller). */
static inline double synth_gauss(synth_rng *r)
{
    double u = synth_uniform(r), v = synth_uniform(r);
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* z = offset + A·cos(2π k·(p − centre)/λ) with the wave vector at `deg`
 * counter-clockwise from +x as displayed (y down); the lay (ridges) runs
 * at deg + 90°. Centred, so the least-squares plane of the samples is flat. */
static inline void synth_sinusoid(float *z, int w, int h, double A, double lambda_px, double deg,
                                  double offset)
{
    double th = deg * M_PI / 180.0, kx = cos(th) / lambda_px, ky = -sin(th) / lambda_px;
    double xc = 0.5 * (w - 1), yc = 0.5 * (h - 1);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            z[(size_t)y * w + x] =
                (float)(offset + A * cos(2.0 * M_PI * (kx * (x - xc) + ky * (y - yc))));
}

/* Spectral synthesis: a periodic random field whose power spectrum is
 * psd(fx, fy) (frequencies in 1/px), Gaussian amplitudes, uniform phases,
 * rescaled to RMS `sq` about a zero mean. Returns 0 on success. */
typedef double (*synth_psd_fn)(double fx, double fy, const double *par);

static inline int synth_spectral(st_fft *fft, float *z, int w, int h, synth_psd_fn psd,
                                 const double *par, double sq, uint64_t seed)
{
    int hw = w / 2 + 1;
    st_complex *F = st_fft_alloc_complex((size_t)hw * h);
    float *buf = st_fft_alloc_real((size_t)w * h);
    if (!F || !buf) {
        st_fft_free_buf(F);
        st_fft_free_buf(buf);
        return -1;
    }
    synth_rng r = {seed};
    for (int ky = 0; ky < h; ky++) {
        double fy = (double)(ky <= h / 2 ? ky : ky - h) / h;
        for (int kx = 0; kx < hw; kx++) {
            double fx = (double)kx / w, amp = (kx || ky) ? sqrt(psd(fx, fy, par)) : 0.0;
            double g1 = synth_gauss(&r), g2 = synth_gauss(&r);
            F[(size_t)ky * hw + kx][0] = (float)(amp * g1);
            F[(size_t)ky * hw + kx][1] = (float)(amp * g2);
        }
    }
    st_err err;
    int rc = st_fft_c2r(fft, w, h, F, buf, &err);
    if (!rc) {
        double m = 0, s2 = 0;
        for (size_t i = 0; i < (size_t)w * h; i++)
            m += buf[i];
        m /= (double)w * h;
        for (size_t i = 0; i < (size_t)w * h; i++)
            s2 += (buf[i] - m) * (buf[i] - m);
        double scale = sq / sqrt(s2 / ((double)w * h));
        for (size_t i = 0; i < (size_t)w * h; i++)
            z[i] = (float)((buf[i] - m) * scale);
    }
    st_fft_free_buf(F);
    st_fft_free_buf(buf);
    return rc;
}

/* Gaussian ACF exp(−(u/τu)² − (v/τv)²), u along `deg` (the lay when τu > τv)
 * and v across it: PSD ∝ exp(−π²(τu²fu² + τv²fv²)). par = {τu, τv, deg}. */
static inline double synth_psd_gauss(double fx, double fy, const double *par)
{
    double th = par[2] * M_PI / 180.0;
    /* unit vector along u in image coordinates (y down): (cos, −sin) */
    double fu = fx * cos(th) - fy * sin(th), fv = fx * sin(th) + fy * cos(th);
    return exp(-M_PI * M_PI * (par[0] * par[0] * fu * fu + par[1] * par[1] * fv * fv));
}

/* Isotropic power law PSD ∝ f^−β, par = {β}. */
static inline double synth_psd_power(double fx, double fy, const double *par)
{
    double f2 = fx * fx + fy * fy;
    return f2 > 0 ? pow(f2, -0.5 * par[0]) : 0.0;
}

#endif
