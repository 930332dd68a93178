/* Run-time choice of the kernel path, after zlib-ng's arch/x86/x86_features.c:
 * CPUID says what the CPU has, XGETBV says whether the OS saves the YMM
 * registers on a context switch (without that, AVX code would corrupt state).
 * The table is chosen once (pthread_once); SKINTRACK_SIMD=scalar|sse2|avx2
 * forces a path (one the CPU cannot run falls back to the best it can), like
 * libjpeg-turbo's JSIMD_FORCENONE. This file is compiled without ISA flags. */
#include "simd/simd_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if ST_HAVE_X86_SIMD
#include <cpuid.h>
#endif

#define ST_PATH_TABLE(sfx)                                                                   \
    {                                                                                        \
        st_srgb_to_linear_##sfx, st_luminance_##sfx, st_srgb_to_lab_##sfx, st_conv_h_##sfx,  \
            st_conv_v_##sfx, st_rows_add_##sfx, st_rows_slide_##sfx, st_box_h8_##sfx, st_integral4_##sfx, st_grad3_##sfx,         \
            st_laplace_##sfx, st_rows_max_##sfx, st_rows_min_##sfx, st_down2_##sfx,          \
            st_warp_row_##sfx                                                                \
    }

static const st_simd_fns fns_c = ST_PATH_TABLE(c);
#if ST_HAVE_X86_SIMD
static const st_simd_fns fns_sse2 = ST_PATH_TABLE(sse2);
static const st_simd_fns fns_avx2 = ST_PATH_TABLE(avx2);
#endif

static pthread_once_t detect_once = PTHREAD_ONCE_INIT;
static unsigned available_mask = 1u << ST_SIMD_SCALAR;
static atomic_int active_path = ST_SIMD_SCALAR;

#if ST_HAVE_X86_SIMD
/* XCR0 bits 1 (SSE) and 2 (AVX upper halves) must both be enabled by the OS. */
static int os_saves_ymm(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
        return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6u) == 6u;
}
#endif

static unsigned detect_mask(void)
{
    unsigned mask = 1u << ST_SIMD_SCALAR;
#if ST_HAVE_X86_SIMD
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse2"))
        mask |= 1u << ST_SIMD_SSE2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && os_saves_ymm())
        mask |= 1u << ST_SIMD_AVX2;
#endif
    return mask;
}

static st_simd_path best_at_most(unsigned mask, st_simd_path want)
{
    for (int p = (int)want; p > ST_SIMD_SCALAR; p--)
        if (mask & (1u << p))
            return (st_simd_path)p;
    return ST_SIMD_SCALAR;
}

static void detect(void)
{
    available_mask = detect_mask();
    st_simd_path path = best_at_most(available_mask, ST_SIMD_AVX2);
    const char *env = getenv("SKINTRACK_SIMD");
    if (env) {
        if (!strcmp(env, "scalar") || !strcmp(env, "none") || !strcmp(env, "c"))
            path = ST_SIMD_SCALAR;
        else if (!strcmp(env, "sse2"))
            path = best_at_most(available_mask, ST_SIMD_SSE2);
        else if (!strcmp(env, "avx2"))
            path = best_at_most(available_mask, ST_SIMD_AVX2);
    }
    atomic_store(&active_path, (int)path);
}

const st_simd_fns *st_simd_fns_of(st_simd_path path)
{
    switch (path) {
#if ST_HAVE_X86_SIMD
    case ST_SIMD_SSE2:
        return &fns_sse2;
    case ST_SIMD_AVX2:
        return &fns_avx2;
#endif
    case ST_SIMD_SCALAR:
        return &fns_c;
    default:
        return NULL;
    }
}

const st_simd_fns *st_simd_fns_get(void)
{
    pthread_once(&detect_once, detect);
    return st_simd_fns_of((st_simd_path)atomic_load(&active_path));
}

st_simd_path st_simd_active(void)
{
    pthread_once(&detect_once, detect);
    return (st_simd_path)atomic_load(&active_path);
}

unsigned st_simd_available(void)
{
    pthread_once(&detect_once, detect);
    return available_mask;
}

const char *st_simd_name(st_simd_path path)
{
    switch (path) {
    case ST_SIMD_SCALAR:
        return "scalar";
    case ST_SIMD_SSE2:
        return "sse2";
    case ST_SIMD_AVX2:
        return "avx2";
    }
    return "unknown";
}

int st_simd_force(st_simd_path path)
{
    pthread_once(&detect_once, detect);
    if ((int)path < 0 || (int)path > ST_SIMD_AVX2 || !(available_mask & (1u << path)))
        return -1;
    atomic_store(&active_path, (int)path);
    return 0;
}
