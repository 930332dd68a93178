/* Repeatability of re-shots (issue 5): the same skin photographed twice, the
 * camera moved (a whole-pixel shift) and the light changed (exposure +15 %, a
 * light gradient, white balance), registered onto the first shot; the
 * baseline ROI is carried into the re-shot's own frame (no resampling, see
 * register/roi.c), exposure and white balance are matched in linear light
 * inside it, both are flattened and normalised, and the
 * texture metrics must agree within 2 % (the commercial systems' published
 * repeat-capture figure for texture).
 * Why whole pixels: the generator samples its relief tile with Catmull-Rom
 * at baseline-pixel spacing, so a camera at a fractional offset (or rotated)
 * sees a slightly smoothed relief -- GLCM contrast about 12 % lower at a
 * (0.4, 0.3) px offset, Sq about 3 % -- an artefact of the test data, not of
 * registration (reported to the generator's author). */
#define _XOPEN_SOURCE 700
#include "test_util.h"

#include "core/alloc.h"
#include "metrics/surface.h"
#include "register/flatten.h"
#include "register/photometric.h"
#include "register/register.h"
#include "simd/kernels.h"
#include "skingen.h"

enum { W = 512, H = 384 };
static const int roi[4] = {144, 112, 224, 160};

/* Flattened luminance of img (1 channel), mean 0.5 inside the ROI, measured
 * in img's own frame over the ROI carried by m (session -> baseline). */
static void measure(const st_image *img, const double m[9], st_metric_set *ms)
{
    int w = img->width, h = img->height;
    st_image *flat = NULL;
    CHECK_EQ_INT(st_flatten_image(img, 0, 1, &flat, NULL), 0);
    float *y = st_alloc_floats((size_t)w * h);
    unsigned char *mask = st_aligned_alloc((size_t)w * h);
    for (int r = 0; r < h; r++)
        st_luminance(st_image_row(flat, 0, r), st_image_row(flat, 1, r), st_image_row(flat, 2, r),
                     y + (size_t)r * w, (size_t)w);
    size_t n = st_roi_mask_in_session(m, roi, w, h, mask, (size_t)w);
    CHECK(n > (size_t)roi[2] * roi[3] * 9 / 10);
    /* Photometric normalisation: the ROI's mean luminance to 0.5. */
    double s = 0;
    for (size_t i = 0; i < (size_t)w * h; i++)
        s += mask[i] ? y[i] : 0.0;
    for (size_t i = 0; i < (size_t)w * h; i++)
        y[i] = (float)(y[i] * 0.5 / (s / n));
    st_surface_input in = {y, (size_t)w, w, h, mask, (size_t)w,
                           st_session_pixel_mm(m, roi, 0.05), ST_UNIT_REL};
    st_surface_opts o = {0};
    o.no_tiles = 1;
    o.threads = 1;
    st_err e;
    CHECK_EQ_INT(st_measure_surface(&in, &o, ms, NULL, &e), 0);
    st_aligned_free(y);
    st_aligned_free(mask);
    st_image_free(flat);
}

static double value(const st_metric_set *ms, const char *name)
{
    const st_metric *m = st_metric_set_find(ms, name);
    return m ? m->value : NAN;
}

int main(void)
{
    skingen_params p;
    skingen_params_default(&p, 21, W, H, 0.05);
    skingen_skin *skin;
    st_err e;
    CHECK_EQ_INT(skingen_skin_new(&p, &skin, &e), 0);
    skingen_state st;
    skingen_state_baseline(&st);
    skingen_camera c0, c1;
    skingen_camera_default(&c0, W, H, 1);
    skingen_camera_default(&c1, W, H, 2);
    skingen_matrix_camera(c1.matrix, W, H, 18, -11, 0.0, 1.0, 0, 0);
    c1.exposure = 1.15;
    c1.gradient[0] = 0.25;
    c1.wb[0] = 1.05;
    c1.wb[2] = 0.93;

    st_image *a, *b;
    CHECK_EQ_INT(skingen_render_photo(skin, &st, &c0, &a, &e), 0);
    CHECK_EQ_INT(skingen_render_photo(skin, &st, &c1, &b, &e), 0);
    st_register_opts o;
    st_register_opts_default(&o);
    o.wisdom = "off";
    st_registration r;
    CHECK_EQ_INT(st_register_pair(a, b, &o, &r, &e), 0);
    CHECK(r.status == ST_REG_OK);
    st_metric_set ma = {0}, mb = {0};
    const double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    /* Exposure and white balance matched in linear light inside the ROI. */
    unsigned char *mka = st_aligned_alloc((size_t)W * H), *mkb = st_aligned_alloc((size_t)W * H);
    st_roi_mask_in_session(id, roi, W, H, mka, W);
    st_roi_mask_in_session(r.matrix, roi, W, H, mkb, W);
    double g[3];
    st_image *bn;
    CHECK_EQ_INT(st_photometric_linear_gains(a, mka, b, mkb, g, &e), 0);
    CHECK_NEAR(g[1], 1.0 / 1.15, 0.03); /* the exposure, whatever the gradient */
    CHECK_EQ_INT(st_apply_linear_gains(b, g, &bn, &e), 0);
    measure(a, id, &ma);
    measure(bn, r.matrix, &mb);
    st_image_free(bn);
    st_aligned_free(mka);
    st_aligned_free(mkb);
    const char *names[] = {"roughness.sq", "roughness.sa", "texture.glcm.contrast",
                           "texture.glcm.homogeneity", "texture.glcm.entropy",
                           "texture.lbp.entropy"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        double va = value(&ma, names[i]), vb = value(&mb, names[i]);
        double d = 100.0 * fabs(vb - va) / fabs(va);
        fprintf(stderr, "%-26s %.5g %.5g  %.2f %%\n", names[i], va, vb, d);
        CHECK_MSG(d <= 2.0, "%s: re-shot differs by %.2f %%", names[i], d);
    }
    st_metric_set_clear(&ma);
    st_metric_set_clear(&mb);
    st_image_free(a);
    st_image_free(b);
    skingen_skin_free(skin);
    return test_summary();
}
