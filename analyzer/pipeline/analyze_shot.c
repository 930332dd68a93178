/* One photo through the pipeline: load, QC and register (pass 1); warp into
 * the measured patch, normalise light and colour, measure (pass 2). */
#define _POSIX_C_SOURCE 200809L
/* Messages are cut at their buffer size on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/parallel.h"
#include "metrics/chromophores.h"
#include "metrics/relief_mask.h"
#include "pipeline/analyze_int.h"
#include "series/load_image.h"
#include "simd/kernels.h"
#include "series/stages.h"

/* Linear-light luminance of a photo (Rec. 709 weights on decoded sRGB):
 * photometric stereo needs intensities proportional to irradiance. */
static int linear_luminance(const st_image *img, st_image **out, st_err *err)
{
    int rc = st_image_new(img->width, img->height, 1, out, err);
    for (int y = 0; !rc && y < img->height; y++) {
        float *o = st_image_row(*out, 0, y);
        for (int x = 0; x < img->width; x++) {
            double lin[3];
            for (int ch = 0; ch < 3; ch++) {
                double v = st_image_row(img, img->channels == 3 ? ch : 0, y)[x];
                lin[ch] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
            }
            o[x] = (float)st_luma709(lin[0], lin[1], lin[2]);
        }
    }
    return rc;
}

/* A stereo session: every lit photo, then the height map they give. */
static int load_stereo(analyze_ctx *c, size_t i, st_image **height, st_err *err)
{
    const st_series *s = &c->series;
    const st_scan_session *sc = &s->sessions[i];
    size_t n = sc->files.count;
    if (n < 3 || (size_t)sc->n_lights != n)
        return st_err_set(err, ST_EINVAL, "%s: a stereo session needs >= 3 photos, each with a light direction in series.json",
                          sc->files.items[0]);
    st_image **lum = calloc(n, sizeof *lum);
    if (!lum)
        return st_err_set(err, ST_ENOMEM, "out of memory");
    int rc = ST_OK;
    for (size_t k = 0; k < n && !rc; k++) {
        char path[8192];
        st_image *img = NULL;
        st_load_opts lo = {0};
        lo.max_pixels = c->opts->max_pixels;
        lo.max_memory = c->opts->max_memory;
        lo.bytes_per_pixel = ST_PIPELINE_BYTES_PER_PIXEL;
        snprintf(path, sizeof path, "%s/%s", s->dir, sc->files.items[k]);
        rc = st_image_load(path, &lo, &img, NULL, err);
        if (!rc)
            rc = linear_luminance(img, &lum[k], err);
        if (!rc && k > 0 && (lum[k]->width != lum[0]->width || lum[k]->height != lum[0]->height))
            rc = st_err_set(err, ST_EFORMAT, "%s: not the size of %s", sc->files.items[k], sc->files.items[0]);
        st_image_free(img);
    }
    if (!rc)
        rc = stg_photostereo((const st_image *const *)lum, (const double(*)[3])sc->lights, (int)n, s->pixel_mm,
                             c->opts->threads, height, err);
    for (size_t k = 0; k < n; k++)
        st_image_free(lum[k]);
    free(lum);
    return rc;
}

int shot_load(analyze_ctx *c, size_t i, size_t j, st_image **img, st_err *err)
{
    const st_series *s = &c->series;
    if (s->modality == ST_MODALITY_STEREO) {
        st_tick t0 = st_tick_now();
        int rc = load_stereo(c, i, img, err);
        ST_STAGE_ADD(c, load, t0);
        if (!rc)
            (*img)->pixel_mm = s->pixel_mm;
        return rc;
    }
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", s->dir, s->sessions[i].files.items[j]);
    st_tick t = st_tick_now();
    int rc = st_load_modality_image(path, s->modality, s->height_um_per_unit, c->opts->max_pixels,
                                    c->opts->max_memory, img, err);
    ST_STAGE_ADD(c, load, t);
    if (rc)
        return rc;
    (*img)->pixel_mm = s->pixel_mm;
    return ST_OK;
}

static void set_identity(double m[9])
{
    memset(m, 0, 9 * sizeof *m);
    m[0] = m[4] = m[8] = 1;
}

/* An error that stops the series (memory, bugs) versus one that fails a photo. */
static int fatal(int rc) { return rc == ST_ENOMEM || rc == ST_EINTERNAL; }

/* The largest photo kept from pass 1 for pass 2: 4 MP, 48 MB as float
 * RGB. A 12 MP one (144 MB) held through the baseline's measurement was
 * the run's peak memory; decoding it again costs ~0.1 s. */
#define HOLD_MAX_PIXELS 4000000u

/* A bare series of face photos (no roi; the landmarks find a face in the
 * baseline) is registered on the face's box only: the measured area lies on
 * the face, and a head that moved unlike the background (the chair, the
 * wall) must be followed, not the background (issue 19). Without a face
 * (skin close-ups, no dlib, no model) registration uses the whole frame. */
static int face_reg_box(analyze_ctx *c, st_err *err)
{
    memset(c->reg_box, 0, sizeof c->reg_box);
    if (c->series.has_roi || c->series.modality != ST_MODALITY_PHOTO || c->base->channels != 3)
        return ST_OK;
    char why[400];
    return st_face_box(c->base, c->opts->face_model, c->reg_box, why, sizeof why, err);
}

/* A fatal error while on photo j of session i: the message names the photo
 * ("out of memory" alone does not say which file was too much). */
static int fatal_on(const analyze_ctx *c, size_t i, size_t j, int rc, const char *msg, st_err *err)
{
    char why[ST_ERR_MSG_MAX];
    snprintf(why, sizeof why, "%s", msg);
    const char *file = c->series.modality == ST_MODALITY_STEREO ? "" : c->series.sessions[i].files.items[j];
    if (strstr(why, c->series.dir) || !file[0])
        return st_err_set(err, rc, "%s", why);
    return st_err_set(err, rc, "%s/%s: %s", c->series.dir, file, why);
}

static int register_one(analyze_ctx *c, size_t i, size_t j, shot_state *sh, st_err *err)
{
    st_image *img = NULL;
    st_err e = {0};
    int rc = shot_load(c, i, j, &img, &e);
    if (rc) {
        snprintf(sh->reason, sizeof sh->reason, "%s", e.msg);
        return fatal(rc) ? fatal_on(c, i, j, rc, e.msg, err) : ST_OK;
    }
    sh->w = img->width;
    sh->h = img->height;
    st_tick t = st_tick_now();
    rc = stg_quality(img, c->series.modality, c->base ? c->base_sharpness : 0.0, c->opts->threads,
                     &sh->quality, &sh->qmetrics, &e);
    ST_STAGE_ADD(c, quality, t);
    if (rc || !strcmp(sh->quality.status, "fail")) {
        /* A photo the checks cannot even measure (e.g. 1x1 pixel) fails
         * itself, not the series. */
        if (rc)
            snprintf(sh->reason, sizeof sh->reason, "%s", e.msg);
        else
            snprintf(sh->reason, sizeof sh->reason, "quality: %s",
                     sh->quality.messages.count ? sh->quality.messages.items[0] : "failed");
        st_image_free(img);
        return fatal(rc) ? fatal_on(c, i, j, rc, e.msg, err) : ST_OK;
    }
    rc = shot_find_chart(c, i, sh, img, err);
    if (rc) {
        st_image_free(img);
        return rc;
    }
    if (!c->base) {
        if (i > 0) {
            snprintf(sh->reason, sizeof sh->reason, "no usable baseline photo to register onto");
            st_image_free(img);
            return ST_OK;
        }
        c->base = img; /* the reference every session is registered onto */
        c->base_sharpness = sh->quality.sharpness;
        c->base_shot = j;
        c->frame_w = img->width;
        c->frame_h = img->height;
        set_identity(sh->matrix);
        sh->reg = (st_registration_info){"ok", "identity", {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 1, 1, ""};
        sh->ok = 1;
        t = st_tick_now();
        rc = face_reg_box(c, err);
        ST_STAGE_ADD(c, registration, t);
        ST_STAGE_ADD(c, face_area, t);
        return rc;
    }
    t = st_tick_now();
    if (c->reg_box[2])
        rc = stg_register_box(c->base, img, c->reg_box, c->series.modality, c->opts->threads, &sh->reg, err);
    else
        rc = stg_register(c->base, img, c->series.modality, c->opts->threads, &sh->reg, err);
    ST_STAGE_ADD(c, registration, t);
    if (rc || !strcmp(sh->reg.status, "fail")) {
        const char *why = rc ? err->msg : sh->reg.message;
        snprintf(sh->reason, sizeof sh->reason, "%s%s", strncmp(why, "registration: ", 14) ? "registration: " : "",
                 why);
        st_image_free(img);
        return fatal(rc) ? fatal_on(c, i, j, rc, err->msg, err) : ST_OK;
    }
    for (int k = 0; k < 9; k++)
        sh->matrix[k] = sh->reg.matrix[k / 3][k % 3];
    rc = shot_relate_light(c, sh, err);
    if (rc) {
        st_image_free(img);
        return rc;
    }
    sh->ok = 1;
    /* The automatic skin area is skin in every session: each session's own
     * glare, shadow or hair is cut out of it in build_roi. */
    if (!c->series.has_roi && c->series.modality == ST_MODALITY_PHOTO && img->channels == 3) {
        st_tick t = st_tick_now();
        rc = st_skin_lowres(img, &sh->skin, &sh->skin_f, err);
        ST_STAGE_ADD(c, roi, t); /* this session's part of the automatic patch */
        ST_STAGE_ADD(c, skin_mask, t);
        if (rc) {
            st_image_free(img);
            return rc;
        }
    }
    /* The last photo of pass 1 stays in memory (pass 2 measures it right
     * after the baseline, without a second decode) when it is small; any
     * other is released at once, so pass 1 holds only the baseline and the
     * photo being registered. */
    if (i + 1 == c->series.n_sessions && j + 1 == c->n_shots[i] &&
        (uint64_t)img->width * (uint64_t)img->height <= HOLD_MAX_PIXELS) {
        c->held = img;
        c->held_session = i;
        c->held_shot = j;
    } else {
        st_image_free(img);
    }
    return ST_OK;
}

/* Progress (st_analyze_opts.progress): two steps per photo, registered and
 * then measured; a stereo shot is every photo of its session at once. */
static void step_done(analyze_ctx *c, size_t i, size_t j)
{
    const st_scan_session *sc = &c->series.sessions[i];
    c->photos_done += c->series.modality == ST_MODALITY_STEREO ? sc->files.count : 1;
    if (c->opts->progress)
        c->opts->progress(c->opts->progress_ctx, c->photos_done, c->photos_total, sc->files.items[j]);
}

int shot_register_session(analyze_ctx *c, size_t i, st_err *err)
{
    const st_scan_session *sc = &c->series.sessions[i];
    /* A stereo session is one measurement made of all its photos. */
    size_t n = c->series.modality == ST_MODALITY_STEREO ? 1 : sc->files.count;
    c->shots[i] = calloc(n, sizeof **c->shots);
    if (!c->shots[i])
        return st_err_set(err, ST_ENOMEM, "out of memory");
    c->n_shots[i] = n;
    for (size_t j = 0; j < n; j++) {
        int rc = register_one(c, i, j, &c->shots[i][j], err);
        step_done(c, i, j);
        if (rc)
            return rc;
    }
    return ST_OK;
}

/* ---- pass 2 ------------------------------------------------------------ */

/* The photo of shot (i, j) warped into the patch's box. */
static int patch_of(analyze_ctx *c, size_t i, size_t j, st_image **out, st_err *err)
{
    const shot_state *sh = &c->shots[i][j];
    st_image *img = NULL;
    int own = 0, rc = ST_OK;
    if (i == 0 && j == c->base_shot) {
        img = c->base;
    } else if (c->held && c->held_session == i && c->held_shot == j) {
        img = c->held;
    } else {
        rc = shot_load(c, i, j, &img, err);
        own = 1;
    }
    if (rc)
        return rc;
    st_tick t = st_tick_now();
    rc = stg_warp_box(img, sh->matrix, c->box, c->opts->threads, out, err);
    ST_STAGE_ADD(c, warp, t);
    if (own)
        st_image_free(img);
    /* Neither the held photo nor the baseline's (a whole frame each) is
     * read again once warped: released before the patch is measured. */
    if (img == c->held) {
        st_image_free(c->held);
        c->held = NULL;
    } else if (img == c->base) {
        st_image_free(c->base);
        c->base = NULL;
    }
    return rc;
}

static unsigned char *mask_box(const analyze_ctx *c)
{
    int bw = c->box[2], bh = c->box[3];
    unsigned char *m = malloc((size_t)bw * bh);
    for (int y = 0; m && y < bh; y++)
        memcpy(m + (size_t)y * bw, c->mask.px + (size_t)(y + c->box[1]) * c->mask.w + c->box[0], (size_t)bw);
    return m;
}

/* The relief surface of a photo is its shading with a fixed mean over the
 * patch: relative contrast, so exposure (and an even change of pigment,
 * which the decomposition moves out of the shading anyway) does not read as
 * a change of relief. */
#define SHADING_MEAN 0.5

static void set_mean(st_image *img, const unsigned char *m, double target)
{
    double sum = 0;
    size_t n = 0;
    for (int y = 0; y < img->height; y++) {
        const float *row = st_image_row(img, 0, y);
        const unsigned char *mr = m + (size_t)y * img->width;
        double rs = 0;
        for (int x = 0; x < img->width; x++)
            if (mr[x]) {
                rs += row[x];
                n++;
            }
        sum += rs;
    }
    if (!n || sum <= 0)
        return;
    float g = (float)(target * (double)n / sum);
    for (int y = 0; y < img->height; y++) {
        float *row = st_image_row(img, 0, y);
        for (int x = 0; x < img->width; x++)
            row[x] *= g;
    }
}

/* Photo patch -> colour-corrected (where its photo had a chart), flattened
 * rgb (in place), its melanin, haemoglobin and shading (SPEC.md, "Colour"),
 * and the surface the relief is measured on: the shading. The correction
 * comes first: it is linear in light, the flattening is not. */
static int normalise(analyze_ctx *c, const shot_state *sh, st_image *patch, const unsigned char *m,
                     st_chromo *chromo, st_image **surface, st_err *err)
{
    st_tick t = st_tick_now(), part = t;
    int rc = shot_correct_colour(c, sh, patch, m, err);
    ST_STAGE_ADD(c, colour, part);
    part = st_tick_now();
    if (!rc)
        rc = stg_flatten(patch, c->frame_w, c->frame_h, c->opts->threads, err);
    ST_STAGE_ADD(c, flatten, part);
    part = st_tick_now();
    st_chromo_opts o = {m, 0, 0, c->opts->threads};
    if (!rc)
        rc = st_chromophores(patch, &o, chromo, err);
    ST_STAGE_ADD(c, chromo, part);
    if (!rc) {
        *surface = chromo->shading;
        chromo->shading = NULL; /* moved */
        set_mean(*surface, m, SHADING_MEAN);
    }
    ST_STAGE_ADD(c, normalise, t);
    return rc;
}

typedef struct measured {
    st_metric_set metrics;
    st_detections det;
    st_light_info light;
} measured;

/* SPEC.md, "Light (photos)": relief changes are compared only while the
 * lamp stays within this angle of the baseline's. Measured with
 * bench/bench_lamp_tolerance on generated skin (4 skins, lamp 40 deg off the
 * axis): a true azimuth turn of up to about 8.5 deg, which st_lamp_turn reads
 * as <= 7 deg and gives an angle between the directions <= 5 deg at the
 * assumed slant, kept roughness.sq within 2.0 % and scars.max_depth within
 * 3.5 %; 20 deg moved Sq by 4.6 % and scar depth by up to 100 %. The lamp's
 * elevation cannot be measured from a photo (a lower lamp and a deeper
 * relief shade alike): comparability assumes it unchanged.
 * The threshold is on the ESTIMATED angle, so it carries st_lamp_turn's
 * short read (issue #18, tests/unit/test_lamp_bias.c): the bench reads
 * 0.80 of the turn (2 skins: +10 deg read +8.0), the pipeline's shading
 * 0.77 on `skingen lamp` seeds 1-2 (+10 read +7.0/+7.2, angle 4.9/5.1 deg)
 * and 0.6-0.7 on the demo. 5 deg here is thus a true turn of about 9 deg
 * in the skin's frame; a fixed estimator needs about 6 deg (the angle of
 * an 8.5 deg turn at the assumed slant). The turn is the lamp's relative
 * to the skin (the baseline's frame): a camera turned with its lamp turns
 * the lamp over the skin too. */
#define RELIEF_LAMP_MAX_DEG 5.0

/* The lamp of photo (i, j) from its relief surface: the baseline's photo
 * gives the reference, each other photo its turn from it. A photo whose
 * lamp cannot be estimated (too small) has no `light`. */
static int estimate_light(analyze_ctx *c, size_t i, size_t j, const st_image *surface, const unsigned char *m,
                          st_light_info *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    st_err e = {0};
    st_lamp lamp;
    int rc;
    double angle = 0.0;
    if (i == 0 && j == c->base_shot) {
        rc = st_lamp_estimate(surface, m, 0, &lamp, &e);
        if (!rc) {
            c->base_lamp = lamp;
            st_tick t = st_tick_now();
            rc = st_image_clone(surface, &c->base_shading, &e);
            ST_STAGE_ADD(c, shading_copy, t);
        }
    } else if (c->base_shading) {
        rc = st_lamp_session(c->base_shading, &c->base_lamp, surface, m, 0, &lamp, &angle, &e);
    } else {
        return ST_OK;
    }
    if (rc == ST_ENOMEM)
        return st_err_set(err, rc, "%s", e.msg);
    if (rc)
        return ST_OK;
    out->present = 1;
    memcpy(out->direction, lamp.direction, sizeof out->direction);
    out->angle_to_baseline_deg = angle;
    out->relief_comparable = angle <= RELIEF_LAMP_MAX_DEG;
    return ST_OK;
}

/* Copies the wrinkles of src (with their paths) into t; none when out of
 * memory (a path that cannot be copied is left out: the line's end
 * points stand for it). */
static void copy_wrinkles(st_detections *t, const st_detections *src)
{
    if (!src->n_wrinkles || !(t->wrinkles = calloc(src->n_wrinkles, sizeof *t->wrinkles)))
        return;
    for (size_t k = 0; k < src->n_wrinkles; k++) {
        const st_wrinkle *w = &src->wrinkles[k];
        t->wrinkles[k] = *w;
        t->wrinkles[k].path = w->n_path ? malloc(2 * w->n_path * sizeof *w->path) : NULL;
        if (t->wrinkles[k].path)
            memcpy(t->wrinkles[k].path, w->path, 2 * w->n_path * sizeof *w->path);
        else
            t->wrinkles[k].n_path = 0;
    }
    t->n_wrinkles = src->n_wrinkles;
}

/* The baseline's pores and wrinkles in this session's patch pixels, for
 * the sessions after the baseline: the pores' sizes are followed where
 * they were found (st_detect_input.track_pores), and their contrast floors
 * are this session's (track_floor); on photos the fine lines' depth is
 * read along the baseline's lines (track_wrinkles). Empty otherwise or
 * when out of memory (the session's own detections then give the means). */
static st_detections baseline_tracks(const analyze_ctx *c, size_t i)
{
    st_detections t = {0};
    const st_session_result *b = &c->result.sessions[0];
    if (i == 0 || b->failed)
        return t;
    t.n_pore_floors = b->det.n_pore_floors;
    memcpy(t.pore_floor_sigma, b->det.pore_floor_sigma, sizeof t.pore_floor_sigma);
    memcpy(t.pore_floor, b->det.pore_floor, sizeof t.pore_floor);
    if (b->det.n_pores && (t.pores = malloc(b->det.n_pores * sizeof *t.pores))) {
        memcpy(t.pores, b->det.pores, b->det.n_pores * sizeof *t.pores);
        t.n_pores = b->det.n_pores;
    }
    copy_wrinkles(&t, &b->det);
    st_detections_offset(&t, -c->box[0], -c->box[1]);
    return t;
}

static int measure_one(analyze_ctx *c, size_t i, size_t j, const unsigned char *m, measured *out,
                       int want_tiles, int want_images, st_err *err)
{
    const st_series *s = &c->series;
    st_image *patch = NULL, *surface = NULL, *chromo_small[2] = {NULL, NULL};
    st_chromo chromo = {0};
    int rc = patch_of(c, i, j, &patch, err);
    if (!rc && s->modality == ST_MODALITY_PHOTO) {
        rc = normalise(c, &c->shots[i][j], patch, m, &chromo, &surface, err);
        /* The densities are only shown: reduced for images/ now and
         * released before the patch is measured (two planes of its size),
         * unless the maps are not reduced (factor 1: they would be three
         * times the planes' size). */
        st_tick t = st_tick_now();
        int show = !rc && want_images && !c->opts->no_images;
        if (show && image_factor(patch) > 1)
            rc = images_reduce_chromo(patch, &chromo, m, chromo_small, err);
        if (!show || chromo_small[0] || chromo_small[1] || rc)
            st_chromo_free(&chromo);
        ST_STAGE_ADD(c, images, t);
    } else if (!rc) {
        surface = patch; /* height maps are measured as they are, in µm */
        patch = NULL;
    }
    st_tick t = st_tick_now();
    if (!rc && s->modality == ST_MODALITY_PHOTO)
        rc = estimate_light(c, i, j, surface, m, &out->light, err);
    ST_STAGE_ADD(c, normalise, t);
    ST_STAGE_ADD(c, lamp, t); /* the shading copy included */
    t = st_tick_now();
    st_detections track = baseline_tracks(c, i);
    if (!rc)
        rc = stg_detect(patch, surface, m, s->modality, out->light.present ? out->light.direction : NULL,
                        c->opts->threads,
                        track.n_pores || track.n_pore_floors || track.n_wrinkles ? &track : NULL,
                        &out->metrics, &out->det,
                        c->res->times.detect_family, err);
    ST_STAGE_ADD(c, detect, t);
    t = st_tick_now();
    /* Photos: the relief is read between the pores (relief_mask.h), the
     * baseline's pores in every session, so the same skin is measured:
     * roughness.*, texture.* and the remodeling index's roughness tiles. */
    unsigned char *relief_m = NULL;
    if (!rc && s->modality == ST_MODALITY_PHOTO)
        rc = track.n_pores ? st_relief_mask(m, surface->width, surface->height, surface->pixel_mm, track.pores,
                                            track.n_pores, &relief_m, err)
                           : st_relief_mask(m, surface->width, surface->height, surface->pixel_mm, out->det.pores,
                                            out->det.n_pores, &relief_m, err);
    st_detections_clear(&track);
    if (!rc)
        rc = stg_surface(surface, relief_m ? relief_m : m, s->modality, c->opts->threads, &out->metrics,
                         want_images ? &c->result.sessions[i].psd : NULL, err);
    ST_STAGE_ADD(c, surface, t);
    if (!rc)
        st_detections_offset(&out->det, c->box[0], c->box[1]);
    t = st_tick_now();
    if (!rc && want_tiles) {
        st_tile_sums *ts = &c->tiles[i == 0 ? 0 : 1];
        st_tiles_free(ts);
        rc = st_tiles_compute(surface->data, surface->stride, relief_m ? relief_m : m, surface->width,
                              surface->height, c->box[0],
                              c->box[1], s->pixel_mm, &out->det, s->modality == ST_MODALITY_PHOTO, ts, err);
        if (!rc)
            rc = st_tiles_to_grid(ts, surface->unit == ST_UNIT_UM ? "um" : "rel",
                                  s->modality == ST_MODALITY_PHOTO ? "rel.mm2" : "mm3", &c->result.sessions[i].tiles, err);
    }
    ST_STAGE_ADD(c, tiles, t);
    t = st_tick_now();
    if (!rc && want_images && !c->opts->no_images) {
        if (chromo.melanin || chromo.haemoglobin) /* kept at factor 1 */
            rc = images_reduce_chromo(patch, &chromo, m, chromo_small, err);
        st_chromo_free(&chromo);
        if (!rc)
            rc = images_write_session(c, i, patch, surface, chromo_small, &out->det, err);
        /* An image that cannot be written (read-only folder, full disk) is no
         * fault of the photo: the run stops, and the metrics.json of an
         * earlier run stays as it was. */
        c->output_failed = rc != ST_OK;
    }
    ST_STAGE_ADD(c, images, t);
    st_chromo_free(&chromo);
    st_image_free(chromo_small[0]);
    st_image_free(chromo_small[1]);
    st_image_free(patch);
    st_image_free(surface);
    free(relief_m);
    return rc;
}

/* Session value = mean over its measured photos; spread = their SD. */
static int aggregate(st_session_result *sr, measured *ms, size_t n, st_err *err)
{
    const st_metric_set *first = &ms[0].metrics;
    double *v = malloc(n * sizeof *v);
    if (!v)
        return st_err_set(err, ST_ENOMEM, "out of memory");
    int rc = ST_OK;
    for (size_t k = 0; k < first->count && !rc; k++) {
        const st_metric *m = &first->items[k];
        size_t got = 0;
        for (size_t j = 0; j < n; j++) {
            const st_metric *o = st_metric_set_find(&ms[j].metrics, m->name);
            if (o)
                v[got++] = o->value;
        }
        double mean, sd;
        st_mean_sd(v, got, &mean, &sd);
        rc = st_metric_set_put(&sr->metrics, m->name, mean, m->unit, err);
        if (!rc && n > 1)
            rc = st_metric_set_put(&sr->spread, m->name, sd, m->unit, err);
    }
    free(v);
    st_metric_set_sort(&sr->metrics);
    st_metric_set_sort(&sr->spread);
    return rc;
}

static int copy_metrics(st_metric_set *dst, const st_metric_set *src, st_err *err)
{
    for (size_t k = 0; k < src->count; k++) {
        int rc = st_metric_set_put(dst, src->items[k].name, src->items[k].value, src->items[k].unit, err);
        if (rc)
            return rc;
    }
    return ST_OK;
}

static int keep_shots(st_session_result *sr, const st_scan_session *sc, shot_state *shots, size_t n,
                      measured *ms, size_t got, st_err *err)
{
    if (got < 2)
        return ST_OK;
    sr->shots = calloc(got, sizeof *sr->shots);
    if (!sr->shots)
        return st_err_set(err, ST_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t j = 0; j < n && k < got; j++) {
        if (!shots[j].ok)
            continue;
        snprintf(sr->shots[k].file, sizeof sr->shots[k].file, "%s", sc->files.items[j]);
        sr->shots[k].metrics = ms[k].metrics; /* ownership moves */
        memset(&ms[k].metrics, 0, sizeof ms[k].metrics);
        st_metric_set_sort(&sr->shots[k].metrics);
        k++;
    }
    sr->n_shots = got;
    return ST_OK;
}

int shot_measure_session(analyze_ctx *c, size_t i, st_err *err)
{
    const st_scan_session *sc = &c->series.sessions[i];
    st_session_result *sr = &c->result.sessions[i];
    size_t n = c->n_shots[i], got = 0;
    measured *ms = calloc(n, sizeof *ms);
    unsigned char *m = mask_box(c);
    int rc = (ms && m) ? ST_OK : st_err_set(err, ST_ENOMEM, "out of memory");
    for (size_t j = 0; j < n && !rc; j++) {
        if (!c->shots[i][j].ok) {
            step_done(c, i, j); /* not measured, but done: the count reaches its total */
            continue;
        }
        int first = got == 0;
        int tiles = first && (i == 0 || (int)i == c->remodel_session);
        rc = measure_one(c, i, j, m, &ms[got], tiles, first, err);
        if (!rc)
            rc = copy_metrics(&ms[got].metrics, &c->shots[i][j].qmetrics, err);
        if (rc && !fatal(rc) && !c->output_failed) {
            /* This photo cannot be measured; the session goes on without it. */
            snprintf(c->shots[i][j].reason, sizeof c->shots[i][j].reason, "measuring: %s", err->msg);
            c->shots[i][j].ok = 0;
            st_metric_set_clear(&ms[got].metrics);
            st_detections_clear(&ms[got].det);
            rc = ST_OK;
        } else if (!rc) {
            got++;
        } else if (fatal(rc)) {
            rc = fatal_on(c, i, j, rc, err->msg, err);
        }
        step_done(c, i, j);
    }
    if (!rc && got) {
        rc = aggregate(sr, ms, got, err);
        sr->light = ms[0].light;
        sr->det = ms[0].det;
        memset(&ms[0].det, 0, sizeof ms[0].det);
    }
    if (!rc)
        rc = keep_shots(sr, sc, c->shots[i], n, ms, got, err);
    for (size_t k = 0; ms && k < n; k++) {
        st_metric_set_clear(&ms[k].metrics);
        st_detections_clear(&ms[k].det);
    }
    free(ms);
    free(m);
    return rc;
}
