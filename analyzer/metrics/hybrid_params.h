/* ISO 25178-2:2012 §4.3 hybrid parameters: Sdq (root mean square gradient)
 * and Sdr (developed interfacial area ratio). */
#ifndef ST_METRICS_HYBRID_PARAMS_H
#define ST_METRICS_HYBRID_PARAMS_H

#include <stddef.h>

/* Gradients by central differences, (z[x+1] − z[x−1]) / (2·dx), at every
 * pixel whose four edge neighbours lie inside the image and the mask
 * (mask NULL: all). `dx` is the pixel size expressed in the unit of z per
 * unit of length wanted for the gradient: for heights in µm and pixels in
 * mm, dx = pixel_mm·1000 gives a dimensionless slope; for luminance, dx =
 * pixel_mm gives rel/mm; dx = 1 gives units per pixel.
 *   Sdq = sqrt(mean(gx² + gy²));
 *   Sdr = 100 · mean(sqrt(1 + gx² + gy²) − 1)   (percent).
 * For a sampled sinusoid A·sin(2πx/λ) the central difference gives exactly
 * Sdq = A·sin(2π·dx/λ)/dx/√2 (tests use this). Returns 0, or -1 when no
 * pixel qualifies. Deterministic for any thread count. */
int st_hybrid_params(const float *z, size_t stride, int w, int h, const unsigned char *mask,
                     size_t mstride, double dx, int threads, double *sdq, double *sdr);

#endif
