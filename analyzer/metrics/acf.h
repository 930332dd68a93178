/* ISO 25178-2:2012 §4.2 spatial parameters: the autocorrelation length Sal
 * and texture aspect ratio Str (from the autocorrelation function, computed
 * by Wiener–Khinchin from the power spectrum), and the texture direction
 * Std (from the angular power spectrum). */
#ifndef ST_METRICS_ACF_H
#define ST_METRICS_ACF_H

#include "metrics/psd.h"

typedef struct st_acf_opts {
    double s;        /* threshold, ISO default 0.2 */
    int n_dirs;      /* directions over 180° (the ACF is point-symmetric) */
    double step_px;  /* march step along each direction */
    double max_frac; /* search radius as a fraction of min(w, h) */
    const struct st_acf_march *march; /* NULL, or the sample points of the
                         * search for this size (st_acf_march_new): made once
                         * for many same-sized tiles */
} st_acf_opts;

/* The lags every direction march visits on a w x h plane with these
 * options (the same for every plane of that size). */
typedef struct st_acf_march st_acf_march;
st_acf_march *st_acf_march_new(const st_acf_opts *o, int w, int h);
void st_acf_march_free(st_acf_march *m);

/* Sal = the shortest lag (over all directions) at which the normalised ACF
 * first falls to s; Str = Sal / (the longest such lag). A direction that
 * does not fall to s within the search radius counts as infinitely slow,
 * so Str = 0 (a surface with a lay; ISO 25178-2 notes Str → 0 for strongly
 * directional surfaces). sal is in pixels (the caller scales it) and is
 * NaN when no direction decays within the search radius.
 *
 * The ACF is the inverse FFT of the windowed power spectrum, divided by the
 * autocorrelation of the window·mask (so the window's taper does not
 * shorten Sal; the ratio estimates the ACF of the unwindowed surface), and
 * normalised to 1 at zero lag. The spectrum's F is consumed (FFTW destroys
 * the input of a c2r transform). */
int st_acf_params(st_fft *fft, st_spectrum *s, const unsigned char *mask, size_t mstride,
                  const st_acf_opts *o, int threads, double *sal_px, double *str, st_err *err);

/* Std: the direction of the lay, in degrees in [0, 180), counter-clockwise
 * from the image x axis as displayed. ISO 25178-2 §4.2.3 takes the angle of
 * the maximum of the angular power spectrum; the spectrum's maximum lies
 * across the lay (a groove along y puts its power on the fx axis), so the
 * lay is that angle + 90°. The peak is searched on 1° bins summed over
 * ±5° (a random surface's angular spectrum is spiky at 1°), then refined
 * with the power-weighted mean doubled angle of the bins within ±15°. Returns NaN if the spectrum holds no power. */
double st_texture_direction(const st_spectrum_sums *sums);

#endif
