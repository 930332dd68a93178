/* ISO 16610-61 areal Gaussian filters: the S-filter (removes wavelengths
 * shorter than λs) and the L-filter (removes wavelengths longer than λc).
 *
 * Implemented in the frequency domain (one r2c + one c2r through
 * fft/fft.h): the Gaussian weighting function s(x, y) =
 * 1/(α²λ²)·exp(−π(x² + y²)/(αλ)²), α = sqrt(ln 2 / π), has the transfer
 * function A(f) = exp(−π(αλf)²), which passes 50 % of the amplitude at
 * the cut-off wavelength f = 1/λ (ISO 16610-61 §4.2, ISO 16610-21 eq. 1).
 * The S-filter output is the low pass A_s·Z; the L-filter output is the
 * residual Z − A_c·Z, so the S-L surface is (A_s·(1 − A_c))·Z. The
 * surface is mirrored by half the longest cut-off on every side before the
 * transform, so the circular convolution does not wrap opposite edges
 * together (ISO 16610-28 end effects, handled by reflection). */
#ifndef ST_METRICS_GFILTER_H
#define ST_METRICS_GFILTER_H

#include <stddef.h>

#include "fft/fft.h"

/* Filters z (w x h) in place. lambda_s_px, lambda_c_px: cut-offs in
 * pixels; 0 disables that filter. Both 0: nothing to do. */
int st_gaussian_sl_filter(st_fft *fft, float *z, size_t stride, int w, int h,
                          double lambda_s_px, double lambda_c_px, st_err *err);

#endif
