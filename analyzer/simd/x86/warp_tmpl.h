/* One row of the perspective warp, with the 4x4 Catmull-Rom sum in 128-bit
 * vectors: one load per source row, column sums across the 4 rows, then the
 * horizontal weights (reference: generic/warp_c.c, generic/warp_px.h). The
 * operations and their order are the reference's: bit-identical. */
#include "simd/generic/warp_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

static inline float bicubic_inner(const float *src, size_t sstride, int ix, int iy, float tx,
                                  float ty)
{
    float wx[4], wy[4];
    st_cubic_weights(tx, wx);
    st_cubic_weights(ty, wy);
    const float *p = src + (size_t)(iy - 1) * sstride + (ix - 1);
    __m128 c = _mm_add_ps(_mm_mul_ps(_mm_set1_ps(wy[0]), _mm_loadu_ps(p)),
                          _mm_mul_ps(_mm_set1_ps(wy[1]), _mm_loadu_ps(p + sstride)));
    c = _mm_add_ps(c, _mm_mul_ps(_mm_set1_ps(wy[2]), _mm_loadu_ps(p + 2 * sstride)));
    c = _mm_add_ps(c, _mm_mul_ps(_mm_set1_ps(wy[3]), _mm_loadu_ps(p + 3 * sstride)));
    __m128 q = _mm_mul_ps(_mm_loadu_ps(wx), c);
    __m128 s = _mm_add_ps(q, _mm_movehl_ps(q, q));                        /* p0+p2, p1+p3 */
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, _MM_SHUFFLE(1, 1, 1, 1))));
}

void ST_FN(warp_row)(const float *src, size_t sstride, int sw, int sh, const double m[9], int y,
                     float *dst, unsigned char *valid, int dw, float outside)
{
    for (int x = 0; x < dw; x++) {
        double xs, ys;
        st_warp_coords(m, (double)x, (double)y, &xs, &ys);
        int in = st_inside(xs, ys, sw, sh);
        if (valid)
            valid[x] = (unsigned char)in;
        if (!in) {
            dst[x] = outside;
            continue;
        }
        double fx = floor(xs), fy = floor(ys);
        int ix = (int)fx, iy = (int)fy;
        if (ix >= 1 && iy >= 1 && ix + 2 < sw && iy + 2 < sh)
            dst[x] = bicubic_inner(src, sstride, ix, iy, (float)(xs - fx), (float)(ys - fy));
        else
            dst[x] = st_bicubic_px(src, sstride, sw, sh, xs, ys);
    }
}
