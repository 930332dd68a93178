/* Session-to-baseline photometric matching and colour normalisation. The
 * inputs are never modified: the functions return gains or new images, so
 * the raw values stay available to every caller. */
#ifndef ST_REGISTER_PHOTOMETRIC_H
#define ST_REGISTER_PHOTOMETRIC_H

#include "skintrack/skintrack.h"

/* Per-channel gain and offset so that gain*moving + offset has the mean and
 * SD of fixed inside mask (width x height bytes, 1 = use; NULL = all). Both
 * images must be aligned (same size, e.g. after st_warp_to_baseline);
 * pixels where valid (may be NULL) is 0 are skipped too. */
int st_photometric_gain_offset(const st_image *fixed, const st_image *moving,
                               const unsigned char *mask, const unsigned char *valid,
                               double gain[3], double offset[3], st_err *err);

/* New image: out_c = gain_c * in_c + offset_c. */
int st_photometric_apply(const st_image *in, const double gain[3], const double offset[3],
                         st_image **out, st_err *err);

/* Histogram matching (per channel, 1024 bins on [0, 1]) of moving onto fixed
 * inside mask/valid; a new image. */
int st_histogram_match(const st_image *fixed, const st_image *moving, const unsigned char *mask,
                       const unsigned char *valid, st_image **out, st_err *err);

/* Grey-world gains (Buchsbaum 1980): linear-light means of R, G, B inside
 * mask made equal to their mean, so the luminance is kept. gain[] applies to
 * linear values. */
int st_grey_world_gains(const st_image *img, const unsigned char *mask, double gain[3],
                        st_err *err);
/* Exposure and white balance of a session matched to the baseline in linear
 * light: gain_c = mean linear c of fixed inside fmask / that of moving inside
 * mmask (masks in each image's own frame, e.g. the ROI carried by
 * st_roi_mask_in_session; NULL = whole image). A camera's exposure is a gain
 * on linear light, so this undoes it exactly, where a gain on the encoded
 * values would leave the sRGB curve's level-dependent contrast behind. */
int st_photometric_linear_gains(const st_image *fixed, const unsigned char *fmask,
                                const st_image *moving, const unsigned char *mmask,
                                double gain[3], st_err *err);

/* New image: encoded sRGB, linear values times gain, re-encoded, clamped. */
int st_apply_linear_gains(const st_image *in, const double gain[3], st_image **out, st_err *err);

#endif
