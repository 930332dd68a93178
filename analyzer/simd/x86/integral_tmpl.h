/* Summed-area table, four rows at once (reference: generic/integral_c.c):
 * 4x4 blocks of the source are transposed so that one vector holds a
 * column of the four rows and their four running sums advance together;
 * transposed back, each row adds the row above, in the reference's order
 * (bit-identical). */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/d4.h"
#include "simd/x86/vec.h"

void ST_FN(integral4)(const float *const src[4], const double *prev, double *const out[4], int w)
{
    d4 run = d4_set1(0.0);
    for (int i = 0; i < 4; i++)
        out[i][0] = 0.0;
    int x = 0;
    for (; x + 4 <= w; x += 4) {
        __m128 c0 = _mm_loadu_ps(src[0] + x), c1 = _mm_loadu_ps(src[1] + x);
        __m128 c2 = _mm_loadu_ps(src[2] + x), c3 = _mm_loadu_ps(src[3] + x);
        _MM_TRANSPOSE4_PS(c0, c1, c2, c3);
        d4 r0 = run = d4_add(run, d4_from_ps(c0));
        d4 r1 = run = d4_add(run, d4_from_ps(c1));
        d4 r2 = run = d4_add(run, d4_from_ps(c2));
        d4 r3 = run = d4_add(run, d4_from_ps(c3));
        d4_transpose(&r0, &r1, &r2, &r3);
        d4 v = d4_add(d4_load(prev + x + 1), r0);
        d4_store(out[0] + x + 1, v);
        v = d4_add(v, r1);
        d4_store(out[1] + x + 1, v);
        v = d4_add(v, r2);
        d4_store(out[2] + x + 1, v);
        v = d4_add(v, r3);
        d4_store(out[3] + x + 1, v);
    }
    double rest[4];
    d4_store(rest, run);
    for (int i = 0; i < 4; i++)
        st_integral_row(src[i], i ? out[i - 1] : prev, out[i], x, w, rest[i]);
}
