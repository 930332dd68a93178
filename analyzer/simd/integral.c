/* Summed-area table (Crow 1984) in double: ii(x+1, y+1) = sum of src over
 * [0, x] x [0, y]. Rows go four at a time to the active path's kernel (four
 * running sums side by side), the last h mod 4 through the reference row. */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "skintrack/skintrack.h"

#include <string.h>

int st_integral_image(const float *src, size_t sstride, double *ii, int w, int h)
{
    if (!src || !ii || w < 1 || h < 1 || sstride < (size_t)w)
        return ST_EINVAL;
    const st_simd_fns *f = st_simd_fns_get();
    const size_t iw = (size_t)w + 1u;
    memset(ii, 0, iw * sizeof *ii);
    int y = 0;
    for (; y + 4 <= h; y += 4) {
        const float *s[4];
        double *out[4];
        for (int i = 0; i < 4; i++) {
            s[i] = src + (size_t)(y + i) * sstride;
            out[i] = ii + (size_t)(y + 1 + i) * iw;
        }
        f->integral4(s, ii + (size_t)y * iw, out, w);
    }
    for (; y < h; y++) {
        double *row = ii + (size_t)(y + 1) * iw;
        row[0] = 0.0;
        st_integral_row(src + (size_t)y * sstride, row - iw, row, 0, w, 0.0);
    }
    return ST_OK;
}
