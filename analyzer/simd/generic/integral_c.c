/* Summed-area table, scalar reference: four consecutive rows, each the
 * running row sum (double, in column order) added to the row above
 * (filter_px.h st_integral_row). SIMD paths are bit-identical. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"

void st_integral4_c(const float *const src[4], const double *prev, double *const out[4], int w)
{
    for (int i = 0; i < 4; i++) {
        out[i][0] = 0.0;
        st_integral_row(src[i], i ? out[i - 1] : prev, out[i], 0, w, 0.0);
    }
}
