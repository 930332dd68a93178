/* Box filter and integral image.
 *
 * Box: column sums over 2r+1 mirrored rows kept by a sliding update
 * (rows_add / rows_slide kernels, bit-identical on every path), restarted
 * from a direct sum at the start of every block of rows. Blocks are fixed in
 * absolute row numbers, so the float rounding of the running sums, and the
 * output, do not depend on the thread count. The horizontal sum of each
 * column-sum row is a running sum in double (scalar, shared by every path). */
#include "core/alloc.h"
#include "core/parallel.h"
#include "simd/simd_internal.h"
#include "skintrack/skintrack.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct box_job {
    const float *src;
    size_t sstride;
    float *dst;
    size_t dstride;
    int w, h, r, block;
    const st_simd_fns *f;
    atomic_int failed;
} box_job;

/* dst[x] = mean of the 2r+1 mirrored samples of acc around x, scaled by inv. */
static void box_row_h(const float *acc, int w, int r, double inv, float *pad, float *dst)
{
    memcpy(pad + r, acc, (size_t)w * sizeof *pad);
    for (int i = 1; i <= r; i++) {
        pad[r - i] = acc[st_reflect(-i, w)];
        pad[r + w - 1 + i] = acc[st_reflect(w - 1 + i, w)];
    }
    double s = 0.0;
    for (int i = 0; i <= 2 * r; i++)
        s += (double)pad[i];
    dst[0] = (float)(s * inv);
    for (int x = 1; x < w; x++) {
        s += (double)pad[x + 2 * r] - (double)pad[x - 1];
        dst[x] = (float)(s * inv);
    }
}

static const float *src_row(const box_job *job, int y)
{
    return job->src + (size_t)st_reflect(y, job->h) * job->sstride;
}

static void box_blocks(void *ctx, int b0, int b1)
{
    box_job *job = ctx;
    const int w = job->w, r = job->r;
    float *acc = st_alloc_floats((size_t)w);
    float *pad = st_alloc_floats((size_t)w + 2u * (size_t)r);
    if (!acc || !pad) {
        atomic_store(&job->failed, 1);
        goto done;
    }
    double inv = 1.0 / ((double)(2 * r + 1) * (double)(2 * r + 1));
    for (int b = b0; b < b1; b++) {
        int yb = b * job->block, ye = yb + job->block < job->h ? yb + job->block : job->h;
        memset(acc, 0, (size_t)w * sizeof *acc);
        for (int j = -r; j <= r; j++)
            job->f->rows_add(acc, src_row(job, yb + j), w);
        for (int y = yb; y < ye; y++) {
            if (y > yb)
                job->f->rows_slide(acc, src_row(job, y + r), src_row(job, y - r - 1), w);
            box_row_h(acc, w, r, inv, pad, job->dst + (size_t)y * job->dstride);
        }
    }
done:
    st_aligned_free(acc);
    st_aligned_free(pad);
}

int st_box_filter(const float *src, size_t sstride, float *dst, size_t dstride, int w, int h,
                  int radius, int threads)
{
    if (!src || !dst || w < 1 || h < 1 || radius < 0 || radius > 1000000 ||
        sstride < (size_t)w || dstride < (size_t)w)
        return ST_EINVAL;
    float *copy = NULL;
    if (st_planes_overlap(src, sstride, dst, dstride, w, h)) {
        copy = st_plane_copy(src, sstride, w, h, &sstride);
        if (!copy)
            return ST_ENOMEM;
        src = copy;
    }
    /* restart the running sums often enough to bound their drift, rarely
     * enough that the direct sum (2r+1 rows) stays a small share of the work */
    int block = 2 * radius + 1 < 32 ? 32 : 2 * radius + 1;
    box_job job = {src, sstride, dst, dstride, w, h, radius, block, st_simd_fns_get(), 0};
    st_parallel_for(threads, (h + block - 1) / block, 1, box_blocks, &job);
    st_aligned_free(copy);
    return atomic_load(&job.failed) ? ST_ENOMEM : ST_OK;
}

/* Summed-area table (Crow 1984) in double: ii(x+1, y+1) = sum of src over
 * [0, x] x [0, y]. A sequential recurrence, the same on every path. */
int st_integral_image(const float *src, size_t sstride, double *ii, int w, int h)
{
    if (!src || !ii || w < 1 || h < 1 || sstride < (size_t)w)
        return ST_EINVAL;
    size_t iw = (size_t)w + 1u;
    memset(ii, 0, iw * sizeof *ii);
    for (int y = 0; y < h; y++) {
        const float *s = src + (size_t)y * sstride;
        const double *prev = ii + (size_t)y * iw;
        double *row = ii + (size_t)(y + 1) * iw;
        double run = 0.0;
        row[0] = 0.0;
        for (int x = 0; x < w; x++) {
            run += (double)s[x];
            row[x + 1] = prev[x + 1] + run;
        }
    }
    return ST_OK;
}
