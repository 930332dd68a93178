/* The analyze pipeline (SPEC.md, "Outputs of analyze"): scan the folder;
 * pass 1 loads, checks and registers every photo onto the baseline, keeping
 * only matrices (and the latest photo); the ROI is then cut to what every
 * registered session sees; pass 2 measures each session inside it; then the
 * progress statistics and the outputs. Memory: the baseline photo plus at
 * most two full-resolution images (a loaded photo and its warped patch). */
#define _DEFAULT_SOURCE
/* Messages are cut at their buffer size on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "pipeline/analyze.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/fs.h"
#include "report/csv_writer.h"
#include "report/json_writer.h"
#include "report/report.h"
#include "pipeline/analyze_int.h"
#include "series/guidelines.h"
#include "series/stages.h"

#define MIN_VIEW_FRACTION 0.5 /* a photo must see half the ROI to be measured on it */

/* OUT must not be the series folder or inside it: input folders are never
 * written, not even an empty folder, so this is checked before creating OUT.
 * The run is written beside OUT and swapped in at the end
 * (series/run_folder.h): c->out is where the files go meanwhile. */
static int prepare_out(analyze_ctx *c, const char *dir, const char *out, st_err *err)
{
    char rd[PATH_MAX], ro[PATH_MAX], img[4200];
    if (!realpath(dir, rd) || st_path_resolve_future(out, ro))
        return st_err_set(err, ST_EIO, "%s: cannot resolve (%s)", out, strerror(errno));
    if (st_path_within(ro, rd))
        return st_err_set(err, ST_EINVAL, "%s: the output folder may not lie inside the series folder %s", out, dir);
    int rc = st_run_folder_open(&c->folder, out, err);
    if (rc)
        return rc;
    snprintf(c->out, sizeof c->out, "%s", c->folder.stage);
    snprintf(img, sizeof img, "%s/images", c->out);
    return c->opts->no_images ? ST_OK : st_mkdir_p(img, err);
}

static const shot_state *first_ok(const analyze_ctx *c, size_t i)
{
    for (size_t j = 0; j < c->n_shots[i]; j++)
        if (c->shots[i][j].ok)
            return &c->shots[i][j];
    return NULL;
}

/* Session status, registration and quality once both passes are done: the
 * first photo that got through speaks for the session; a session none of
 * whose photos got through is failed, with the first photo's reason. */
static void settle_session(analyze_ctx *c, size_t i)
{
    st_session_result *sr = &c->result.sessions[i];
    shot_state *shown = (shot_state *)first_ok(c, i);
    if (!shown) {
        shown = &c->shots[i][0];
        for (size_t j = 0; j < c->n_shots[i]; j++)
            if (c->shots[i][j].reason[0]) {
                shown = &c->shots[i][j];
                break;
            }
        sr->failed = 1;
        snprintf(sr->reason, sizeof sr->reason, "%s: %s",
                 c->series.sessions[i].files.items[shown - c->shots[i]], shown->reason);
    }
    sr->reg = shown->reg;
    if (!sr->reg.status[0]) {
        strcpy(sr->reg.status, sr->failed ? "fail" : "ok");
        strcpy(sr->reg.model, "none");
    }
    sr->quality = shown->quality;
    memset(&shown->quality.messages, 0, sizeof shown->quality.messages); /* moved */
    shot_colour_info(c, shown, &sr->colour);
    if (!sr->quality.status[0])
        strcpy(sr->quality.status, "fail");
}

static int note(analyze_ctx *c, st_err *err, const char *text)
{
    int rc = st_strlist_add(&c->series.notes, text, err);
    return rc ? rc : st_strlist_add(&c->res->notes, text, err);
}

/* The automatic patch of a photo: the named face area when series.json's
 * `area` is one and the landmarks find it, else the skin area (roi.h). */
static int auto_roi(analyze_ctx *c, st_err *err)
{
    const st_series *s = &c->series;
    char canon[32], why[400] = "";
    int rc = ST_OK, no_face = 0;
    st_tick t = st_tick_now();
    if (s->area[0] && st_face_area_name(s->area, canon)) {
        rc = st_face_area(c->base, s->area, c->opts->face_model, &c->mask, NULL, why, sizeof why, err);
        if (!rc && c->mask.px) {
            ST_STAGE_ADD(c, face_area, t);
            snprintf(c->result.roi_source, sizeof c->result.roi_source, "face:%s", canon);
            c->roi_by_face = 1;
            return ST_OK;
        }
        if (!rc) {
            char text[600];
            snprintf(text, sizeof text, "area '%s': %s; the automatic skin area is measured instead", s->area, why);
            rc = note(c, err, text);
        }
        no_face = !strncmp(why, ST_FACE_NO_LANDMARKS, strlen(ST_FACE_NO_LANDMARKS));
    }
    /* A face in the photo: its own skin colour is the reference (a beige
     * wall or a tan suit passes the generic skin-colour box). Not looked
     * for again when the named area found no landmarks in this photo. */
    if (!rc && !no_face)
        rc = st_face_skin_mask(c->base, c->opts->face_model, &c->mask, why, sizeof why, err);
    ST_STAGE_ADD(c, face_area, t);
    if (!rc && c->mask.px && st_mask_count(&c->mask)) {
        snprintf(c->result.roi_source, sizeof c->result.roi_source, "auto");
        c->roi_by_face = 1;
        return ST_OK;
    }
    st_mask_free(&c->mask);
    const char *note_text = NULL;
    t = st_tick_now();
    if (!rc)
        rc = st_skin_mask(c->base, &c->mask, &note_text, c->opts->threads, err);
    ST_STAGE_ADD(c, skin_mask, t);
    if (!rc && note_text)
        rc = note(c, err, note_text);
    snprintf(c->result.roi_source, sizeof c->result.roi_source, "auto");
    return rc;
}

/* The ROI in baseline pixels, cut to what every registered photo sees; a
 * photo that sees less than MIN_VIEW_FRACTION of it is failed instead. */
static int build_roi(analyze_ctx *c, st_err *err)
{
    const st_series *s = &c->series;
    int rc;
    if (s->has_roi) {
        const char *base_file = s->sessions[0].files.items[c->base_shot];
        snprintf(c->result.roi_source, sizeof c->result.roi_source, "%s", s->roi_from_option ? "option" : "manifest");
        rc = st_mask_from_rect(c->base->width, c->base->height, s->roi, &c->mask, err);
        if (rc) {
            char why[ST_ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err->msg);
            return st_err_set(err, rc, "%s/%s: %s", s->dir, base_file, why);
        }
        /* A baseline smaller than the ROI: measured on the part inside it,
         * and said so (the patch is smaller than the one asked for). */
        if ((long)s->roi[0] + s->roi[2] > c->base->width || (long)s->roi[1] + s->roi[3] > c->base->height) {
            char text[600];
            snprintf(text, sizeof text, "%s: roi %d,%d,%d,%d reaches past the %dx%d baseline image; measured on "
                     "the part inside it", base_file, s->roi[0], s->roi[1], s->roi[2], s->roi[3],
                     c->base->width, c->base->height);
            rc = note(c, err, text);
        }
    } else if (s->modality == ST_MODALITY_PHOTO) {
        rc = auto_roi(c, err);
    } else {
        int whole[4] = {0, 0, c->base->width, c->base->height};
        snprintf(c->result.roi_source, sizeof c->result.roi_source, "auto");
        rc = st_mask_from_rect(c->base->width, c->base->height, whole, &c->mask, err);
    }
    if (!rc)
        rc = roi_cut_charts(c, err);
    if (rc)
        return rc;
    st_mask trial;
    rc = st_mask_new(c->mask.w, c->mask.h, &trial, err);
    for (size_t i = 0; i < s->n_sessions && !rc; i++)
        for (size_t j = 0; j < c->n_shots[i]; j++) {
            shot_state *sh = &c->shots[i][j];
            if (!sh->ok || (i == 0 && j == c->base_shot))
                continue;
            size_t before = st_mask_count(&c->mask);
            memcpy(trial.px, c->mask.px, (size_t)c->mask.w * c->mask.h);
            /* 2 px: the reach of the bicubic kernel past the last pixel */
            st_mask_cut_to_view(&trial, sh->matrix, sh->w, sh->h, 2.0);
            size_t after = st_mask_count(&trial);
            if ((double)after < MIN_VIEW_FRACTION * (double)before) {
                sh->ok = 0;
                snprintf(sh->reason, sizeof sh->reason, "registration: sees only %.0f %% of the ROI",
                         before ? 100.0 * (double)after / (double)before : 0.0);
                continue;
            }
            memcpy(c->mask.px, trial.px, (size_t)c->mask.w * c->mask.h);
        }
    st_mask_free(&trial);
    for (size_t i = 0; i < s->n_sessions && !rc; i++)
        for (size_t j = 0; j < c->n_shots[i]; j++) {
            shot_state *sh = &c->shots[i][j];
            /* (a face's patch was found with the face's own colour as the
             * reference; the sessions' generic skin test has none) */
            if (sh->ok && sh->skin.px && !c->roi_by_face)
                st_mask_cut_to_skin(&c->mask, sh->matrix, &sh->skin, sh->skin_f);
            st_mask_free(&sh->skin);
        }
    /* An automatic patch stays one region after the charts and the views
     * are cut out of it, and keeps the bicubic kernel's reach (2 px) from
     * every cut, so no measured pixel is interpolated across a border. */
    if (!rc && !s->has_roi && s->modality == ST_MODALITY_PHOTO) {
        rc = st_mask_erode(&c->mask, 2, err);
        if (!rc)
            rc = st_mask_keep_largest(&c->mask, err);
    }
    if (!rc && st_mask_bbox(&c->mask, c->box))
        rc = st_err_set(err, ST_EINVAL, "%s: the ROI is empty", s->dir);
    if (!rc) {
        c->result.has_roi = 1;
        memcpy(c->result.roi, c->box, sizeof c->box);
    }
    if (!rc && !c->opts->no_images)
        rc = images_write_area(c, err);
    return rc;
}

/* Quality and registration warnings and failures, in session order. */
static int warning_flags(analyze_ctx *c, st_err *err)
{
    int rc = ST_OK;
    for (size_t i = 0; i < c->result.n_sessions && !rc; i++) {
        const st_session_result *sr = &c->result.sessions[i];
        const char *f = c->series.sessions[i].files.items[0];
        if (sr->failed) {
            rc = st_strlist_addf(&c->result.flags, err, "session %zu failed and is left out of the trend: %s", i,
                                 sr->reason);
            continue;
        }
        if (!strcmp(sr->reg.status, "warn"))
            rc = st_strlist_addf(&c->result.flags, err, "session %zu (%s): registration: %s", i, f, sr->reg.message);
        for (size_t k = 0; !rc && !strcmp(sr->quality.status, "warn") && k < sr->quality.messages.count; k++)
            rc = st_strlist_addf(&c->result.flags, err, "session %zu (%s): quality: %s", i, f,
                                 sr->quality.messages.items[k]);
        for (size_t j = 0; !rc && j < c->n_shots[i]; j++)
            if (!c->shots[i][j].ok && c->shots[i][j].reason[0])
                rc = st_strlist_addf(&c->result.flags, err, "session %zu: photo %s left out: %s", i,
                                     c->series.sessions[i].files.items[j], c->shots[i][j].reason);
    }
    return rc;
}

/* The remodeling index between the baseline and the latest measured session. */
static void remodel(analyze_ctx *c)
{
    int k = c->result.remodel_session;
    if (k < 0 || k != c->remodel_session || !c->tiles[0].n || c->tiles[0].n != c->tiles[1].n)
        return;
    const st_tile_sums *b = &c->tiles[0], *s = &c->tiles[1];
    st_remodel_input in = {0};
    /* Tiles valid in both (the same patch, so the same set unless a
     * detector left a tile out). */
    size_t n = 0;
    double *buf = malloc(4 * ST_FAM_COUNT * b->n * sizeof *buf);
    if (!buf)
        return;
    for (int f = 0; f < ST_FAM_COUNT; f++) {
        double *p = buf + (size_t)4 * f * b->n;
        n = 0;
        for (size_t t = 0; t < b->n; t++) {
            if (!b->valid[t] || !s->valid[t])
                continue;
            p[n] = b->fam_num[f][t];
            p[b->n + n] = s->fam_num[f][t];
            p[2 * b->n + n] = b->fam_den[f][t];
            p[3 * b->n + n] = s->fam_den[f][t];
            n++;
        }
        in.fam[f] = (st_family_tiles){c->fam_present[f], {p, p + b->n}, {p + 2 * b->n, p + 3 * b->n},
                                      f == ST_FAM_ROUGHNESS};
    }
    in.n_tiles = n;
    if (st_remodel_index(&in, &c->result.remodel))
        c->result.remodel.valid = 0;
    free(buf);
}

/* A family takes part in the index when both sessions measured it and its
 * change is not withheld (e.g. relief under a moved lamp; scar depth where
 * a scar's wall is in the lamp's shadow: the scar key is a volume; photo
 * scars found that are not the baseline's, which withholds the volume with
 * the count, series/result.c). */
static void families_present(analyze_ctx *c)
{
    static const char *key[ST_FAM_COUNT] = {NULL, "pores.count", "scars.count", "wrinkles.length_mm_cm2"};
    static const char *change_key[ST_FAM_COUNT] = {"roughness.sq", "pores.mean_diameter_mm", "scars.volume",
                                                   "wrinkles.length_mm_cm2"};
    int k = c->result.remodel_session;
    for (int f = 0; f < ST_FAM_COUNT; f++)
        c->fam_present[f] = k > 0 && (!key[f] || (st_metric_set_find(&c->result.sessions[0].metrics, key[f]) &&
                                                  st_metric_set_find(&c->result.sessions[k].metrics, key[f]))) &&
                            !st_withheld_reason(&c->result.sessions[k], change_key[f]);
}

static int progress_and_flags(analyze_ctx *c, st_err *err)
{
    int rc = st_series_progress(&c->result, err);
    families_present(c);
    remodel(c);
    if (!rc)
        rc = st_guideline_flags(&c->series, &c->result.flags, err);
    if (!rc)
        rc = warning_flags(c, err);
    return rc;
}

static int write_outputs(analyze_ctx *c, st_err *err)
{
    char path[4200];
    st_tick t = st_tick_now();
    snprintf(path, sizeof path, "%s/metrics.json", c->out);
    int rc = st_metrics_json_write(&c->result, path, err);
    if (!rc) {
        snprintf(path, sizeof path, "%s/metrics.csv", c->out);
        rc = st_metrics_csv_write(&c->result, path, err);
    }
    ST_STAGE_ADD(c, write, t);
    t = st_tick_now();
    /* The report is rendered from the metrics.json just written, so what the
     * clinician reads is exactly what the data files say. */
    if (!rc && !c->opts->no_report) {
        st_report_opts ro = {c->opts->run_date};
        rc = st_report_write_opts(c->out, &ro, err);
    }
    ST_STAGE_ADD(c, report, t);
    if (!rc)
        rc = st_run_folder_publish(&c->folder, &c->result, !c->opts->no_report, &c->res->notes, err);
    return rc;
}

static void fill_result(analyze_ctx *c)
{
    st_pipeline_result *r = c->res;
    st_err e;
    r->n_sessions = c->result.n_sessions;
    for (size_t i = 0; i < c->result.n_sessions; i++) {
        const st_session_result *sr = &c->result.sessions[i];
        for (size_t j = 0; j < c->n_shots[i]; j++)
            r->n_photos += c->shots[i][j].ok;
        if (sr->failed) {
            r->n_failed++;
            st_strlist_addf(&r->failures, &e, "session %zu: %s", i, sr->reason);
        }
    }
}

static void ctx_free(analyze_ctx *c)
{
    for (size_t i = 0; c->shots && i < c->n_shot_rows; i++) {
        for (size_t j = 0; c->shots[i] && j < c->n_shots[i]; j++) {
            st_strlist_free(&c->shots[i][j].quality.messages);
            st_chart_light_free(&c->shots[i][j].chart_light);
            st_light_grid_free(&c->shots[i][j].light_grid);
            st_metric_set_clear(&c->shots[i][j].qmetrics);
            st_mask_free(&c->shots[i][j].skin);
        }
        free(c->shots[i]);
    }
    free(c->shots);
    free(c->n_shots);
    st_series_result_free(&c->result);
    st_series_free(&c->series);
    st_image_free(c->base);
    st_image_free(c->held);
    st_mask_free(&c->mask);
    st_image_free(c->base_small);
    st_image_free(c->base_shading);
    st_tiles_free(&c->tiles[0]);
    st_tiles_free(&c->tiles[1]);
}

static int setup(analyze_ctx *c, const char *dir, const char *out, st_err *err)
{
    st_tick t = st_tick_now();
    int rc = st_series_scan(dir, &c->opts->ov, &c->series, err);
    ST_STAGE_ADD(c, scan, t);
    if (rc)
        return rc;
    if (out)
        rc = prepare_out(c, c->series.dir, out, err);
    if (!rc)
        rc = st_strlist_extend(&c->res->notes, &c->series.notes, err);
    if (!rc)
        rc = st_series_hints(&c->series, &c->res->notes, err);
    size_t n = c->series.n_sessions;
    c->shots = calloc(n, sizeof *c->shots);
    c->n_shots = calloc(n, sizeof *c->n_shots);
    c->n_shot_rows = c->shots ? n : 0;
    c->result.sessions = calloc(n, sizeof *c->result.sessions);
    if (!rc && (!c->shots || !c->n_shots || !c->result.sessions))
        rc = st_err_set(err, ST_ENOMEM, "out of memory");
    if (rc)
        return rc;
    c->result.series = &c->series;
    c->result.n_sessions = n;
    c->result.remodel_session = -1;
    for (size_t i = 0; i < n; i++) {
        c->result.sessions[i].scan = &c->series.sessions[i];
        c->photos_total += 2 * c->series.sessions[i].files.count; /* see step_done */
    }
    return ST_OK;
}

static int run(analyze_ctx *c, st_err *err)
{
    size_t n = c->series.n_sessions;
    int rc = ST_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = shot_register_session(c, i, err);
    if (!rc && c->base) {
        st_tick t = st_tick_now();
        rc = build_roi(c, err);
        ST_STAGE_ADD(c, roi, t);
    }
    c->remodel_session = -1;
    for (size_t i = n; i-- > 1;)
        if (first_ok(c, i)) {
            c->remodel_session = (int)i;
            break;
        }
    /* Pass 2 order: the baseline (the colour reference and the first tiles),
     * then the session whose photo is still in memory, then the rest; the
     * baseline photo is released once measured. Results do not depend on
     * the order: each session's values go to its own slot. */
    if (!rc && c->base && first_ok(c, 0))
        rc = shot_measure_session(c, 0, err);
    st_image_free(c->base);
    c->base = NULL;
    size_t held = c->held ? c->held_session : 0;
    if (!rc && held > 0 && first_ok(c, held))
        rc = shot_measure_session(c, held, err);
    for (size_t i = 1; i < n && !rc && c->mask.px; i++)
        if (i != held && first_ok(c, i))
            rc = shot_measure_session(c, i, err);
    for (size_t i = 0; i < n && c->shots[i]; i++)
        settle_session(c, i);
    if (!rc)
        rc = progress_and_flags(c, err);
    return rc;
}

int st_pipeline_run(const char *dir, const char *out, const st_pipeline_opts *opts,
                    st_pipeline_result *result, st_pipeline_kept *kept, st_err *err)
{
    static const st_pipeline_opts defaults;
    st_pipeline_opts quiet;
    st_pipeline_result local;
    analyze_ctx c;
    memset(&c, 0, sizeof c);
    c.opts = opts ? opts : &defaults;
    if (!out) { /* write nothing */
        quiet = *c.opts;
        quiet.no_images = quiet.no_report = 1;
        c.opts = &quiet;
    }
    c.res = result ? result : &local;
    memset(c.res, 0, sizeof *c.res);
    if (kept)
        memset(kept, 0, sizeof *kept);
    st_tick t0 = st_tick_now();
    int rc = setup(&c, dir, out, err);
    if (!rc)
        rc = run(&c, err);
    if (!rc && out)
        rc = write_outputs(&c, err);
    if (rc && out) { /* OUT as it was; messages name OUT, not the stage */
        st_run_folder_name_out(&c.folder, err);
        st_run_folder_abort(&c.folder);
    }
    if (!rc)
        fill_result(&c);
    ST_STAGE_ADD(&c, total, t0);
    if (!rc && kept) { /* moved out: ctx_free leaves them alone */
        kept->series = c.series;
        kept->result = c.result;
        kept->result.series = &kept->series;
        memset(&c.series, 0, sizeof c.series);
        memset(&c.result, 0, sizeof c.result);
    }
    ctx_free(&c);
    if (!result)
        st_pipeline_result_free(&local);
    return rc;
}

void st_pipeline_result_free(st_pipeline_result *r)
{
    st_strlist_free(&r->failures);
    st_strlist_free(&r->notes);
}

void st_pipeline_kept_free(st_pipeline_kept *k)
{
    st_series_result_free(&k->result);
    st_series_free(&k->series);
}
