/* bench_analyze SERIES_DIR OUT [THREADS]: one `analyze` run through the
 * library entry, with the wall and CPU time (the process's, all threads) of
 * each stage, the time per photo, and the ratio of the whole to plain
 * decoding of the same photos (st_image_load of every file, timed in the same
 * process before the run). CPU time is the figure to compare on a shared
 * machine: other processes inflate the wall time, not it. Peak RSS is
 * measured around it by scripts/bench_analyze.sh (/usr/bin/time -v). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/alloc.h"
#include "pipeline/analyze.h"
#include "series/scan.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* Decodes every photo of the series once; returns wall seconds, the CPU
 * seconds (*cpu) and the count. */
static double decode_all(const char *dir, double *cpu, size_t *n_photos)
{
    st_series s;
    st_err err = {0};
    *n_photos = 0;
    if (st_series_scan(dir, NULL, &s, &err)) {
        fprintf(stderr, "bench_analyze: %s\n", err.msg);
        exit(2);
    }
    double t0 = now(), c0 = cpu_now();
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
    *cpu = cpu_now() - c0;
    st_series_free(&s);
    return t;
}

/* The process's peak resident memory so far (VmHWM), MB; -1 if unknown. */
static long peak_rss_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb < 0 ? -1 : kb / 1024;
}

/* After each photo of each pass: where the peak memory is reached. */
static void progress(void *ctx, size_t done, size_t total, const char *file)
{
    const double *t0 = ctx;
    printf("  [%7.2f s] %s %zu/%zu %s: peak RSS so far %ld MB\n", now() - *t0, 2 * done <= total ? "pass 1" : "pass 2",
           done, total, file, peak_rss_mb());
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
    double decode_cpu, decode = decode_all(argv[1], &decode_cpu, &n_photos);
    st_pipeline_result r;
    st_err err = {0};
    double t0 = now(), c0 = cpu_now();
    o.progress = progress;
    o.progress_ctx = &t0;
    printf("before the run (photos decoded once): peak RSS %ld MB\n", peak_rss_mb());
    int rc = st_pipeline_run(argv[1], argv[2], &o, &r, NULL, &err);
    double wall = now() - t0, cpu = cpu_now() - c0;
    if (rc) {
        fprintf(stderr, "bench_analyze: %s\n", err.msg);
        return 1;
    }
    const st_stage_times *t = &r.times, *u = &r.cpu;
    printf("analyze %s: %zu photos, %zu sessions (%zu failed), %d threads\n", argv[1], n_photos,
           r.n_sessions, r.n_failed, o.threads);
    printf("  %-26s %9s %9s\n", "stage", "wall s", "CPU s");
#define ROW(label, f) printf("  %-26s %9.3f %9.3f\n", label, t->f, u->f)
    ROW("scan", scan);
    ROW("load (decode)", load);
    ROW("quality", quality);
    ROW("registration", registration);
    ROW("roi", roi);
    ROW("  of which skin mask", skin_mask);
    ROW("face area (roi, reg. box)", face_area);
    ROW("warp", warp);
    ROW("normalise", normalise);
    ROW("  chart search (pass 1)", chart);
    ROW("  light-on-chart grid", light_grid);
    ROW("  colour correction", colour);
    ROW("  flatten", flatten);
    ROW("  chromophores", chromo);
    ROW("  lamp estimate", lamp);
    ROW("    of which shading copy", shading_copy);
    ROW("surface", surface);
    ROW("detect", detect);
    ROW("tiles", tiles);
    ROW("images", images);
    ROW("write", write);
    ROW("report", report);
#undef ROW
    printf("  detect by family (wall): pores %.3f, scars %.3f, wrinkles %.3f, pigment %.3f, redness %.3f s\n",
           t->detect_family[0], t->detect_family[1], t->detect_family[2], t->detect_family[3],
           t->detect_family[4]);
    double other = wall - (t->scan + t->load + t->quality + t->registration + t->roi + t->warp +
                           t->normalise + t->surface + t->detect + t->tiles + t->images + t->write + t->report);
    double other_cpu = cpu - (u->scan + u->load + u->quality + u->registration + u->roi + u->warp +
                              u->normalise + u->surface + u->detect + u->tiles + u->images + u->write + u->report);
    printf("  %-26s %9.3f %9.3f\n", "(other)", other, other_cpu);
    double per = n_photos ? 1.0 / (double)n_photos : 0;
    printf("total %.3f s wall, %.3f s CPU; per photo %.3f s wall, %.3f s CPU\n", wall, cpu, wall * per, cpu * per);
    printf("plain decoding of the same photos: %.3f s wall, %.3f s CPU (%.3f s CPU per photo)\n", decode,
           decode_cpu, decode_cpu * per);
    printf("analyze / decode = %.1f (wall), %.1f (CPU)\n", decode > 0 ? wall / decode : 0,
           decode_cpu > 0 ? cpu / decode_cpu : 0);
    st_pipeline_result_free(&r);
    return 0;
}
