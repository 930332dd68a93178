/* Grey-level morphology rows, vectorised (reference: generic/morph_c.c);
 * element-wise, bit-identical. */
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

void ST_FN(rows_max)(float *acc, const float *s, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(acc + x, vmax(vload(acc + x), vload(s + x)));
    for (; x < n; x++)
        acc[x] = acc[x] > s[x] ? acc[x] : s[x];
}

void ST_FN(rows_min)(float *acc, const float *s, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(acc + x, vmin(vload(acc + x), vload(s + x)));
    for (; x < n; x++)
        acc[x] = acc[x] < s[x] ? acc[x] : s[x];
}
