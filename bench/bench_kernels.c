/* Kernel benchmark (run by scripts/bench.sh): a generated 4000x3000 RGB
 * image; each kernel's time on every SIMD path and its speed-up over the
 * scalar path; Gaussian blur (sigma 2, 8, 32) against OpenCV's GaussianBlur
 * on one thread on the same data; JPEG and PNG decode speed through
 * st_image_load_mem. Times are medians of several runs: wall clock, and the
 * process CPU time (steadier on a loaded machine; ratios use it for
 * single-threaded runs, wall time for the 2-thread warp).
 *
 * usage: bench_kernels [--reps N] [--small] [--only NAME] [--path P]
 *   --small      1000x750 (3 MB a plane: cache-resident; the full image is
 *                memory-bound for the light kernels)
 *   --only NAME  only kernels whose name starts with NAME, and no blur/decode
 *                comparison (for callgrind: instruction counts per path)
 *   --path P     only path P (scalar, sse2, avx2) */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "cv/cv_wrap.h"
#include "simd/kernels.h"
#include "skintrack/skintrack.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct bench_data {
    int w, h;
    size_t stride, n;
    float *r, *g, *b;    /* input planes (sRGB-encoded, [0, 1]) */
    float *o1, *o2, *o3; /* outputs */
    double *ii;
} bench_data;

typedef void (*kernel_fn)(bench_data *d);

static double now(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct timing {
    double wall, cpu; /* medians, seconds */
} timing;

static timing time_it(kernel_fn fn, bench_data *d, int reps)
{
    double wall[32], cpu[32];
    if (reps > 32)
        reps = 32;
    fn(d); /* warm-up: page faults, caches */
    for (int i = 0; i < reps; i++) {
        double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        fn(d);
        wall[i] = now(CLOCK_MONOTONIC) - w0;
        cpu[i] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    qsort(wall, (size_t)reps, sizeof *wall, cmp_double);
    qsort(cpu, (size_t)reps, sizeof *cpu, cmp_double);
    return (timing){wall[reps / 2], cpu[reps / 2]};
}

/* ---- the kernels, as called by the pipeline ---------------------------------- */
static void k_linear(bench_data *d) { st_srgb_to_linear(d->r, d->o1, d->n); }
static void k_luma(bench_data *d) { st_luminance(d->r, d->g, d->b, d->o1, d->n); }
static void k_lab(bench_data *d) { st_srgb_to_lab(d->r, d->g, d->b, d->o1, d->o2, d->o3, d->n); }
static void blur(bench_data *d, double s) { st_gaussian_blur(d->g, d->stride, d->o1, d->stride, d->w, d->h, s, 1); }
static void k_blur2(bench_data *d) { blur(d, 2.0); }
static void k_blur8(bench_data *d) { blur(d, 8.0); }
static void k_blur32(bench_data *d) { blur(d, 32.0); }
static void cvblur(bench_data *d, double s)
{
    char err[256];
    if (stcv_gaussian_blur(d->g, d->o2, d->w, d->h, d->stride, s, err, sizeof err))
        fprintf(stderr, "%s\n", err);
}
static void k_cv2(bench_data *d) { cvblur(d, 2.0); }
static void k_cv8(bench_data *d) { cvblur(d, 8.0); }
static void k_cv32(bench_data *d) { cvblur(d, 32.0); }
static void k_box(bench_data *d) { st_box_filter(d->g, d->stride, d->o1, d->stride, d->w, d->h, 7, 1); }
static void k_integral(bench_data *d) { st_integral_image(d->g, d->stride, d->ii, d->w, d->h); }
static void k_sobel(bench_data *d) { st_sobel(d->g, d->stride, d->o1, d->o2, d->stride, d->w, d->h); }
static void k_scharr(bench_data *d) { st_scharr(d->g, d->stride, d->o1, d->o2, d->stride, d->w, d->h); }
static void k_lapl(bench_data *d) { st_laplacian(d->g, d->stride, d->o1, d->stride, d->w, d->h); }
static void k_down(bench_data *d) { st_downsample2x(d->g, d->stride, d->w, d->h, d->o1, d->stride); }
static const double warp_m[9] = {0.998, 0.035, -40.0, -0.035, 0.998, 60.0, 1e-6, -2e-6, 1.0};
static void warp(bench_data *d, int t)
{
    st_warp_perspective(d->g, d->stride, d->w, d->h, d->o1, d->stride, d->w, d->h, warp_m, 0.0f,
                        NULL, t);
}
static void k_warp1(bench_data *d) { warp(d, 1); }
static void k_warp2(bench_data *d) { warp(d, 2); }

typedef struct kernel {
    const char *name;
    kernel_fn fn;
    int threads;
} kernel;

static const kernel kernels[] = {
    {"srgb_to_linear", k_linear, 1}, {"luminance", k_luma, 1},    {"srgb_to_lab", k_lab, 1},
    {"gaussian s=2", k_blur2, 1},    {"gaussian s=8", k_blur8, 1}, {"gaussian s=32", k_blur32, 1},
    {"box r=7", k_box, 1},           {"integral", k_integral, 1}, {"sobel", k_sobel, 1},
    {"scharr", k_scharr, 1},         {"laplacian", k_lapl, 1},    {"downsample2x", k_down, 1},
    {"warp bicubic", k_warp1, 1},    {"warp bicubic", k_warp2, 2},
};
#define N_KERNELS (int)(sizeof kernels / sizeof kernels[0])

static void fill(bench_data *d)
{
    uint32_t s = 12345;
    for (int y = 0; y < d->h; y++)
        for (int x = 0; x < d->w; x++) {
            size_t i = (size_t)y * d->stride + (size_t)x;
            s = s * 1664525u + 1013904223u;
            float noise = (float)(s >> 8) / 16777216.0f - 0.5f;
            float base = 0.5f + 0.3f * sinf(0.01f * (float)x) * cosf(0.013f * (float)y);
            d->r[i] = fminf(1.0f, fmaxf(0.0f, base + 0.15f + 0.1f * noise));
            d->g[i] = fminf(1.0f, fmaxf(0.0f, base + 0.1f * noise));
            d->b[i] = fminf(1.0f, fmaxf(0.0f, base - 0.1f + 0.1f * noise));
        }
}

static int bench_alloc(bench_data *d, int w, int h)
{
    d->w = w;
    d->h = h;
    d->stride = ((size_t)w + 7u) & ~(size_t)7u;
    d->n = d->stride * (size_t)h;
    float **planes[] = {&d->r, &d->g, &d->b, &d->o1, &d->o2, &d->o3};
    for (int i = 0; i < 6; i++)
        if (!(*planes[i] = st_alloc_floats(d->n)))
            return -1;
    d->ii = malloc((size_t)(w + 1) * (size_t)(h + 1) * sizeof(double));
    return d->ii ? 0 : -1;
}

/* ---- decode speed: the same image written as JPEG (q 92) and 8-bit PNG ------ */
static void bench_decode(const bench_data *d, int reps)
{
    st_image *img = NULL;
    st_err err;
    if (st_image_new(d->w, d->h, 3, &img, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    for (int c = 0; c < 3; c++) {
        const float *src = c == 0 ? d->r : c == 1 ? d->g : d->b;
        for (int y = 0; y < d->h; y++)
            memcpy(st_image_row(img, c, y), src + (size_t)y * d->stride, (size_t)d->w * sizeof(float));
    }
    char dir[] = "/tmp/st_bench_XXXXXX";
    if (!mkdtemp(dir)) {
        st_image_free(img);
        return;
    }
    const char *fmt[2] = {"jpeg", "png"};
    for (int f = 0; f < 2; f++) {
        char path[64];
        snprintf(path, sizeof path, "%s/bench.%s", dir, f ? "png" : "jpg");
        int rc = f ? st_image_save_png(img, path, 8, &err) : st_image_save_jpeg(img, path, 92, &err);
        FILE *fp = rc ? NULL : fopen(path, "rb");
        if (!fp) {
            fprintf(stderr, "decode bench: %s\n", rc ? err.msg : path);
            continue;
        }
        fseek(fp, 0, SEEK_END);
        long size = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        unsigned char *buf = malloc((size_t)size);
        size_t got = buf ? fread(buf, 1, (size_t)size, fp) : 0;
        fclose(fp);
        remove(path);
        double t[32], c[32];
        int n = reps > 32 ? 32 : reps, ok = got == (size_t)size;
        for (int i = 0; i < n && ok; i++) {
            st_image *out = NULL;
            double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
            ok = st_image_load_mem(buf, (size_t)size, path, NULL, &out, NULL, &err) == 0;
            t[i] = now(CLOCK_MONOTONIC) - t0;
            c[i] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
            st_image_free(out);
        }
        if (ok) {
            qsort(t, (size_t)n, sizeof *t, cmp_double);
            qsort(c, (size_t)n, sizeof *c, cmp_double);
            double mp = (double)d->w * d->h / 1e6;
            printf("decode %-4s %5.1f MB file: wall %7.1f ms (%5.1f MP/s), cpu %7.1f ms (%5.1f MP/s)\n",
                   fmt[f], (double)size / 1e6, 1e3 * t[n / 2], mp / t[n / 2], 1e3 * c[n / 2],
                   mp / c[n / 2]);
        } else
            printf("decode %-4s  failed: %s\n", fmt[f], err.msg);
        free(buf);
    }
    rmdir(dir);
    st_image_free(img);
}

/* Every kernel on every path (or the ones asked for), with the speed-up. */
static void kernel_table(bench_data *dp, int reps, const char *only, int only_path)
{
    bench_data d = *dp;
    unsigned avail = st_simd_available();
    printf("image %dx%d RGB float32, medians of %d runs; paths:", d.w, d.h, reps);
    for (int p = 0; p <= ST_SIMD_AVX2; p++)
        if (avail & (1u << p))
            printf(" %s", st_simd_name((st_simd_path)p));
    printf("\n%-16s %3s %-7s %10s %10s %8s\n", "kernel", "thr", "path", "wall ms", "cpu ms",
           "x scalar");
    for (int k = 0; k < N_KERNELS; k++) {
        double scalar_cpu = 0;
        if (only && strncmp(kernels[k].name, only, strlen(only)))
            continue;
        for (int p = 0; p <= ST_SIMD_AVX2; p++) {
            if (!(avail & (1u << p)) || (only_path >= 0 && p != only_path))
                continue;
            st_simd_force((st_simd_path)p);
            int r = p == ST_SIMD_SCALAR && reps > 3 ? 3 : reps;
            timing t = time_it(kernels[k].fn, &d, r);
            /* several threads: compare wall times, else CPU times */
            double v = kernels[k].threads > 1 ? t.wall : t.cpu;
            if (p == ST_SIMD_SCALAR)
                scalar_cpu = v;
            printf("%-16s %3d %-7s %10.2f %10.2f ", kernels[k].name, kernels[k].threads,
                   st_simd_name((st_simd_path)p), 1e3 * t.wall, 1e3 * t.cpu);
            if (scalar_cpu > 0)
                printf("%8.2f\n", scalar_cpu / v);
            else
                printf("%8s\n", "-");
            fflush(stdout);
        }
    }
}

/* Our blur (AVX2, else the best path) against OpenCV's on one thread. */
static void blur_vs_opencv(bench_data *dp, int reps)
{
    bench_data d = *dp;
    st_simd_force(st_simd_available() & 4 ? ST_SIMD_AVX2 : ST_SIMD_SCALAR);
    printf("\nGaussian blur, one thread, active path %s vs OpenCV GaussianBlur (BORDER_REFLECT)\n",
           st_simd_name(st_simd_active()));
    printf("%-6s %12s %12s %12s %12s %9s %11s\n", "sigma", "ours wall", "ours cpu", "cv wall",
           "cv cpu", "ours/cv", "max |diff|");
    const kernel pairs[3][2] = {{{"", k_blur2, 1}, {"", k_cv2, 1}},
                                {{"", k_blur8, 1}, {"", k_cv8, 1}},
                                {{"", k_blur32, 1}, {"", k_cv32, 1}}};
    const double sig[3] = {2, 8, 32};
    for (int i = 0; i < 3; i++) {
        timing a = time_it(pairs[i][0].fn, &d, reps), b = time_it(pairs[i][1].fn, &d, reps);
        double md = 0;
        for (size_t j = 0; j < d.n; j++)
            md = fmax(md, fabs((double)d.o1[j] - (double)d.o2[j]));
        printf("%-6g %10.2fms %10.2fms %10.2fms %10.2fms %9.2f %11.2g\n", sig[i], 1e3 * a.wall,
               1e3 * a.cpu, 1e3 * b.wall, 1e3 * b.cpu, a.cpu / b.cpu, md);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    int reps = 5, w = 4000, h = 3000, only_path = -1;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--small"))
            w = 1000, h = 750;
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "--path") && i + 1 < argc) {
            const char *p = argv[++i];
            only_path = !strcmp(p, "avx2") ? ST_SIMD_AVX2 : !strcmp(p, "sse2") ? ST_SIMD_SSE2 : ST_SIMD_SCALAR;
        } else {
            fprintf(stderr, "usage: %s [--reps N] [--small] [--only NAME] [--path P]\n", argv[0]);
            return 2;
        }
    }
    if (reps < 1)
        reps = 1;
    bench_data d;
    if (bench_alloc(&d, w, h)) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    fill(&d);
    stcv_set_threads(1);
    kernel_table(&d, reps, only, only_path);
    if (only)
        return 0;
    blur_vs_opencv(&d, reps);
    printf("\n");
    bench_decode(&d, reps);
    return 0;
}
