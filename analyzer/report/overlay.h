/* Detection overlays: pores as circles, scars as outlines coloured by depth
 * (blue shallow -> red deepest), wrinkles as polylines, drawn onto an RGB
 * copy of the measured image for saving as PNG (st_image_save_png). */
#ifndef ST_REPORT_OVERLAY_H
#define ST_REPORT_OVERLAY_H

#include "metrics/metric_set.h"
#include "skintrack/skintrack.h"

/* base: 3-channel sRGB in [0, 1], or 1 channel (a luminance or height map,
 * shown as gray stretched between its 1st and 99th percentiles). pixel_mm
 * converts pore diameters to pixels (0: d_mm is already in pixels, as the
 * detections say when uncalibrated). Detections are in base pixels; scar
 * outlines come from dets->scar_labels when present (same size as base),
 * else an ellipse from each scar's length, width and angle. */
int st_overlay_detections(const st_image *base, const st_detections *dets, double pixel_mm,
                          st_image **out, st_err *err);

#endif
