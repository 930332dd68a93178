/* The windowed 2-D power spectrum of a levelled surface, and what is read
 * from it: the radial (azimuthally averaged) PSD, the RMS of wavelength
 * bands, the angular power spectrum, and the log-log slope of the PSD with
 * the fractal dimension it implies. All FFTs go through fft/fft.h.
 *
 * Normalisation (Parseval): with f = win·mask·(z − z̄_w) zero-padded to
 * fw x fh, power[k] = |F[k]|² / (fw·fh·Σ(win·mask)²), so the sum of power
 * over the whole frequency plane is the window-weighted mean square of z:
 * exactly Sq² without a window, and an unbiased estimate of it with one.
 * A sinusoid of amplitude A therefore puts A²/2 into the bins around its
 * frequency, and the RMS of a band that holds them is A/√2. */
#ifndef ST_METRICS_PSD_H
#define ST_METRICS_PSD_H

#include <math.h>
#include <stddef.h>

#include "fft/fft.h"

typedef enum st_window {
    ST_WINDOW_HANN = 0, /* separable Hann, w(i) = sin²(π(i + ½)/n) */
    ST_WINDOW_NONE = 1  /* rectangular (periodic surfaces, Parseval checks) */
} st_window;

/* Windows of one size and their normalised autocorrelations, made once and
 * shared by many same-sized regions (tiles). */
typedef struct st_window_cache {
    int w, h;
    st_window kind;
    double *wx, *wy; /* window samples */
    double *ax, *ay; /* Σ_i w_i w_{i+t} / Σ_i w_i², lags 0..max_lag (0 beyond) */
    int max_lag;
} st_window_cache;

/* max_lag bounds the autocorrelation lags computed (cost n·max_lag); < 0: all. */
int st_window_cache_make(int w, int h, st_window kind, int max_lag, st_window_cache *wc);
void st_window_cache_free(st_window_cache *wc);

typedef struct st_spectrum {
    int w, h;       /* data size */
    int fw, fh, hw; /* FFT size (st_fft_good_size) and hw = fw/2 + 1 */
    double px;      /* pixel size in length units (mm; 1 when uncalibrated) */
    st_complex *F;  /* fh x hw half plane: [0] = normalised power, [1] = 0 */
    st_complex *Fc; /* the windowed transform itself (unnormalised), or NULL */
    float *real;    /* fw x fh scratch (the windowed input), reused by the ACF */
    double sum_w2;  /* Σ (win·mask)² over the data */
    double mean;    /* the window-weighted mean removed before the transform */
    st_window window;
    const st_window_cache *wc; /* the cache it was made with, or NULL */
} st_spectrum;

/* Computes the spectrum of z (w x h, mask NULL = all pixels). threads
 * parallelises the window pass; FFTW uses the handle's threads. wc (may be
 * NULL) supplies precomputed windows of this size and kind; it must outlive
 * the spectrum. */
int st_spectrum_compute(st_fft *fft, const float *z, size_t stride, int w, int h,
                        const unsigned char *mask, size_t mstride, double px, st_window window,
                        const st_window_cache *wc, int threads, st_spectrum *out, st_err *err);
/* The same, keeping the complex windowed transform in out->Fc when
 * keep_complex (st_band_ms_spectrum reads it). */
int st_spectrum_compute_ex(st_fft *fft, const float *z, size_t stride, int w, int h,
                           const unsigned char *mask, size_t mstride, double px, st_window window,
                           const st_window_cache *wc, int threads, int keep_complex,
                           st_spectrum *out, st_err *err);
void st_spectrum_free(st_spectrum *s);

#define ST_SPECTRUM_MAX_BANDS 4
#define ST_APS_BINS 180

/* Everything read from the spectrum in one pass. Bands are wavelength
 * ranges [lo, hi) in length units. The angular power spectrum bins the
 * power by the direction of the wave vector (1° bins, counter-clockwise
 * from the image x axis as displayed, y down), from radius aps_rmin radial
 * bins up to Nyquist; aps_c/aps_s hold Σ power·cos 2θ and Σ power·sin 2θ so
 * that a direction can be refined below the bin width. */
typedef struct st_spectrum_sums {
    size_t nr;          /* radial bins: k = 0 .. nr−1, frequency k·df */
    double df;          /* radial bin width (1/length) */
    double *rsum, *rcnt; /* Σ power and count per radial bin (full plane) */
    double band_ms[ST_SPECTRUM_MAX_BANDS];
    double total_ms;    /* Σ power over the whole plane (Parseval) */
    double aps[ST_APS_BINS], aps_c[ST_APS_BINS], aps_s[ST_APS_BINS];
} st_spectrum_sums;

/* The per-bin geometry (radial and angular bin, band membership) of a
 * w x h spectrum with these bands, made once for many same-sized regions. */
typedef struct st_spectrum_geom st_spectrum_geom;
st_spectrum_geom *st_spectrum_geom_new(int w, int h, double px, const double (*bands)[2],
                                       int nbands, double aps_rmin);
void st_spectrum_geom_free(st_spectrum_geom *g);

/* geom: NULL, or one made for this size, pixel, bands and aps_rmin (the
 * same sums either way; it only saves recomputing the geometry). */
int st_spectrum_reduce(const st_spectrum *s, const double (*bands)[2], int nbands,
                       double aps_rmin, const st_spectrum_geom *geom, int threads,
                       st_spectrum_sums *out);
void st_spectrum_sums_free(st_spectrum_sums *sums);

/* Mean square of each wavelength band [lo, hi) (length units) from the
 * reassigned power spectrum (psd_bands.c): each bin's power is counted at
 * the frequency it comes from, estimated with the window's derivative, so
 * that a wave closer to a band edge than the window's main lobe (±2/L)
 * stays in its band. total_ms is the whole windowed spectrum's sum, the
 * same as st_spectrum_sums.total_ms (Parseval: reassignment moves power
 * between bands, never changes it). Same input conventions as
 * st_spectrum_compute. */
int st_band_ms(st_fft *fft, const float *z, size_t stride, int w, int h,
               const unsigned char *mask, size_t mstride, double px, st_window window,
               const double (*bands)[2], int nbands, double *band_ms, double *total_ms,
               st_err *err);

/* The same from a spectrum made with keep_complex of the same z and mask
 * (its windowed transform is reused). Where the FFT size is the data size
 * (no zero padding), the two window-derivative transforms come from one
 * transform of the unwindowed data, as 3-tap convolutions in frequency
 * (a Hann window and its derivative are two complex exponentials and a
 * constant); with padding they are two FFTs. The derivative transforms are
 * only evaluated where a shift of up to ±2 bins can cross a band edge.
 * threads splits the reduction; the sums do not depend on it. s->real
 * (scratch) is overwritten. */
int st_band_ms_spectrum(st_fft *fft, st_spectrum *s, const float *z, size_t stride,
                        const unsigned char *mask, size_t mstride, const double (*bands)[2],
                        int nbands, int threads, double *band_ms, double *total_ms, st_err *err);

/* Radial PSD as a density (unit²·length²): mean power over each annulus
 * divided by the frequency cell area. freq and psd get n = nr − 1 entries
 * (the DC bin is left out); the caller frees them. */
int st_radial_psd(const st_spectrum *s, const st_spectrum_sums *sums, double **freq,
                  double **psd, size_t *n);

/* Least-squares slope of log10 psd against log10 f over f in [f_lo, f_hi],
 * each point weighted by 1/f so that every octave counts the same
 * (Jacobs, Junge & Pastewka 2017, Surf. Topogr. Metrol. Prop. 5 013001).
 * resid (may be NULL): the weighted RMS of log10 psd about the fitted line
 * (0.1 = the spectrum strays ~26 % from the power law). Returns 0, or -1
 * with fewer than 3 usable points. */
int st_psd_slope(const double *freq, const double *psd, size_t n, double f_lo, double f_hi,
                 double *slope, double *resid);

/* Fractal dimension of a 2-D isotropic self-affine surface from the slope
 * −β of its azimuthally averaged 2-D PSD: PSD ∝ f^−β with β = 2H + 2 and
 * D = 3 − H (Persson et al. 2005, J. Phys.: Condens. Matter 17 R1, eq. 7;
 * Jacobs et al. 2017 §2.3), hence D = (8 − β)/2 = (8 + slope)/2.
 *
 * Only a self-affine surface has one: Hurst exponent 0 <= H <= 1, i.e.
 * 2 <= β <= 4, and a spectrum that is a power law over the fit range.
 * Returns NaN (the metric is withheld) when the fit strays from a power
 * law by more than ST_FRACTAL_MAX_RESID (RMS in log10) or when H is
 * outside [−0.1, 1.1] (white noise: β = 0, H = −1; a single wave: no
 * power law at all); an H within 0.1 outside [0, 1] (the estimate's own
 * scatter) is clamped, so D stays in [2, 3]. */
#define ST_FRACTAL_MAX_RESID 0.15
static inline double st_fractal_dim(double slope, double resid)
{
    double h = (-slope - 2.0) / 2.0;
    if (!(resid <= ST_FRACTAL_MAX_RESID) || !(h >= -0.1 && h <= 1.1))
        return NAN;
    double d = 3.0 - h;
    return d < 2.0 ? 2.0 : (d > 3.0 ? 3.0 : d);
}

#endif
