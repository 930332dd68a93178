/* The demo and benchmark series the skingen program writes. */
#ifndef SKINGEN_RECIPES_H
#define SKINGEN_RECIPES_H

#include "skingen_series.h"

/* A calibrated 4-session professional course photographed with a chart. */
void recipe_photo_course(skingen_series_spec *s, int width, int height, double pixel_mm,
                         uint64_t seed);
/* Height maps of an atrophic-scar course (3 sessions). */
void recipe_height_scars(skingen_series_spec *s);
/* Photometric stereo, 4 lights per session, 3 sessions. */
void recipe_stereo(skingen_series_spec *s);
/* The same forehead under four lights with its own seed and 1..4 sessions
 * (recipe_stereo is seed 11, 3 sessions); remodelling is linear in the
 * session index, 35 days apart. */
void recipe_stereo_course(skingen_series_spec *s, uint64_t seed, int n_sessions);
/* The lamps of a stereo course change between sessions: power (exposure)
 * and colour (white balance), as when a clinic's ring light is replaced or
 * warms up; the light directions stay those of series.json. */
void recipe_stereo_light_change(skingen_series_spec *s);
/* 4 sessions, the third blurred and the fourth a photo of something else. */
void recipe_bad_session(skingen_series_spec *s);

#endif
