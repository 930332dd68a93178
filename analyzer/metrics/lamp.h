/* The lamp's direction from a photo's shading (lamp.c): its azimuth from one
 * photo, and how far it turned between a session and the baseline from the
 * two registered photos of the same skin. The slant (elevation) is not
 * measured: to first order a lower lamp and a deeper relief give the same
 * shading (see lamp.c), so direction[2] comes from ST_LAMP_SLANT_DEG. */
#ifndef ST_METRICS_LAMP_H
#define ST_METRICS_LAMP_H

#include <stddef.h>

#include "skintrack/skintrack.h"

/* The slant assumed for direction[] (degrees off the camera axis): not
 * measured, the same for every session, so the angle between two sessions'
 * directions depends on their azimuths only. */
#define ST_LAMP_SLANT_DEG 45.0
/* Gradient moments' ratio below which the light is taken as diffuse (no
 * azimuth): the ratio is 3 for a directional lamp over isotropic relief. */
#define ST_LAMP_MIN_ANISO 1.35

typedef struct st_lamp {
    double azimuth_deg;  /* towards the lamp, atan2(y, x) in the camera frame (x right,
                            y down), (-180, 180] */
    double direction[3]; /* unit vector towards the lamp: azimuth measured, slant assumed */
    double anisotropy;   /* major / minor second moment of the shading's gradient, >= 1 */
    double side_skew;    /* skew of the shading's derivative along the azimuth (< 0 when
                            the side is right: pits' near walls are dark); its size says
                            how sure the side is */
    int directional;     /* anisotropy >= ST_LAMP_MIN_ANISO */
} st_lamp;

/* The light's axis (sign unknown) from the second moments of the central
 * differences of img (w x h, row stride in floats), sampled every `step`
 * pixels from (step/2, step/2); mask (NULL: all) is w x h with row stride
 * mask_stride bytes (0: w), a sample counts when it and its four neighbours
 * are inside. Gives (ux, uy) the unit major axis and aniso the ratio of the
 * moments (1e9 when the minor one is 0; 1 and ux = 1 without samples).
 * Pentland 1982 ("Finding the illuminant direction"); scars on photos use it. */
void st_lamp_axis(const float *img, int w, int h, size_t stride, const unsigned char *mask,
                  size_t mask_stride, int step, double *ux, double *uy, double *aniso);

/* One photo's lamp from its shading (flattened luminance or shading
 * component, 1 channel; pixel_mm may be 0: uncalibrated). Errors: ST_EINVAL
 * (not 1 channel, too small or too few pixels inside the mask), ST_ENOMEM. */
int st_lamp_estimate(const st_image *shading, const unsigned char *mask, size_t mask_stride,
                     st_lamp *out, st_err *err);

/* How far the lamp turned about the camera axis from the baseline's photo to
 * a session's, both of the same skin registered onto the same pixels (same
 * size, pixel_mm of the baseline): turn_deg in (-180, 180], positive from x
 * towards y. residual (may be NULL) is the fit's misfit in [0, 1] (0: the
 * session's shading is exactly the baseline's relief under the turned lamp).
 * The turn is in the baseline's pixels (the skin's frame), not the
 * session photo's: it includes the registration's rotation.
 * Known bias: albedo common to both photos (tone, spots, pores) pulls the
 * turn towards 0; on generated skin it reads 0.67-0.82 of the turn (never
 * long; the relief alone 0.93-0.97, tests/unit/test_lamp_bias.c), and a
 * residual misregistration of 1/3 px can hide a 10° turn
 * (tests/unit/test_lamp.c). Errors as st_lamp_estimate. */
int st_lamp_turn(const st_image *baseline, const st_image *session, const unsigned char *mask,
                 size_t mask_stride, double *turn_deg, double *residual, st_err *err);

/* A session's lamp: the baseline's (from st_lamp_estimate on the baseline)
 * turned by st_lamp_turn, and the angle between the two directions
 * (degrees). The session's own side_skew and anisotropy are kept. */
int st_lamp_session(const st_image *baseline, const st_lamp *base, const st_image *session,
                    const unsigned char *mask, size_t mask_stride, st_lamp *out,
                    double *angle_to_baseline_deg, st_err *err);

/* Angle between two directions, degrees in [0, 180]. */
double st_lamp_angle_deg(const double a[3], const double b[3]);

#endif
