/* The pixels a photo's relief statistics are read from: the measured
 * patch without its pores (relief_mask.c).
 *
 * Why: a photo shows the relief as shading, which weighs each feature by
 * its slope, not its height. Pores are narrow and steep, and darker than
 * the skin in their own right (a grey darkening that the chromophore
 * decomposition leaves in the shading), so on a photo they carry a share
 * of the shading's variance far beyond their share of the skin's height
 * variance (on skingen's skin 14 % of the shading's variance against
 * under 1 % of the height's). Pores are measured by pores.*; the relief's
 * roughness is the skin between them. */
#ifndef ST_METRICS_RELIEF_MASK_H
#define ST_METRICS_RELIEF_MASK_H

#include <stddef.h>

#include "core/error.h"
#include "metrics/metric_set.h"

/* How far around a pore's centre its pixels are left out, in its
 * diameters: its dark opening and the shading of the funnel's walls (SPEC's
 * half-contrast diameter is about 0.54 of a funnel's opening, so the disc
 * reaches just past the opening; twice as far measured the same Sq changes
 * on skingen's relief series within 0.1 point). */
#define ST_RELIEF_PORE_REACH 1.0

/* out (w*h bytes, malloc'd, the caller frees) = mask (NULL: every pixel)
 * without the discs of radius ST_RELIEF_PORE_REACH x d around each pore
 * (centres and d_mm in this plane's pixels and mm; pixel_mm 0: d_mm is in
 * pixels). Pores outside the plane are skipped. */
int st_relief_mask(const unsigned char *mask, int w, int h, double pixel_mm, const st_pore *pores,
                   size_t n_pores, unsigned char **out, st_err *err);

#endif
