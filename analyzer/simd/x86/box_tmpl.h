/* Box filter column sums, vectorised (reference: generic/box_c.c);
 * element-wise, bit-identical. */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/d4.h"
#include "simd/x86/vec.h"

void ST_FN(rows_add)(float *acc, const float *s, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(acc + x, vadd(vload(acc + x), vload(s + x)));
    for (; x < n; x++)
        acc[x] = acc[x] + s[x];
}

void ST_FN(rows_slide)(float *out, const float *acc, const float *add, const float *sub, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(out + x, vsub(vadd(vload(acc + x), vload(add + x)), vload(sub + x)));
    for (; x < n; x++)
        out[x] = (acc[x] + add[x]) - sub[x];
}

/* Eight rows' running sums side by side, as two groups of four: 4x4 blocks
 * of the padded rows are transposed so that a vector holds one column of
 * four rows; the sums run in double, in the reference's order
 * (generic/filter_px.h). */
/* Four columns of four rows: transpose, four steps of the running sums,
 * transpose back and store. */
static inline d4 box_step(d4 s, __m128 a, __m128 b)
{
    return d4_add(s, d4_sub(d4_from_ps(a), d4_from_ps(b)));
}

static inline d4 box_cols4(const float *const *pad, float *const *dst, int x, int r, d4 s, d4 vinv)
{
    __m128 a0 = _mm_loadu_ps(pad[0] + x + 2 * r), a1 = _mm_loadu_ps(pad[1] + x + 2 * r);
    __m128 a2 = _mm_loadu_ps(pad[2] + x + 2 * r), a3 = _mm_loadu_ps(pad[3] + x + 2 * r);
    __m128 b0 = _mm_loadu_ps(pad[0] + x - 1), b1 = _mm_loadu_ps(pad[1] + x - 1);
    __m128 b2 = _mm_loadu_ps(pad[2] + x - 1), b3 = _mm_loadu_ps(pad[3] + x - 1);
    _MM_TRANSPOSE4_PS(a0, a1, a2, a3);
    _MM_TRANSPOSE4_PS(b0, b1, b2, b3);
    s = box_step(s, a0, b0);
    __m128 o0 = d4_to_ps(d4_mul(s, vinv));
    s = box_step(s, a1, b1);
    __m128 o1 = d4_to_ps(d4_mul(s, vinv));
    s = box_step(s, a2, b2);
    __m128 o2 = d4_to_ps(d4_mul(s, vinv));
    s = box_step(s, a3, b3);
    __m128 o3 = d4_to_ps(d4_mul(s, vinv));
    _MM_TRANSPOSE4_PS(o0, o1, o2, o3);
    _mm_storeu_ps(dst[0] + x, o0);
    _mm_storeu_ps(dst[1] + x, o1);
    _mm_storeu_ps(dst[2] + x, o2);
    _mm_storeu_ps(dst[3] + x, o3);
    return s;
}

void ST_FN(box_h8)(const float *const pad[8], int w, int r, double inv, float *const dst[8])
{
    double s0[8];
    for (int i = 0; i < 8; i++) {
        s0[i] = st_box_h_start(pad[i], r);
        dst[i][0] = (float)(s0[i] * inv);
    }
    d4 sa = d4_load(s0), sb = d4_load(s0 + 4);
    const d4 vinv = d4_set1(inv);
    int x = 1;
    for (; x + 4 <= w; x += 4) {
        sa = box_cols4(pad, dst, x, r, sa, vinv);
        sb = box_cols4(pad + 4, dst + 4, x, r, sb, vinv);
    }
    d4_store(s0, sa);
    d4_store(s0 + 4, sb);
    for (int i = 0; i < 8; i++)
        st_box_h_tail(pad[i], x, w, r, inv, s0[i], dst[i]);
}
