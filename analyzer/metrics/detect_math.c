/* Row-wise transcendental functions for the colour families: atan2 (ITA)
 * and log10 (melanin and erythema indices) over whole rows, written so
 * that compilers vectorise them (libm's scalar atan2 and log10 were most of
 * the colour families' time on a 12 MP photo).
 *
 * Two habits make the loops vectorisable under the default IEEE options:
 * every value is computed unconditionally and chosen with bit masks
 * (a float `c ? a : b` is if-converted only under -fno-trapping-math), and
 * no call may set errno. Accuracy against libm in double precision, over
 * the inputs these families see (checked in tests/unit/
 * test_colour_metrics.c: all four quadrants of the L* - 50, b* plane;
 * 1e-4 .. 1e4 for log10): atan2 within 4e-7 rad, log10 within 1e-6. */
#include <stdint.h>
#include <string.h>

#include "metrics/detect_internal.h"

static inline uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* c ? a : b by masks (c is 0 or 1). */
static inline float sel(int c, float a, float b)
{
    uint32_t m = (uint32_t)0 - (uint32_t)c;
    return from_bits((bits(a) & m) | (bits(b) & ~m));
}

void st_det_atan2_row(const float *restrict y, const float *restrict x, float *restrict out,
                      size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float ax = from_bits(bits(x[i]) & 0x7fffffffu), ay = from_bits(bits(y[i]) & 0x7fffffffu);
        float mx = ax > ay ? ax : ay, mn = ax > ay ? ay : ax;
        float a = mn / sel(mx > 0.0f, mx, 1.0f), t = a * a;
        /* atan(a) on [0, 1]: odd minimax polynomial (the coefficients of
         * SLEEF's single-precision atan, Shibata et al.), 3.5 ulp */
        float u = 0.00282363896258175373077393f;
        u = u * t + -0.0159569028764963150024414f;
        u = u * t + 0.0425049886107444763183594f;
        u = u * t + -0.0748900920152664184570312f;
        u = u * t + 0.106347933411598205566406f;
        u = u * t + -0.142027363181114196777344f;
        u = u * t + 0.199926957488059997558594f;
        u = u * t + -0.333331018686294555664062f;
        float p = a + a * (t * u);
        /* octant, quadrant and sign, as atan2 defines them */
        p = sel(ay > ax, 1.57079632679489661923f - p, p);
        p = sel(x[i] < 0.0f, 3.14159265358979323846f - p, p);
        out[i] = sel(y[i] < 0.0f, -p, p);
    }
}

void st_det_log10_row(const float *restrict v, float *restrict out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* v = 2^e m, m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(z) with
         * z = (m - 1) / (m + 1), |z| < 0.172: six terms of the series leave
         * an error below 1e-10. Positive, normal inputs only. */
        uint32_t u = bits(v[i]);
        int e = (int)(u >> 23) - 127;
        float m = from_bits((u & 0x7fffffu) | 0x3f800000u);
        int big = m > 1.41421356f;
        m = sel(big, 0.5f * m, m);
        e += big;
        float z = (m - 1.0f) / (m + 1.0f), z2 = z * z;
        float p = 1.0f / 11.0f;
        p = p * z2 + 1.0f / 9.0f;
        p = p * z2 + 1.0f / 7.0f;
        p = p * z2 + 1.0f / 5.0f;
        p = p * z2 + 1.0f / 3.0f;
        p = p * z2 + 1.0f;
        out[i] = ((float)e * 0.693147180559945309f + 2.0f * z * p) * 0.434294481903251828f;
    }
}
