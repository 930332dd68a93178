/* Separable Gaussian blur: the driver around the conv_h / conv_v kernels.
 *
 * Each row band (core/parallel.h) filters its rows horizontally into a ring
 * of 2r + B rows (B output rows per block; the whole image instead when
 * that is no taller), then filters a block vertically
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

/* Where the horizontally filtered row of absolute row j lives: a ring slot,
 * or, when the whole image is held (ring as tall as the image), the row of
 * its mirror image, so mirrored rows are filtered once. */
typedef struct hrows {
    float *buf;
    size_t rs;
    int R, base, full, h;
} hrows;

static float *hrow(const hrows *t, int j)
{
    int slot = t->full ? st_reflect(j, t->h) : (j - t->base) % t->R;
    return t->buf + (size_t)slot * t->rs;
}

static void filter_rows(const blur_job *job, const hrows *t, int from, int to, float *pad)
{
    for (int j = from; j < to; j++) {
        pad_row(job->src + (size_t)st_reflect(j, job->h) * job->sstride, job->w, job->r, pad);
        job->f->conv_h(pad, job->k, job->r, hrow(t, j), job->w);
    }
}

static void blur_band(void *ctx, int y0, int y1)
{
    blur_job *job = ctx;
    const int w = job->w, r = job->r, taps = 2 * r + 1;
    /* output rows per block: fewer for long kernels, to bound the pointer table */
    const int block = taps > 16384 / 8 ? 8 : (16384 / taps > BLUR_BLOCK ? BLUR_BLOCK : 16384 / taps);
    hrows t = {NULL, ((size_t)w + 7u) & ~(size_t)7u, 2 * r + block, y0 - r, 0, job->h};
    if (t.R >= job->h) {
        t.full = 1;
        t.R = job->h;
    }
    t.buf = st_aligned_alloc((size_t)t.R * t.rs * sizeof(float));
    float *pad = st_aligned_alloc(((size_t)w + 2u * (size_t)r) * sizeof(float));
    const float **ptr = malloc((size_t)block * (size_t)taps * sizeof *ptr);
    if (!t.buf || !pad || !ptr) {
        atomic_store(&job->failed, 1);
        goto done;
    }
    int next = t.full ? y1 + r : y0 - r; /* next absolute row to filter horizontally */
    if (t.full)
        filter_rows(job, &t, 0, job->h, pad);
    const int strip = strip_width(w, t.R);
    for (int yb = y0; yb < y1; yb += block) {
        int ye = yb + block < y1 ? yb + block : y1;
        if (next < ye + r) {
            filter_rows(job, &t, next, ye + r, pad);
            next = ye + r;
        }
        for (int y = yb; y < ye; y++)
            for (int i = 0; i < taps; i++)
                ptr[(size_t)(y - yb) * (size_t)taps + (size_t)i] = hrow(&t, y - r + i);
        for (int x0 = 0; x0 < w; x0 += strip) {
            int n = x0 + strip < w ? strip : w - x0;
            for (int y = yb; y < ye; y++)
                job->f->conv_v(ptr + (size_t)(y - yb) * (size_t)taps, job->k, r, (size_t)x0,
                               job->dst + (size_t)y * job->dstride + x0, n);
        }
    }
done:
    st_aligned_free(t.buf);
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
