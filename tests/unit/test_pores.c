/* Pores on photos with noise and a light gradient: recall and precision
 * >= 0.90 (a match within one radius of the opening), mean diameter by
 * SPEC.md's definition (at half contrast) within 15 %. */
#include <stdlib.h>

#include "detect_synth.h"
#include "metrics/detect.h"
#include "simd/kernels.h"
#include "test_util.h"

#define PMM 0.02

typedef struct truth {
    double x, y, d_px; /* d_px: the opening, where the darkening ends */
} truth;

/* SPEC.md's diameter of a funnel (1 - rho^2)^2 of opening d: the circle
 * where its darkening is half the centre's, rho = sqrt(1 - 1/sqrt 2). */
static double half_d(double d) { return d * sqrt(1.0 - 1.0 / sqrt(2.0)); }

/* Pores on a jittered grid: funnels darkening as (1 - rho^2)^2 out to the
 * rim (diameter 0.08-0.45 mm), contrast 0.10-0.20, on a background lit
 * from one side; returns the pore count. */
static int make_photo(st_image *img, truth *t, int max_t, uint64_t seed)
{
    synth_rng r = {seed};
    int n = 0, cell = 40;
    for (int gy = cell / 2; gy + cell / 2 <= img->height; gy += cell)
        for (int gx = cell / 2; gx + cell / 2 <= img->width && n < max_t; gx += cell) {
            t[n].d_px = (0.08 + 0.37 * synth_uniform(&r)) / PMM;
            double slack = (cell - t[n].d_px) / 2.0 - 3.0;
            t[n].x = gx + slack * (2.0 * synth_uniform(&r) - 1.0);
            t[n].y = gy + slack * (2.0 * synth_uniform(&r) - 1.0);
            n++;
        }
    double *contrast = malloc(n * sizeof *contrast);
    for (int i = 0; i < n; i++)
        contrast[i] = 0.10 + 0.10 * synth_uniform(&r);
    for (int y = 0; y < img->height; y++) {
        float *row = st_image_row(img, 0, y);
        for (int x = 0; x < img->width; x++) {
            double v = 0.45 + 0.3 * x / img->width + 0.05 * y / img->height;
            for (int i = 0; i < n; i++) {
                double rad = t[i].d_px / 2;
                double r2 = ((x - t[i].x) * (x - t[i].x) + (y - t[i].y) * (y - t[i].y)) / (rad * rad);
                if (r2 < 1.0)
                    v -= contrast[i] * (1.0 - r2) * (1.0 - r2);
            }
            row[x] = (float)v;
        }
    }
    free(contrast);
    synth_add_noise(img, 0.02, seed + 1);
    return n;
}

static void check_scores(const st_detections *d, const truth *t, int n)
{
    int tp = 0, matched_det = 0;
    double derr = 0.0, dsum_det = 0.0, dsum_true = 0.0;
    for (int i = 0; i < n; i++) {
        int hit = -1;
        for (size_t j = 0; j < d->n_pores && hit < 0; j++) {
            double dx = d->pores[j].x - t[i].x, dy = d->pores[j].y - t[i].y;
            if (sqrt(dx * dx + dy * dy) <= t[i].d_px / 2)
                hit = (int)j;
        }
        if (hit >= 0) {
            tp++;
            derr += fabs(d->pores[hit].d_mm / PMM - half_d(t[i].d_px)) / half_d(t[i].d_px);
            dsum_det += d->pores[hit].d_mm / PMM;
            dsum_true += half_d(t[i].d_px);
        }
    }
    for (size_t j = 0; j < d->n_pores; j++)
        for (int i = 0; i < n; i++) {
            double dx = d->pores[j].x - t[i].x, dy = d->pores[j].y - t[i].y;
            if (sqrt(dx * dx + dy * dy) <= t[i].d_px / 2) {
                matched_det++;
                break;
            }
        }
    double recall = (double)tp / n, precision = d->n_pores ? (double)matched_det / d->n_pores : 0;
    printf("pores: %d true, %zu found, recall %.3f precision %.3f, mean |d err| %.3f, "
           "mean d %.2f vs %.2f px\n",
           n, d->n_pores, recall, precision, tp ? derr / tp : 1.0, tp ? dsum_det / tp : 0,
           tp ? dsum_true / tp : 0);
    CHECK(recall >= 0.90);
    CHECK(precision >= 0.90);
    CHECK(tp > 0 && fabs(dsum_det / dsum_true - 1.0) <= 0.15);
}

static void test_photo(void)
{
    st_image *img = NULL;
    st_err err = {0};
    CHECK_EQ_INT(st_image_new(400, 320, 1, &img, &err), ST_OK);
    img->pixel_mm = PMM;
    truth t[256];
    int n = make_photo(img, t, 256, 7);
    st_detect_input in = {.surface = img, .pixel_mm = PMM, .modality = ST_DETECT_PHOTO};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 2, &ms, &d, &err), ST_OK);
    check_scores(&d, t, n);
    const st_metric *m = st_metric_set_find(&ms, "pores.count");
    CHECK(m && (size_t)m->value == d.n_pores);
    m = st_metric_set_find(&ms, "pores.density_cm2");
    double roi_cm2 = 400 * 320 * PMM * PMM / 100.0;
    CHECK(m && fabs(m->value - d.n_pores / roi_cm2) < 1e-6);
    CHECK(st_metric_set_find(&ms, "pores.mean_diameter_mm") != NULL);
    m = st_metric_set_find(&ms, "pores.area_fraction");
    double true_af = 0;
    for (int i = 0; i < n; i++)
        true_af += M_PI * half_d(t[i].d_px) * half_d(t[i].d_px) / 4;
    true_af *= 100.0 / (400 * 320);
    CHECK(m && fabs(m->value - true_af) <= 0.2 * true_af);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
}

/* Flat, noisy skin without pores: nothing (or next to nothing) found. */
static void test_no_pores(void)
{
    st_image *img = NULL;
    st_err err = {0};
    st_image_new(300, 300, 1, &img, &err);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++)
            st_image_row(img, 0, y)[x] = 0.5f + 0.2f * x / 300;
    synth_add_noise(img, 0.02, 99);
    st_detect_input in = {.surface = img, .pixel_mm = PMM};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 1, &ms, &d, &err), ST_OK);
    printf("no-pore image: %zu found\n", d.n_pores);
    CHECK(d.n_pores <= 2);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
}

/* Every family on awkward sizes (1x1 up to thin strips): no failure, no
 * out-of-bounds access (the sanitizer run checks), no pore on flat skin. */
static void test_awkward_sizes(void)
{
    const int sz[][2] = {{1, 1}, {7, 3}, {16, 16}, {33, 17}, {40, 300}};
    for (int k = 0; k < 5; k++) {
        st_image *rgb = NULL, *s = NULL;
        st_err err = {0};
        st_image_new(sz[k][0], sz[k][1], 3, &rgb, &err);
        st_image_new(sz[k][0], sz[k][1], 1, &s, &err);
        for (int y = 0; y < s->height; y++)
            for (int x = 0; x < s->width; x++) {
                st_image_row(s, 0, y)[x] = 0.5f + 0.01f * ((x * 7 + y * 3) % 5);
                for (int c = 0; c < 3; c++)
                    st_image_row(rgb, c, y)[x] = 0.6f;
            }
        st_detect_input in = {.rgb = rgb, .surface = s, .pixel_mm = 0.05};
        st_metric_set ms = {0};
        st_detections d = {0};
        st_detect_opts o = {.threads = 2, .keep_scar_labels = 1};
        CHECK_EQ_INT(st_detect_all(&in, &o, &ms, &d, &err), ST_OK);
        CHECK_EQ_INT(d.n_pores, 0);
        CHECK(st_metric_set_find(&ms, "pigment.ita_deg") != NULL);
        st_metric_set_clear(&ms);
        st_detections_clear(&d);
        st_image_free(rgb);
        st_image_free(s);
    }
}

/* Small pores (2-6 px) on a blurred photo, then the same pores 10 %
 * smaller and as dark: followed from the first photo, the mean diameter
 * falls by 10 % (st_detect_input.track_pores: the square root of the dark
 * volume), where each photo's own contour diameters, widened by the blur
 * by a near-constant amount, follow only part of it. */
static st_image *small_pores(double scale, int *n_out)
{
    const int w = 480, h = 400, cell = 24;
    const double pmm = 0.05;
    st_image *img = NULL;
    st_err err = {0};
    if (st_image_new(w, h, 1, &img, &err))
        return NULL;
    img->pixel_mm = pmm;
    synth_rng r = {21};
    double px[400][3];
    int n = 0;
    for (int gy = cell / 2; gy + cell / 2 <= h && n < 400; gy += cell)
        for (int gx = cell / 2; gx + cell / 2 <= w && n < 400; gx += cell) {
            px[n][2] = (0.10 + 0.20 * synth_uniform(&r)) / pmm; /* diameter */
            px[n][0] = gx + 4.0 * (2.0 * synth_uniform(&r) - 1.0);
            px[n][1] = gy + 4.0 * (2.0 * synth_uniform(&r) - 1.0);
            n++;
        }
    float *tmp = malloc((size_t)w * h * sizeof *tmp);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double v = 0.5 + 0.2 * x / w;
            for (int i = 0; i < n; i++) {
                double rad = 0.5 * px[i][2] * scale;
                double r2 = ((x - px[i][0]) * (x - px[i][0]) + (y - px[i][1]) * (y - px[i][1])) /
                            (rad * rad);
                if (r2 < 1.0)
                    v -= 0.15 * (1.0 - r2) * (1.0 - r2);
            }
            tmp[(size_t)y * w + x] = (float)v;
        }
    st_gaussian_blur(tmp, (size_t)w, st_image_row(img, 0, 0), img->stride, w, h, 0.7, 1);
    free(tmp);
    synth_add_noise(img, 0.005, 77);
    *n_out = n;
    return img;
}

static void test_follow_photo(void)
{
    int n = 0;
    st_image *a = small_pores(1.0, &n), *b = small_pores(0.9, &n);
    st_err err = {0};
    st_detect_input in = {.surface = a, .pixel_mm = 0.05, .modality = ST_DETECT_PHOTO};
    st_metric_set ma = {0}, mb = {0}, own = {0};
    st_detections da = {0}, db = {0}, dself = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 2, &ma, &da, &err), ST_OK);
    CHECK_MSG(da.n_pores >= 0.9 * n, "%zu of %d pores found", da.n_pores, n);
    in.surface = b;
    CHECK_EQ_INT(st_pores_detect(&in, 2, &own, &dself, &err), ST_OK);
    in.track_pores = da.pores;
    in.n_track_pores = da.n_pores;
    CHECK_EQ_INT(st_pores_detect(&in, 2, &mb, &db, &err), ST_OK);
    const st_metric *d0 = st_metric_set_find(&ma, "pores.mean_diameter_mm");
    const st_metric *d1 = st_metric_set_find(&mb, "pores.mean_diameter_mm");
    const st_metric *ds = st_metric_set_find(&own, "pores.mean_diameter_mm");
    CHECK(d0 && d1 && ds);
    /* every found pore had a funnel to follow, but those too near the
     * border for the fit's ring of skin */
    CHECK_MSG(db.n_tracked >= 0.95 * da.n_pores, "%zu of %zu followed", db.n_tracked, da.n_pores);
    if (d0 && d1 && ds) {
        printf("photo pores 10 %% smaller: followed %+.1f %%, own detections %+.1f %%\n",
               100.0 * (d1->value / d0->value - 1.0), 100.0 * (ds->value / d0->value - 1.0));
        CHECK_NEAR(d1->value / d0->value, 0.9, 0.02);
    }
    st_metric_set_clear(&ma);
    st_metric_set_clear(&mb);
    st_metric_set_clear(&own);
    st_detections_clear(&da);
    st_detections_clear(&db);
    st_detections_clear(&dself);
    st_image_free(a);
    st_image_free(b);
}

int main(void)
{
    test_awkward_sizes();
    test_photo();
    test_no_pores();
    test_follow_photo();
    return test_summary();
}
