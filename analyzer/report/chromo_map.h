/* Melanin and haemoglobin density maps (metrics/chromophores.h) as 8-bit
 * sRGB images for the report's images/, on a FIXED scale per chromophore so
 * that the maps of every session and every patient read alike: a brown ramp
 * for melanin and a red ramp for haemoglobin, pale where there is least (the
 * "brown" and "red" views of commercial skin imaging systems).
 *
 * Use: st_chromophores(rgb, &opts, &c, err), then
 * st_chromo_map(c.melanin, ST_CHROMO_MELANIN, mask, 0, &img, err) and
 * st_image_save_png(img, ".../melanin.png", 8, err); the key is
 * st_chromo_map_range + st_chromo_map_colour (HTML/SVG gradient stops, as
 * html_images.c's scale_bar does with st_colour_scale) or the bar image of
 * st_chromo_map_key. */
#ifndef ST_REPORT_CHROMO_MAP_H
#define ST_REPORT_CHROMO_MAP_H

#include <stddef.h>

#include "skintrack/skintrack.h"

enum { ST_CHROMO_MELANIN = 0, ST_CHROMO_HAEMOGLOBIN = 1 };

/* The fixed density range [lo, hi] (ln units along sigma_m / sigma_h) that
 * the ramp spans; values beyond it take the end colours. */
void st_chromo_map_range(int which, double *lo, double *hi);
/* The ramp's colour at t in [0, 1] (clamped; NaN gives 0), 0xRRGGBB. */
unsigned st_chromo_map_colour(int which, double t);
/* Short label and unit for the key: "Melanin" / "Haemoglobin", "density". */
const char *st_chromo_map_label(int which);

/* density: 1 channel. mask (may be NULL; bytes, nonzero = skin, row stride
 * mstride or the width when 0): pixels outside are drawn mid-gray (0x808080)
 * so that hair, eyes and charts do not read as pigment. out: 3 channels,
 * every value k/255 (exactly 8-bit), same size and pixel_mm as density.
 * Errors: ST_EINVAL (bad which, not 1 channel), ST_ENOMEM. */
int st_chromo_map(const st_image *density, int which, const unsigned char *mask, size_t mstride,
                  st_image **out, st_err *err);

/* The key as an image: a horizontal gradient bar, w x h (w >= 2, h >= 1),
 * lo on the left, hi on the right (st_chromo_map_range gives the numbers to
 * print under its ends). */
int st_chromo_map_key(int which, int w, int h, st_image **out, st_err *err);

#endif
