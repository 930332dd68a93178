/* Registration benchmark: a 12 MP (4000 x 3000) RGB pair end to end (pyramid,
 * coarse, ECC refinement, verification, bicubic warp of the three channels
 * into the baseline frame), on -j threads (default 2). FFTW plans come from a
 * wisdom file measured once in an untimed warm-up run (st_fft_set_wisdom with
 * measure on), so the timed runs do not re-measure.
 * usage: bench_register [-j N] [--size WxH] [--reps N] [--wisdom FILE]
 *                       [--fine MAX_DIM] (st_register_opts.fine_max_dim) */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../tests/unit/reg_synth.h"
#include "core/alloc.h"

/* CPU seconds of the process (all threads): on a loaded machine, CPU / threads
 * is what the wall time would be with the cores to ourselves. */
static double cpu_now(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Gray pair -> RGB with slightly different channel gains (a colour photo). */
static st_image *to_rgb(const st_image *g)
{
    st_image *c;
    if (st_image_new(g->width, g->height, 3, &c, NULL))
        return NULL;
    const float k[3] = {1.05f, 1.0f, 0.9f};
    for (int ch = 0; ch < 3; ch++)
        for (int y = 0; y < g->height; y++)
            for (int x = 0; x < g->width; x++)
                st_image_row(c, ch, y)[x] = k[ch] * st_image_row(g, 0, y)[x];
    return c;
}

int main(int argc, char **argv)
{
    st_allocator_keep_large_blocks(); /* as the CLI does */
    int threads = 2, w = 4000, h = 3000, reps = 3, fine = 0;
    const char *wisdom = "bench_register.wisdom";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-j") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--size") && i + 1 < argc)
            sscanf(argv[++i], "%dx%d", &w, &h);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--wisdom") && i + 1 < argc)
            wisdom = argv[++i];
        else if (!strcmp(argv[i], "--fine") && i + 1 < argc)
            fine = atoi(argv[++i]);
    }
    int sw = w + w / 2, sh = h + h / 2;
    fprintf(stderr, "making a %dx%d pair...\n", w, h);
    float *scene = synth_texture(sw, sh, 5);
    synth_params p = {{0}, 0.9, 0.4, 0.01};
    synth_matrix(w, h, 6.0 * M_PI / 180, 1.06, 0.12 * w, -0.08 * h, 1e-6, -5e-7, p.m);
    st_image *fg, *mg;
    synth_pair(scene, sw, sh, w, h, &p, 1, &fg, &mg);
    st_aligned_free(scene);
    st_image *f = to_rgb(fg), *m = to_rgb(mg);
    st_image_free(fg);
    st_image_free(mg);
    st_register_opts o;
    st_register_opts_default(&o);
    o.threads = threads;
    o.wisdom = wisdom;
    o.fft_measure = 1;
    o.fine_max_dim = fine;
    st_registration r;
    st_err e;
    /* Warm-up: measures the FFTW plans into the wisdom file (untimed). */
    if (st_register_pair(f, m, &o, &r, &e)) {
        fprintf(stderr, "bench_register: %s\n", e.msg);
        return 1;
    }
    printf("register %dx%d RGB pair, %d thread(s), wisdom %s\n", w, h, threads, wisdom);
    printf("%5s %8s %8s %8s %8s %8s %8s %8s %8s  %s\n", "run", "pyramid", "coarse", "refine",
           "fallbk", "verify", "warp", "total", "cpu", "result");
    double best = 1e9;
    for (int i = 0; i < reps; i++) {
        double c0 = cpu_now(), t0 = now();
        st_register_pair(f, m, &o, &r, &e);
        double t1 = now();
        st_image *al = NULL;
        st_warp_to_baseline(m, r.matrix, w, h, 0.0f, &al, NULL, threads, &e);
        double t2 = now(), c2 = cpu_now();
        st_image_free(al);
        double mean, max;
        synth_corner_error(r.matrix, p.m, w, h, &mean, &max);
        printf("%5d %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f  %s %s, corner error %.2f px\n",
               i + 1, r.times.pyramid, r.times.coarse, r.times.refine, r.times.fallback,
               r.times.verify, t2 - t1, t2 - t0, c2 - c0, st_reg_status_name(r.status),
               st_reg_model_name(r.model), mean);
        best = t2 - t0 < best ? t2 - t0 : best;
    }
    printf("best end to end: %.3f s (target <= 0.5 s on 2 cores)\n", best);
    st_image_free(f);
    st_image_free(m);
    return 0;
}
