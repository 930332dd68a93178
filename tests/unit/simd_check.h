/* Helpers for the kernel tests: deterministic data, planes with odd strides
 * and unaligned starts, and comparisons that report the worst element. */
#ifndef ST_TEST_SIMD_CHECK_H
#define ST_TEST_SIMD_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "simd/kernels.h"

/* awkward sizes every kernel is run at */
static const int test_sizes[][2] = {{1, 1}, {7, 3}, {33, 17}, {2, 5}, {3, 1}, {1, 9}, {64, 9},
                                    {129, 40}};
#define N_TEST_SIZES (int)(sizeof test_sizes / sizeof test_sizes[0])

static inline float test_rand01(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)(*s >> 8) / 16777216.0f;
}

/* A plane of w x h with stride w + pad, starting `shift` floats into its
 * allocation (unaligned when shift is not a multiple of 8); filled with
 * random values in [0, 1) (seed) and the padding with NaN, so reading
 * outside the plane shows. */
typedef struct test_plane {
    float *mem, *p;
    size_t stride;
    int w, h;
} test_plane;

static inline test_plane test_plane_new(int w, int h, int pad, int shift, uint32_t seed)
{
    test_plane t;
    t.w = w;
    t.h = h;
    t.stride = (size_t)w + (size_t)pad;
    size_t n = t.stride * (size_t)h + (size_t)shift + 16;
    t.mem = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        t.mem[i] = NAN;
    t.p = t.mem + shift;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            t.p[(size_t)y * t.stride + x] = seed ? test_rand01(&seed) : 0.0f;
    return t;
}

static inline void test_plane_free(test_plane *t) { free(t->mem); }

/* Largest |a - b| over the w x h planes (infinity if either is NaN). */
static inline double test_maxdiff(const float *a, size_t as, const float *b, size_t bs, int w,
                                  int h)
{
    double m = 0.0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double va = a[(size_t)y * as + x], vb = b[(size_t)y * bs + x];
            double d = (isnan(va) || isnan(vb)) ? INFINITY : fabs(va - vb);
            if (d > m)
                m = d;
        }
    return m;
}

/* 1 if the w x h planes hold the same bits. */
static inline int test_identical(const float *a, size_t as, const float *b, size_t bs, int w,
                                 int h)
{
    for (int y = 0; y < h; y++)
        if (memcmp(a + (size_t)y * as, b + (size_t)y * bs, (size_t)w * sizeof(float)))
            return 0;
    return 1;
}

/* With SKINTRACK_SIMD set (tests/e2e/simd_paths.sh), the path chosen at
 * start-up must be the one asked for, or the best available below it. Call
 * before any st_simd_force. */
static inline int simd_env_respected(void)
{
    const char *env = getenv("SKINTRACK_SIMD");
    if (!env)
        return 1;
    st_simd_path want = !strcmp(env, "avx2") ? ST_SIMD_AVX2
                        : !strcmp(env, "sse2") ? ST_SIMD_SSE2 : ST_SIMD_SCALAR;
    while (want > ST_SIMD_SCALAR && !(st_simd_available() & (1u << want)))
        want = (st_simd_path)(want - 1);
    return st_simd_active() == want;
}

#define FOR_EACH_PATH(p)                                                                  \
    for (st_simd_path p = ST_SIMD_SCALAR; p <= ST_SIMD_AVX2; p = (st_simd_path)(p + 1))   \
        if (st_simd_available() & (1u << p))

#endif
