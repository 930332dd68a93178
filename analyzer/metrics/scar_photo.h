/* Scars on photos (scar_photo.c): the light's axis from the photo, and the
 * check of a dark candidate for a depression's shading (a bright wall
 * opposite its dark one) and for a brown spot's colour. */
#ifndef ST_METRICS_SCAR_PHOTO_H
#define ST_METRICS_SCAR_PHOTO_H

#include "metrics/scar_surface.h"

typedef struct scar_light {
    double ux, uy;   /* unit vector along the light's azimuth (sign unknown) */
    double aniso;    /* ratio of the luminance gradient's second moments */
    int directional; /* 1 when the light shapes the relief's shading */
} scar_light;

void scar_photo_light(const scar_maps *m, scar_light *l);

/* Candidate region `id` of lab (raw labels), bounding box {x0, y0, x1, y1},
 * described in s: 0 when it is a brown spot without a bright wall (not a
 * scar); else 1, and when the bright wall is found its pixels join the
 * region in lab and s's centre and area cover the whole depression. */
int scar_photo_check(const st_detect_input *in, const scar_maps *m, const scar_light *l,
                     int32_t *lab, int32_t id, const int box[4], st_scar *s);

#endif
