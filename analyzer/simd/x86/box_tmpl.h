/* Box filter column sums, vectorised (reference: generic/box_c.c);
 * element-wise, bit-identical. */
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

void ST_FN(rows_add)(float *acc, const float *s, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(acc + x, vadd(vload(acc + x), vload(s + x)));
    for (; x < n; x++)
        acc[x] = acc[x] + s[x];
}

void ST_FN(rows_slide)(float *acc, const float *add, const float *sub, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(acc + x, vsub(vadd(vload(acc + x), vload(add + x)), vload(sub + x)));
    for (; x < n; x++)
        acc[x] = (acc[x] + add[x]) - sub[x];
}
