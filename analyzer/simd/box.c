/* Box filter and integral image.
 *
 * Box: column sums over 2r+1 mirrored rows kept by a sliding update
 * (rows_add / rows_slide kernels, bit-identical on every path), restarted
 * from a direct sum at the start of every block of rows. Blocks are fixed in
 * absolute row numbers, so the float rounding of the running sums, and the
 * output, do not depend on the thread count. The horizontal sums are
 * running sums in double along each row (box_h4 kernel: four rows at once,
 * so the SIMD paths run four independent sums in the lanes of a vector). */
#include "core/alloc.h"
#include "core/parallel.h"
#include "simd/generic/filter_px.h"
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

/* Mirrors acc into pad (r samples each side). */
static void pad_row(const float *acc, int w, int r, float *pad)
{
    memcpy(pad + r, acc, (size_t)w * sizeof *pad);
    for (int i = 1; i <= r; i++) {
        pad[r - i] = acc[st_reflect(-i, w)];
        pad[r + w - 1 + i] = acc[st_reflect(w - 1 + i, w)];
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
    const size_t pw = ((size_t)w + 2u * (size_t)r + 7u) & ~(size_t)7u;
    float *acc = st_alloc_floats((size_t)w);
    float *pads = st_alloc_floats(4u * pw);
    if (!acc || !pads) {
        atomic_store(&job->failed, 1);
        goto done;
    }
    const double inv = 1.0 / ((double)(2 * r + 1) * (double)(2 * r + 1));
    const float *pad[4] = {pads, pads + pw, pads + 2 * pw, pads + 3 * pw};
    float *out[4];
    for (int b = b0; b < b1; b++) {
        int yb = b * job->block, ye = yb + job->block < job->h ? yb + job->block : job->h;
        memset(acc, 0, (size_t)w * sizeof *acc);
        for (int j = -r; j <= r; j++)
            job->f->rows_add(acc, src_row(job, yb + j), w);
        /* column sums row by row; row sums four rows at a time */
        for (int y = yb; y < ye; y++) {
            if (y > yb)
                job->f->rows_slide(acc, src_row(job, y + r), src_row(job, y - r - 1), w);
            int q = (y - yb) & 3;
            pad_row(acc, w, r, (float *)pad[q]);
            out[q] = job->dst + (size_t)y * job->dstride;
            if (q == 3)
                job->f->box_h4(pad, w, r, inv, out);
            else if (y == ye - 1)
                for (int i = 0; i <= q; i++)
                    st_box_h_row(pad[i], w, r, inv, out[i]);
        }
    }
done:
    st_aligned_free(acc);
    st_aligned_free(pads);
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
