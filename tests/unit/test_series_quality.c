#define _DEFAULT_SOURCE
/* Photo quality control: sharpness (RMS of the 5-point Laplacian of the
 * luminance), clipped pixels and exposure on images with known answers. */
#include <math.h>

#include "series/photo_quality.h"
#include "test_util.h"

static st_image *make(int w, int h, int channels)
{
    st_image *img = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_new(w, h, channels, &img, &err), ST_OK);
    return img;
}

static void fill(st_image *img, double (*f)(int x, int y))
{
    for (int c = 0; c < img->channels; c++)
        for (int y = 0; y < img->height; y++)
            for (int x = 0; x < img->width; x++)
                st_image_row(img, c, y)[x] = (float)f(x, y);
}

static double flat(int x, int y) { (void)x, (void)y; return 0.5; }
/* Period 8 along x, amplitude 0.2: the second difference of a sampled
 * sinusoid is −2(1 − cos(2π/8))·sin, so its RMS is 0.2·2(1 − cos(π/4))/√2
 * (up to the mirrored borders). */
static double wave(int x, int y) { (void)y; return 0.5 + 0.2 * sin(2 * M_PI * (x + 0.5) / 8); }
static double clipped(int x, int y) { return (x < 10 && y < 30) ? 1.0 : (x >= 90 && y < 10) ? 0.0 : 0.4; }

int main(void)
{
    st_photo_quality q;
    st_err err;
    st_image *img = make(160, 120, 3);
    fill(img, flat);
    CHECK_EQ_INT(st_photo_quality_measure(img, &q, &err), ST_OK);
    CHECK_NEAR(q.sharpness, 0, 1e-7);
    CHECK_NEAR(q.exposure, 0.5, 1e-6);
    CHECK_NEAR(q.clipped_pct, 0, 0);

    st_image_free(img);
    img = make(1600, 40, 3); /* wide, so the two mirrored border columns weigh little */
    fill(img, wave);
    CHECK_EQ_INT(st_photo_quality_measure(img, &q, &err), ST_OK);
    double want = 0.2 * 2 * (1 - cos(M_PI / 4)) / sqrt(2.0);
    CHECK_REL(q.sharpness, want, 0.01);
    CHECK_NEAR(q.exposure, 0.5, 1e-4);
    st_image_free(img);

    /* 300 white and 100 black pixels of 100x100: 4 % clipped; gray input. */
    img = make(100, 100, 1);
    fill(img, clipped);
    CHECK_EQ_INT(st_photo_quality_measure(img, &q, &err), ST_OK);
    CHECK_NEAR(q.clipped_pct, 4.0, 1e-9);
    CHECK_NEAR(q.exposure, (300 * 1.0 + 9600 * 0.4) / 10000.0, 1e-5);
    st_image_free(img);

    img = make(2, 2, 1);
    CHECK_EQ_INT(st_photo_quality_measure(img, &q, &err), ST_EINVAL);
    st_image_free(img);
    return test_summary();
}
