/* Box filter column sums, scalar reference: element-wise acc += s, and the
 * sliding update acc = (acc + add) - sub. SIMD paths are bit-identical. */
#include "simd/simd_internal.h"

void st_rows_add_c(float *acc, const float *s, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] = acc[x] + s[x];
}

void st_rows_slide_c(float *acc, const float *add, const float *sub, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] = (acc[x] + add[x]) - sub[x];
}
