/* bench_analyze SERIES_DIR OUT [THREADS]: one `analyze` run through the
 * library entry, with the wall time of each stage, the time per photo, and
 * the ratio of the whole to plain decoding of the same photos (st_image_load
 * of every file, timed in the same process before the run). Peak RSS is
 * measured around it by scripts/bench_analyze.sh (/usr/bin/time -v). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/alloc.h"
#include "pipeline/analyze.h"
#include "series/scan.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Decodes every photo of the series once; returns seconds and the count. */
static double decode_all(const char *dir, size_t *n_photos)
{
    st_series s;
    st_err err = {0};
    *n_photos = 0;
    if (st_series_scan(dir, NULL, &s, &err)) {
        fprintf(stderr, "bench_analyze: %s\n", err.msg);
        exit(2);
    }
    double t0 = now();
    for (size_t i = 0; i < s.n_sessions; i++)
        for (size_t j = 0; j < s.sessions[i].files.count; j++) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, s.sessions[i].files.items[j]);
            st_image *img = NULL;
            if (st_image_load(path, NULL, &img, NULL, &err) == ST_OK)
                (*n_photos)++;
            st_image_free(img);
        }
    double t = now() - t0;
    st_series_free(&s);
    return t;
}

int main(int argc, char **argv)
{
    st_allocator_keep_large_blocks(); /* as the CLI does */
    if (argc < 3) {
        fprintf(stderr, "usage: bench_analyze SERIES_DIR OUT [THREADS]\n");
        return 2;
    }
    st_pipeline_opts o = {0};
    o.threads = argc > 3 ? atoi(argv[3]) : 2;
    size_t n_photos;
    double decode = decode_all(argv[1], &n_photos);
    st_pipeline_result r;
    st_err err = {0};
    double t0 = now();
    int rc = st_pipeline_run(argv[1], argv[2], &o, &r, NULL, &err);
    double wall = now() - t0;
    if (rc) {
        fprintf(stderr, "bench_analyze: %s\n", err.msg);
        return 1;
    }
    const st_stage_times *t = &r.times;
    printf("analyze %s: %zu photos, %zu sessions (%zu failed), %d threads\n", argv[1], n_photos,
           r.n_sessions, r.n_failed, o.threads);
    printf("  scan          %7.3f s\n  load (decode) %7.3f s\n  quality       %7.3f s\n"
           "  registration  %7.3f s\n  roi           %7.3f s\n  warp          %7.3f s\n"
           "  normalise     %7.3f s\n  surface       %7.3f s\n  detect        %7.3f s\n"
           "  tiles         %7.3f s\n  images        %7.3f s\n  write         %7.3f s\n"
           "  report        %7.3f s\n",
           t->scan, t->load, t->quality, t->registration, t->roi, t->warp, t->normalise, t->surface,
           t->detect, t->tiles, t->images, t->write, t->report);
    printf("  detect by family: pores %.3f, scars %.3f, wrinkles %.3f, pigment %.3f, redness %.3f s\n",
           t->detect_family[0], t->detect_family[1], t->detect_family[2], t->detect_family[3],
           t->detect_family[4]);
    double other = wall - (t->scan + t->load + t->quality + t->registration + t->roi + t->warp +
                           t->normalise + t->surface + t->detect + t->tiles + t->images + t->write + t->report);
    printf("  (other)       %7.3f s\n", other);
    printf("total %.3f s wall, %.3f s per photo (target <= 1.0)\n", wall, n_photos ? wall / n_photos : 0);
    printf("plain decoding of the same photos: %.3f s (%.3f s per photo); analyze / decode = %.1f\n", decode,
           n_photos ? decode / n_photos : 0, decode > 0 ? wall / decode : 0);
    st_pipeline_result_free(&r);
    return 0;
}
