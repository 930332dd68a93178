/* Checked size arithmetic and aligned buffers. */
#ifndef ST_CORE_ALLOC_H
#define ST_CORE_ALLOC_H

#include <stddef.h>

#define ST_ALIGN 32

/* Returns 1 on overflow, else stores a*b in *out and returns 0. */
static inline int st_mul_size(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

/* 32-byte aligned allocation of `bytes` (rounded up); NULL on failure or overflow. */
void *st_aligned_alloc(size_t bytes);
void st_aligned_free(void *p);

/* Aligned float buffer of n elements, zero-filled; NULL on failure. */
float *st_alloc_floats(size_t n);

/* Large buffers (a 12 MP plane is 48 MB) touched page by page cost one
 * fault per 4 KiB and many TLB misses in strided passes (FFT columns):
 * where the kernel supports it (Linux transparent huge pages in "madvise"
 * mode), ask for 2 MiB pages. A hint only: contents and results are the
 * same either way. Does nothing below ST_HUGE_MIN bytes. */
#define ST_HUGE_MIN ((size_t)4 << 20)
void st_advise_huge(void *p, size_t bytes);

/* Aligned float buffer of n elements for a caller that writes all of it,
 * advised into huge pages before anything touches it (contents undefined);
 * NULL on failure. Free with st_aligned_free. */
float *st_alloc_floats_huge(size_t n);

/* Process policy for programs that work on large images (the CLI and the
 * benchmarks call it first thing in main; the library never does): glibc
 * maps every block of 32 MB or more afresh and unmaps it on free, so each
 * 12 MP plane paid ~12 000 page faults again in every stage (analyze of a
 * 4 x 12 MP series: 4.2 s of system time, 0.6 s with this). Large blocks
 * then come from the heap, which keeps freed memory for the next image, and
 * all threads share one arena so batch workers reuse it as well. Returns 0
 * if glibc took every setting. */
int st_allocator_keep_large_blocks(void);

#endif
