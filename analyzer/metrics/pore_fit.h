/* A pore's opening and depth from its radial profile, by least squares
 * against the funnel model b - A (1 - (r/R)^2)^2 (r < R), rather than from
 * a contour of a smoothed image: the smoothing and the skin around a
 * small pore widen a contour by a near-constant amount, so a contour's
 * diameter follows only part of a pore's change in size. */
#ifndef ST_METRICS_PORE_FIT_H
#define ST_METRICS_PORE_FIT_H

typedef struct st_funnel {
    double x, y;  /* centre (px), refined */
    double r_rim; /* opening radius R (px) */
    double depth; /* A, in the surface's units */
    double rms;   /* residual RMS of the fit */
} st_funnel;

/* A funnel's half-depth radius over its opening's: (1 - rho^2)^2 = 1/2 at
 * rho = sqrt(1 - 1/sqrt 2). Only where to search R starts from it, given
 * a pore's measured half-contrast radius; no diameter is scaled by it. */
#define ST_FUNNEL_HALF_RADIUS 0.5412

/* The funnel's volume up to the constant pi / 3: depth x radius^2, what
 * pores are followed by (pore_follow.h). */
static inline double st_funnel_volume(const st_funnel *f)
{
    return f->depth * f->r_rim * f->r_rim;
}

/* Fits the funnel centred near (x, y) to the w x h surface s (pits are
 * low), with R searched in [r_lo, r_hi] px. Returns 1 when a funnel with
 * depth > 0 fits, 0 otherwise. */
int st_fit_funnel(const float *s, int w, int h, double x, double y, double r_lo, double r_hi,
                  st_funnel *out);

#endif
