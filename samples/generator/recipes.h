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

/* ---- chromophore-model series (recipes_colour.c) ---- */
typedef enum recipe_change {
    RECIPE_NONE = 0,    /* the same skin every session */
    RECIPE_PIGMENT = 1, /* melanin only: -18 % at the last session */
    RECIPE_REDNESS = 2, /* haemoglobin only: -25 % at the last session */
    RECIPE_COURSE = 3   /* session 1: haemoglobin ×1.22 (EI about +10 %); then melanin ×0.9 per session */
} recipe_change;

typedef struct recipe_colour_opts {
    uint64_t seed;
    int sessions;        /* 1..6 */
    int chart;           /* 1: a ColorChecker in every photo */
    recipe_change change;
    int width, height;
    double pixel_mm;
    int omit_pixel_mm;   /* with a chart: no pixel_mm in series.json */
} recipe_colour_opts;

/* A course whose camera exposure (0.85-1.15) and R/B gains (±10 %) change
 * every session, mild camera moves, the same lamp. */
void recipe_colour(skingen_series_spec *s, const recipe_colour_opts *o);
/* The same skin shot n times, a day apart (same_day: n repeat shots of one
 * session, DATE_1.jpg ...): camera moved and turned a little, exposure and
 * white balance ±8 %, lamp azimuth within ±3° (elevation 50°). */
void recipe_repeat(skingen_series_spec *s, uint64_t seed, int n_sessions, int same_day);
/* The same skin and camera, the lamp turned by az_step (and raised by
 * el_step) degrees each session, from azimuth 225° at elevation 50°. */
void recipe_lamp(skingen_series_spec *s, uint64_t seed, int n_sessions, double az_step,
                 double el_step);
/* A fixed lamp, relief, scars and wrinkles ×0.9 per session, exposure and
 * light gradient changing. */
void recipe_relief(skingen_series_spec *s, uint64_t seed, int n_sessions);

#endif
