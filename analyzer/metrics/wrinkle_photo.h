/* Wrinkles' line filter on photos under a directional lamp
 * (wrinkle_photo.c), used by wrinkles.c. */
#ifndef ST_METRICS_WRINKLE_PHOTO_H
#define ST_METRICS_WRINKLE_PHOTO_H

#include "metrics/wrinkle_maps.h"

/* Grooves whose normal lies within this angle of the lamp's azimuth are
 * searched; beyond it (a groove within 90 − WR_PHOTO_VIS_DEG degrees of
 * running along the lamp's azimuth) their pair is too faint to be told
 * from the skin's texture, and their length is not counted. */
#define WR_PHOTO_VIS_DEG 75.0

/* The maps of the photo line filter (lamp towards (lux, luy), a unit
 * vector in image axes), in m (m->photo set; surf, snr, best, h2b, hamc,
 * sigma from the pool). ST_OK or ST_ENOMEM; st_det_wrinkle_maps_free
 * releases m even after a failure. */
int st_det_wrinkle_photo_maps(const st_detect_input *in, double lux, double luy, int threads,
                              line_maps *m);

#endif
