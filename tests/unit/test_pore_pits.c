/* Pores on height maps: the pit map keeps a funnel's depth and drops
 * grooves and their crossings (pit_filter.h); the funnel fit recovers a
 * pore's opening and depth, and the cube root of its volume follows a
 * change in size through blur (pore_fit.h); and in a series the baseline's
 * pores are followed: pores that shrink by 10 % give a mean diameter 10 %
 * smaller (st_detect_input.track_pores). */
#include <stdlib.h>
#include <string.h>

#include "detect_synth.h"
#include "metrics/detect.h"
#include "metrics/detect_internal.h"
#include "metrics/pit_filter.h"
#include "metrics/pore_fit.h"
#include "simd/kernels.h"
#include "skingen.h"
#include "test_util.h"

#define W 400
#define H 400
#define PMM 0.04
#define GROOVE_DEPTH 40.0 /* µm */
#define GROOVE_FWHM 2.5   /* px */
#define GROOVE_GAP 60.0   /* px between parallel grooves */
#define MAX_PORES 128
#define PIT_ANGLES 16

static const double groove_deg[3] = {20.0, 80.0, 140.0};

typedef struct funnel {
    double x, y, r, depth; /* px, px, µm */
} funnel;

/* Distance from (x, y) to the nearest groove of direction a (lines
 * x sin a - y cos a = k GROOVE_GAP + 7). */
static double groove_dist(double x, double y, double a_deg)
{
    double a = a_deg * M_PI / 180.0;
    double t = x * sin(a) - y * cos(a) - 7.0;
    double k = floor(t / GROOVE_GAP + 0.5);
    return fabs(t - k * GROOVE_GAP);
}

static double nearest_groove(double x, double y)
{
    double d = INFINITY;
    for (int g = 0; g < 3; g++)
        d = fmin(d, groove_dist(x, y, groove_deg[g]));
    return d;
}

/* Funnels 0.12-0.35 mm across, about 0.3 times as deep as wide, on a
 * jittered grid, clear of the grooves. */
static int place_funnels(funnel *f, uint64_t seed)
{
    synth_rng r = {seed};
    int n = 0;
    for (int gy = 24; gy < H - 24 && n < MAX_PORES; gy += 30)
        for (int gx = 24; gx < W - 24 && n < MAX_PORES; gx += 30) {
            double d_mm = 0.12 + 0.23 * synth_uniform(&r);
            funnel c = {gx + 8 * (synth_uniform(&r) - 0.5), gy + 8 * (synth_uniform(&r) - 0.5),
                        0.5 * d_mm / PMM, 1000.0 * d_mm * (0.25 + 0.1 * synth_uniform(&r))};
            if (nearest_groove(c.x, c.y) > c.r + 6.0)
                f[n++] = c;
        }
    return n;
}

/* A height map (µm): a tilted, gently waved surface, three families of
 * parallel grooves crossing into cells (a furrow network), and the
 * funnels with their size scaled by `scale` (depth too: the pore keeps
 * its shape), blurred by blur_px. */
static st_image *height_map(const funnel *f, int n, double scale, double blur_px)
{
    st_image *img = NULL;
    st_err err = {0};
    if (st_image_new(W, H, 1, &img, &err))
        return NULL;
    img->pixel_mm = PMM;
    img->unit = ST_UNIT_UM;
    double s = GROOVE_FWHM / 2.354820045;
    for (int y = 0; y < H; y++) {
        float *row = st_image_row(img, 0, y);
        for (int x = 0; x < W; x++) {
            double v = 500.0 + 0.05 * x + 20.0 * sin(2.0 * M_PI * y / 300.0);
            for (int g = 0; g < 3; g++) {
                double d = groove_dist(x, y, groove_deg[g]);
                v -= (g == 0 ? 1.0 : 0.75) * GROOVE_DEPTH * exp(-0.5 * d * d / (s * s));
            }
            for (int i = 0; i < n; i++) {
                double rr = f[i].r * scale, dx = x - f[i].x, dy = y - f[i].y;
                double q = (dx * dx + dy * dy) / (rr * rr);
                if (q < 1.0)
                    v -= f[i].depth * scale * (1.0 - q) * (1.0 - q);
            }
            row[x] = (float)v;
        }
    }
    if (blur_px > 0) {
        float *tmp = malloc((size_t)W * H * sizeof *tmp);
        for (int y = 0; y < H; y++)
            memcpy(tmp + (size_t)y * W, st_image_row(img, 0, y), W * sizeof *tmp);
        st_gaussian_blur(tmp, W, st_image_row(img, 0, 0), img->stride, W, H, blur_px, 1);
        free(tmp);
    }
    return img;
}

static float *packed(const st_image *img)
{
    float *p = malloc((size_t)W * H * sizeof *p);
    for (int y = 0; y < H; y++)
        memcpy(p + (size_t)y * W, st_image_row(img, 0, y), W * sizeof *p);
    return p;
}

static void test_pit_map(void)
{
    funnel f[MAX_PORES];
    int n = place_funnels(f, 5);
    CHECK_MSG(n >= 40, "%d funnels", n);
    st_image *img = height_map(f, n, 1.0, 0.0);
    float *src = packed(img), *pit1 = malloc((size_t)W * H * sizeof *pit1),
          *pit2 = malloc((size_t)W * H * sizeof *pit2);
    int radius = 8; /* 17 px = 0.68 mm: longer than the widest funnel */
    CHECK_EQ_INT(st_pit_depth(src, W, H, radius, PIT_ANGLES, 1, pit1), ST_OK);
    CHECK_EQ_INT(st_pit_depth(src, W, H, radius, PIT_ANGLES, 2, pit2), ST_OK);
    CHECK(memcmp(pit1, pit2, (size_t)W * H * sizeof *pit1) == 0);
    /* a funnel keeps its depth: the deepest pit value by its centre */
    double worst = 0;
    for (int i = 0; i < n; i++) {
        double best = 0, want = 0; /* the deepest pixel, in the map and in the funnel */
        for (int y = (int)f[i].y - 1; y <= (int)f[i].y + 2; y++)
            for (int x = (int)f[i].x - 1; x <= (int)f[i].x + 2; x++) {
                double q = (hypot(x - f[i].x, y - f[i].y) / f[i].r);
                best = fmax(best, pit1[(size_t)y * W + x]);
                want = fmax(want, q < 1 ? f[i].depth * (1 - q * q) * (1 - q * q) : 0.0);
            }
        worst = fmax(worst, fabs(best - want) / want);
    }
    CHECK_MSG(worst < 0.03, "funnel depth in the pit map off by %.3f", worst);
    /* grooves are gone, but for the pixels a discrete segment cannot follow
     * exactly: on the groove pixels away from the funnels, the border and
     * the crossings (a crossing of two grooves is deeper than either, so a
     * pit in this map; pores.c tells it by its arms), the median pit is
     * under a tenth of a groove's depth and the largest under 30 %
     * (a segment's pixels fall up to half a pixel off the groove's line,
     * and the groove here is 2.5 px wide) */
    float *on_groove = malloc((size_t)W * H * sizeof *on_groove);
    size_t m = 0;
    double groove_max = 0;
    for (int y = 12; y < H - 12; y++)
        for (int x = 12; x < W - 12; x++) {
            int near = 0;
            for (int i = 0; i < n && !near; i++)
                near = hypot(x - f[i].x, y - f[i].y) < f[i].r + 10;
            int grooves_near = 0;
            for (int g = 0; g < 3; g++)
                grooves_near += groove_dist(x, y, groove_deg[g]) < 6.0;
            if (!near && grooves_near == 1 && nearest_groove(x, y) < 1.0) {
                on_groove[m++] = pit1[(size_t)y * W + x];
                groove_max = fmax(groove_max, pit1[(size_t)y * W + x]);
            }
        }
    CHECK(m > 1000);
    double med = st_det_quantile(on_groove, m, 0.5);
    CHECK_MSG(med < 0.1 * GROOVE_DEPTH, "median groove pixel in the pit map: %.2f µm", med);
    CHECK_MSG(groove_max < 0.3 * GROOVE_DEPTH, "groove left in the pit map: %.2f µm", groove_max);
    free(on_groove);
    CHECK_EQ_INT(st_pit_depth(src, W, H, 0, PIT_ANGLES, 1, pit1), ST_EINVAL);
    CHECK_EQ_INT(st_pit_depth(src, W, H, ST_PIT_MAX_RADIUS + 1, PIT_ANGLES, 1, pit1), ST_EINVAL);
    free(src);
    free(pit1);
    free(pit2);
    st_image_free(img);
}

/* One funnel on a flat 48x48 surface, blurred by blur_px. */
static float *one_funnel(double cx, double cy, double r, double depth, double blur_px)
{
    enum { S = 48 };
    float *p = malloc(S * S * sizeof *p), *q = malloc(S * S * sizeof *q);
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            double v = 100.0;
            for (int j = 0; j < 4; j++) /* 4x4 samples per pixel */
                for (int i = 0; i < 4; i++) {
                    double dx = x - 0.375 + 0.25 * i - cx, dy = y - 0.375 + 0.25 * j - cy;
                    double t = (dx * dx + dy * dy) / (r * r);
                    if (t < 1.0)
                        v -= depth * (1.0 - t) * (1.0 - t) / 16.0;
                }
            p[y * S + x] = (float)v;
        }
    if (blur_px > 0)
        st_gaussian_blur(p, S, q, S, S, S, blur_px, 1);
    else
        memcpy(q, p, S * S * sizeof *q);
    free(p);
    return q;
}

static void test_funnel_fit(void)
{
    st_funnel f;
    float *s = one_funnel(24.3, 23.6, 3.7, 25.0, 0.0);
    CHECK(st_fit_funnel(s, 48, 48, 24, 24, 0.5, 7.0, &f));
    CHECK_NEAR(f.r_rim, 3.7, 0.1);
    CHECK_NEAR(f.depth, 25.0, 1.0);
    CHECK(hypot(f.x - 24.3, f.y - 23.6) < 0.25);
    free(s);
    /* a bump is no funnel */
    s = one_funnel(24, 24, 4.0, -20.0, 0.0);
    CHECK(!st_fit_funnel(s, 48, 48, 24, 24, 0.5, 7.0, &f));
    free(s);
    /* through blur, the cube root of the volume follows a 10 % shrink
     * (the fitted radius alone follows less of it) */
    const double blur = 0.8, shrink = 0.9;
    for (double r = 2.0; r <= 4.01; r += 1.0) {
        st_funnel a, b;
        float *s0 = one_funnel(24.2, 23.7, r, 10.0 * r, blur);
        float *s1 = one_funnel(24.2, 23.7, shrink * r, 10.0 * shrink * r, blur);
        CHECK(st_fit_funnel(s0, 48, 48, 24, 24, 0.5, 1.5 * r + 1.0, &a));
        CHECK(st_fit_funnel(s1, 48, 48, 24, 24, 0.5, 1.5 * r + 1.0, &b));
        double vol = cbrt(b.depth * b.r_rim * b.r_rim / (a.depth * a.r_rim * a.r_rim));
        CHECK_MSG(fabs(vol - shrink) < 0.015,
                  "r %.0f px: volume ratio^(1/3) %.4f, radius ratio %.4f", r, vol,
                  b.r_rim / a.r_rim);
        free(s0);
        free(s1);
    }
}

static void match(const st_detections *d, const funnel *f, int n, int *tp)
{
    *tp = 0;
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < d->n_pores; j++)
            if (hypot(d->pores[j].x - f[i].x, d->pores[j].y - f[i].y) <= f[i].r) {
                ++*tp;
                break;
            }
}

static double metric(const st_metric_set *ms, const char *name)
{
    const st_metric *m = st_metric_set_find(ms, name);
    return m ? m->value : NAN;
}

static void test_follow_pores(void)
{
    funnel f[MAX_PORES];
    int n = place_funnels(f, 11);
    st_image *base = height_map(f, n, 1.0, 0.6), *later = height_map(f, n, 0.9, 0.6);
    st_err err = {0};
    st_detect_input in = {
        .surface = base, .pixel_mm = PMM, .unit = ST_UNIT_UM, .modality = ST_DETECT_HEIGHT};
    st_metric_set m0 = {0}, m1 = {0};
    st_detections d0 = {0}, d1 = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 2, &m0, &d0, &err), ST_OK);
    int tp = 0;
    match(&d0, f, n, &tp);
    CHECK_MSG(tp >= 0.9 * n, "recall %d of %d", tp, n);
    CHECK_MSG(tp >= 0.9 * (double)d0.n_pores, "precision %d of %zu", tp, d0.n_pores);
    double true_d = 0;
    for (int i = 0; i < n; i++)
        true_d += 2.0 * f[i].r * PMM * SKINGEN_PORE_HALF_RATIO; /* at half depth */
    true_d /= n;
    double d_base = metric(&m0, "pores.mean_diameter_mm");
    CHECK_MSG(fabs(d_base / true_d - 1.0) < 0.08, "mean diameter %.4f mm, true %.4f", d_base,
              true_d);
    CHECK(d0.n_tracked == 0);
    in.surface = later;
    in.track_pores = d0.pores;
    in.n_track_pores = d0.n_pores;
    CHECK_EQ_INT(st_pores_detect(&in, 2, &m1, &d1, &err), ST_OK);
    CHECK(d1.n_tracked == d0.n_pores);
    double ratio = metric(&m1, "pores.mean_diameter_mm") / d_base;
    CHECK_MSG(fabs(ratio - 0.9) < 0.015, "followed pores: size ratio %.4f, true 0.9", ratio);
    st_metric_set_clear(&m0);
    st_metric_set_clear(&m1);
    st_detections_clear(&d0);
    st_detections_clear(&d1);
    st_image_free(base);
    st_image_free(later);
}

/* Pores on the generator's skin (furrows, fBm relief, scars, wrinkles) at
 * 0.04 and 0.025 mm: recall, precision and the matched pores' mean
 * diameter against truth (the fitted openings come out 8-10 % small: the
 * funnel's shallow outer fifth sinks into the relief). */
static void test_generated_heights(double pmm, double min_recall, double min_precision)
{
    const int w = 800, h = 800;
    skingen_params p;
    skingen_params_default(&p, 31, w, h, pmm);
    skingen_skin *skin = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_skin_new(&p, &skin, &err), ST_OK);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, w, h, 32);
    st_image *img = NULL;
    CHECK_EQ_INT(skingen_render_height(skin, &s, &c, &img, &err), ST_OK);
    st_detect_input in = {
        .surface = img, .pixel_mm = pmm, .unit = ST_UNIT_UM, .modality = ST_DETECT_HEIGHT};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 2, &ms, &d, &err), ST_OK);
    int n = 0, tp = 0;
    const skingen_pore *t = skingen_skin_pores(skin, &n);
    double sum_true = 0, sum_found = 0;
    unsigned char *used = calloc(d.n_pores + 1, 1);
    for (int i = 0; i < n; i++) {
        double r = 0.5 * t[i].d_mm / pmm;
        for (size_t j = 0; j < d.n_pores; j++)
            if (!used[j] && hypot(d.pores[j].x - t[i].x, d.pores[j].y - t[i].y) <= fmax(2.0, r)) {
                used[j] = 1;
                tp++;
                sum_true += skingen_pore_spec_d_mm(&t[i]);
                sum_found += d.pores[j].d_mm;
                break;
            }
    }
    double recall = (double)tp / n, precision = d.n_pores ? (double)tp / d.n_pores : 0;
    printf(
        "height map at %.3f mm: %d pores, recall %.3f, precision %.3f, matched diameter %+.1f %%\n",
        pmm, n, recall, precision, tp ? 100.0 * (sum_found / sum_true - 1.0) : 0.0);
    CHECK_MSG(recall >= min_recall, "recall %.3f at %.3f mm", recall, pmm);
    CHECK_MSG(precision >= min_precision, "precision %.3f at %.3f mm", precision, pmm);
    CHECK_MSG(tp && fabs(sum_found / sum_true - 1.0) < 0.15, "matched diameter off by %.3f",
              tp ? sum_found / sum_true - 1.0 : 1.0);
    free(used);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
    skingen_skin_free(skin);
}

/* A microscope's pixels (1 µm): pores up to 500 px across, segments capped
 * at ST_PIT_MAX_RADIUS; the detection still runs. */
static void test_fine_pixels(void)
{
    st_image *img = NULL;
    st_err err = {0};
    CHECK_EQ_INT(st_image_new(96, 80, 1, &img, &err), ST_OK);
    img->unit = ST_UNIT_UM;
    st_detect_input in = {.surface = img, .pixel_mm = 0.001, .unit = ST_UNIT_UM,
                          .modality = ST_DETECT_HEIGHT};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 2, &ms, &d, &err), ST_OK);
    CHECK_EQ_INT(d.n_pores, 0);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
}

int main(void)
{
    test_pit_map();
    test_funnel_fit();
    test_follow_pores();
    test_fine_pixels();
    test_generated_heights(0.04, 0.5, 0.6);
    test_generated_heights(0.025, 0.7, 0.65);
    return test_summary();
}
