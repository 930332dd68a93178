/* Series for the colour and lamp work, all with the chromophore skin model
 * (skingen.h) and a ColorChecker beside the ROI: a course whose pigment or
 * redness changes under a camera whose exposure and white balance change
 * every session; repeat shots of an unchanged skin; a lamp that turns; a
 * relief that flattens under a fixed lamp. Every number comes from the seed
 * and is written to truth.json. */
#include "recipes.h"

#include <math.h>
#include <string.h>

#include "rng.h"

/* Light from azimuth az (0 = from the right, 90 = from below) at elevation el
 * above the skin plane (90 = on the camera axis). */
static void set_lamp(skingen_camera *c, double az_deg, double el_deg)
{
    double a = az_deg * M_PI / 180.0, e = el_deg * M_PI / 180.0;
    c->light[0] = cos(e) * cos(a);
    c->light[1] = cos(e) * sin(a);
    c->light[2] = sin(e);
}

/* A camera for session i: moved by up to `move` of the frame (and `rot_deg`),
 * exposure 1 ± d_exp, R and B gains 1 ± d_wb, all uniform from the seed. */
static void jitter_camera(skingen_camera *c, const skingen_series_spec *s, sg_rng *r, int i,
                          double move, double rot_deg, double d_exp, double d_wb)
{
    int w = s->skin.width, h = s->skin.height;
    skingen_camera_default(c, w, h, s->skin.seed * 1000 + 17 + (uint64_t)i);
    double dx = sg_range(r, -move, move) * w, dy = sg_range(r, -move, move) * h;
    double rot = sg_range(r, -rot_deg, rot_deg), scale = 1.0 + sg_range(r, -0.01, 0.01);
    skingen_matrix_camera(c->matrix, w, h, dx, dy, rot, scale, 0, 0);
    c->exposure = 1.0 + sg_range(r, -d_exp, d_exp);
    c->wb[0] = 1.0 + sg_range(r, -d_wb, d_wb);
    c->wb[2] = 1.0 + sg_range(r, -d_wb, d_wb);
}

/* The common frame: chromophore skin, a chart at the lower right keeping its
 * share of the frame (as recipe_photo_course), the ROI upper left clear of
 * it and of the camera moves. */
static void colour_frame(skingen_series_spec *s, const char *patient, int w, int h, double px,
                         uint64_t seed, int chart)
{
    memset(s, 0, sizeof *s);
    s->patient = patient;
    s->area = "left cheek";
    s->start_date = "2026-04-06";
    s->modality = SKINGEN_PHOTO;
    s->write_series_json = 1;
    s->jpeg_quality = 92;
    skingen_params_default(&s->skin, seed, w, h, px);
    s->skin.chromo.enabled = 1;
    s->skin.ita_deg = 40.0;
    if (chart) {
        s->skin.chart.enabled = 1;
        s->skin.chart.patch_mm = 3.4 * (w * px / 80.0);
        double cw, ch;
        skingen_chart_size(&s->skin.chart, px, &cw, &ch);
        s->skin.chart.x = w - cw - 0.02 * w;
        s->skin.chart.y = h - ch - 0.025 * h;
        s->series_chart = 1;
    }
    s->roi[0] = (int)(0.1 * w);
    s->roi[1] = (int)(0.12 * h);
    s->roi[2] = (int)(0.5 * w);
    s->roi[3] = (int)(0.6 * h);
}

static void set_days(skingen_series_spec *s, int step, const char *setting)
{
    for (int i = 0; i < s->n_sessions; i++) {
        skingen_session_spec *ss = &s->sessions[i];
        skingen_state_baseline(&ss->state);
        ss->day = step * i;
        ss->setting = setting;
        ss->needle_mm = setting ? 1.5 : 0.0;
    }
}

void recipe_colour(skingen_series_spec *s, const recipe_colour_opts *o)
{
    int n = o->sessions < 1 ? 1 : (o->sessions > 6 ? 6 : o->sessions);
    colour_frame(s, "P-0510", o->width, o->height, o->pixel_mm, o->seed, o->chart);
    s->omit_pixel_mm = o->chart && o->omit_pixel_mm;
    s->n_sessions = n;
    set_days(s, 35, "professional");
    sg_rng r;
    sg_rng_init(&r, o->seed, 0xC010);
    for (int i = 0; i < n; i++) {
        skingen_session_spec *ss = &s->sessions[i];
        jitter_camera(&ss->camera, s, &r, i, 0.012, 1.5, 0.15, 0.10);
        set_lamp(&ss->camera, 225.0, 50.0); /* the same lamp, upper left */
        double t = n > 1 ? (double)i / (n - 1) : 0.0;
        switch (o->change) {
        case RECIPE_PIGMENT: /* melanin only: -18 % at the last session */
            ss->state.melanin = 1.0 - 0.18 * t;
            break;
        case RECIPE_REDNESS: /* haemoglobin only: -25 % at the last session */
            ss->state.haemoglobin = 1.0 - 0.25 * t;
            break;
        case RECIPE_COURSE: /* redder after the first session, then lighter */
            if (i == 1)
                ss->state.haemoglobin = 1.22;
            if (i >= 2)
                ss->state.melanin = pow(0.9, i - 1);
            break;
        default:
            break;
        }
    }
}

void recipe_repeat(skingen_series_spec *s, uint64_t seed, int n_sessions, int same_day)
{
    colour_frame(s, "P-0520", 1200, 900, 0.05, seed, 1);
    s->n_sessions = n_sessions < 1 ? 1 : (n_sessions > SKINGEN_MAX_SESSIONS ? SKINGEN_MAX_SESSIONS : n_sessions);
    set_days(s, same_day ? 0 : 1, NULL);
    sg_rng r;
    sg_rng_init(&r, seed, 0x4E9E);
    for (int i = 0; i < s->n_sessions; i++) {
        skingen_session_spec *ss = &s->sessions[i];
        jitter_camera(&ss->camera, s, &r, i, 0.01, 2.0, 0.08, 0.08);
        set_lamp(&ss->camera, 225.0 + sg_range(&r, -3.0, 3.0), 50.0);
        ss->label = NULL;
    }
}

void recipe_lamp(skingen_series_spec *s, uint64_t seed, int n_sessions, double az_step,
                 double el_step)
{
    colour_frame(s, "P-0530", 1200, 900, 0.05, seed, 1);
    s->n_sessions = n_sessions < 1 ? 1 : (n_sessions > SKINGEN_MAX_SESSIONS ? SKINGEN_MAX_SESSIONS : n_sessions);
    set_days(s, 7, NULL);
    for (int i = 0; i < s->n_sessions; i++) {
        skingen_session_spec *ss = &s->sessions[i];
        skingen_camera_default(&ss->camera, 1200, 900, seed * 1000 + 31 + (uint64_t)i);
        double el = 50.0 + el_step * i;
        el = el < 5.0 ? 5.0 : (el > 90.0 ? 90.0 : el);
        set_lamp(&ss->camera, 225.0 + az_step * i, el);
    }
}

void recipe_relief(skingen_series_spec *s, uint64_t seed, int n_sessions)
{
    colour_frame(s, "P-0540", 1200, 900, 0.05, seed, 1);
    s->skin.n_scars += 2;
    s->skin.n_wrinkles += 2;
    s->n_sessions = n_sessions < 1 ? 1 : (n_sessions > SKINGEN_MAX_SESSIONS ? SKINGEN_MAX_SESSIONS : n_sessions);
    set_days(s, 35, "professional");
    sg_rng r;
    sg_rng_init(&r, seed, 0x4E11);
    for (int i = 0; i < s->n_sessions; i++) {
        skingen_session_spec *ss = &s->sessions[i];
        jitter_camera(&ss->camera, s, &r, i, 0.01, 1.5, 0.12, 0.0);
        ss->camera.gradient[0] = sg_range(&r, -0.12, 0.12);
        ss->camera.gradient[1] = sg_range(&r, -0.12, 0.12);
        set_lamp(&ss->camera, 225.0, 50.0);
        double k = pow(0.9, i); /* relief, scars and wrinkles 10 % shallower per session */
        ss->state.relief = ss->state.scar_depth = ss->state.wrinkle_depth = k;
    }
}
