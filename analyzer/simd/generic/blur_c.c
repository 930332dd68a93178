/* Symmetric separable convolution, scalar reference (Gaussian blur).
 *
 * Horizontal: dst[x] = k0 p[x] + sum_{j=1..r} k_j (p[x-j] + p[x+j]) over a
 * row padded by r mirrored samples on each side (sample x at p[x + r]).
 * Vertical: the same sum down a column, over 2r+1 row pointers.
 * The sum runs j = 1..r. SSE2 repeats it exactly; AVX2 uses fused
 * multiply-adds, so it differs by rounding only (|d| <= 2e-6 relative to
 * the row's range, tests/unit/test_simd_blur.c). */
/* On x86 the reference stays scalar: it is the baseline the SIMD paths are
 * measured against, and what SKINTRACK_SIMD=scalar promises. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"

void st_conv_h_c(const float *p, const float *k, int r, float *dst, int n)
{
    for (int x = 0; x < n; x++)
        dst[x] = st_conv_h_px(p + x + r, k, r);
}

void st_conv_v_c(const float *const *rows, const float *k, int r, size_t x0, float *dst, int n)
{
    for (int i = 0; i < n; i++) {
        size_t x = x0 + (size_t)i;
        float acc = k[0] * rows[r][x];
        for (int j = 1; j <= r; j++)
            acc = acc + k[j] * (rows[r - j][x] + rows[r + j][x]);
        dst[i] = acc;
    }
}
