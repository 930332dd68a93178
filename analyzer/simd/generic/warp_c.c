/* One destination row of the perspective warp, scalar reference:
 * dst(x, y) = bicubic src at M [x y 1]^T (warp_px.h), `outside` where that
 * point is not within the source's sample centres. */
/* On x86 the reference stays scalar: it is the baseline the SIMD paths are
 * measured against, and what SKINTRACK_SIMD=scalar promises. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/generic/warp_px.h"
#include "simd/simd_internal.h"

void st_warp_row_c(const float *const *src, int nch, size_t sstride, int sw, int sh,
                   const double m[9], int y, float *const *dst, unsigned char *valid, int dw,
                   float outside)
{
    for (int x = 0; x < dw; x++) {
        double xs, ys;
        st_warp_coords(m, (double)x, (double)y, &xs, &ys);
        int in = st_inside(xs, ys, sw, sh);
        for (int c = 0; c < nch; c++)
            dst[c][x] = in ? st_bicubic_px(src[c], sstride, sw, sh, xs, ys) : outside;
        if (valid)
            valid[x] = (unsigned char)in;
    }
}
