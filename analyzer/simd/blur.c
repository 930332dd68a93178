/* Separable Gaussian blur: the driver around the conv_h / conv_v kernels.
 *
 * Each row band (core/parallel.h) filters its rows horizontally into a ring
 * of 2r + B rows (B output rows per block), then filters a block vertically
 * in column strips narrow enough for the strip's 2r + B rows to stay in the
 * L2 cache, which keeps large sigmas (r = 96 at sigma 32) from streaming the
 * whole ring per output row. A band recomputes the r halo rows it shares with
 * its neighbours, so a pixel's value never depends on the band split: the
 * result is identical for every thread count. */
#include "core/alloc.h"
#include "core/parallel.h"
#include "simd/simd_internal.h"
#include "skintrack/skintrack.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLUR_BLOCK 64
#define BLUR_STRIP_BYTES (192u * 1024u)

typedef struct blur_job {
    const float *src;
    size_t sstride;
    float *dst;
    size_t dstride;
    int w, h, r;
    const float *k;
    const st_simd_fns *f;
    atomic_int failed;
} blur_job;

/* Mirrors src row `y` into pad (r samples each side) for conv_h. */
static void pad_row(const float *srow, int w, int r, float *pad)
{
    memcpy(pad + r, srow, (size_t)w * sizeof *pad);
    for (int i = 1; i <= r; i++) {
        pad[r - i] = srow[st_reflect(-i, w)];
        pad[r + w - 1 + i] = srow[st_reflect(w - 1 + i, w)];
    }
}

static int strip_width(int w, int rows)
{
    size_t s = BLUR_STRIP_BYTES / ((size_t)rows * sizeof(float));
    s = s < 64 ? 64 : (s & ~(size_t)15);
    return s >= (size_t)w ? w : (int)s;
}

static void blur_band(void *ctx, int y0, int y1)
{
    blur_job *job = ctx;
    const int w = job->w, r = job->r, R = 2 * r + BLUR_BLOCK;
    const size_t rs = ((size_t)w + 7u) & ~(size_t)7u;
    float *ring = st_aligned_alloc((size_t)R * rs * sizeof(float));
    float *pad = st_aligned_alloc(((size_t)w + 2u * (size_t)r) * sizeof(float));
    const float **ptr = malloc((size_t)BLUR_BLOCK * (size_t)(2 * r + 1) * sizeof *ptr);
    if (!ring || !pad || !ptr) {
        atomic_store(&job->failed, 1);
        goto done;
    }
    const int base = y0 - r;    /* absolute row held in ring slot 0 at the start */
    int next = base;            /* next absolute row to filter horizontally */
    const int strip = strip_width(w, R);
    for (int yb = y0; yb < y1; yb += BLUR_BLOCK) {
        int ye = yb + BLUR_BLOCK < y1 ? yb + BLUR_BLOCK : y1;
        for (; next < ye + r; next++) {
            const float *srow = job->src + (size_t)st_reflect(next, job->h) * job->sstride;
            pad_row(srow, w, r, pad);
            job->f->conv_h(pad, job->k, r, ring + (size_t)((next - base) % R) * rs, w);
        }
        for (int y = yb; y < ye; y++)
            for (int i = 0; i <= 2 * r; i++)
                ptr[(size_t)(y - yb) * (size_t)(2 * r + 1) + (size_t)i] =
                    ring + (size_t)((y - r + i - base) % R) * rs;
        for (int x0 = 0; x0 < w; x0 += strip) {
            int n = x0 + strip < w ? strip : w - x0;
            for (int y = yb; y < ye; y++)
                job->f->conv_v(ptr + (size_t)(y - yb) * (size_t)(2 * r + 1), job->k, r,
                               (size_t)x0, job->dst + (size_t)y * job->dstride + x0, n);
        }
    }
done:
    st_aligned_free(ring);
    st_aligned_free(pad);
    free(ptr);
}

/* Normalised sampled Gaussian, half kernel k[0..r]: exp(-j^2 / 2 sigma^2)
 * divided by its sum over -r..r, computed in double (as OpenCV's
 * getGaussianKernel does), then rounded to float. */
static void gaussian_taps(double sigma, int r, float *k)
{
    double sum = 0.0;
    for (int j = 0; j <= r; j++)
        sum += (j ? 2.0 : 1.0) * exp(-0.5 * (double)j * (double)j / (sigma * sigma));
    for (int j = 0; j <= r; j++)
        k[j] = (float)(exp(-0.5 * (double)j * (double)j / (sigma * sigma)) / sum);
}

/* True if the two planes share memory (in-place calls are then run on a copy). */
int st_planes_overlap(const float *a, size_t astride, const float *b, size_t bstride, int w,
                      int h)
{
    uintptr_t a0 = (uintptr_t)a, a1 = (uintptr_t)(a + (size_t)(h - 1) * astride + (size_t)w);
    uintptr_t b0 = (uintptr_t)b, b1 = (uintptr_t)(b + (size_t)(h - 1) * bstride + (size_t)w);
    return a0 < b1 && b0 < a1;
}

/* A packed copy of a plane (stride rounded to 8), or NULL. */
float *st_plane_copy(const float *src, size_t sstride, int w, int h, size_t *stride)
{
    size_t rs = ((size_t)w + 7u) & ~(size_t)7u, bytes;
    if (st_mul_size(rs, (size_t)h, &bytes) || st_mul_size(bytes, sizeof(float), &bytes))
        return NULL;
    float *p = st_aligned_alloc(bytes);
    if (p)
        for (int y = 0; y < h; y++)
            memcpy(p + (size_t)y * rs, src + (size_t)y * sstride, (size_t)w * sizeof *p);
    *stride = rs;
    return p;
}

int st_gaussian_blur(const float *src, size_t sstride, float *dst, size_t dstride, int w, int h,
                     double sigma, int threads)
{
    if (!src || !dst || w < 1 || h < 1 || !(sigma > 0.0) || sigma > 1e4 ||
        sstride < (size_t)w || dstride < (size_t)w)
        return ST_EINVAL;
    int r = (int)ceil(3.0 * sigma);
    float *k = malloc(((size_t)r + 1u) * sizeof *k);
    float *copy = NULL;
    if (!k)
        return ST_ENOMEM;
    gaussian_taps(sigma, r, k);
    if (st_planes_overlap(src, sstride, dst, dstride, w, h)) {
        copy = st_plane_copy(src, sstride, w, h, &sstride);
        if (!copy) {
            free(k);
            return ST_ENOMEM;
        }
        src = copy;
    }
    blur_job job = {src, sstride, dst, dstride, w, h, r, k, st_simd_fns_get(), 0};
    int min_rows = r < 32 ? 32 : r;
    st_parallel_for(threads, h, min_rows, blur_band, &job);
    st_aligned_free(copy);
    free(k);
    return atomic_load(&job.failed) ? ST_ENOMEM : ST_OK;
}
