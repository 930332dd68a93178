#define _DEFAULT_SOURCE /* madvise */
#include "core/alloc.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void st_advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (!p || bytes < ST_HUGE_MIN)
        return;
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t page = pg > 0 ? (uintptr_t)pg : 4096;
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t e = ((uintptr_t)p + bytes) & ~(page - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* a hint: failure is fine */
#else
    (void)p;
    (void)bytes;
#endif
}

void *st_aligned_alloc(size_t bytes)
{
    if (bytes == 0)
        bytes = ST_ALIGN;
    if (bytes > (size_t)-1 - ST_ALIGN)
        return NULL;
    size_t rounded = (bytes + ST_ALIGN - 1) & ~(size_t)(ST_ALIGN - 1);
    return aligned_alloc(ST_ALIGN, rounded);
}

void st_aligned_free(void *p) { free(p); }

float *st_alloc_floats(size_t n)
{
    size_t bytes;
    if (st_mul_size(n, sizeof(float), &bytes))
        return NULL;
    float *p = st_aligned_alloc(bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

float *st_alloc_floats_huge(size_t n)
{
    size_t bytes;
    if (st_mul_size(n, sizeof(float), &bytes))
        return NULL;
    float *p = st_aligned_alloc(bytes);
    st_advise_huge(p, bytes); /* before the first touch */
    return p;
}

int st_allocator_keep_large_blocks(void)
{
    /* Up to 1 GiB per block from the heap; free memory at the top of the
     * heap is returned to the system only beyond 1 GiB. */
    int ok = mallopt(M_MMAP_THRESHOLD, 1 << 30);
    ok &= mallopt(M_TRIM_THRESHOLD, 1 << 30);
    ok &= mallopt(M_ARENA_MAX, 1);
    return ok ? 0 : -1;
}
