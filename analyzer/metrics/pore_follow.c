/* Following pores (see pore_follow.h). Each pore has its own slot in the
 * parallel bands, so the bytes do not depend on the thread count. */
#include "metrics/pore_follow.h"

#include <math.h>
#include <stdlib.h>

#include "core/parallel.h"
#include "metrics/pore_fit.h"

/* The surface funnels are fitted on. */
typedef struct surface {
    const float *s;
    int w, h;
} surface;

typedef struct fit_job {
    surface f;
    st_pore *p;
} fit_job;

/* A found pore's funnel, fitted around the opening its half-contrast
 * diameter suggests; the diameter reported stays the measured one. */
static void fit_band(void *arg, int b, int e)
{
    const fit_job *j = arg;
    for (int i = b; i < e; i++) {
        st_pore *p = &j->p[i];
        double r = 0.5 * p->d_mm / ST_FUNNEL_HALF_RADIUS; /* px here: the opening */
        st_funnel f;
        p->depth = p->volume = 0.0;
        if (st_fit_funnel(j->f.s, j->f.w, j->f.h, p->x, p->y, fmax(0.5, 0.5 * r), 1.5 * r + 1.0,
                          &f)) {
            p->depth = f.depth;
            p->volume = st_funnel_volume(&f);
        }
    }
}

void st_pores_fit(const float *fit, int w, int h, st_pore *p, size_t n, int threads)
{
    fit_job j = {{fit, w, h}, p};
    st_parallel_for(threads, (int)n, 64, fit_band, &j);
}

/* A followed pore's size now is its size then times its volume now over
 * its volume then, to the power 1/3 on a height map and 1/2 on a photo,
 * the volumes from the funnel fitted where the pore was found (depth times
 * radius squared; pi / 3 cancels). A volume is the same however much the
 * surface is blurred, where a fitted radius of a pore a few pixels wide is
 * not (it follows about half of a change in size). A pit that keeps its
 * shape as it shrinks (depth in step with opening) has a volume in the
 * cube of its opening; a pore on a photo keeps its darkness, so its dark
 * volume goes with the square (one that also fades counts as smaller: it
 * looks smaller). The ratio is capped at MAX_GROWTH, the fit's own reach:
 * more is a neighbouring pit, not the pore. A pore that no longer fits a
 * funnel (filled in) has size 0. */
#define MAX_GROWTH 1.5

typedef struct follow_job {
    surface f;
    const st_pore *track;
    double pmm;
    int height;
    st_pore *t;          /* one slot per pore to follow */
    unsigned char *kept; /* 1: it had a volume to follow */
} follow_job;

static void follow_band(void *arg, int b, int e)
{
    const follow_job *j = arg;
    for (int i = b; i < e; i++) {
        const st_pore *p = &j->track[i];
        st_pore *t = &j->t[i];
        double r = 0.5 * (j->pmm > 0 ? p->d_mm / j->pmm : p->d_mm) / ST_FUNNEL_HALF_RADIUS;
        *t = *p;
        j->kept[i] = p->volume > 0 && r > 0;
        if (!j->kept[i])
            continue;
        st_funnel f;
        double q = 0.0;
        t->depth = 0.0;
        if (st_fit_funnel(j->f.s, j->f.w, j->f.h, p->x, p->y, 0.5, MAX_GROWTH * r + 1.0, &f)) {
            double v = st_funnel_volume(&f) / p->volume;
            q = fmin(j->height ? cbrt(v) : sqrt(v), MAX_GROWTH);
            t->depth = f.depth;
        }
        t->d_mm = p->d_mm * q;
        t->volume = p->volume * (j->height ? q * q * q : q * q);
    }
}

st_pore *st_pores_follow(const float *fit, int w, int h, const st_pore *track, size_t n_track,
                         double pmm, int height, int threads, size_t *n)
{
    st_pore *t = malloc((n_track ? n_track : 1) * sizeof *t);
    unsigned char *kept = malloc(n_track ? n_track : 1);
    *n = 0;
    if (!t || !kept) {
        free(t);
        free(kept);
        return NULL;
    }
    follow_job j = {{fit, w, h}, track, pmm, height, t, kept};
    st_parallel_for(threads, (int)n_track, 64, follow_band, &j);
    for (size_t i = 0; i < n_track; i++) /* the followed ones, in order */
        if (kept[i])
            t[(*n)++] = t[i];
    free(kept);
    return t;
}
