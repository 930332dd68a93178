#define _POSIX_C_SOURCE 200809L
#include "fft/fft.h"

#include <fftw3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/parallel.h"

enum plan_kind { PLAN_R2C, PLAN_C2R, PLAN_C2C_FWD, PLAN_C2C_INV };

typedef struct plan_entry {
    int kind, w, h;
    fftwf_plan plan;
} plan_entry;

struct st_fft {
    pthread_mutex_t lock;
    plan_entry *plans;
    size_t n_plans, cap_plans;
    int threads;
    int measure;
    int wisdom_dirty;
    char wisdom_path[ST_PATH_MAX];
};

/* FFTW's planner is one process-wide object: every planner call (plans,
 * wisdom, thread setup) goes through this lock, whichever handle asks. */
static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t fftw_once = PTHREAD_ONCE_INIT;

static void fftw_setup(void)
{
    fftwf_init_threads();
    fftwf_make_planner_thread_safe();
}

int st_fft_new(int threads, st_fft **out, st_err *err)
{
    pthread_once(&fftw_once, fftw_setup);
    st_fft *fft = calloc(1, sizeof *fft);
    if (!fft)
        return st_err_set(err, ST_ENOMEM, "fft: out of memory");
    pthread_mutex_init(&fft->lock, NULL);
    fft->threads = threads > 0 ? threads : st_cpu_count();
    *out = fft;
    return ST_OK;
}

static void save_wisdom(const st_fft *fft)
{
    char *text = fftwf_export_wisdom_to_string();
    if (!text)
        return;
    /* Best effort: a cache that cannot be written only costs planning time. */
    char dir[ST_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", fft->wisdom_path);
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    st_atomic_write(fft->wisdom_path, text, strlen(text), NULL);
    free(text);
}

void st_fft_free(st_fft *fft)
{
    if (!fft)
        return;
    pthread_mutex_lock(&planner_lock);
    if (fft->wisdom_dirty && fft->wisdom_path[0])
        save_wisdom(fft);
    for (size_t i = 0; i < fft->n_plans; i++)
        fftwf_destroy_plan(fft->plans[i].plan);
    pthread_mutex_unlock(&planner_lock);
    free(fft->plans);
    pthread_mutex_destroy(&fft->lock);
    free(fft);
}

const char *st_fft_default_wisdom_path(char *buf, size_t len)
{
    const char *env = getenv("SKINTRACK_FFTW_WISDOM");
    if (env) {
        snprintf(buf, len, "%s", strcmp(env, "off") ? env : "");
        return buf;
    }
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, len, "%s/skintrack/fftw-wisdom", xdg);
    else if (home && *home)
        snprintf(buf, len, "%s/.cache/skintrack/fftw-wisdom", home);
    else
        buf[0] = '\0';
    return buf;
}

void st_fft_set_wisdom(st_fft *fft, const char *path, int measure)
{
    snprintf(fft->wisdom_path, sizeof fft->wisdom_path, "%s",
             (path && strcmp(path, "off")) ? path : "");
    fft->measure = measure && fft->wisdom_path[0];
    if (!fft->wisdom_path[0])
        return;
    pthread_mutex_lock(&planner_lock);
    fftwf_import_wisdom_from_filename(fft->wisdom_path); /* absent file: fine */
    pthread_mutex_unlock(&planner_lock);
}

/* Large transform buffers go into huge pages where the kernel allows it:
 * a 12 MP r2c + c2r pair took a third less CPU (fewer faults and TLB
 * misses in the column passes), with the same results. */
float *st_fft_alloc_real(size_t n)
{
    float *p = fftwf_alloc_real(n ? n : 1);
    if (p && n <= (size_t)-1 / sizeof *p)
        st_advise_huge(p, n * sizeof *p);
    return p;
}

st_complex *st_fft_alloc_complex(size_t n)
{
    st_complex *p = (st_complex *)fftwf_alloc_complex(n ? n : 1);
    if (p && n <= (size_t)-1 / sizeof *p)
        st_advise_huge(p, n * sizeof *p);
    return p;
}
void st_fft_free_buf(void *p) { fftwf_free(p); }

/* Makes a plan on scratch buffers (FFTW_MEASURE overwrites its arrays). */
static fftwf_plan make_plan(st_fft *fft, int kind, int w, int h)
{
    size_t nreal = (size_t)w * h, ncplx = (size_t)(w / 2 + 1) * h, nfull = (size_t)w * h;
    unsigned flags = (fft->measure ? FFTW_MEASURE : FFTW_ESTIMATE);
    fftwf_plan plan = NULL;
    pthread_mutex_lock(&planner_lock);
    fftwf_plan_with_nthreads(nreal >= 65536 ? fft->threads : 1);
    if (kind == PLAN_R2C || kind == PLAN_C2R) {
        float *r = fftwf_alloc_real(nreal);
        fftwf_complex *c = fftwf_alloc_complex(ncplx);
        if (r && c) {
            if (kind == PLAN_R2C)
                plan = fftwf_plan_dft_r2c_2d(h, w, r, c, flags);
            else
                plan = fftwf_plan_dft_c2r_2d(h, w, c, r, flags | FFTW_DESTROY_INPUT);
        }
        fftwf_free(r);
        fftwf_free(c);
    } else {
        fftwf_complex *a = fftwf_alloc_complex(nfull), *b = fftwf_alloc_complex(nfull);
        if (a && b)
            plan = fftwf_plan_dft_2d(h, w, a, b, kind == PLAN_C2C_FWD ? FFTW_FORWARD : FFTW_BACKWARD,
                                     flags);
        fftwf_free(a);
        fftwf_free(b);
    }
    if (plan && fft->measure)
        fft->wisdom_dirty = 1;
    pthread_mutex_unlock(&planner_lock);
    return plan;
}

static fftwf_plan get_plan(st_fft *fft, int kind, int w, int h, st_err *err)
{
    if (w < 1 || h < 1 || (size_t)w * (size_t)h > (size_t)1 << 31) {
        st_err_set(err, ST_EINVAL, "fft: bad size %dx%d", w, h);
        return NULL;
    }
    pthread_mutex_lock(&fft->lock);
    fftwf_plan plan = NULL;
    for (size_t i = 0; i < fft->n_plans; i++)
        if (fft->plans[i].kind == kind && fft->plans[i].w == w && fft->plans[i].h == h)
            plan = fft->plans[i].plan;
    if (!plan) {
        if (fft->n_plans == fft->cap_plans) {
            size_t cap = fft->cap_plans ? 2 * fft->cap_plans : 8;
            plan_entry *grown = realloc(fft->plans, cap * sizeof *grown);
            if (grown) {
                fft->plans = grown;
                fft->cap_plans = cap;
            }
        }
        if (fft->n_plans < fft->cap_plans && (plan = make_plan(fft, kind, w, h)))
            fft->plans[fft->n_plans++] = (plan_entry){kind, w, h, plan};
    }
    pthread_mutex_unlock(&fft->lock);
    if (!plan)
        st_err_set(err, ST_ENOMEM, "fft: cannot plan a %dx%d transform", w, h);
    return plan;
}

int st_fft_r2c(st_fft *fft, int w, int h, float *in, st_complex *out, st_err *err)
{
    fftwf_plan p = get_plan(fft, PLAN_R2C, w, h, err);
    if (!p)
        return err ? err->code : ST_ENOMEM;
    fftwf_execute_dft_r2c(p, in, (fftwf_complex *)out);
    return ST_OK;
}

int st_fft_c2r(st_fft *fft, int w, int h, st_complex *in, float *out, st_err *err)
{
    fftwf_plan p = get_plan(fft, PLAN_C2R, w, h, err);
    if (!p)
        return err ? err->code : ST_ENOMEM;
    fftwf_execute_dft_c2r(p, (fftwf_complex *)in, out);
    return ST_OK;
}

int st_fft_c2c(st_fft *fft, int w, int h, int sign, st_complex *in, st_complex *out, st_err *err)
{
    fftwf_plan p = get_plan(fft, sign < 0 ? PLAN_C2C_FWD : PLAN_C2C_INV, w, h, err);
    if (!p)
        return err ? err->code : ST_ENOMEM;
    fftwf_execute_dft(p, (fftwf_complex *)in, (fftwf_complex *)out);
    return ST_OK;
}

int st_fft_good_size(int n)
{
    if (n < 1)
        return 1;
    for (int m = n;; m++) {
        int r = m;
        static const int primes[] = {2, 3, 5, 7};
        for (int i = 0; i < 4; i++)
            while (r % primes[i] == 0)
                r /= primes[i];
        if (r == 1)
            return m;
    }
}
