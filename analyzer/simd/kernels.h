/* The pixel kernels every stage runs on. Each has a scalar reference in
 * simd/generic/ (the documentation of what it computes) and SSE2 / AVX2
 * versions in simd/x86/, chosen once at run time (CPU detection, then the
 * SKINTRACK_SIMD=scalar|sse2|avx2 override). Callers only see these entry
 * points.
 *
 * Conventions: single-channel float32 planes given as (pointer, stride in
 * floats, width, height); src and dst may not overlap unless stated; borders
 * are mirrored with the edge sample repeated (…cba|abc…, OpenCV's
 * BORDER_REFLECT); `threads` <= 0 means all cores, and results are identical
 * for every thread count.
 *
 * Agreement between paths (tests/unit/test_simd_*.c): every kernel is
 * bit-identical on scalar, SSE2 and AVX2 (the Gaussian blur included: no
 * fused multiply-add, whose different rounding reached the printed metrics
 * of tests/e2e/determinism_slow.sh). The integral image is one sequential, memory-bound recurrence and
 * has no SIMD version; the point samplers are scalar (st_warp_perspective is
 * the vectorised way to sample many points). Outputs of 4 Mi floats or more
 * are written with non-temporal stores by the light kernels. */
#ifndef ST_SIMD_KERNELS_H
#define ST_SIMD_KERNELS_H

#include <stddef.h>

#include "skintrack/skintrack.h"

typedef enum st_simd_path { ST_SIMD_SCALAR = 0, ST_SIMD_SSE2 = 1, ST_SIMD_AVX2 = 2 } st_simd_path;

/* The path in use (after detection and the environment override). */
st_simd_path st_simd_active(void);
/* Paths this CPU can run, as a bit mask of 1 << path (scalar always). */
unsigned st_simd_available(void);
const char *st_simd_name(st_simd_path path);
/* Test and benchmark hook: force a path for subsequent calls in this process
 * (returns -1 if the CPU cannot run it). Not for library users. */
int st_simd_force(st_simd_path path);

/* ---- grey-level morphology ------------------------------------------------ */
/* acc[i] = acc[i] > s[i] ? acc[i] : s[i] (st_rows_max) or the same with <
 * (st_rows_min), element-wise over n values: the step of a dilation or an
 * erosion by a set of offsets, one shifted source row at a time
 * (metrics/pit_filter.c). acc and s may not overlap. */
void st_rows_max(float *acc, const float *s, size_t n);
void st_rows_min(float *acc, const float *s, size_t n);

/* ---- colour (inputs are sRGB-encoded values in [0, 1]) ---------------------- */
/* IEC 61966-2-1 sRGB decoding, element-wise over n values (in == out
 * allowed); within 4e-7 of the exact formula on [0, 1]. */
void st_srgb_to_linear(const float *in, float *out, size_t n);
/* Luminance Y used for texture: Rec. 709 weights on the encoded values,
 * 0.2126 R + 0.7152 G + 0.0722 B, arranged so that a gray pixel (R = G = B)
 * keeps its value exactly. */
void st_luminance(const float *r, const float *g, const float *b, float *y, size_t n);
/* The same weights for one value in double (statistics, 8-bit pixels). */
static inline double st_luma709(double r, double g, double b)
{
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
/* The luminance plane of a 3-channel image as a new 1-channel image (same
 * pixel size, unit "rel"). */
int st_luminance_image(const st_image *rgb, st_image **out, st_err *err);
/* CIE L*a*b* (CIE 15:2004; D65 white, 2° observer) from sRGB-encoded R, G,
 * B through linear RGB and the 4-digit IEC 61966-2-1 XYZ matrix; powers to
 * float precision. sRGB white gives (100, 0, 0); the primaries are within
 * 0.05 of published values. */
void st_srgb_to_lab(const float *r, const float *g, const float *b, float *L, float *a,
                    float *bstar, size_t n);

/* ---- filters ----------------------------------------------------------------- */
/* Separable Gaussian, kernel radius ceil(3 sigma), normalised (the sampled
 * Gaussian divided by its sum, as OpenCV's getGaussianKernel); 0 < sigma
 * <= 1e4. A direct convolution: equal to the exact one up to float rounding
 * (within 1e-4 of OpenCV's GaussianBlur, BORDER_REFLECT). src == dst is
 * allowed (overlapping planes are blurred from a copy).
 * Returns 0 or an ST_E* code (ST_EINVAL, ST_ENOMEM). */
int st_gaussian_blur(const float *src, size_t sstride, float *dst, size_t dstride, int w, int h,
                     double sigma, int threads);
/* Mean over a (2r+1)^2 box, mirrored borders, r >= 0. src == dst allowed.
 * Returns 0, ST_EINVAL or ST_ENOMEM. */
int st_box_filter(const float *src, size_t sstride, float *dst, size_t dstride, int w, int h,
                  int radius, int threads);
/* Summed-area table in double precision: ii is (w+1) x (h+1) contiguous
 * (row stride w+1), ii[0][*] = ii[*][0] = 0. Returns 0 or ST_EINVAL. */
int st_integral_image(const float *src, size_t sstride, double *ii, int w, int h);
/* 3x3 gradients (unnormalised kernels: Sobel [-1 0 1; -2 0 2; -1 0 1],
 * Scharr [-3 0 3; -10 0 10; -3 0 3]); gx, gy may be NULL. */
void st_sobel(const float *src, size_t sstride, float *gx, float *gy, size_t dstride, int w, int h);
void st_scharr(const float *src, size_t sstride, float *gx, float *gy, size_t dstride, int w, int h);
/* 5-point Laplacian [0 1 0; 1 -4 1; 0 1 0]. */
void st_laplacian(const float *src, size_t sstride, float *dst, size_t dstride, int w, int h);
/* 2x downsample: each output pixel is the mean of a 2x2 block (odd last
 * row/column: mirrored); dst is ((w+1)/2) x ((h+1)/2). */
void st_downsample2x(const float *src, size_t sstride, int w, int h, float *dst, size_t dstride);

/* ---- sampling -------------------------------------------------------------------- */
/* Value at real coordinates (pixel centres at integers); a point outside
 * [0, w-1] x [0, h-1] (or NaN) gives `outside`. Bicubic is Keys' a = -0.5
 * (Catmull-Rom); neighbours beyond the edge repeat the edge sample. At
 * integer positions both return the sample exactly. */
float st_sample_bilinear(const float *src, size_t sstride, int w, int h, double x, double y,
                         float outside);
float st_sample_bicubic(const float *src, size_t sstride, int w, int h, double x, double y,
                        float outside);
/* Warps src into a dst grid: dst(x, y) = src(M · [x y 1]) with M the 3x3
 * matrix (row-major) mapping DESTINATION pixels to SOURCE pixels; bicubic;
 * samples outside src get `outside`. valid (may be NULL; dw x dh bytes,
 * row stride dw) gets 1 where the source point was inside, else 0.
 * Each pixel equals st_sample_bicubic at its source point.
 * Returns 0 or ST_EINVAL (bad size, non-finite matrix). */
int st_warp_perspective(const float *src, size_t sstride, int sw, int sh, float *dst,
                        size_t dstride, int dw, int dh, const double m[9], float outside,
                        unsigned char *valid, int threads);
/* The same warp of nch <= ST_WARP_MAX_PLANES planes sharing one geometry
 * (src[c] -> dst[c], one stride each side): source positions and weights
 * are computed once per pixel for all planes. Each plane's bytes equal
 * st_warp_perspective's. */
#define ST_WARP_MAX_PLANES 4
int st_warp_perspective_planes(const float *const *src, int nch, size_t sstride, int sw, int sh,
                               float *const *dst, size_t dstride, int dw, int dh,
                               const double m[9], float outside, unsigned char *valid,
                               int threads);

#endif
