/* Detection benchmark (run by scripts/bench_detect.sh): a generated 12 MP
 * skin photo (4000 x 3000 at 0.025 mm, samples/generator) through every
 * detection family (st_detect_all on the flattened luminance and the RGB
 * photo) with the time of each family, the same on a 12 MP height map
 * (µm), and photometric stereo of four 12 MP images to a height map.
 * Wall-clock medians of several runs.
 *
 * usage: bench_detect [--reps N] [--threads T] [--small] [--dump]
 *   --small  1000 x 750 (a quick check, not the target size)
 *   --dump   every metric and a checksum of the detection lists, to see that
 *            a faster version gives the same outputs */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "metrics/detect.h"
#include "simd/kernels.h"
#include "skingen.h"
#include "../tests/unit/flat_luminance.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }
/* Process CPU time: on a shared, loaded machine the wall clock also counts
 * waiting for a core; CPU / threads is what the wall time would be alone. */
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* FNV-1a over the bytes of the detection lists (paths included). */
static uint64_t fnv(uint64_t hsh, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        hsh = (hsh ^ b[i]) * 1099511628211ull;
    return hsh;
}

static void dump(const st_metric_set *ms, const st_detections *d)
{
    for (size_t i = 0; i < ms->count; i++)
        printf("  %-28s %.17g %s\n", ms->items[i].name, ms->items[i].value, ms->items[i].unit);
    uint64_t hp = fnv(14695981039346656037ull, d->pores, d->n_pores * sizeof *d->pores);
    uint64_t hs = fnv(14695981039346656037ull, d->scars, d->n_scars * sizeof *d->scars);
    uint64_t hw = 14695981039346656037ull;
    for (size_t i = 0; i < d->n_wrinkles; i++) {
        st_wrinkle wk = d->wrinkles[i];
        hw = fnv(hw, wk.path, 2 * wk.n_path * sizeof *wk.path);
        wk.path = NULL;
        hw = fnv(hw, &wk, sizeof wk);
    }
    printf("  checksums: pores %016llx scars %016llx wrinkles %016llx\n", (unsigned long long)hp,
           (unsigned long long)hs, (unsigned long long)hw);
}

/* Every detection family on a generated 12 MP skin: the flattened
 * luminance and the RGB of a photo, or (height) the height map in µm,
 * where pores are found on the pit map and fitted. */
static int bench_detections(int w, int h, double pmm, int height, int reps, int threads,
                            int dump_out)
{
    skingen_params p;
    skingen_params_default(&p, 1, w, h, pmm);
    skingen_skin *skin = NULL;
    st_err err = {0};
    double t0 = now();
    if (skingen_skin_new(&p, &skin, &err)) {
        fprintf(stderr, "bench_detect: %s\n", err.msg);
        return 1;
    }
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, w, h, 1);
    c.ambient = 0.6;
    st_image *rgb = NULL, *lum = NULL;
    int rc = height ? skingen_render_height(skin, &s, &c, &lum, &err)
                    : skingen_render_photo(skin, &s, &c, &rgb, &err);
    if (rc) {
        fprintf(stderr, "bench_detect: %s\n", err.msg);
        return 1;
    }
    if (!height)
        lum = flat_luminance(rgb, pmm); /* what the register stage hands on */
    printf("%s %dx%d (%.1f MP) at %.3f mm generated in %.1f s\n", height ? "height map" : "photo",
           w, h, w * (double)h / 1e6, pmm, now() - t0);
    st_detect_input in = {.rgb = rgb, .surface = lum, .pixel_mm = pmm,
                          .unit = height ? ST_UNIT_UM : ST_UNIT_REL,
                          .modality = height ? ST_DETECT_HEIGHT : ST_DETECT_PHOTO};
    static const char *names[5] = {"pores", "scars", "wrinkles", "pigment", "redness"};
    double fam[5][16], famc[5][16], tot[16], tcpu[16];
    reps = reps > 16 ? 16 : reps;
    for (int r = 0; r < reps; r++) {
        st_metric_set ms = {0};
        st_detections d = {0};
        st_detect_opts o = {.threads = threads};
        double a = now(), ac = cpu();
        if (st_detect_all(&in, &o, &ms, &d, &err)) {
            fprintf(stderr, "bench_detect: %s\n", err.msg);
            return 1;
        }
        tot[r] = now() - a;
        tcpu[r] = cpu() - ac;
        for (int k = 0; k < 5; k++) {
            fam[k][r] = o.family_seconds[k];
            famc[k][r] = o.family_cpu_seconds[k];
        }
        if (r == 0)
            printf("found %zu pores, %zu scars, %zu wrinkles, %zu metrics\n", d.n_pores, d.n_scars,
                   d.n_wrinkles, ms.count);
        if (r == 0 && dump_out)
            dump(&ms, &d);
        st_metric_set_clear(&ms);
        st_detections_clear(&d);
    }
    for (int k = 0; k < 5; k++)
        printf("  %-9s %7.3f s wall %7.3f s CPU\n", names[k], median(fam[k], reps),
               median(famc[k], reps));
    printf("all detections%s: %.3f s wall, %.3f s CPU (median of %d, %d threads; target <= 0.6 s "
           "wall on 2 cores for photos)\n",
           height ? " on the height map" : "", median(tot, reps), median(tcpu, reps), reps, threads);
    st_image_free(lum);
    st_image_free(rgb);
    skingen_skin_free(skin);
    return 0;
}

/* Four Lambertian renders of an analytic relief (content does not change
 * the cost), then st_photostereo. */
static int bench_stereo(int w, int h, double pmm, int reps, int threads)
{
    const double l[4][3] = {{0.5, 0, 0.866}, {0, 0.5, 0.866}, {-0.5, 0, 0.866}, {0, -0.5, 0.866}};
    st_image *img[4];
    st_err err = {0};
    for (int k = 0; k < 4; k++)
        if (st_image_new(w, h, 1, &img[k], &err))
            return 1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double p = 0.2 * cos(x / 40.0) * sin(y / 55.0), q = 0.15 * sin(x / 40.0) * cos(y / 55.0);
            double nn = sqrt(p * p + q * q + 1), alb = 0.6 + 0.1 * sin(x * 0.01);
            for (int k = 0; k < 4; k++) {
                double i = alb * (-p * l[k][0] - q * l[k][1] + l[k][2]) / nn;
                st_image_row(img[k], 0, y)[x] = (float)(i > 0 ? i : 0);
            }
        }
    double t[16], tc[16];
    reps = reps > 16 ? 16 : reps;
    st_photostereo_opts o = {.threads = threads};
    for (int r = 0; r < reps; r++) {
        st_image *hm = NULL;
        double a = now(), ac = cpu();
        if (st_photostereo((const st_image *const *)img, l, 4, pmm, &o, &hm, NULL, &err)) {
            fprintf(stderr, "bench_detect: %s\n", err.msg);
            return 1;
        }
        t[r] = now() - a;
        tc[r] = cpu() - ac;
        st_image_free(hm);
    }
    printf("photometric stereo, 4 x %.1f MP -> height map: %.3f s wall, %.3f s CPU (median of %d, "
           "%d threads; target <= 1.5 s)\n",
           w * (double)h / 1e6, median(t, reps), median(tc, reps), reps, threads);
    for (int k = 0; k < 4; k++)
        st_image_free(img[k]);
    return 0;
}

int main(int argc, char **argv)
{
    int reps = 3, threads = 2, w = 4000, h = 3000, dump_out = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--small"))
            w = 1000, h = 750;
        else if (!strcmp(argv[i], "--dump"))
            dump_out = 1;
        else {
            fprintf(stderr, "usage: bench_detect [--reps N] [--threads T] [--small] [--dump]\n");
            return 2;
        }
    }
    if (reps < 1)
        reps = 1;
    st_allocator_keep_large_blocks(); /* as the CLI does */
    if (bench_detections(w, h, 0.025, 0, reps, threads, dump_out) ||
        bench_detections(w, h, 0.025, 1, reps, threads, dump_out))
        return 1;
    return bench_stereo(w, h, 0.025, reps, threads);
}
