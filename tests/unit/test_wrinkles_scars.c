/* Wrinkles on generated photos (raking light, clinic lamp) with atrophic
 * scars and wrinkles (samples/generator, exact truth): the length found on
 * the true wrinkles stays within 20 % of their length at half depth, and
 * the length traced on the scars' walls (under directional light the wall
 * facing away from the lamp shades into a dark crescent, which a line
 * filter answers to) stays below a tenth of it. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/detect.h"
#include "simd/kernels.h"
#include "skingen.h"
#include "flat_luminance.h"
#include "test_util.h"

#define PMM 0.025

/* Distance (px) from (x, y) to the segment of wrinkle w. */
static double seg_dist(const skingen_wrinkle *w, double x, double y)
{
    double ex = w->x1 - w->x0, ey = w->y1 - w->y0, l2 = ex * ex + ey * ey;
    double t = l2 > 0 ? ((x - w->x0) * ex + (y - w->y0) * ey) / l2 : 0.0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    return hypot(x - (w->x0 + t * ex), y - (w->y0 + t * ey));
}

/* Normalised elliptical radius of (x, y) in scar s (1 on the footprint's
 * edge). */
static double scar_rho(const skingen_scar *s, double x, double y)
{
    double a = s->angle_deg * M_PI / 180.0, ca = cos(a), sa = sin(a);
    double du = (x - s->x) * PMM, dv = (y - s->y) * PMM;
    double p = (du * ca + dv * sa) / (0.5 * s->d_mm);
    double q = (-du * sa + dv * ca) / (0.5 * s->d_mm * s->aspect);
    return sqrt(p * p + q * q);
}

typedef struct split {
    double on_wrinkle, on_scar, other; /* mm */
} split;

/* Each found line's length shared out by where the points of its path lie:
 * within 0.5 mm of a true wrinkle, else within 0.5-1.5 footprint radii of
 * a scar's centre (its wall and rim), else elsewhere. */
static split classify(const st_detections *d, const skingen_wrinkle *tw, int nw,
                      const skingen_scar *ts, int ns)
{
    split s = {0};
    for (size_t i = 0; i < d->n_wrinkles; i++) {
        const st_wrinkle *l = &d->wrinkles[i];
        int nwr = 0, nsc = 0, n = (int)l->n_path;
        for (int k = 0; k < n; k++) {
            double x = l->path[2 * k], y = l->path[2 * k + 1];
            int onw = 0, ons = 0;
            for (int j = 0; j < nw && !onw; j++)
                onw = seg_dist(&tw[j], x, y) * PMM <= 0.5;
            for (int j = 0; j < ns && !onw && !ons; j++) {
                double r = scar_rho(&ts[j], x, y);
                ons = r >= 0.5 && r <= 1.5;
            }
            nwr += onw;
            nsc += ons;
        }
        if (n <= 0)
            continue;
        s.on_wrinkle += l->length_mm * nwr / n;
        s.on_scar += l->length_mm * nsc / n;
        s.other += l->length_mm * (n - nwr - nsc) / n;
    }
    return s;
}

/* Three wrinkles at angle a (degrees on screen, y down), 10, 9 and 7 mm
 * long, clear of the scars (at least 1.8 footprint radii): across the
 * light, so that they shade. */
static void place(double a, skingen_wrinkle wr[3])
{
    const double cx[3] = {420, 820, 900}, cy[3] = {460, 470, 700}, len[3] = {10, 9, 7};
    const double wid[3] = {0.30, 0.25, 0.35}, dep[3] = {70, 60, 80};
    double ux = cos(a * M_PI / 180.0), uy = sin(a * M_PI / 180.0);
    for (int i = 0; i < 3; i++) {
        double hl = 0.5 * len[i] / PMM;
        wr[i] = (skingen_wrinkle){cx[i] - hl * ux, cy[i] - hl * uy, cx[i] + hl * ux,
                                  cy[i] + hl * uy, wid[i], dep[i]};
    }
}

static void run(uint64_t seed, const double light[3], double angle, const char *what)
{
    const int w = 1200, h = 900;
    skingen_params p;
    skingen_params_default(&p, seed, w, h, PMM);
    /* boxcar and rolling scars (steep and gentle walls) and an icepick */
    const skingen_scar scars[6] = {
        {SKINGEN_BOXCAR, 200, 170, 3.0, 0.85, 30, 300}, {SKINGEN_BOXCAR, 640, 820, 2.2, 0.9, 100, 250},
        {SKINGEN_ROLLING, 1060, 200, 6.0, 0.8, 60, 150}, {SKINGEN_ROLLING, 140, 740, 5.0, 0.9, 10, 120},
        {SKINGEN_ICEPICK, 1110, 800, 1.2, 0.9, 0, 450}, {SKINGEN_BOXCAR, 700, 140, 3.5, 0.75, 140, 350}};
    skingen_wrinkle wr[3];
    place(angle, wr);
    p.scars = scars;
    p.n_scars = 6;
    p.wrinkles = wr;
    p.n_wrinkles = 3;
    p.sq_um = 12.0; /* a fine relief, where wrinkles stand out */
    skingen_skin *skin = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_skin_new(&p, &skin, &err), ST_OK);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, w, h, seed + 1);
    memcpy(c.light, light, sizeof c.light);
    st_image *rgb = NULL;
    CHECK_EQ_INT(skingen_render_photo(skin, &s, &c, &rgb, &err), ST_OK);
    st_image *lum = flat_luminance(rgb, PMM);
    st_detect_input in = {.surface = lum, .rgb = rgb, .pixel_mm = PMM};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_wrinkles_detect(&in, 2, &ms, &d, &err), ST_OK);
    /* the generator's wrinkles taper to zero depth over the last fifth of
     * their length at each end (smoothstep, half depth at a tenth): the
     * length at half depth is 0.8 of the segment */
    double truth = 0;
    for (int i = 0; i < 3; i++)
        truth += 0.8 * hypot(wr[i].x1 - wr[i].x0, wr[i].y1 - wr[i].y0) * PMM;
    split sp = classify(&d, wr, 3, scars, 6);
    printf("%s: %zu lines; on wrinkles %.2f mm (truth %.2f), on scar walls %.2f mm, elsewhere %.2f mm\n",
           what, d.n_wrinkles, sp.on_wrinkle, truth, sp.on_scar, sp.other);
    CHECK_REL(sp.on_wrinkle, truth, 0.20);
    CHECK_MSG(sp.on_scar <= 0.10 * truth, "%.2f mm of lines on scar walls", sp.on_scar);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(lum);
    st_image_free(rgb);
    skingen_skin_free(skin);
}

int main(void)
{
    /* raking light from the left (15 degrees above the skin) and the
     * default clinic lamp (40 degrees off the axis, upper left) */
    const double raking[3] = {-0.966, 0.0, 0.259}, lamp[3] = {-0.4545, -0.4545, 0.766};
    run(41, raking, 80.0, "raking light");
    run(43, lamp, -45.0, "clinic lamp");
    return test_summary();
}
