/* Colour per photo (SPEC.md, "Colour"): the ColorChecker in each photo is
 * found in pass 1 on the full frame, its correction fitted to the chart's
 * published values and applied to the photo's patch in pass 2, before any
 * colour metric. There is no matching of one session's colour to another's:
 * that would erase the very changes of redness and pigment being measured.
 * A photo without a usable chart stays uncalibrated, and st_series_progress
 * withholds its colour changes. */
#define _DEFAULT_SOURCE
/* Messages are cut at their buffer size on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "register/register.h"
#include "pipeline/analyze_int.h"

/* A chart is cut out of the measured patch with this much of its pitch
 * around the patches' box: the card's border and its shadow. */
#define CHART_MARGIN_PITCH 0.75

int shot_find_chart(analyze_ctx *c, size_t i, shot_state *sh, st_image *img, st_err *err)
{
    st_series *s = &c->series;
    if (s->modality != ST_MODALITY_PHOTO || img->channels != 3)
        return ST_OK;
    st_tick t = st_tick_now();
    st_err e = {0};
    int rc = st_colorchart_detect(img, &sh->chart, &e);
    ST_STAGE_ADD(c, normalise, t);
    ST_STAGE_ADD(c, chart, t);
    if (rc == ST_ENOMEM)
        return st_err_set(err, rc, "%s", e.msg);
    if (rc) {
        /* the detector failed on this photo: it is measured uncalibrated */
        memset(&sh->chart, 0, sizeof sh->chart);
        snprintf(sh->colour_note, sizeof sh->colour_note, "%s", e.msg);
        return ST_OK;
    }
    if (!sh->chart.found) {
        snprintf(sh->colour_note, sizeof sh->colour_note, "no colour chart found in the photo");
        return ST_OK;
    }
    if (!s->colour_fixed) {
        if (st_colorchart_fit_robust(&sh->chart, &e))
            snprintf(sh->colour_note, sizeof sh->colour_note, "%s", e.msg);
        else
            sh->chart_fitted = 1;
    }
    if (sh->chart_fitted) {
        double margin = CHART_MARGIN_PITCH * st_colorchart_pitch_px(&sh->chart);
        t = st_tick_now();
        rc = st_light_grid_new(img, sh->chart.box, margin, &sh->light_grid, err);
        if (!rc && i == 0 && !c->base)
            rc = st_chart_light_new(&sh->light_grid, sh->chart.box, &sh->chart_light, err);
        ST_STAGE_ADD(c, normalise, t);
        ST_STAGE_ADD(c, light_grid, t);
        if (rc)
            return rc;
    }
    /* The baseline's chart sets the pixel size when only its pitch is known. */
    if (i == 0 && !c->base && s->pixel_mm <= 0 && s->chart_pitch_mm > 0) {
        double pitch = st_colorchart_pitch_px(&sh->chart);
        if (pitch > 1.0) {
            s->pixel_mm = s->chart_pitch_mm / pitch;
            s->pixel_mm_from_chart = 1;
            img->pixel_mm = s->pixel_mm;
            rc = st_strlist_addf(&s->notes, err, "%s: pixel_mm %.5g from the colour chart (patches %.3g mm apart, %.1f px)",
                                 s->sessions[0].files.items[sh - c->shots[0]], s->pixel_mm, s->chart_pitch_mm, pitch);
            if (!rc)
                rc = st_strlist_add(&c->res->notes, s->notes.items[s->notes.count - 1], err);
        }
    }
    return ST_OK;
}

int shot_relate_light(analyze_ctx *c, shot_state *sh, st_err *err)
{
    const shot_state *b = c->base ? &c->shots[0][c->base_shot] : NULL;
    if (!sh->light_grid.mean || !b || !b->light_grid.mean || sh == b)
        return ST_OK;
    st_tick t = st_tick_now();
    int rc = st_chart_light_relative(&b->light_grid, &sh->light_grid, sh->matrix, sh->chart.box,
                                     &sh->chart_light, err);
    st_light_grid_free(&sh->light_grid); /* only the baseline's is read again */
    ST_STAGE_ADD(c, normalise, t);
    ST_STAGE_ADD(c, light_grid, t);
    return rc;
}

int shot_correct_colour(const analyze_ctx *c, const shot_state *sh, st_image *patch, const unsigned char *mask,
                        st_err *err)
{
    if (!sh->chart_fitted || patch->channels != 3)
        return ST_OK;
    /* E(chart) / E(patch): the baseline's from its own light field; a
     * session's the baseline's times the change of light between its chart
     * and its patch. */
    const shot_state *b = &c->shots[0][c->base_shot];
    double k = b->chart_fitted ? st_chart_light_patch_ratio(&b->chart_light, b->matrix, c->box, mask) : 1.0;
    if (sh != b)
        k *= st_chart_light_patch_ratio(&sh->chart_light, sh->matrix, c->box, mask);
    st_colorchart scaled = sh->chart;
    for (int r = 0; r < 3; r++)
        for (int col = 0; col < 4; col++)
            scaled.ccm[r][col] *= k;
    return st_colorchart_apply_inplace(patch, &scaled, c->opts->threads, err);
}

void shot_colour_info(const analyze_ctx *c, const shot_state *sh, st_colour_info *out)
{
    memset(out, 0, sizeof *out);
    if (c->series.modality != ST_MODALITY_PHOTO)
        return;
    const st_colorchart *ch = &sh->chart;
    if (ch->found) {
        double lo_x = ch->box[0], hi_x = ch->box[0], lo_y = ch->box[1], hi_y = ch->box[1];
        for (int k = 1; k < 4; k++) {
            lo_x = fmin(lo_x, ch->box[2 * k]);
            hi_x = fmax(hi_x, ch->box[2 * k]);
            lo_y = fmin(lo_y, ch->box[2 * k + 1]);
            hi_y = fmax(hi_y, ch->box[2 * k + 1]);
        }
        out->has_chart = 1;
        out->chart_box[0] = (int)floor(lo_x);
        out->chart_box[1] = (int)floor(lo_y);
        out->chart_box[2] = (int)ceil(hi_x) - out->chart_box[0] + 1;
        out->chart_box[3] = (int)ceil(hi_y) - out->chart_box[1] + 1;
    }
    if (c->series.colour_fixed) {
        strcpy(out->status, "fixed");
        strcpy(out->method, "fixed-camera");
    } else if (sh->chart_fitted) {
        strcpy(out->status, "calibrated");
        strcpy(out->method, "chart");
        out->has_fit = 1;
        out->de00_before = ch->de00_before;
        out->de00_after = ch->de00_after;
    } else {
        strcpy(out->status, "uncalibrated");
        strcpy(out->method, "none");
        snprintf(out->message, sizeof out->message, "%s", sh->colour_note);
    }
}

/* The chart of every registered photo, carried into baseline pixels, is
 * cut out of the patch: its patches are never skin. */
int roi_cut_charts(analyze_ctx *c, st_err *err)
{
    size_t before = st_mask_count(&c->mask);
    for (size_t i = 0; i < c->series.n_sessions; i++)
        for (size_t j = 0; j < c->n_shots[i]; j++) {
            const shot_state *sh = &c->shots[i][j];
            if (!sh->ok || !sh->chart.found)
                continue;
            double q[8];
            for (int k = 0; k < 4; k++)
                st_mat3_apply(sh->matrix, sh->chart.box[2 * k], sh->chart.box[2 * k + 1], &q[2 * k], &q[2 * k + 1]);
            double scale = sqrt(fabs(sh->matrix[0] * sh->matrix[4] - sh->matrix[1] * sh->matrix[3]));
            double margin = CHART_MARGIN_PITCH * st_colorchart_pitch_px(&sh->chart) * scale;
            size_t cut = st_mask_clear_quad(&c->mask, q, margin);
            if (cut && c->series.has_roi && i == 0 && j == c->base_shot) {
                int rc = st_strlist_addf(&c->series.notes, err,
                                         "%s: the colour chart lies inside the roi; its pixels are left out",
                                         c->series.sessions[0].files.items[j]);
                if (!rc)
                    rc = st_strlist_add(&c->res->notes, c->series.notes.items[c->series.notes.count - 1], err);
                if (rc)
                    return rc;
            }
        }
    if (before && !st_mask_count(&c->mask))
        return st_err_set(err, ST_EINVAL, "%s: the measured area holds nothing but the colour chart", c->series.dir);
    return ST_OK;
}
