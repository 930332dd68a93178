#include "series/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "series/scar_match.h"

void st_session_result_free(st_session_result *s)
{
    st_strlist_free(&s->quality.messages);
    st_metric_set_clear(&s->metrics);
    st_metric_set_clear(&s->spread);
    st_metric_set_clear(&s->change);
    st_strlist_free(&s->withheld.names);
    st_strlist_free(&s->withheld.reasons);
    for (size_t i = 0; i < s->n_shots; i++)
        st_metric_set_clear(&s->shots[i].metrics);
    free(s->shots);
    st_detections_clear(&s->det);
    free(s->psd.freq_per_mm);
    free(s->psd.power);
    for (size_t i = 0; i < s->tiles.n_maps; i++)
        free(s->tiles.maps[i].values);
    free(s->tiles.maps);
    memset(s, 0, sizeof *s);
}

void st_series_result_free(st_series_result *r)
{
    for (size_t i = 0; i < r->n_sessions; i++)
        st_session_result_free(&r->sessions[i]);
    free(r->sessions);
    st_metric_set_clear(&r->trend);
    st_strlist_free(&r->flags);
    memset(r, 0, sizeof *r);
}

static int has_prefix(const char *name, const char *const *prefixes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return 1;
    return 0;
}

/* SPEC.md, "Colour": a change of skin colour cannot be told from a change
 * of white balance or exposure unless both photos were calibrated (or the
 * clinic vouches for a fixed camera). */
static const char *colour_blocker(const st_session_result *b, const st_session_result *s)
{
    if (!s->colour.status[0])
        return NULL; /* not a photo */
    if (!strcmp(b->colour.status, "uncalibrated"))
        return "colour not calibrated in the baseline";
    if (!strcmp(s->colour.status, "uncalibrated"))
        return "colour not calibrated in this session";
    return NULL;
}

static int has_shadowed_scar(const st_session_result *s)
{
    for (size_t i = 0; i < s->det.n_scars; i++)
        if (s->det.scars[i].depth_shadowed)
            return 1;
    return 0;
}

/* Photos: a scar whose dark wall lies in the lamp's shadow shows no depth
 * (scar_photo.c), and it is among the scars every depth statistic is made
 * of (and usually their deepest), so a change of them would not follow the
 * skin. */
static const char *scar_depth_blocker(const st_session_result *b, const st_session_result *s)
{
    if (has_shadowed_scar(b))
        return "scar depth not measurable: a scar's wall lies in the lamp's shadow in the baseline";
    if (has_shadowed_scar(s))
        return "scar depth not measurable: a scar's wall lies in the lamp's shadow in this session";
    return NULL;
}

/* Photos: the scars found in a session are not always the baseline's
 * (issue #18: a rolling scar shades less than the skin's texture, a small
 * icepick comes and goes). A count, an area or a volume summed over two
 * different sets of scars changes with which scars were found, not with the
 * skin, so it is compared only when every scar has its counterpart
 * (scar_match.h). Writes the reason into buf; NULL when the sets match or
 * the series is not photos (height maps find their scars reliably). */
static int scar_set_blocker(const st_series_result *r, const st_session_result *s, char *buf, size_t cap,
                            const char **why, st_err *err)
{
    *why = NULL;
    if (!r->series || r->series->modality != ST_MODALITY_PHOTO)
        return ST_OK;
    const st_session_result *b = &r->sessions[0];
    st_scar_match m;
    if (st_scar_match_sets(b->det.scars, b->det.n_scars, s->det.scars, s->det.n_scars, r->series->pixel_mm, &m))
        return st_err_set(err, ST_ENOMEM, "progress: out of memory matching scars");
    if (st_scar_sets_same(&m))
        return ST_OK;
    snprintf(buf, cap, "scars found differ from the baseline's (%zu of its %zu matched, %zu new)", m.matched,
             m.baseline, m.session - m.matched);
    *why = buf;
    return ST_OK;
}

/* Why the change of `name` between baseline b and session s is not
 * reported (written into buf), or NULL. scar_set: why the session's scars
 * cannot be compared as a set (scar_set_blocker), or NULL. */
static const char *why_withheld(const st_session_result *b, const st_session_result *s, const char *name,
                                const char *scar_set, char *buf, size_t cap)
{
    static const char *const colour[] = {"pigment.", "redness."};
    static const char *const relief[] = {"roughness.", "scars.", "wrinkles.", "texture."};
    if (has_prefix(name, colour, 2))
        return colour_blocker(b, s);
    static const char *const scar_depth[] = {"scars.max_depth", "scars.mean_depth", "scars.volume"};
    if (has_prefix(name, relief, 4) && s->light.present && !s->light.relief_comparable) {
        snprintf(buf, cap, "lamp moved: %.0f\u00b0 from the baseline's", s->light.angle_to_baseline_deg);
        return buf;
    }
    const char *depth = has_prefix(name, scar_depth, 3) ? scar_depth_blocker(b, s) : NULL;
    if (depth)
        return depth;
    static const char *const scar_sums[] = {"scars.count", "scars.area_mm2", "scars.area_fraction", "scars.volume"};
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(name, scar_sums[i]))
            return scar_set;
    return NULL;
}

const char *st_withheld_reason(const st_session_result *s, const char *metric)
{
    for (size_t i = 0; i < s->withheld.names.count; i++)
        if (!strcmp(s->withheld.names.items[i], metric))
            return s->withheld.reasons.items[i];
    return NULL;
}

static int session_changes(st_series_result *r, size_t i, st_err *err)
{
    const st_metric_set *base = &r->sessions[0].metrics;
    st_session_result *s = &r->sessions[i];
    char set_buf[96];
    const char *scar_set;
    int rc0 = scar_set_blocker(r, s, set_buf, sizeof set_buf, &scar_set, err);
    if (rc0)
        return rc0;
    for (size_t k = 0; k < s->metrics.count; k++) {
        const st_metric *m = &s->metrics.items[k];
        const st_metric *b = st_metric_set_find(base, m->name);
        double c;
        if (!b || st_percent_change(m->value, b->value, &c))
            continue;
        char buf[96];
        const char *why = why_withheld(&r->sessions[0], s, m->name, scar_set, buf, sizeof buf);
        int rc;
        if (why) {
            rc = st_strlist_add(&s->withheld.names, m->name, err);
            if (!rc)
                rc = st_strlist_add(&s->withheld.reasons, why, err);
            if (rc)
                return rc;
            continue;
        }
        rc = st_metric_set_put(&s->change, m->name, c, "", err);
        if (rc)
            return rc;
    }
    st_metric_set_sort(&s->change);
    return ST_OK;
}

/* Trend of one metric over the baseline (0 days, 0 %) and every measured,
 * dated session that has a change for it. */
static int metric_trend(st_series_result *r, const char *name, double *days, double *pct,
                        st_err *err)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_sessions; i++) {
        const st_session_result *s = &r->sessions[i];
        if (s->failed || !s->scan->date[0])
            continue;
        if (i == 0) {
            days[n] = 0;
            pct[n++] = 0;
            continue;
        }
        const st_metric *c = st_metric_set_find(&s->change, name);
        if (c) {
            days[n] = s->scan->days;
            pct[n++] = c->value;
        }
    }
    double slope;
    if (st_trend_per_30d(days, pct, n, &slope))
        return ST_OK;
    return st_metric_set_put(&r->trend, name, slope, "%/30d", err);
}

int st_series_progress(st_series_result *r, st_err *err)
{
    if (!r->n_sessions || r->sessions[0].failed)
        return ST_OK; /* no baseline, no change */
    int rc = ST_OK;
    for (size_t i = 1; i < r->n_sessions && !rc; i++)
        if (!r->sessions[i].failed)
            rc = session_changes(r, i, err);
    double *days = malloc(r->n_sessions * sizeof *days), *pct = malloc(r->n_sessions * sizeof *pct);
    if (!rc && (!days || !pct))
        rc = st_err_set(err, ST_ENOMEM, "progress: out of memory");
    const st_metric_set *base = &r->sessions[0].metrics;
    if (!r->series->dates_unknown && r->sessions[0].scan->date[0])
        for (size_t k = 0; k < base->count && !rc; k++)
            rc = metric_trend(r, base->items[k].name, days, pct, err);
    free(days);
    free(pct);
    st_metric_set_sort(&r->trend);
    /* The index compares the baseline with the latest measured session. */
    r->remodel_session = -1;
    for (size_t i = r->n_sessions; i-- > 1;)
        if (!r->sessions[i].failed) {
            r->remodel_session = (int)i;
            break;
        }
    return rc;
}
