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

#endif
