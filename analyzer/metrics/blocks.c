#include "metrics/blocks.h"

#include "core/parallel.h"

typedef struct block_job {
    st_block_fn fn;
    void *ctx;
    int h;
} block_job;

static void run_band(void *arg, int begin, int end)
{
    const block_job *job = arg;
    for (int b = begin; b < end; b++) {
        int y0 = b * ST_BLOCK_ROWS;
        int y1 = y0 + ST_BLOCK_ROWS < job->h ? y0 + ST_BLOCK_ROWS : job->h;
        job->fn(job->ctx, b, y0, y1);
    }
}

void st_run_blocks(int threads, int h, st_block_fn fn, void *ctx)
{
    block_job job = {fn, ctx, h};
    /* A thread that cannot start has its band run on the caller: the
     * result is complete either way. */
    (void)st_parallel_for(threads, st_block_count(h), 2, run_band, &job);
}
