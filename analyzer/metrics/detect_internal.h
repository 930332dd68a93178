/* Plumbing shared by the detection families (not part of the stage's API):
 * input access, robust statistics, masked smoothing, pyramids, Hessians,
 * connected components. */
#ifndef ST_METRICS_DETECT_INTERNAL_H
#define ST_METRICS_DETECT_INTERNAL_H

#include <stddef.h>
#include <math.h>
#include <stdint.h>

#include "metrics/detect.h"

/* ---- detect_common.c ---------------------------------------------------- */
/* Pixel size in mm from the input (0 when uncalibrated). */
double st_det_pixel_mm(const st_detect_input *in);
/* 1 when (x, y) is inside the ROI. */
static inline int st_det_inside(const st_detect_input *in, int x, int y)
{
    if (!in->mask)
        return 1;
    size_t ms = in->mask_stride ? in->mask_stride : (size_t)in->surface->width;
    return in->mask[(size_t)y * ms + (size_t)x] != 0;
}
/* Number of ROI pixels. */
size_t st_det_roi_count(const st_detect_input *in);
/* Checks the common input (surface present, 1 channel, mask size). */
int st_det_check_input(const st_detect_input *in, const char *family, st_err *err);
/* w*h float buffer (stride w), with a checked size; NULL on failure. */
float *st_det_alloc(int w, int h);
/* A pool of plane buffers. On this kind of machine (a VM) first touching a
 * fresh 12 MP plane costs ~10 ms of page faults; the families allocate and
 * free dozens of them, so st_detect_all keeps the freed ones for reuse. Not
 * thread-safe: get and put only from the calling thread, never in bands. */
typedef struct st_det_pool st_det_pool;
st_det_pool *st_det_pool_new(void);
void st_det_pool_free(st_det_pool *pool);
/* A w*h plane from in->pool (contents undefined), or st_det_alloc without a
 * pool; NULL on failure. */
float *st_det_get(const st_detect_input *in, int w, int h);
/* Gives a plane from st_det_get back (NULL is ignored). */
void st_det_put(const st_detect_input *in, float *plane);
/* A buffer of at least `bytes` bytes (masks, label images) from the same
 * pool, 32-byte aligned, contents undefined; NULL on failure. Give it back
 * with st_det_put((float *)p). */
void *st_det_get_bytes(const st_detect_input *in, size_t bytes);
/* The input with a pool: `in` itself when it has one, else *local, a copy
 * of it with a new pool (NULL pool if that fails: plain allocations). A
 * family calls st_det_pool_end(in, local) before returning. */
const st_detect_input *st_det_pool_begin(const st_detect_input *in, st_detect_input *local);
void st_det_pool_end(const st_detect_input *in, st_detect_input *local);
/* The surface as a packed w*h plane: its own data when the rows are packed
 * (stride == width, as for widths that are multiples of 8), else a copy
 * from the pool into *copy (NULL otherwise; give it back with st_det_put).
 * NULL when out of memory. Read only. */
const float *st_det_surface(const st_detect_input *in, float **copy);
/* Copies a surface plane into a w*h buffer. */
void st_det_copy_plane(const st_image *img, int channel, float *dst);
/* Robust standard deviation: 1.4826 x median absolute deviation of up to
 * ~65536 evenly spaced samples of v (Hampel 1974). */
double st_det_robust_sigma(const float *v, size_t n);
/* k-th smallest of v[0..n) by Hoare's selection (v is reordered). */
float st_det_select(float *v, size_t n, size_t k);
/* The q-quantile (0..1) of up to ~65536 evenly spaced samples of v. */
double st_det_quantile(const float *v, size_t n, double q);
/* Normalised convolution (Knutsson & Westin 1993): blur(v*wt) / blur(wt) with
 * a Gaussian of sigma; where blur(wt) ~ 0 the plain blur is used. tmp is a
 * w*h scratch buffer; dst may equal v. */
int st_det_masked_blur(const float *v, const float *wt, float *dst, float *tmp, int w, int h,
                       double sigma, int threads);
/* Wide local means: normalised convolution with a Gaussian of sigma_px
 * (full-resolution pixels) of nv planes v[k] weighted by wt (w*h, NULL =
 * all ones), computed on a mean pyramid of `levels` 2x steps (coarse sigma
 * ~8 px): out[k] (cw x ch, caller frees) are the coarse means, to be read
 * back with st_det_up_row. */
int st_det_local_mean_coarse(const float *const *v, int nv, const float *wt, int w, int h,
                             double sigma_px, int threads, float **out, int *cw, int *ch,
                             int *levels);
/* levels times 2x mean downsampling; returns a new buffer and its size.
 * Rows run in bands over `threads` (the same values for any count). */
float *st_det_pyr_down(const float *src, int w, int h, int levels, int *ow, int *oh,
                       int threads);
/* The pyramid level for a Gaussian of sigma (full px): the smallest k with
 * sigma / 2^k <= max_lvl_sigma, stepping down only from levels of at least
 * min_size px either way (sizes halve rounding up, as st_det_pyr_down
 * makes them). pore_scales.c's loop is (sigma, 1.6, w, h, 17). */
int st_det_pyr_level_for(double sigma, double max_lvl_sigma, int w, int h, int min_size);
/* Walking down a pyramid a step at a time: lvl is the current level (the
 * caller's plane at level 0, then `own`, which the walk allocates; free it
 * with st_aligned_free), w x h its size. */
typedef struct st_det_pyr_walk {
    const float *lvl;
    float *own;
    int w, h, level;
} st_det_pyr_walk;
/* 2x steps until p->level reaches `level` (none if already there); ST_OK
 * or ST_ENOMEM (p unchanged from the failed step on). */
int st_det_pyr_descend(st_det_pyr_walk *p, int level, int threads);
/* Bilinear upsampling of a (cw, ch) plane made by `levels` 2x steps back to
 * width w, a row at a time (pixel centres line up as the 2x2 means imply):
 * the column positions are tabulated once in st_det_up. */
typedef struct st_det_up {
    int w, cw, ch;
    double scale;
    int *x0, *x1;
    float *fx;
} st_det_up;
int st_det_up_init(st_det_up *u, int cw, int ch, int levels, int w);
void st_det_up_free(st_det_up *u);
/* Two coarse rows interpolated along x, kept between calls on consecutive
 * fine rows (one per band and per coarse plane). */
typedef struct st_det_up_cache {
    float *h[2];
    int row[2];
    const float *coarse;
} st_det_up_cache;
int st_det_up_cache_init(st_det_up_cache *c, int w);
void st_det_up_cache_free(st_det_up_cache *c);
/* Fine row y into out (w floats); cache may be NULL (or failed to
 * allocate): the same values, computed per pixel. */
void st_det_up_row(const st_det_up *u, const float *coarse, int y, float *out,
                   st_det_up_cache *cache);
/* One fine pixel (x, y), the same value st_det_up_row gives there. */
float st_det_up_at(const st_det_up *u, const float *coarse, int x, int y);
/* The whole plane (w, h) at once, in row bands; ST_ENOMEM possible. */
int st_det_pyr_up(const float *coarse, int cw, int ch, int levels, float *dst, int w, int h,
                  int threads);
/* Hessian by central differences of a smoothed plane (reflected borders). */
void st_det_hessian(const float *s, int w, int h, int x, int y, float *dxx, float *dyy,
                    float *dxy);

/* Row loops that vectorise get an AVX2 clone besides the baseline one,
 * chosen at load time (GCC's target_clones, an ifunc). Both clones do the
 * same IEEE operations in the same order (no FMA: ISO C mode keeps
 * -ffp-contract=off), so results are bit-identical on either CPU. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define ST_DET_VEC __attribute__((target_clones("avx2", "default")))
#else
#define ST_DET_VEC
#endif

/* v[i] = sqrt(v[i]) over a row. IEEE square roots are exact, so the SSE
 * form equals sqrtf bit for bit; it exists because C's sqrtf may set errno,
 * which keeps compilers from vectorising any loop that calls it. */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
static inline void st_det_sqrt_row(float *restrict v, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(v + i, _mm_sqrt_ps(_mm_loadu_ps(v + i)));
#endif
    for (; i < n; i++)
        v[i] = sqrtf(v[i]);
}

/* out[x] = v0 + t[x] (r[i1[x]] - v0), v0 = r[i0[x]]: a row interpolated
 * along x from tabulated positions (AVX2 gathers in its AVX2 clone). */
void st_det_gather_lerp_row(const float *restrict r, const int *restrict i0,
                            const int *restrict i1, const float *restrict t,
                            float *restrict out, int n);

/* ---- detect_math.c (vectorisable row functions) --------------------------- */
/* out[i] = atan2(y[i], x[i]) in radians, within 4e-7 rad. */
void st_det_atan2_row(const float *restrict y, const float *restrict x, float *restrict out,
                      size_t n);
/* out[i] = log10(v[i]) for positive normal v, within 1e-6. */
void st_det_log10_row(const float *restrict v, float *restrict out, size_t n);

/* ---- label.c -------------------------------------------------------------- */
/* 8-connected components of bin != 0: labels 1..count, 0 = background. */
int st_det_label8(const unsigned char *bin, int w, int h, int32_t *labels, int *count,
                  st_err *err);
/* Hysteresis (Canny 1986) in place: mask holds 0, weak (1) or strong (>= 2)
 * pixels; the 8-connected components of nonzero pixels that hold a strong
 * one become 1, the others 0. No label image is made. */
int st_det_hysteresis8(unsigned char *mask, int w, int h, st_err *err);
/* Pixels in the 8-connected components of bin != 0 that have at least
 * min_px pixels, into *area. */
int st_det_large_area8(const unsigned char *bin, int w, int h, double min_px, size_t *area,
                       st_err *err);
/* First x' >= x with b[x'] != 0, or w (zero bytes skipped eight at a time). */
int st_det_next_set(const unsigned char *b, int x, int w);

/* Lab planes (w*h each) of the ROI's photo; NULL planes are skipped. Rows
 * run in bands over `threads`. */
int st_det_lab_planes(const st_image *rgb, float *L, float *a, float *b, int threads);

/* CIE Lab planes of in->rgb after a Gaussian of sigma px, bit k of need
 * for L*, a*, b* (k = 0, 1, 2): made once and kept in in->pool for the next
 * colour family that asks with the same sigma (pigment and redness smooth
 * alike), so lab[k] belong to the pool. ST_ENOMEM without a pool. The
 * planes are on the grid of factor f = st_det_lab_grid(sigma): f = 2 (a
 * wide enough Gaussian) gives (w+1)/2 x (h+1)/2 planes from the 2x means
 * of the photo, pixel (x, y) centred on full pixel (2x + 0.5, 2y + 0.5). */
int st_det_smoothed_lab(const st_detect_input *in, double sigma, unsigned need, int threads,
                        const float **lab);
int st_det_lab_grid(double sigma);
/* Planes (bits as above) that st_det_smoothed_lab makes whenever it makes
 * any: st_detect_all asks for all three when both colour families run. */
void st_det_pool_share_lab(st_det_pool *pool, unsigned planes);

/* Seconds from a monotonic clock. */
double st_det_now(void);
/* CPU seconds of the process (all threads): on a shared machine the wall
 * clock also counts waiting for a core. */
double st_det_cpu_now(void);

#endif
