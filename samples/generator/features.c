/* Pores, atrophic scars, wrinkles and colour patches: their profiles, their
 * random placement from the seed, and their exact rendering through the
 * session→baseline matrix (every session pixel is mapped to the baseline and
 * the analytic profile is evaluated there). Scar shapes follow Jacob et al.
 * 2001 (icepick < 2 mm, deep; boxcar 1.5–4 mm, flat floor; rolling 4–5 mm and
 * wider, shallow undulation). */
#include "skingen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Smooth bowl, 1 at the centre, 0 with zero slope at rho = 1. */
double sg_pore_profile(double rho)
{
    if (rho >= 1.0)
        return 0.0;
    double t = 1.0 - rho * rho;
    return t * t;
}

static double smoothstep01(double t)
{
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    return t * t * (3.0 - 2.0 * t);
}

double sg_scar_profile(skingen_scar_kind kind, double rho)
{
    if (rho >= 1.0)
        return 0.0;
    switch (kind) {
    case SKINGEN_ICEPICK: /* cone with a rounded lip */
        return (1.0 - rho) * (1.0 - rho) * (1.0 + 2.0 * rho) * (1.0 - 0.6 * rho);
    case SKINGEN_BOXCAR: /* flat floor to 0.7, steep wall */
        return rho <= 0.7 ? 1.0 : smoothstep01((1.0 - rho) / 0.3);
    case SKINGEN_ROLLING:
    default:
        return 0.5 * (1.0 + cos(M_PI * rho));
    }
}

double sg_eval_pore(const void *f, double u, double v, double pixel_mm)
{
    const skingen_pore *p = f;
    double r = hypot(u - p->x, v - p->y) * pixel_mm / (0.5 * p->d_mm);
    return sg_pore_profile(r);
}

double sg_eval_scar(const void *f, double u, double v, double pixel_mm)
{
    const skingen_scar *s = f;
    double a = s->angle_deg * M_PI / 180.0, ca = cos(a), sa = sin(a);
    double du = (u - s->x) * pixel_mm, dv = (v - s->y) * pixel_mm;
    double p = (du * ca + dv * sa) / (0.5 * s->d_mm);
    double q = (-du * sa + dv * ca) / (0.5 * s->d_mm * s->aspect);
    return sg_scar_profile(s->kind, sqrt(p * p + q * q));
}

/* A groove with a Gaussian section (width = FWHM) whose depth tapers over
 * the last fifth of its length at each end. */
double sg_eval_wrinkle(const void *f, double u, double v, double pixel_mm)
{
    const skingen_wrinkle *w = f;
    double ex = w->x1 - w->x0, ey = w->y1 - w->y0;
    double len2 = ex * ex + ey * ey;
    double t = len2 > 0 ? ((u - w->x0) * ex + (v - w->y0) * ey) / len2 : 0.0;
    double tc = t < 0 ? 0 : (t > 1 ? 1 : t);
    double d = hypot(u - (w->x0 + tc * ex), v - (w->y0 + tc * ey)) * pixel_mm;
    double sigma = w->width_mm / 2.354820045;
    if (d > 4.0 * sigma || t <= 0 || t >= 1)
        return 0.0;
    double taper = smoothstep01(t / 0.2) * smoothstep01((1.0 - t) / 0.2);
    return taper * exp(-0.5 * (d / sigma) * (d / sigma));
}

/* Brown spots (lentigines) have sharper rims than redness: 2^-(r/r_mm)^4,
 * cut at 2 r_mm (∫ dA = π r_mm² · ½√(π/ln 2)). */
double sg_eval_spot(const void *f, double u, double v, double pixel_mm)
{
    const skingen_patch *p = f;
    double r = hypot(u - p->x, v - p->y) * pixel_mm / p->r_mm;
    return r >= 2.0 ? 0.0 : exp2(-r * r * r * r);
}

/* Redness: half strength at r_mm, 2^-(r/r_mm)^2, cut at 3 r_mm
 * (∫ dA = π r_mm² / ln 2). */
double sg_eval_patch(const void *f, double u, double v, double pixel_mm)
{
    const skingen_patch *p = f;
    double r = hypot(u - p->x, v - p->y) * pixel_mm / p->r_mm;
    return r >= 3.0 ? 0.0 : exp2(-r * r);
}

static void box_around(double x, double y, double radius_px, double box[4])
{
    box[0] = x - radius_px;
    box[1] = y - radius_px;
    box[2] = x + radius_px;
    box[3] = y + radius_px;
}

void sg_pore_box(const skingen_pore *p, double scale, double pixel_mm, double box[4])
{
    box_around(p->x, p->y, 0.5 * p->d_mm * scale / pixel_mm + 1.0, box);
}

void sg_scar_box(const skingen_scar *s, double pixel_mm, double box[4])
{
    box_around(s->x, s->y, 0.5 * s->d_mm / pixel_mm + 1.0, box);
}

void sg_wrinkle_box(const skingen_wrinkle *w, double pixel_mm, double box[4])
{
    double m = 4.0 * w->width_mm / 2.354820045 / pixel_mm + 1.0;
    box[0] = fmin(w->x0, w->x1) - m;
    box[1] = fmin(w->y0, w->y1) - m;
    box[2] = fmax(w->x0, w->x1) + m;
    box[3] = fmax(w->y0, w->y1) + m;
}

void sg_patch_box(const skingen_patch *p, double pixel_mm, double box[4])
{
    box_around(p->x, p->y, 3.0 * p->r_mm / pixel_mm + 1.0, box);
}

/* The session pixels that can see a baseline box: the bounding box of its
 * corners mapped by M^-1 (a projective map keeps a box convex as long as it
 * stays in front of the camera, which our slight perspectives guarantee). */
static int session_box(const skingen_camera *c, const double minv[9], const double box[4],
                       int out[4])
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int k = 0; k < 4; k++) {
        double x, y;
        skingen_map(minv, box[k & 1 ? 2 : 0], box[k & 2 ? 3 : 1], &x, &y);
        x0 = fmin(x0, x);
        y0 = fmin(y0, y);
        x1 = fmax(x1, x);
        y1 = fmax(y1, y);
    }
    if (!(x1 >= 0 && y1 >= 0 && x0 <= c->width - 1 && y0 <= c->height - 1))
        return 0;
    out[0] = x0 < 0 ? 0 : (int)floor(x0);
    out[1] = y0 < 0 ? 0 : (int)floor(y0);
    out[2] = x1 > c->width - 1 ? c->width - 1 : (int)ceil(x1);
    out[3] = y1 > c->height - 1 ? c->height - 1 : (int)ceil(y1);
    return 1;
}

void sg_splat(float *plane, size_t stride, const skingen_camera *c, const double minv[9],
              const double box[4], sg_eval_fn fn, const void *feature, double pixel_mm,
              double gain)
{
    int sb[4];
    if (gain == 0.0 || !session_box(c, minv, box, sb))
        return;
    for (int y = sb[1]; y <= sb[3]; y++) {
        float *row = plane + (size_t)y * stride;
        for (int x = sb[0]; x <= sb[2]; x++) {
            double u, v;
            skingen_map(c->matrix, x, y, &u, &v);
            double f = fn(feature, u, v, pixel_mm);
            if (f != 0.0)
                row[x] += (float)(gain * f);
        }
    }
}

/* ---- random placement ------------------------------------------------------ */

static int in_chart(const skingen_params *p, double x, double y, double margin_px)
{
    if (!p->chart.enabled)
        return 0;
    double w, h;
    skingen_chart_size(&p->chart, p->pixel_mm, &w, &h);
    return x > p->chart.x - margin_px && x < p->chart.x + w + margin_px &&
           y > p->chart.y - margin_px && y < p->chart.y + h + margin_px;
}

/* A point in the frame, away from the border and the chart. */
static void place_point(sg_rng *r, const skingen_params *p, double margin_px, double *x, double *y)
{
    for (int tries = 0; tries < 64; tries++) {
        *x = sg_range(r, margin_px, p->width - 1 - margin_px);
        *y = sg_range(r, margin_px, p->height - 1 - margin_px);
        if (!in_chart(p, *x, *y, margin_px))
            return;
    }
}

static void place_pores(skingen_pore *out, int n, const skingen_params *p)
{
    sg_rng r;
    sg_rng_init(&r, p->seed, SG_STREAM_PORES);
    for (int i = 0; i < n; i++) {
        /* log-normal diameters, median 0.15 mm, kept in 0.06–0.45 mm */
        double d = 0.15 * exp(0.35 * sg_gauss(&r));
        d = d < 0.06 ? 0.06 : (d > 0.45 ? 0.45 : d);
        place_point(&r, p, 4.0, &out[i].x, &out[i].y);
        out[i].d_mm = d;
        out[i].depth_um = 150.0 * d + sg_range(&r, 0.0, 20.0);
    }
}

static void place_scars(skingen_scar *out, int n, const skingen_params *p)
{
    sg_rng r;
    sg_rng_init(&r, p->seed, SG_STREAM_SCARS);
    for (int i = 0; i < n; i++) {
        skingen_scar *s = &out[i];
        s->kind = (skingen_scar_kind)(i % 3);
        switch (s->kind) {
        case SKINGEN_ICEPICK:
            s->d_mm = sg_range(&r, 0.6, 1.6);
            s->depth_um = sg_range(&r, 250, 600);
            s->aspect = sg_range(&r, 0.8, 1.0);
            break;
        case SKINGEN_BOXCAR:
            s->d_mm = sg_range(&r, 1.6, 4.0);
            s->depth_um = sg_range(&r, 120, 400);
            s->aspect = sg_range(&r, 0.7, 1.0);
            break;
        default:
            s->d_mm = sg_range(&r, 4.0, 9.0);
            s->depth_um = sg_range(&r, 60, 200);
            s->aspect = sg_range(&r, 0.6, 0.95);
            break;
        }
        s->angle_deg = sg_range(&r, 0, 180);
        double margin = 0.5 * s->d_mm / p->pixel_mm + 2.0;
        /* keep scars apart: a few tries against the ones already placed */
        for (int tries = 0; tries < 32; tries++) {
            place_point(&r, p, margin, &s->x, &s->y);
            int clash = 0;
            for (int k = 0; k < i && !clash; k++)
                clash = hypot(s->x - out[k].x, s->y - out[k].y) * p->pixel_mm <
                        0.5 * (s->d_mm + out[k].d_mm) + 0.5;
            if (!clash)
                break;
        }
    }
}

static void place_wrinkles(skingen_wrinkle *out, int n, const skingen_params *p)
{
    sg_rng r;
    sg_rng_init(&r, p->seed, SG_STREAM_WRINKLES);
    for (int i = 0; i < n; i++) {
        double len_px = sg_range(&r, 6.0, 22.0) / p->pixel_mm;
        double a = (p->angle_deg + sg_range(&r, -15, 15)) * M_PI / 180.0;
        double cx, cy;
        place_point(&r, p, 0.5 * len_px * 0.5, &cx, &cy);
        out[i].x0 = cx - 0.5 * len_px * cos(a);
        out[i].y0 = cy - 0.5 * len_px * sin(a);
        out[i].x1 = cx + 0.5 * len_px * cos(a);
        out[i].y1 = cy + 0.5 * len_px * sin(a);
        out[i].width_mm = sg_range(&r, 0.15, 0.45);
        out[i].depth_um = sg_range(&r, 25, 80);
    }
}

static void place_patches(skingen_patch *out, int n, const skingen_params *p, int redness)
{
    sg_rng r;
    sg_rng_init(&r, p->seed, redness ? SG_STREAM_REDNESS : SG_STREAM_SPOTS);
    for (int i = 0; i < n; i++) {
        skingen_patch *q = &out[i];
        if (redness) {
            q->r_mm = sg_range(&r, 2.5, 7.0);
            q->dL = -sg_range(&r, 1.0, 3.0);
            q->da = sg_range(&r, 5.0, 11.0);
            q->db = sg_range(&r, 0.0, 1.5);
        } else {
            q->r_mm = sg_range(&r, 0.6, 2.2);
            q->dL = -sg_range(&r, 6.0, 14.0);
            q->da = sg_range(&r, 0.5, 2.0);
            q->db = sg_range(&r, 3.0, 7.0);
        }
        place_point(&r, p, q->r_mm / p->pixel_mm, &q->x, &q->y);
    }
}

/* Copies the given lists, or places `n` features from the seed. */
#define SG_TAKE(type, field, count, placer, ...)                                       \
    do {                                                                               \
        if (p->count > 0) {                                                            \
            skin->field = calloc((size_t)p->count, sizeof(type));                      \
            if (!skin->field)                                                          \
                return st_err_set(err, ST_ENOMEM, "skingen: out of memory");           \
            if (p->field)                                                              \
                memcpy(skin->field, p->field, (size_t)p->count * sizeof(type));        \
            else                                                                       \
                placer(skin->field, p->count, p, ##__VA_ARGS__);                       \
        }                                                                              \
        skin->p.field = skin->field;                                                   \
    } while (0)

int sg_features_place(skingen_skin *skin, st_err *err)
{
    const skingen_params *p = &skin->p;
    if (p->n_pores < 0 || p->n_scars < 0 || p->n_wrinkles < 0 || p->n_spots < 0 || p->n_redness < 0)
        return st_err_set(err, ST_EINVAL, "skingen: negative feature count");
    SG_TAKE(skingen_pore, pores, n_pores, place_pores);
    SG_TAKE(skingen_scar, scars, n_scars, place_scars);
    SG_TAKE(skingen_wrinkle, wrinkles, n_wrinkles, place_wrinkles);
    SG_TAKE(skingen_patch, spots, n_spots, place_patches, 0);
    SG_TAKE(skingen_patch, redness, n_redness, place_patches, 1);
    return ST_OK;
}
