/* Illumination flattening: the large-scale light field (vignetting, a lamp to
 * one side) is estimated as a Gaussian low-pass of the luminance far wider
 * than any feature measured, and divided out, so it does not read as texture. */
#ifndef ST_REGISTER_FLATTEN_H
#define ST_REGISTER_FLATTEN_H

#include <stddef.h>
#include "skintrack/skintrack.h"

/* Default low-pass width: a tenth of the larger side (for a 4000 px photo of
 * a 10 cm patch, 40 mm: far above the 10 mm largest scar of SPEC.md). */
double st_flatten_default_sigma(int w, int h);

/* light (w x h, lstride) = Gaussian(sigma_px) low-pass of src, computed on a
 * 2^k downsampled copy (sigma >= 4 low-res pixels) whose borders are
 * extended by point reflection (2 f(edge) - f(edge + d)), so a linear light
 * ramp is reproduced exactly up to the image edge, then upsampled bilinearly
 * (extrapolating linearly in the outer half pixel). sigma_px <= 0: default. */
int st_light_field(const float *src, size_t sstride, int w, int h, double sigma_px, float *light,
                   size_t lstride, int threads, st_err *err);

/* dst = src * mean(light) / light. src == dst allowed. */
int st_flatten_plane(const float *src, size_t sstride, int w, int h, double sigma_px, float *dst,
                     size_t dstride, int threads, st_err *err);

/* Every channel divided by the light field of the luminance (Rec. 709
 * weights), so colour ratios are kept. A new image; the input is untouched. */
int st_flatten_image(const st_image *in, double sigma_px, int threads, st_image **out,
                     st_err *err);

#endif
