/* Box filter and integral image.
 *
 * Box: column sums over 2r+1 mirrored rows kept by a sliding update
 * (rows_add / rows_slide kernels, bit-identical on every path), restarted
 * from a direct sum at the start of every block of rows. Blocks are fixed in
 * absolute row numbers, so the float rounding of the running sums, and the
 * output, do not depend on the thread count. The horizontal sums are
 * running sums in double along each row (box_h8 kernel: eight rows at once,
 * so the SIMD paths run independent sums in the lanes of two or four
 * vectors, which also hides the latency of each chain of additions). */
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

/* Fills the r mirrored samples on each side of the row at pad + r. */
static void mirror_edges(float *pad, int w, int r)
{
    const float *row = pad + r;
    for (int i = 1; i <= r; i++) {
        pad[r - i] = row[st_reflect(-i, w)];
        pad[r + w - 1 + i] = row[st_reflect(w - 1 + i, w)];
    }
}

static const float *src_row(const box_job *job, int y)
{
    return job->src + (size_t)st_reflect(y, job->h) * job->sstride;
}

/* The column sums of row y are kept inside one of eight padded rows (at
 * pad + r), each computed from the previous one, so they need no copy
 * before the row sums; every eighth row the eight are summed together. */
static void box_blocks(void *ctx, int b0, int b1)
{
    box_job *job = ctx;
    const int w = job->w, r = job->r;
    const size_t pw = ((size_t)w + 2u * (size_t)r + 7u) & ~(size_t)7u;
    float *pads = st_alloc_floats(8u * pw);
    if (!pads) {
        atomic_store(&job->failed, 1);
        return;
    }
    const double inv = 1.0 / ((double)(2 * r + 1) * (double)(2 * r + 1));
    float *pad[8], *out[8];
    for (int i = 0; i < 8; i++)
        pad[i] = pads + (size_t)i * pw;
    for (int b = b0; b < b1; b++) {
        int yb = b * job->block, ye = yb + job->block < job->h ? yb + job->block : job->h;
        memset(pad[0] + r, 0, (size_t)w * sizeof(float));
        for (int j = -r; j <= r; j++)
            job->f->rows_add(pad[0] + r, src_row(job, yb + j), w);
        for (int y = yb; y < ye; y++) {
            int q = (y - yb) & 7;
            if (y > yb)
                job->f->rows_slide(pad[q] + r, pad[(q + 7) & 7] + r, src_row(job, y + r),
                                   src_row(job, y - r - 1), w);
            mirror_edges(pad[q], w, r);
            out[q] = job->dst + (size_t)y * job->dstride;
            if (q == 7)
                job->f->box_h8((const float *const *)pad, w, r, inv, out);
            else if (y == ye - 1)
                for (int i = 0; i <= q; i++)
                    st_box_h_row(pad[i], w, r, inv, out[i]);
        }
    }
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
