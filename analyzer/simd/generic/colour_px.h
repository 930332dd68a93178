/* Per-element colour arithmetic shared by the scalar reference and the
 * scalar tails of the SIMD kernels. Only +, -, *, / and integer <-> float
 * conversions are used (no libm), in an order the SIMD code repeats, so all
 * paths give bit-identical results.
 *
 * Powers are Newton iterations from the classic exponent-bits guess
 * (Blinn, "Floating-point tricks", IEEE CG&A 1997): x^(1/n) ~ bits(x)/n +
 * (1 - 1/n) * bits(1.0) as an integer. Three steps bring the guess (a few
 * per cent off) to float precision: measured max error against double
 * precision pow(): 3.9e-7 absolute for sRGB decoding on [0, 1] and 1e-4
 * for L*, a*, b* (tests/unit/test_simd_colour.c). */
#ifndef ST_SIMD_COLOUR_PX_H
#define ST_SIMD_COLOUR_PX_H

/* The SIMD code relies on these formulas being rounded operation by
 * operation: no fused multiply-adds (GCC does not contract in ISO C mode;
 * clang would, where FMA is enabled). */
#ifdef __clang__
#pragma clang fp contract(off)
#endif

#include <stdint.h>
#include <string.h>

/* IEC 61966-2-1: V <= 0.04045 -> V / 12.92, else ((V + 0.055) / 1.055)^2.4 */
#define ST_SRGB_KNEE 0.04045f
#define ST_SRGB_SLOPE 12.92f
#define ST_SRGB_OFF 0.055f
#define ST_SRGB_SCALE 1.055f
/* guess constants: (1 - 1/n) * 0x3f800000 */
#define ST_ROOT5_K 852282573.0f
#define ST_ROOT3_K 709921077.0f
/* CIE 15:2004: f(t) = t^(1/3) above (6/29)^3, else t / (3 (6/29)^2) + 4/29 */
#define ST_LAB_EPS 0.0088564517f
#define ST_LAB_KAPPA 7.7870370f
#define ST_LAB_OFF 0.13793103f

/* sRGB (IEC 61966-2-1) to XYZ, each row divided by the D65 white (Xn, Yn, Zn)
 * = (0.9505, 1, 1.0890), the row sums, so sRGB white maps to x = y = z = 1. */
#define ST_XR (0.4124f / 0.9505f)
#define ST_XG (0.3576f / 0.9505f)
#define ST_XB (0.1805f / 0.9505f)
#define ST_YR 0.2126f
#define ST_YG 0.7152f
#define ST_YB 0.0722f
#define ST_ZR (0.0193f / 1.0890f)
#define ST_ZG (0.1192f / 1.0890f)
#define ST_ZB (0.9505f / 1.0890f)

static inline float st_bits_guess(float x, float inv_n, float k)
{
    int32_t i;
    memcpy(&i, &x, sizeof i);
    i = (int32_t)((float)i * inv_n + k);
    float g;
    memcpy(&g, &i, sizeof g);
    return g;
}

/* x^(1/5) for x > 0: Newton on g^5 = x */
static inline float st_root5_px(float x)
{
    float g = st_bits_guess(x, 0.2f, ST_ROOT5_K);
    for (int i = 0; i < 3; i++) {
        float g2 = g * g;
        g = 0.8f * g + 0.2f * (x / (g2 * g2));
    }
    return g;
}

/* x^(1/3) for x > 0: Newton on g^3 = x */
static inline float st_root3_px(float x)
{
    float g = st_bits_guess(x, 0.33333334f, ST_ROOT3_K);
    for (int i = 0; i < 3; i++)
        g = 0.6666667f * g + 0.33333334f * (x / (g * g));
    return g;
}

static inline float st_srgb_to_linear_px(float v)
{
    if (v <= ST_SRGB_KNEE)
        return v / ST_SRGB_SLOPE;
    float u = (v + ST_SRGB_OFF) / ST_SRGB_SCALE;
    float q = st_root5_px(u);   /* u^0.2 */
    return (u * u) * (q * q);   /* u^2.4 */
}

/* Rec. 709 weights written as g + 0.2126 (r - g) + 0.0722 (b - g), the same
 * sum, so that r = g = b gives exactly that value back. */
static inline float st_luminance_px(float r, float g, float b)
{
    return g + (0.2126f * (r - g) + 0.0722f * (b - g));
}

static inline float st_lab_f_px(float t)
{
    return t > ST_LAB_EPS ? st_root3_px(t) : ST_LAB_KAPPA * t + ST_LAB_OFF;
}

static inline void st_srgb_to_lab_px(float r, float g, float b, float *L, float *a, float *bs)
{
    r = st_srgb_to_linear_px(r);
    g = st_srgb_to_linear_px(g);
    b = st_srgb_to_linear_px(b);
    float fx = st_lab_f_px((ST_XR * r + ST_XG * g) + ST_XB * b);
    float fy = st_lab_f_px((ST_YR * r + ST_YG * g) + ST_YB * b);
    float fz = st_lab_f_px((ST_ZR * r + ST_ZG * g) + ST_ZB * b);
    *L = 116.0f * fy - 16.0f;
    *a = 500.0f * (fx - fy);
    *bs = 200.0f * (fy - fz);
}

#endif
