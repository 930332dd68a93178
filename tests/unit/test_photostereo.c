/* Photometric stereo of one surface under 4 lights: the integrated height
 * map, measured as a height map, gives the scar's max depth within 15 % and
 * its volume within 20 %; albedo and shadow handling on the way. */
#include <stdlib.h>

#include "detect_synth.h"
#include "metrics/detect.h"
#include "test_util.h"

#define PMM 0.02
#define W 256
#define H 224

/* Height (µm): a 110 µm paraboloid scar 2.4 mm across and a 60 µm bump. */
static double surf(double x, double y)
{
    double xm = x * PMM, ym = y * PMM, z = 0;
    double r = hypot(xm - 2.3, ym - 2.2);
    if (r < 1.2)
        z -= 110.0 * (1.0 - r * r / 1.44);
    z += 60.0 * exp(-(pow(xm - 4.3, 2) + pow(ym - 3.5, 2)) / (2 * 0.3 * 0.3));
    return z;
}

static void render(const double l[4][3], st_image *img[4], double noise)
{
    st_err err = {0};
    double s = 1.0 / (PMM * 1000.0); /* µm per pixel step -> slope */
    for (int k = 0; k < 4; k++) {
        st_image_new(W, H, 1, &img[k], &err);
        double len = sqrt(l[k][0] * l[k][0] + l[k][1] * l[k][1] + l[k][2] * l[k][2]);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                double p = (surf(x + 0.5, y) - surf(x - 0.5, y)) * s;
                double q = (surf(x, y + 0.5) - surf(x, y - 0.5)) * s;
                double nn = sqrt(p * p + q * q + 1);
                double albedo = 0.6 + 0.1 * sin(x * 0.05) * cos(y * 0.07);
                double i = albedo * (-p * l[k][0] - q * l[k][1] + l[k][2]) / (nn * len);
                st_image_row(img[k], 0, y)[x] = (float)(i > 0 ? i : 0);
            }
        if (noise > 0)
            synth_add_noise(img[k], noise, 11 + k);
    }
}

static void test_scar_depth(void)
{
    const double l[4][3] = {{0.5, 0, 0.87}, {0, 0.5, 0.87}, {-0.5, 0, 0.87}, {0, -0.5, 0.87}};
    st_image *img[4];
    render(l, img, 0.003);
    st_image *height = NULL, *albedo = NULL;
    st_err err = {0};
    st_photostereo_opts o = {.threads = 2};
    CHECK_EQ_INT(st_photostereo((const st_image *const *)img, l, 4, PMM, &o, &height, &albedo, &err),
                 ST_OK);
    CHECK(height && height->unit == ST_UNIT_UM && height->pixel_mm == PMM);
    /* Albedo is recovered where the surface is flat and lit by all lights. */
    double a_true = 0.6 + 0.1 * sin(20 * 0.05) * cos(200 * 0.07);
    CHECK_NEAR(st_image_row(albedo, 0, 200)[20], a_true, 0.02);
    st_detect_input in = {.surface = height, .unit = ST_UNIT_UM, .modality = ST_DETECT_STEREO};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_scars_detect(&in, 2, 0, &ms, &d, &err), ST_OK);
    double vol_true = M_PI * 1.44 * 110.0 * 1e-3 / 2.0;
    const st_scar *hit = NULL;
    for (size_t j = 0; j < d.n_scars; j++)
        if (hypot(d.scars[j].x * PMM - 2.3, d.scars[j].y * PMM - 2.2) < 0.5)
            hit = &d.scars[j];
    CHECK(hit != NULL);
    if (hit) {
        printf("stereo scar: max %.1f um (110), volume %.5f mm3 (%.5f), area %.2f mm2 (%.2f)\n",
               hit->max_depth, hit->volume_mm3, vol_true, hit->area_mm2, M_PI * 1.44);
        CHECK_REL(hit->max_depth, 110.0, 0.15);
        CHECK_REL(hit->volume_mm3, vol_true, 0.20);
    }
    CHECK_EQ_INT(d.n_scars, 1);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(height);
    st_image_free(albedo);
    for (int k = 0; k < 4; k++)
        st_image_free(img[k]);
}

/* A grazing light shadows part of a steep bump: with the shadowed samples
 * discarded the bump height still comes back. */
static void test_shadows(void)
{
    const double l[4][3] = {{0.5, 0, 0.87}, {0, 0.5, 0.87}, {-0.97, 0, 0.25}, {0, -0.5, 0.87}};
    st_image *img[4];
    render(l, img, 0.0);
    st_image *height = NULL;
    st_err err = {0};
    CHECK_EQ_INT(st_photostereo((const st_image *const *)img, l, 4, PMM, NULL, &height, NULL, &err),
                 ST_OK);
    /* Bump top minus flat skin far away. */
    double top = st_image_row(height, 0, (int)(3.5 / PMM))[(int)(4.3 / PMM)];
    double flat = st_image_row(height, 0, 20)[20];
    printf("bump: %.1f um (60)\n", top - flat);
    CHECK_REL(top - flat, 60.0, 0.10);
    st_image_free(height);
    for (int k = 0; k < 4; k++)
        st_image_free(img[k]);
}

static void test_bad_input(void)
{
    const double l[3][3] = {{0.5, 0, 0.87}, {0, 0.5, 0.87}, {-0.5, 0, 0.87}};
    st_image *height = NULL;
    st_err err = {0};
    CHECK_EQ_INT(st_photostereo(NULL, l, 2, PMM, NULL, &height, NULL, &err), ST_EINVAL);
    CHECK(height == NULL && strstr(err.msg, "photometric stereo") != NULL);
}

int main(void)
{
    test_scar_depth();
    test_shadows();
    test_bad_input();
    return test_summary();
}
