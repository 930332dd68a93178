/* Benchmark: every roughness and texture metric of a 12 MP plane, tiles
 * included, with the split between the FFT work (spectrum + ACF of the ROI),
 * GLCM, LBP and the per-tile roughness.
 *   bench_surface [width height pixel_mm threads runs [notiles]]   (4000 3000 0.05 2 3)
 * Prints the best of `runs` (the first run also creates the FFTW plans). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "core/alloc.h"
#include "fft/fft.h"
#include "metrics/surface.h"

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static uint64_t rng_state = 12345;
static double uniform(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return ((z ^ (z >> 31)) >> 11) * (1.0 / 9007199254740992.0);
}

int main(int argc, char **argv)
{
    st_allocator_keep_large_blocks(); /* as the CLI does */
    int w = argc > 1 ? atoi(argv[1]) : 4000, h = argc > 2 ? atoi(argv[2]) : 3000;
    double px = argc > 3 ? atof(argv[3]) : 0.05;
    int threads = argc > 4 ? atoi(argv[4]) : 2, runs = argc > 5 ? atoi(argv[5]) : 3;
    float *y = malloc(sizeof(float) * (size_t)w * h);
    if (!y)
        return 3;
    /* Skin-like luminance: a smooth shading, two lays of fine lines, noise. */
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
            y[(size_t)r * w + c] = (float)(0.55 + 0.05 * sin(c * 0.002) + 0.03 * sin(0.31 * c + 0.12 * r) +
                                           0.02 * sin(0.05 * r - 0.02 * c) + 0.04 * (uniform() - 0.5));
    st_fft *fft;
    st_err err;
    if (st_fft_new(threads, &fft, &err))
        return 3;
    st_surface_input in = {y, (size_t)w, w, h, NULL, 0, px, ST_UNIT_REL};
    st_surface_opts o = {0};
    o.threads = threads;
    o.fft = fft;
    o.no_tiles = argc > 6 && !strcmp(argv[6], "notiles");
    st_surface_timing best = {0};
    double best_cpu = 0;
    int ntiles = 0;
    size_t nmetrics = 0;
    for (int k = 0; k < runs; k++) {
        st_metric_set ms = {0};
        st_surface_extras x;
        double c0 = cpu_s();
        if (st_measure_surface(&in, &o, &ms, &x, &err)) {
            fprintf(stderr, "bench_surface: %s\n", err.msg);
            return 3;
        }
        double cpu = cpu_s() - c0;
        if (k == 0 || x.timing.total < best.total) {
            best = x.timing;
            best_cpu = cpu;
        }
        ntiles = x.tiles.nx * x.tiles.ny;
        nmetrics = ms.count;
        st_surface_extras_free(&x);
        st_metric_set_clear(&ms);
    }
    printf("bench_surface: %dx%d (%.1f MP), pixel %.3f mm, %d threads, %d tiles of %s, %zu metrics\n",
           w, h, w * (double)h / 1e6, px, threads, ntiles, px > 0 ? "2 mm" : "64 px", nmetrics);
    printf("  total %.3f s wall, %.3f s CPU (best of %d; target <= 0.4 s wall on 2 cores)\n",
           best.total, best_cpu, runs);
    printf("  prep (plane) %.3f s | FFT (PSD+ACF) %.3f s | GLCM %.3f s | LBP %.3f s | tiles %.3f s | other %.3f s\n",
           best.prep, best.fft, best.glcm, best.lbp, best.tiles,
           best.total - best.prep - best.fft - best.glcm - best.lbp - best.tiles);
    st_fft_free(fft);
    free(y);
    return 0;
}
