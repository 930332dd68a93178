/* Wrinkles: total length within 20 % and dominant orientation within 5
 * degrees on a noisy photo with a light gradient and pores; width and depth
 * index on a height map. */
#include <stdlib.h>

#include "detect_synth.h"
#include "metrics/detect.h"
#include "test_util.h"

#define PMM 0.02
#define N 400

/* Depth of a line segment (centre cx, cy in mm, length len, angle ang in
 * degrees ccw on screen) with a Gaussian cross profile of SD sd (mm). */
static double line_depth(double x, double y, double cx, double cy, double len, double ang,
                         double sd)
{
    double a = ang * M_PI / 180.0, ux = cos(a), uy = -sin(a);
    double dx = x - cx, dy = y - cy;
    double u = dx * ux + dy * uy, v = -dx * uy + dy * ux;
    double over = fabs(u) - len / 2;
    double d2 = v * v + (over > 0 ? over * over : 0);
    return exp(-d2 / (2 * sd * sd));
}

static st_image *make_image(double ang, double amp, double base, double noise, int pores,
                            double *total_len)
{
    st_image *img = NULL;
    st_err err = {0};
    st_image_new(N, N, 1, &img, &err);
    img->pixel_mm = PMM;
    const double cx[4] = {2.6, 3.6, 4.6, 5.6}, cy[4] = {2.9, 3.6, 4.4, 5.1}, len[4] = {4, 5, 5, 4};
    *total_len = 0;
    for (int k = 0; k < 4; k++)
        *total_len += len[k];
    for (int y = 0; y < N; y++) {
        float *row = st_image_row(img, 0, y);
        for (int x = 0; x < N; x++) {
            double xm = x * PMM, ym = y * PMM, v = base * (1.0 + 0.3 * x / N), d = 0;
            for (int k = 0; k < 4; k++)
                d = fmax(d, line_depth(xm, ym, cx[k], cy[k], len[k], ang, 0.04));
            v -= amp * d;
            if (pores) /* round pores on a grid away from the lines */
                for (int j = 0; j < 4; j++) {
                    double px = 0.8 + 2.1 * j, py = 7.3;
                    v -= amp * synth_disk_cover(x, y, px / PMM, py / PMM, 6);
                }
            row[x] = (float)v;
        }
    }
    if (noise > 0)
        synth_add_noise(img, noise, 21);
    return img;
}

static void test_photo(double ang)
{
    double total;
    st_image *img = make_image(ang, 0.10, 0.5, 0.015, 1, &total);
    st_detect_input in = {.surface = img, .pixel_mm = PMM, .modality = ST_DETECT_PHOTO};
    st_metric_set ms = {0};
    st_detections d = {0};
    st_err err = {0};
    CHECK_EQ_INT(st_wrinkles_detect(&in, 2, &ms, &d, &err), ST_OK);
    const st_metric *len = st_metric_set_find(&ms, "wrinkles.length_mm_cm2");
    const st_metric *ori = st_metric_set_find(&ms, "wrinkles.orientation_deg");
    const st_metric *wid = st_metric_set_find(&ms, "wrinkles.mean_width_mm");
    double roi_cm2 = N * N * PMM * PMM / 100.0;
    CHECK(len && ori && wid);
    if (len && ori && wid) {
        printf("angle %.0f: %zu lines, length %.2f mm (%.2f), orientation %.2f, width %.3f mm\n",
               ang, d.n_wrinkles, len->value * roi_cm2, total, ori->value, wid->value);
        CHECK_REL(len->value * roi_cm2, total, 0.20);
        double da = fmod(fabs(ori->value - ang), 180.0);
        CHECK(fmin(da, 180.0 - da) <= 5.0);
        /* FWHM of a Gaussian of SD 0.04 mm: 0.094 mm. */
        CHECK_REL(wid->value, 0.094, 0.30);
    }
    CHECK(d.n_wrinkles >= 4 && d.n_wrinkles <= 6);
    for (size_t i = 0; i < d.n_wrinkles; i++)
        CHECK(d.wrinkles[i].n_path >= 2 && d.wrinkles[i].path != NULL);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
}

static void test_height_depth(void)
{
    double total;
    st_image *img = make_image(60.0, 30.0, 0.0, 1.0, 0, &total);
    img->unit = ST_UNIT_UM;
    st_detect_input in = {.surface = img, .unit = ST_UNIT_UM, .modality = ST_DETECT_HEIGHT};
    st_metric_set ms = {0};
    st_detections d = {0};
    st_err err = {0};
    CHECK_EQ_INT(st_wrinkles_detect(&in, 1, &ms, &d, &err), ST_OK);
    const st_metric *dep = st_metric_set_find(&ms, "wrinkles.depth_index");
    CHECK(dep && !strcmp(dep->unit, "um"));
    if (dep) {
        printf("depth index %.2f um (30)\n", dep->value);
        CHECK_REL(dep->value, 30.0, 0.25);
    }
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
}

/* Noise and pores only: no line. */
static void test_no_lines(void)
{
    st_image *img = NULL;
    st_err err = {0};
    st_image_new(N, N, 1, &img, &err);
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            double v = 0.5 + 0.1 * y / N;
            for (int j = 0; j < 5; j++)
                v -= 0.1 * synth_disk_cover(x, y, 40 + 80 * j, 200, 6);
            st_image_row(img, 0, y)[x] = (float)v;
        }
    synth_add_noise(img, 0.015, 8);
    st_detect_input in = {.surface = img, .pixel_mm = PMM};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_wrinkles_detect(&in, 1, &ms, &d, &err), ST_OK);
    const st_metric *len = st_metric_set_find(&ms, "wrinkles.length_mm_cm2");
    printf("no lines: %zu found, %.2f mm/cm2\n", d.n_wrinkles, len ? len->value : -1);
    CHECK(len && len->value < 0.5);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(img);
}

int main(void)
{
    test_photo(25.0);
    test_photo(-70.0);
    test_height_depth();
    test_no_lines();
    return test_summary();
}
