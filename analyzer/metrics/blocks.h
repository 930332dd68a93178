/* Fixed-size row blocks for reductions that must not depend on the thread
 * count: every block writes its own partial result, and the caller adds the
 * partials in block order. Bands of st_parallel_for change with the thread
 * count; blocks of ST_BLOCK_ROWS rows do not. */
#ifndef ST_METRICS_BLOCKS_H
#define ST_METRICS_BLOCKS_H

#define ST_BLOCK_ROWS 32

typedef void (*st_block_fn)(void *ctx, int block, int y0, int y1);

/* Number of blocks covering h rows. */
static inline int st_block_count(int h) { return (h + ST_BLOCK_ROWS - 1) / ST_BLOCK_ROWS; }

/* Runs fn(ctx, b, y0, y1) for every block b of [0, h) on up to `threads`
 * threads (<= 0: all cores). */
void st_run_blocks(int threads, int h, st_block_fn fn, void *ctx);

#endif
