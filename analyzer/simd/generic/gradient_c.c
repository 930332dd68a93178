/* 3x3 gradients (Sobel, Scharr) and the 5-point Laplacian, scalar reference
 * on interior columns; the formulas are in filter_px.h. Bit-identical SIMD. */
/* On x86 the reference stays scalar: it is the baseline the SIMD paths are
 * measured against, and what SKINTRACK_SIMD=scalar promises. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"

void st_grad3_c(const float *a, const float *b, const float *c, float *gx, float *gy, int x0,
                int x1, float we, float wm, int stream)
{
    for (int x = x0; x < x1; x++)
        st_grad3_px(a, b, c, x - 1, x, x + 1, we, wm, gx ? gx + x : NULL, gy ? gy + x : NULL);
}

void st_laplace_c(const float *a, const float *b, const float *c, float *dst, int x0, int x1,
                  int stream)
{
    for (int x = x0; x < x1; x++)
        dst[x] = st_laplace_px(a, b, c, x - 1, x, x + 1);
}
