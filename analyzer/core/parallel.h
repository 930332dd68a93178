/* Row-band parallelism: [0, n) is cut into contiguous bands, one per worker.
 * Each band's result depends only on its rows, so the output is the same for
 * any thread count. No pool is kept between calls (no hidden global state). */
#ifndef ST_CORE_PARALLEL_H
#define ST_CORE_PARALLEL_H

typedef void (*st_band_fn)(void *ctx, int begin, int end);

/* Number of online CPUs (at least 1). */
int st_cpu_count(void);

/* Runs fn over bands of [0, n) on up to `threads` threads (<= 0: all cores);
 * small ranges (n < min_rows_per_thread * 2) run on the calling thread.
 * Returns 0, or ST_ENOMEM / ST_EINTERNAL if threads could not start (the work
 * is then done on the calling thread, so the result is still complete). */
int st_parallel_for(int threads, int n, int min_rows_per_thread, st_band_fn fn, void *ctx);

#endif
