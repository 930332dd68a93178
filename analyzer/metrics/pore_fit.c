/* Funnel fit (see pore_fit.h): the centre is the depth-weighted centroid
 * of the pit; for each trial R the depth A and the level b are a linear
 * least-squares fit to the pixels out to REACH times the largest R, each
 * at its own distance from the centre (no resampling, which would blur
 * the funnel); the R with the least residual wins, searched on a coarse
 * grid and then finely around the coarse best. */
#include "metrics/pore_fit.h"

#include <math.h>
#include <stddef.h>

#define R_COARSE 0.25 /* px between trial radii, first pass */
#define R_STEP 0.05   /* px between trial radii, around the best of the first */
#define REACH 1.6     /* pixels out to REACH * r_hi + 1 px: the level b around the rim */

/* Centroid of the depth below the local level within radius r of (x, y). */
static void centroid(const float *s, int w, int h, double *x, double *y, double r)
{
    int x0 = (int)floor(*x - r), x1 = (int)ceil(*x + r), y0 = (int)floor(*y - r),
        y1 = (int)ceil(*y + r);
    if (x0 < 0 || y0 < 0 || x1 >= w || y1 >= h)
        return;
    double top = -INFINITY;
    for (int yy = y0; yy <= y1; yy++)
        for (int xx = x0; xx <= x1; xx++)
            top = fmax(top, s[(size_t)yy * w + xx]);
    double sw = 0, sx = 0, sy = 0;
    for (int yy = y0; yy <= y1; yy++)
        for (int xx = x0; xx <= x1; xx++) {
            double dx = xx - *x, dy = yy - *y;
            if (dx * dx + dy * dy > r * r)
                continue;
            double d = top - s[(size_t)yy * w + xx];
            sw += d;
            sx += d * xx;
            sy += d * yy;
        }
    if (sw > 0) {
        *x = sx / sw;
        *y = sy / sw;
    }
}

typedef struct disk {
    const float *s;
    int w;
    double cx, cy;
    int step;       /* 1, or 2: every other pixel of a large pit, on even coordinates */
    int n;          /* pixels within reach */
    double sv, svv; /* their sum and sum of squares */
} disk;

/* The first coordinate >= v on the lattice of the given step. */
static inline int on_lattice(double v, int step)
{
    int i = (int)ceil(v);
    return step == 2 ? i + (i & 1) : i;
}

/* The least-squares depth A and level b for a funnel of radius R (the
 * normal equations of v ~ b - A f over the disk); 1 with *a = A and *sse
 * the residual sum when A > 0. */
static int fit_at(const disk *d, double R, double *a, double *sse)
{
    double sf = 0, sff = 0, sfv = 0, inv = 1.0 / (R * R);
    for (int yy = on_lattice(d->cy - R, d->step); yy <= (int)floor(d->cy + R); yy += d->step) {
        double dy2 = (yy - d->cy) * (yy - d->cy), half = sqrt(fmax(R * R - dy2, 0.0));
        const float *row = d->s + (size_t)yy * d->w;
        for (int xx = on_lattice(d->cx - half, d->step); xx <= (int)floor(d->cx + half);
             xx += d->step) {
            double t = 1.0 - ((xx - d->cx) * (xx - d->cx) + dy2) * inv, f = t * t;
            sf += f;
            sff += f * f;
            sfv += f * row[xx];
        }
    }
    double n = d->n, det = n * sff - sf * sf;
    if (!(det > 0))
        return 0;
    double b = (sff * d->sv - sf * sfv) / det;
    *a = (sf * d->sv - n * sfv) / det;
    *sse = d->svv + b * b * n + *a * *a * sff - 2 * b * d->sv + 2 * *a * sfv - 2 * *a * b * sf;
    return *a > 0;
}

int st_fit_funnel(const float *s, int w, int h, double x, double y, double r_lo, double r_hi,
                  st_funnel *out)
{
    if (!(r_lo > 0) || !(r_hi >= r_lo))
        return 0;
    double cx = x, cy = y;
    for (int it = 0; it < 2; it++) /* the second pass, centred, is unbiased */
        centroid(s, w, h, &cx, &cy, fmax(1.0, 0.5 * r_hi));
    double reach = REACH * r_hi + 1.0;
    int x0 = (int)floor(cx - reach), x1 = (int)ceil(cx + reach);
    int y0 = (int)floor(cy - reach), y1 = (int)ceil(cy + reach);
    if (x0 < 0 || y0 < 0 || x1 >= w || y1 >= h)
        return 0;
    /* the level's sums run over the disk within reach; a pit 16 px or more
     * across has pixels enough on every other row and column */
    int step = r_hi >= 8.0 ? 2 : 1;
    double sv = 0, svv = 0;
    int n = 0;
    for (int yy = on_lattice(y0, step); yy <= y1; yy += step)
        for (int xx = on_lattice(x0, step); xx <= x1; xx += step)
            if ((xx - cx) * (xx - cx) + (yy - cy) * (yy - cy) <= reach * reach) {
                double v = s[(size_t)yy * w + xx];
                sv += v;
                svv += v * v;
                n++;
            }
    /* a coarse pass over R, then a fine one around its best */
    disk d = {s, w, cx, cy, step, n, sv, svv};
    double best = INFINITY, r_best = r_lo;
    /* steps in proportion to the size beyond 5 px: the same relative
     * precision, and a fit of a 20 px pore costs no more trials than 5 px */
    double coarse = R_COARSE * fmax(1.0, r_hi / 5.0), fine = coarse * (R_STEP / R_COARSE);
    for (int pass = 0; pass < 2; pass++) {
        double lo = pass ? fmax(r_lo, r_best - coarse) : r_lo;
        double hi = pass ? fmin(r_hi, r_best + coarse) : r_hi;
        double step = pass ? fine : coarse;
        for (double R = lo; R <= hi + 1e-9; R += step) {
            double a, sse;
            if (fit_at(&d, R, &a, &sse) && sse < best) {
                best = sse;
                r_best = R;
                out->x = cx;
                out->y = cy;
                out->r_rim = R;
                out->depth = a;
                out->rms = sqrt(fmax(sse, 0.0) / n);
            }
        }
    }
    return isfinite(best);
}
