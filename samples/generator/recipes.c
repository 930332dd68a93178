/* Demo recipes: every number here is part of the ground truth written to
 * truth.json, so the series are documented by their own files. */
#include "recipes.h"

#include <math.h>
#include <string.h>

/* A session's camera: a move of the camera (session -> baseline), a light
 * from azimuth az (0 = from the right, 90 = from below) at `slant` off the
 * axis, a colour cast and an exposure. */
static void camera_move(skingen_camera *c, int w, int h, uint64_t seed, double dx, double dy,
                        double rot, double scale, double px, double py, double az, double slant)
{
    skingen_camera_default(c, w, h, seed);
    skingen_matrix_camera(c->matrix, w, h, dx, dy, rot, scale, px, py);
    double a = az * M_PI / 180.0, s = slant * M_PI / 180.0;
    c->light[0] = sin(s) * cos(a);
    c->light[1] = sin(s) * sin(a);
    c->light[2] = cos(s);
}

static void set_cast(skingen_camera *c, double exposure, double r, double b, double gx, double gy)
{
    c->exposure = exposure;
    c->wb[0] = r;
    c->wb[2] = b;
    c->gradient[0] = gx;
    c->gradient[1] = gy;
}

static void set_state(skingen_state *s, double relief, double scar, double pore, double wrinkle,
                      double spots, double redness)
{
    skingen_state_baseline(s);
    s->relief = relief;
    s->scar_depth = scar;
    s->pore_size = pore;
    s->wrinkle_depth = wrinkle;
    s->spots = spots;
    s->redness = redness;
}

static void treatment(skingen_session_spec *s, int day, const char *setting, double needle)
{
    s->day = day;
    s->setting = setting;
    s->needle_mm = needle;
}

void recipe_photo_course(skingen_series_spec *s, int w, int h, double px, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->patient = "P-0042";
    s->area = "left cheek";
    s->start_date = "2026-01-05";
    s->modality = SKINGEN_PHOTO;
    s->write_series_json = 1;
    s->jpeg_quality = 88;
    skingen_params_default(&s->skin, seed, w, h, px);
    s->skin.chromo.enabled = 1; /* spectral melanin/haemoglobin skin: colour truth */
    s->series_chart = 1;        /* series.json names the chart's patch pitch */
    s->skin.chart.enabled = 1;
    /* the card keeps its share of the frame (3.4 mm patches on an 80 mm wide
     * field), so it stays right of the ROI (x >= 0.67 w) at any size */
    s->skin.chart.patch_mm = 3.4 * (w * px / 80.0);
    double cw, ch;
    skingen_chart_size(&s->skin.chart, px, &cw, &ch);
    s->skin.chart.x = w - cw - 0.02 * w;
    s->skin.chart.y = h - ch - 0.025 * h;
    /* ROI: the upper-left skin, clear of the chart and of the camera moves */
    s->roi[0] = (int)(0.15 * w);
    s->roi[1] = (int)(0.15 * h);
    s->roi[2] = (int)(0.5 * w);
    s->roi[3] = (int)(0.5 * h);
    s->n_sessions = 4;
    double k = w / 1600.0; /* moves scale with the frame */
    skingen_session_spec *ss = s->sessions;
    camera_move(&ss[0].camera, w, h, seed + 100, 0, 0, 0, 1, 0, 0, 225, 40);
    set_state(&ss[0].state, 1, 1, 1, 1, 1, 1);
    treatment(&ss[0], 0, "professional", 1.5);
    camera_move(&ss[1].camera, w, h, seed + 101, 34 * k, -21 * k, 2.0, 1.03, 6e-6 / k, -4e-6 / k, 215, 38);
    set_cast(&ss[1].camera, 1.08, 1.06, 0.92, 0.10, -0.06);
    set_state(&ss[1].state, 0.93, 0.88, 0.95, 0.92, 0.93, 1.6);
    ss[1].state.haemoglobin = 1.2; /* still flushed from the last session */
    ss[1].state.melanin = 0.97;
    treatment(&ss[1], 35, "professional", 1.5);
    camera_move(&ss[2].camera, w, h, seed + 102, -41 * k, 27 * k, -2.6, 0.97, -5e-6 / k, 7e-6 / k, 235, 43);
    set_cast(&ss[2].camera, 0.92, 0.94, 1.08, -0.08, 0.05);
    set_state(&ss[2].state, 0.87, 0.77, 0.91, 0.85, 0.86, 1.1);
    ss[2].state.melanin = 0.93; /* pigmentation evening out */
    treatment(&ss[2], 70, "professional", 1.5);
    camera_move(&ss[3].camera, w, h, seed + 103, 17 * k, 29 * k, 1.1, 1.015, 3e-6 / k, 3e-6 / k, 222, 41);
    set_cast(&ss[3].camera, 1.0, 1.03, 0.97, 0.04, 0.08);
    set_state(&ss[3].state, 0.82, 0.68, 0.88, 0.80, 0.80, 0.85);
    ss[3].state.melanin = 0.9;
    ss[3].state.haemoglobin = 0.95;
    treatment(&ss[3], 105, "professional", 1.5);
}

void recipe_height_scars(skingen_series_spec *s)
{
    memset(s, 0, sizeof *s);
    s->patient = "P-0107";
    s->area = "right cheek, acne scars";
    s->start_date = "2026-02-02";
    s->modality = SKINGEN_HEIGHT;
    s->write_series_json = 1;
    s->height_um_per_unit = 0.02;
    s->height_offset_um = 1000.0;
    int w = 800, h = 800;
    skingen_params_default(&s->skin, 7, w, h, 0.04);
    s->skin.n_scars = 9;
    s->skin.n_pores = 250;
    s->roi[0] = 80, s->roi[1] = 80, s->roi[2] = 640, s->roi[3] = 640;
    s->n_sessions = 3;
    skingen_session_spec *ss = s->sessions;
    static const double scar[3] = {1.0, 0.8, 0.66}, relief[3] = {1.0, 0.94, 0.9};
    static const double move[3][3] = {{0, 0, 0}, {12, -9, 1.5}, {-10, 14, -1.2}};
    for (int i = 0; i < 3; i++) {
        camera_move(&ss[i].camera, w, h, 700 + (uint64_t)i, move[i][0], move[i][1], move[i][2], 1,
                    0, 0, 0, 0);
        set_state(&ss[i].state, relief[i], scar[i], 1.0 - 0.04 * i, 1.0 - 0.08 * i, 1, 1);
        treatment(&ss[i], 42 * i, "professional", 2.0);
    }
}

void recipe_stereo(skingen_series_spec *s) { recipe_stereo_course(s, 11, 3); }

void recipe_stereo_course(skingen_series_spec *s, uint64_t seed, int n_sessions)
{
    memset(s, 0, sizeof *s);
    s->patient = "P-0201";
    s->area = "forehead";
    s->start_date = "2026-03-02";
    s->modality = SKINGEN_STEREO;
    s->write_series_json = 1;
    int w = 480, h = 480;
    skingen_params_default(&s->skin, seed, w, h, 0.05);
    s->skin.n_scars = 3;
    s->roi[0] = 40, s->roi[1] = 40, s->roi[2] = 400, s->roi[3] = 400;
    s->n_lights = 4;
    static const double l[4][3] = {{0.5, 0, 0.8660254037844386}, {0, 0.5, 0.8660254037844386},
                                   {-0.5, 0, 0.8660254037844386}, {0, -0.5, 0.8660254037844386}};
    memcpy(s->lights, l, sizeof l);
    s->n_sessions = n_sessions < 1 ? 1 : (n_sessions > 4 ? 4 : n_sessions);
    skingen_session_spec *ss = s->sessions;
    static const double move[4][3] = {{0, 0, 0}, {6, -4, 0.8}, {-5, 7, -0.6}, {4, 6, 1.1}};
    for (int i = 0; i < s->n_sessions; i++) {
        camera_move(&ss[i].camera, w, h, 100 * seed + (uint64_t)i, move[i][0], move[i][1],
                    move[i][2], 1, 0, 0, 0, 0);
        ss[i].camera.noise = 0.002;
        ss[i].camera.shot_noise = 0.006;
        set_state(&ss[i].state, 1.0 - 0.07 * i, 1.0 - 0.15 * i, 1.0 - 0.05 * i, 1.0 - 0.1 * i, 1, 1);
        treatment(&ss[i], 35 * i, "professional", 1.0);
    }
}

void recipe_stereo_light_change(skingen_series_spec *s)
{
    static const double power[4] = {1.0, 0.82, 1.15, 0.9}, red[4] = {1.0, 1.05, 0.95, 1.02},
                        blue[4] = {1.0, 0.95, 1.06, 0.98};
    for (int i = 0; i < s->n_sessions && i < 4; i++)
        set_cast(&s->sessions[i].camera, power[i], red[i], blue[i], 0.0, 0.0);
}

void recipe_bad_session(skingen_series_spec *s)
{
    memset(s, 0, sizeof *s);
    s->patient = "P-0333";
    s->area = "left cheek";
    s->start_date = "2026-01-12";
    s->modality = SKINGEN_PHOTO;
    s->write_series_json = 1;
    s->jpeg_quality = 85;
    int w = 1200, h = 900;
    skingen_params_default(&s->skin, 99, w, h, 0.05);
    s->skin.ita_deg = 22.0; /* a darker (tan) skin */
    s->skin.base_b = 19.0;
    s->roi[0] = 200, s->roi[1] = 150, s->roi[2] = 800, s->roi[3] = 600;
    s->n_sessions = 4;
    skingen_session_spec *ss = s->sessions;
    static const double move[4][4] = {{0, 0, 0, 1}, {20, 12, 1.5, 1.02}, {-15, 18, -1, 0.99},
                                      {10, -10, 0.5, 1.0}};
    for (int i = 0; i < 4; i++) {
        camera_move(&ss[i].camera, w, h, 9900 + (uint64_t)i, move[i][0], move[i][1], move[i][2],
                    move[i][3], 0, 0, 225, 40);
        set_state(&ss[i].state, 1.0 - 0.05 * i, 1.0 - 0.1 * i, 1.0 - 0.03 * i, 1.0 - 0.05 * i,
                  1.0, 1.0);
        treatment(&ss[i], 35 * i, "professional", 1.5);
    }
    ss[2].defect = SKINGEN_BLURRED;
    ss[3].defect = SKINGEN_OTHER;
}
