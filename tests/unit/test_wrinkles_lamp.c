/* Fine lines on photos under a known lamp, on a model written apart from
 * the generator's: grooves of raised-cosine section in a relief of pits and
 * a fine random texture, rendered Lambertian (exact normals, ambient light)
 * on a textured albedo that also holds a dark line and a step without any
 * relief. Under a lamp a groove is a dark/bright pair across it, strongest
 * when the lamp shines across the groove and invisible when it shines
 * along it. Checked:
 * - the grooves across the lamp (normal 0-60 degrees from its azimuth) are
 *   found over their length at half depth within 25 %, the albedo line and
 *   step not at all (< 0.5 mm), nor anything else (< 1 mm);
 * - a groove running within 5 degrees of the lamp's azimuth is not counted
 *   (its pair is too faint: the length is the length visible under this
 *   lamp, README "Wrinkles on photos");
 * - each found groove's depth index, the pair's contrast over |cos| of its
 *   normal to the lamp, is the same for the same depth at any orientation
 *   (within 25 %);
 * - the grooves 20 % shallower: wrinkles.depth_index -20 % within 6 points;
 * - the same skin without grooves: < 0.3 mm/cm2 of lines. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect_synth.h"
#include "metrics/detect.h"
#include "test_util.h"

#define PMM 0.025
#define N 800
#define N_GROOVES 4
#define LAMP_AZ_DEG 200.0 /* towards the lamp, image axes (x right, y down) */
#define LAMP_EL_DEG 45.0

typedef struct segment {
    double cx, cy, len, ang; /* centre (mm), length (mm), direction (deg, image axes) */
} segment;

/* Normals at 0, 35 and 60 degrees from the lamp's azimuth, and one at 87
 * (the groove runs 3 degrees off the azimuth). */
static const segment grooves[N_GROOVES] = {{5.0, 5.0, 8.0, LAMP_AZ_DEG + 90.0},
                                           {13.5, 6.0, 7.0, LAMP_AZ_DEG + 90.0 + 35.0},
                                           {6.0, 14.5, 7.5, LAMP_AZ_DEG + 90.0 - 60.0},
                                           {14.5, 14.0, 7.0, LAMP_AZ_DEG + 3.0}};
/* albedo only: a dark line across the lamp and a step */
static const segment dark_line = {10.0, 10.0, 6.0, LAMP_AZ_DEG + 90.0};

#define GROOVE_HALF_MM 0.18 /* raised cosine: depth 0 at +-this from the axis */
#define GROOVE_DEPTH_UM 30.0
#define TAPER_MM 0.5        /* depth rises over this length at each end (smoothstep) */

/* Distance of (x, y) mm from the segment's axis across (*across) and the
 * position along it from its start (*along). */
static void seg_coords(const segment *s, double x, double y, double *across, double *along)
{
    double a = s->ang * M_PI / 180.0, ux = cos(a), uy = sin(a);
    double dx = x - s->cx, dy = y - s->cy;
    *along = dx * ux + dy * uy + 0.5 * s->len;
    *across = -dx * uy + dy * ux;
}

static double smooth01(double t)
{
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    return t * t * (3 - 2 * t);
}

/* Depth profile of a groove at (x, y) mm: raised cosine across, tapered
 * ends; 0..1. */
static double groove_profile(const segment *s, double x, double y)
{
    double d, u;
    seg_coords(s, x, y, &d, &u);
    if (fabs(d) >= GROOVE_HALF_MM || u <= 0 || u >= s->len)
        return 0.0;
    double end = smooth01(u / TAPER_MM) * smooth01((s->len - u) / TAPER_MM);
    return end * 0.5 * (1.0 + cos(M_PI * d / GROOVE_HALF_MM));
}

/* Height (um) of the relief: pits (as pores: narrow depressions, which
 * give the shading its lamp-sided skew), a fine random texture, and the
 * grooves at depth `groove_um`. */
static void make_height(double groove_um, float *h)
{
    synth_rng r = {12345};
    enum { NW = 24 };
    double kx[NW], ky[NW], ph[NW], am[NW];
    for (int i = 0; i < NW; i++) { /* wavelengths 0.3-2 mm, ~2 um each */
        double lam = 0.3 + 1.7 * synth_uniform(&r), th = M_PI * synth_uniform(&r);
        kx[i] = 2 * M_PI / lam * cos(th);
        ky[i] = 2 * M_PI / lam * sin(th);
        ph[i] = 2 * M_PI * synth_uniform(&r);
        am[i] = 2.0 * (0.5 + synth_uniform(&r));
    }
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            double xm = x * PMM, ym = y * PMM, v = 0;
            for (int i = 0; i < NW; i++)
                v += am[i] * sin(kx[i] * xm + ky[i] * ym + ph[i]);
            for (int g = 0; g < N_GROOVES; g++)
                v -= groove_um * groove_profile(&grooves[g], xm, ym);
            h[(size_t)y * N + x] = (float)v;
        }
    for (int k = 0; k < 1500; k++) { /* pits: Gaussian, SD 0.05 mm, 15 um deep */
        double px = N * synth_uniform(&r), py = N * synth_uniform(&r), sd = 0.05 / PMM;
        for (int y = (int)(py - 4 * sd); y <= (int)(py + 4 * sd); y++)
            for (int x = (int)(px - 4 * sd); x <= (int)(px + 4 * sd); x++)
                if (x >= 0 && y >= 0 && x < N && y < N)
                    h[(size_t)y * N + x] -= (float)(15.0 * exp(-0.5 * ((x - px) * (x - px) + (y - py) * (y - py)) / (sd * sd)));
    }
}

/* Albedo: 0.55 with a smooth mottle, a dark line across the lamp and a
 * darker half plane beyond a step (neither has relief). */
static double albedo(double xm, double ym)
{
    double a = 0.55 * (1.0 + 0.04 * sin(1.3 * xm + 0.4) * sin(0.9 * ym + 1.1));
    double d, u;
    seg_coords(&dark_line, xm, ym, &d, &u);
    if (u > 0 && u < dark_line.len)
        a *= 1.0 - 0.12 * exp(-0.5 * d * d / (0.06 * 0.06));
    if (ym > 18.0 && xm > 2.0 && xm < 8.0)
        a *= 0.9; /* a step: a band darker below y = 18 mm */
    return a;
}

/* Lambertian photo of the relief under the lamp (and 10 % ambient),
 * scaled to the pipeline's shading mean of 0.5, with sensor noise. */
static st_image *render(const float *h)
{
    st_image *img = NULL;
    st_err err = {0};
    if (st_image_new(N, N, 1, &img, &err))
        return NULL;
    img->pixel_mm = PMM;
    double az = LAMP_AZ_DEG * M_PI / 180.0, el = LAMP_EL_DEG * M_PI / 180.0;
    double l[3] = {cos(el) * cos(az), cos(el) * sin(az), sin(el)}, sum = 0;
    double k = 1e-3 / (2.0 * PMM); /* um per px, central difference -> slope */
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            int xl = x > 0 ? x - 1 : x, xr = x < N - 1 ? x + 1 : x;
            int yu = y > 0 ? y - 1 : y, yd = y < N - 1 ? y + 1 : y;
            double sx = (h[(size_t)y * N + xr] - h[(size_t)y * N + xl]) * k * 2.0 / (xr - xl);
            double sy = (h[(size_t)yd * N + x] - h[(size_t)yu * N + x]) * k * 2.0 / (yd - yu);
            double ndl = (-sx * l[0] - sy * l[1] + l[2]) / sqrt(1 + sx * sx + sy * sy);
            double v = albedo(x * PMM, y * PMM) * (0.1 + fmax(0.0, ndl));
            st_image_row(img, 0, y)[x] = (float)v;
            sum += v;
        }
    float g = (float)(0.5 * N * N / sum);
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++)
            st_image_row(img, 0, y)[x] *= g;
    synth_add_noise(img, 0.004, 5);
    return img;
}

typedef struct found {
    double on[N_GROOVES], on_dark, on_step, other; /* mm of found lines */
    double depth[N_GROOVES];                       /* depth of the line on each groove */
} found;

/* Each found line's length shared out by where its path points lie:
 * within 0.4 mm of a groove's segment, of the albedo line, of the step. */
static found classify(const st_detections *d)
{
    found f = {0};
    for (size_t i = 0; i < d->n_wrinkles; i++) {
        const st_wrinkle *w = &d->wrinkles[i];
        int n = (int)w->n_path, on[N_GROOVES] = {0}, dark = 0, step = 0;
        for (int k = 0; k < n; k++) {
            double x = w->path[2 * k] * PMM, y = w->path[2 * k + 1] * PMM, dd, u;
            int hit = 0;
            for (int g = 0; g < N_GROOVES && !hit; g++) {
                seg_coords(&grooves[g], x, y, &dd, &u);
                hit = fabs(dd) <= 0.4 && u > -0.4 && u < grooves[g].len + 0.4;
                on[g] += hit;
            }
            seg_coords(&dark_line, x, y, &dd, &u);
            dark += !hit && fabs(dd) <= 0.4 && u > -0.4 && u < dark_line.len + 0.4;
            step += !hit && fabs(y - 18.0) <= 0.4;
        }
        if (n <= 0)
            continue;
        int rest = n - dark - step;
        for (int g = 0; g < N_GROOVES; g++) {
            f.on[g] += w->length_mm * on[g] / n;
            if (2 * on[g] > n)
                f.depth[g] = w->depth;
            rest -= on[g];
        }
        f.on_dark += w->length_mm * dark / n;
        f.on_step += w->length_mm * step / n;
        f.other += w->length_mm * rest / n;
    }
    return f;
}

static int detect(const st_image *img, st_metric_set *ms, st_detections *d)
{
    double az = LAMP_AZ_DEG * M_PI / 180.0;
    st_detect_input in = {.surface = img, .pixel_mm = PMM, .modality = ST_DETECT_PHOTO,
                          .lamp = {cos(az), sin(az), 1.0}, .lamp_known = 1};
    st_err err = {0};
    return st_wrinkles_detect(&in, 2, ms, d, &err);
}

static double metric(const st_metric_set *ms, const char *name)
{
    const st_metric *m = st_metric_set_find(ms, name);
    return m ? m->value : NAN;
}

int main(void)
{
    float *h = malloc((size_t)N * N * sizeof *h);
    CHECK(h != NULL);
    if (!h)
        return test_summary();
    /* the grooves at full depth */
    make_height(GROOVE_DEPTH_UM, h);
    st_image *img = render(h);
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(detect(img, &ms, &d), ST_OK);
    found f = classify(&d);
    double depth0 = metric(&ms, "wrinkles.depth_index");
    printf("%zu lines; on grooves %.2f %.2f %.2f mm (truth at half depth %.2f %.2f %.2f), along the lamp %.2f "
           "of %.2f; albedo line %.2f, step %.2f, elsewhere %.2f mm; depth index %.4f (per groove %.4f %.4f %.4f)\n",
           d.n_wrinkles, f.on[0], f.on[1], f.on[2], grooves[0].len - TAPER_MM, grooves[1].len - TAPER_MM,
           grooves[2].len - TAPER_MM, f.on[3], grooves[3].len, f.on_dark, f.on_step, f.other, depth0,
           f.depth[0], f.depth[1], f.depth[2]);
    /* the length at half depth: the smoothstep tapers reach half at
     * TAPER_MM / 2 from each end */
    for (int g = 0; g < 3; g++)
        CHECK_REL(f.on[g], grooves[g].len - TAPER_MM, 0.25);
    CHECK_MSG(f.on[3] <= 0.2 * grooves[3].len, "%.2f mm found along the lamp's azimuth", f.on[3]);
    CHECK_MSG(f.on_dark < 0.5, "%.2f mm on the albedo line", f.on_dark);
    CHECK_MSG(f.on_step < 0.5, "%.2f mm on the albedo step", f.on_step);
    CHECK_MSG(f.other < 1.0, "%.2f mm elsewhere", f.other);
    /* the same depth at any orientation across the lamp */
    for (int g = 1; g < 3; g++)
        CHECK_REL(f.depth[g], f.depth[0], 0.25);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);

    /* 20 % shallower: the depth index follows */
    make_height(0.8 * GROOVE_DEPTH_UM, h);
    img = render(h);
    CHECK_EQ_INT(detect(img, &ms, &d), ST_OK);
    double depth1 = metric(&ms, "wrinkles.depth_index");
    double change = 100.0 * (depth1 / depth0 - 1.0);
    printf("grooves 20 %% shallower: depth index %.4f, change %+.1f %% (truth -20 %%)\n", depth1, change);
    CHECK_NEAR(change, -20.0, 6.0);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);

    /* no grooves */
    make_height(0.0, h);
    img = render(h);
    CHECK_EQ_INT(detect(img, &ms, &d), ST_OK);
    double len = metric(&ms, "wrinkles.length_mm_cm2");
    printf("no grooves: %zu lines, %.3f mm/cm2\n", d.n_wrinkles, len);
    CHECK(len < 0.3);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
    free(h);
    return test_summary();
}
