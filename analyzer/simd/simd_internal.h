/* Internal to analyzer/simd: the per-path function table and the inner
 * (row-level) kernels each path provides. The public entry points in
 * kernels.h do the borders, buffers and threading once, in plain C, and call
 * these for the arithmetic, so every path shares the same edge handling.
 *
 * Every inner kernel is written three times: generic/<kernel>_c.c (the
 * reference, which says what is computed), x86/<kernel>_sse2.c and
 * x86/<kernel>_avx2.c. Unless a kernel's reference says otherwise, the SIMD
 * versions perform the same IEEE operations in the same order as the
 * reference and so give bit-identical results. */
#ifndef ST_SIMD_INTERNAL_H
#define ST_SIMD_INTERNAL_H

#include <stddef.h>

#include "simd/kernels.h"

typedef struct st_simd_fns {
    /* colour, element-wise; in == out allowed */
    void (*srgb_to_linear)(const float *in, float *out, size_t n);
    void (*luminance)(const float *r, const float *g, const float *b, float *y, size_t n);
    void (*srgb_to_lab)(const float *r, const float *g, const float *b, float *L, float *a,
                        float *bs, size_t n);
    /* symmetric convolution, taps k[0..r]: horizontal over a padded row
     * (sample x at p[x + r]), vertical over 2r+1 row pointers (centre rows[r]) */
    void (*conv_h)(const float *p, const float *k, int r, float *dst, int n);
    void (*conv_v)(const float *const *rows, const float *k, int r, size_t x0, float *dst,
                   int n);
    /* box filter column sums: acc += s;  out = (acc + add) - sub (out == acc allowed) */
    void (*rows_add)(float *acc, const float *s, int n);
    void (*rows_slide)(float *out, const float *acc, const float *add, const float *sub, int n);
    /* horizontal box sums of 8 rows at once: generic/filter_px.h st_box_h_row */
    void (*box_h8)(const float *const pad[8], int w, int r, double inv, float *const dst[8]);
    /* four rows of the summed-area table: out[i] from src row i and the
     * table row above (prev for i = 0): generic/filter_px.h st_integral_row */
    void (*integral4)(const float *const src[4], const double *prev, double *const out[4], int w);
    /* 3x3 gradients over columns [x0, x1), 1 <= x0, x1 <= w - 1 (rows a, b, c
     * are y-1, y, y+1); we/wm are the edge and middle weights (Sobel 1, 2;
     * Scharr 3, 10); gx or gy may be NULL. stream: the image is large
     * (ST_STREAM_MIN_FLOATS), outputs may bypass the cache. */
    void (*grad3)(const float *a, const float *b, const float *c, float *gx, float *gy, int x0,
                  int x1, float we, float wm, int stream);
    void (*laplace)(const float *a, const float *b, const float *c, float *dst, int x0, int x1,
                    int stream);
    /* grey-level morphology, element-wise: acc = acc > s ? acc : s (max),
     * acc = acc < s ? acc : s (min) */
    void (*rows_max)(float *acc, const float *s, int n);
    void (*rows_min)(float *acc, const float *s, int n);
    /* n output pixels from full 2x2 blocks of rows a, b */
    void (*down2)(const float *a, const float *b, float *dst, int n);
    /* one destination row of st_warp_perspective_planes: nch planes of one
     * source geometry (src[c], stride sstride) into rows dst[c] */
    void (*warp_row)(const float *const *src, int nch, size_t sstride, int sw, int sh,
                     const double m[9], int y, float *const *dst, unsigned char *valid, int dw,
                     float outside);
} st_simd_fns;

/* The table of the active path (detection + SKINTRACK_SIMD + st_simd_force). */
const st_simd_fns *st_simd_fns_get(void);
/* The table of a given path; NULL if not compiled in. */
const st_simd_fns *st_simd_fns_of(st_simd_path path);

#define ST_DECLARE_PATH(sfx)                                                                   \
    void st_srgb_to_linear_##sfx(const float *in, float *out, size_t n);                       \
    void st_luminance_##sfx(const float *r, const float *g, const float *b, float *y, size_t n); \
    void st_srgb_to_lab_##sfx(const float *r, const float *g, const float *b, float *L,        \
                              float *a, float *bs, size_t n);                                  \
    void st_conv_h_##sfx(const float *p, const float *k, int r, float *dst, int n);            \
    void st_conv_v_##sfx(const float *const *rows, const float *k, int r, size_t x0,           \
                         float *dst, int n);                                                   \
    void st_rows_add_##sfx(float *acc, const float *s, int n);                                 \
    void st_rows_slide_##sfx(float *out, const float *acc, const float *add, const float *sub, \
                             int n);                                                           \
    void st_box_h8_##sfx(const float *const pad[8], int w, int r, double inv,                  \
                         float *const dst[8]);                                                 \
    void st_integral4_##sfx(const float *const src[4], const double *prev, double *const out[4], \
                            int w);                                                            \
    void st_grad3_##sfx(const float *a, const float *b, const float *c, float *gx, float *gy,  \
                        int x0, int x1, float we, float wm, int stream);                       \
    void st_laplace_##sfx(const float *a, const float *b, const float *c, float *dst, int x0,  \
                          int x1, int stream);                                                 \
    void st_rows_max_##sfx(float *acc, const float *s, int n);                                 \
    void st_rows_min_##sfx(float *acc, const float *s, int n);                                 \
    void st_down2_##sfx(const float *a, const float *b, float *dst, int n);                    \
    void st_warp_row_##sfx(const float *const *src, int nch, size_t sstride, int sw, int sh,  \
                           const double m[9], int y, float *const *dst, unsigned char *valid,  \
                           int dw, float outside);

ST_DECLARE_PATH(c)
ST_DECLARE_PATH(sse2)
ST_DECLARE_PATH(avx2)

/* Outputs of at least this many floats (16 MB) are written with
 * non-temporal stores by the SIMD paths where the layout allows: they
 * cannot stay in the cache anyway, and skipping the read-for-ownership cuts
 * the memory traffic of the light, bandwidth-bound kernels. */
#define ST_STREAM_MIN_FLOATS ((size_t)1 << 22)

/* BORDER_REFLECT index (…cba|abc…), periodic for offsets beyond one length. */
static inline int st_reflect(int i, int n)
{
    if (n == 1)
        return 0;
    int p = 2 * n;
    i %= p;
    if (i < 0)
        i += p;
    return i < n ? i : p - 1 - i;
}

/* True if two planes share memory (in-place calls then run on a copy). */
int st_planes_overlap(const float *a, size_t astride, const float *b, size_t bstride, int w,
                      int h);
/* A packed copy of a plane (its stride, a multiple of 8, in *stride); NULL if
 * out of memory. Free with st_aligned_free. */
float *st_plane_copy(const float *src, size_t sstride, int w, int h, size_t *stride);

#endif
