/* Images of an analysis output decoded for cairo, and the difference map
 * the report computes when analyze did not export one. */
#ifndef ST_REPORT_IMAGE_H
#define ST_REPORT_IMAGE_H

#include <cairo.h>
#include "report/report_model.h"

/* A PNG or JPEG under out_dir (rel as in st_rp_read_asset), decoded; NULL if
 * absent, unsafe or unreadable. */
cairo_surface_t *st_rp_load_image(const st_rp_model *m, const char *rel);

/* Latest minus baseline luminance (Rec. 709 weights on the stored sRGB
 * values) of the two aligned images, which share the baseline patch's frame,
 * smoothed by a box mean of radius max(w, h)/300 + 1, on a diverging purple–white–orange scale that saturates at ±*range (the
 * 99th percentile of |difference|, at least 0.02). NULL when either image is
 * missing or their sizes differ. */
cairo_surface_t *st_rp_diff_map(const st_rp_model *m, int latest, double *range);
/* The scale's colour at t in [−1, 1] (−1 darker now, +1 lighter now). */
unsigned st_rp_diff_colour(double t);

#endif
