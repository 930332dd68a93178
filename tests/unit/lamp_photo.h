/* A generated photo (samples/generator) of `skin` under a lamp, flattened as
 * the register stage hands it to the metrics: shared by the lamp tests. */
#ifndef ST_TEST_LAMP_PHOTO_H
#define ST_TEST_LAMP_PHOTO_H

#include <math.h>

#include "flat_luminance.h"
#include "skingen.h"
#include "test_util.h"

/* The generator's default skin of `seed`, w x h px at pmm (NULL on error,
 * counted as a failed check). */
static inline skingen_skin *lamp_skin(uint64_t seed, int w, int h, double pmm)
{
    skingen_params p;
    skingen_params_default(&p, seed, w, h, pmm);
    skingen_skin *skin = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_skin_new(&p, &skin, &err), ST_OK);
    return skin;
}

/* Flattened luminance (pixel size pmm) of a w x h photo of `skin` drawn with
 * `features` (SKINGEN_F_*), the lamp from azimuth az at slant sl (degrees off
 * the camera axis), the camera moved by (dx, dy) px; noise_seed seeds the
 * sensor noise (two sessions: two seeds). */
static inline st_image *lamp_photo(const skingen_skin *skin, unsigned features, uint64_t noise_seed, double az,
                                   double sl, double dx, double dy, int w, int h, double pmm)
{
    skingen_state s;
    skingen_state_baseline(&s);
    s.features = features;
    skingen_camera c;
    skingen_camera_default(&c, w, h, noise_seed);
    skingen_matrix_camera(c.matrix, w, h, dx, dy, 0, 1, 0, 0);
    double a = az * M_PI / 180.0, t = sl * M_PI / 180.0;
    c.light[0] = sin(t) * cos(a);
    c.light[1] = sin(t) * sin(a);
    c.light[2] = cos(t);
    st_image *rgb = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_render_photo(skin, &s, &c, &rgb, &err), ST_OK);
    if (!rgb)
        return NULL;
    st_image *lum = flat_luminance(rgb, pmm);
    st_image_free(rgb);
    return lum;
}

#endif
