#define _POSIX_C_SOURCE 200809L
#include "core/parallel.h"

#include <pthread.h>
#include <unistd.h>

#define ST_MAX_THREADS 64

typedef struct band_job {
    st_band_fn fn;
    void *ctx;
    int begin, end;
} band_job;

static void *run_band(void *arg)
{
    band_job *job = arg;
    job->fn(job->ctx, job->begin, job->end);
    return NULL;
}

int st_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > ST_MAX_THREADS ? ST_MAX_THREADS : (int)n);
}

int st_parallel_for(int threads, int n, int min_rows_per_thread, st_band_fn fn, void *ctx)
{
    if (n <= 0)
        return 0;
    if (threads <= 0)
        threads = st_cpu_count();
    if (threads > ST_MAX_THREADS)
        threads = ST_MAX_THREADS;
    if (min_rows_per_thread < 1)
        min_rows_per_thread = 1;
    if (threads > n / min_rows_per_thread)
        threads = n / min_rows_per_thread;
    if (threads <= 1) {
        fn(ctx, 0, n);
        return 0;
    }
    band_job jobs[ST_MAX_THREADS];
    pthread_t tids[ST_MAX_THREADS];
    int started[ST_MAX_THREADS] = {0};
    for (int t = 0; t < threads; t++) {
        jobs[t] = (band_job){fn, ctx, (int)((long long)n * t / threads),
                             (int)((long long)n * (t + 1) / threads)};
    }
    int failed = 0;
    /* The calling thread takes band 0 itself. */
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tids[t], NULL, run_band, &jobs[t]) == 0;
    run_band(&jobs[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tids[t], NULL);
        else {
            run_band(&jobs[t]);
            failed = 1;
        }
    }
    return failed ? 7 /* ST_EINTERNAL */ : 0;
}
