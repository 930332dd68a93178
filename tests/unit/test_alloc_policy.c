/* The large-block allocator policy of the CLI (st_allocator_keep_large_blocks):
 * glibc must take every setting, and a 64 MB plane freed and allocated again
 * must come back without page faults (a fresh mapping takes one per 4 KiB
 * page, 16 384 here). Counted with getrusage, so the check is exact where a
 * timing would be noisy. Not run under AddressSanitizer, whose allocator
 * ignores mallopt. */
#define _DEFAULT_SOURCE
#include <sys/resource.h>

#include "core/alloc.h"
#include "test_util.h"

static long minor_faults(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt;
}

/* Allocates n floats, writes every page, frees; returns the faults taken. */
static long faults_of_one_plane(size_t n)
{
    long before = minor_faults();
    float *p = st_alloc_floats(n);
    CHECK(p != NULL);
    for (size_t i = 0; p && i < n; i += 1024)
        p[i] = (float)i;
    volatile float keep = p ? p[n / 2] : 0.0f;
    (void)keep;
    st_aligned_free(p);
    return minor_faults() - before;
}

int main(void)
{
    if (getenv("ST_SANITIZED")) {
        printf("skipped under the sanitizers (their allocator ignores mallopt)\n");
        return 0;
    }
    const size_t n = (size_t)16 << 20; /* 64 MB: above glibc's largest mmap threshold */
    long fresh = faults_of_one_plane(n);
    CHECK_EQ_INT(st_allocator_keep_large_blocks(), 0);
    long first = faults_of_one_plane(n), again = faults_of_one_plane(n);
    printf("faults per 64 MB plane: default %ld, policy first %ld, reused %ld\n", fresh, first,
           again);
    CHECK_MSG(fresh > 10000, "a fresh mapping should fault every page (%ld)", fresh);
    CHECK_MSG(again < 200, "the freed plane should be reused without faults (%ld)", again);
    return test_summary();
}
