/* ISO 25178-2:2012 §4.2 spatial parameters: the autocorrelation length Sal
 * and texture aspect ratio Str (from the areal autocorrelation function,
 * computed by FFT of the unwindowed, zero-padded surface), and the texture
 * direction Std (from the angular power spectrum). */
#ifndef ST_METRICS_ACF_H
#define ST_METRICS_ACF_H

#include "metrics/psd.h"

typedef struct st_acf_opts {
    double s; /* threshold, ISO 25178-2 default 0.2 */
} st_acf_opts;

/* Sal and Str of ISO 25178-2 §4.2.1–4.2.2, computed as Gwyddion 2.62 does
 * (modules/process/acf2d.c over libprocess/stats.c):
 *
 * - the ACF of the region as given (the caller levels it: least-squares
 *   plane removed), no window, zero-padded, each lag divided by its number
 *   of pixel pairs (inside the mask, if any), normalised to 1 at lag 0,
 *   over lags up to half the region's side in x and in y;
 * - the central lobe: lags connected to the origin where the ACF > s;
 * - Sal (pixels, the caller scales it) = the distance to the nearest point
 *   where the lobe's ACF falls to s (linear interpolation between
 *   neighbouring lags; Gwyddion takes the nearest pixel corner on the
 *   lobe's boundary, which differs by less than half a pixel);
 * - Str = Sal / the distance to the lobe's furthest boundary point. A lobe
 *   that reaches the edge of the lag range (a lay: no decay along it) ends
 *   there, as in Gwyddion, so Str is small but not 0.
 *
 * sal and str are NaN when the ACF falls to s nowhere in the lag range
 * (ISO: not defined). */
int st_acf_params(st_fft *fft, const float *z, size_t stride, int w, int h,
                  const unsigned char *mask, size_t mstride, const st_acf_opts *o,
                  double *sal_px, double *str, st_err *err);

/* Std: the direction of the lay, in degrees in [0, 180), counter-clockwise
 * from the image x axis as displayed. ISO 25178-2 §4.2.3 takes the angle of
 * the maximum of the angular power spectrum; the spectrum's maximum lies
 * across the lay (a groove along y puts its power on the fx axis), so the
 * lay is that angle + 90°. The peak is searched on 1° bins summed over
 * ±5° (a random surface's angular spectrum is spiky at 1°), then refined
 * with the power-weighted mean doubled angle of the bins within ±15°. Returns NaN if the spectrum holds no power. */
double st_texture_direction(const st_spectrum_sums *sums);

#endif
