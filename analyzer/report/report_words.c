#include "report/report_words.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_catalog.h"
#include "report/report_conditions.h"
#include "series/scan.h"

int st_rp_summary_family(int k)
{
    static const int fam[ST_RP_SUMMARY_FAMILIES] = {ST_FAM_ROUGHNESS, ST_FAM_PORES, ST_FAM_SCARS,
                                                   ST_FAM_WRINKLES, ST_FAM_PIGMENT,
                                                   ST_FAM_REDNESS};
    return fam[k];
}

const char *st_rp_verdict_text(st_rp_verdict v)
{
    switch (v) {
    case ST_V_IMPROVED: return "improved";
    case ST_V_WORSENED: return "worse";
    case ST_V_UNCHANGED: return "unchanged";
    case ST_V_NOT_SIGNIFICANT: return "not significant";
    case ST_V_NEUTRAL: return "changed";
    case ST_V_UNTESTED: return "not tested";
    case ST_V_WITHHELD: return "not compared";
    default: return "not measured";
    }
}

/* A family's headline candidate for this series: not one that needs height
 * data on photographs (scar volume there is only a relative area x depth
 * index). */
static int fits_modality(const st_rp_model *m, const char *name)
{
    return st_rp_fits_modality(st_rp_metric_info_find(name), m->modality);
}

static void missing_sentence(const st_rp_model *m, int family, char *out, size_t n)
{
    const char *const *cand = st_rp_family_primary((st_rp_family)family);
    while (cand[0] && cand[1] && !fits_modality(m, cand[0]))
        cand++;
    const st_rp_metric_info *mi = st_rp_metric_info_find(cand[0]);
    const char *why = mi ? st_rp_missing_reason(mi, m->modality, m->calibrated) : "";
    if (st_rp_latest(m) < 0)
        snprintf(out, n, "Not available: no follow-up session could be measured.");
    else if (why[0])
        snprintf(out, n, "Not available: %s.", why);
    else
        snprintf(out, n, "Not available: the analysis did not report this family.");
}

/* A family measured but absent at baseline (no lines found, say) has no
 * percent change (SPEC.md: change = 100 (s - b) / |b|). Nothing in the
 * latest session either: unchanged, at 0 %; something new: said in words.
 * 1 when that is the case (o filled). */
static int none_at_baseline(const st_rp_model *m, int family, int li, st_rp_family_summary *o)
{
    int b = m->baseline;
    for (const char *const *c = st_rp_family_primary((st_rp_family)family); *c; c++) {
        int mi = st_rp_metric_index(m, *c);
        if (mi < 0 || !fits_modality(m, *c) || m->sessions[b].values[mi] != 0.0 ||
            !isfinite(m->sessions[li].values[mi]))
            continue;
        const st_rp_metric_info *info = st_rp_metric_info_find(*c);
        double v = m->sessions[li].values[mi];
        snprintf(o->label, sizeof o->label, "%s", info->label);
        if (v == 0.0) {
            o->metric = mi;
            o->change = 0.0;
            o->verdict = ST_V_UNCHANGED;
            snprintf(o->sentence, sizeof o->sentence,
                     "None found, at baseline or in the latest session.");
        } else {
            char val[48];
            st_rp_fmt_value(val, sizeof val, v);
            o->verdict = ST_V_UNTESTED;
            o->no_change = "new since baseline";
            snprintf(o->sentence, sizeof o->sentence,
                     "None found at baseline, so no change in percent can be given; %s is %s %s "
                     "in the latest session.",
                     info->label, val, st_rp_unit_text(m->metric_units[mi]));
        }
        return 1;
    }
    return 0;
}

static void withheld_summary(const st_rp_model *m, int li, int mi, st_rp_family_summary *o)
{
    const char *why = st_rp_withheld(&m->sessions[li], mi);
    char name[96];
    st_rp_session_name(m, (size_t)li, name, sizeof name);
    snprintf(o->label, sizeof o->label, "%s", st_rp_metric_info_find(m->metric_names[mi])->label);
    o->verdict = ST_V_WITHHELD;
    o->withheld = why[0] ? why : "no reason given";
    o->no_change = "not compared";
    snprintf(o->sentence, sizeof o->sentence,
             "Not compared — %s. %s's values are in the table; their change is not reported.",
             o->withheld, name);
}

void st_rp_summarise_family(const st_rp_model *m, int family, st_rp_family_summary *o)
{
    memset(o, 0, sizeof *o);
    o->no_change = "not available";
    o->family = family;
    o->metric = -1;
    o->change = o->lo = o->hi = NAN;
    int li = st_rp_latest(m);
    for (const char *const *c = st_rp_family_primary((st_rp_family)family); *c; c++) {
        int mi = st_rp_metric_index(m, *c);
        if (mi < 0 || li < 0 || !fits_modality(m, *c))
            continue;
        /* The headline metric withheld: the family is not compared, and no
         * other metric of it stands in (SPEC.md: absent from the headlines). */
        if (st_rp_withheld(&m->sessions[li], mi)) {
            withheld_summary(m, li, mi, o);
            return;
        }
        if (isfinite(m->sessions[li].changes[mi])) {
            o->metric = mi;
            break;
        }
    }
    if (o->metric < 0 && li >= 0 && none_at_baseline(m, family, li, o))
        return;
    if (o->metric < 0) {
        o->verdict = ST_V_NONE;
        missing_sentence(m, family, o->sentence, sizeof o->sentence);
        return;
    }
    const st_rp_metric_info *info = st_rp_metric_info_find(m->metric_names[o->metric]);
    snprintf(o->label, sizeof o->label, "%s", info->label);
    o->change = m->sessions[li].changes[o->metric];
    o->lo = m->ci_lo[o->metric];
    o->hi = m->ci_hi[o->metric];
    int has_ci = isfinite(o->lo) && isfinite(o->hi);
    double c = o->change;
    if (fabs(c) < 0.5)
        o->verdict = ST_V_UNCHANGED;
    else if (has_ci && o->lo <= 0 && o->hi >= 0)
        o->verdict = ST_V_NOT_SIGNIFICANT;
    else if (info->better == 0)
        o->verdict = ST_V_NEUTRAL;
    else if (!has_ci)
        o->verdict = ST_V_UNTESTED;
    else
        o->verdict = (c * info->better > 0) ? ST_V_IMPROVED : ST_V_WORSENED;
    char pct[32], lo[32], hi[32];
    st_rp_fmt_pct(pct, sizeof pct, fabs(c));
    pct[0] == '+' ? memmove(pct, pct + 1, strlen(pct)) : (void)0;
    const char *dir = fabs(c) < 0.5 ? "about the same as" : c < 0 ? "lower than" : "higher than";
    int k = snprintf(o->sentence, sizeof o->sentence, "%s is %s%s%s baseline", info->label,
                     fabs(c) < 0.5 ? "" : pct, fabs(c) < 0.5 ? "" : " ", dir);
    if (k > 0 && (size_t)k < sizeof o->sentence) {
        if (has_ci) {
            st_rp_fmt_pct(lo, sizeof lo, o->lo);
            st_rp_fmt_pct(hi, sizeof hi, o->hi);
            snprintf(o->sentence + k, sizeof o->sentence - (size_t)k,
                     " (95\xc2\xa0%% interval %s to %s)%s.", lo, hi,
                     o->verdict == ST_V_NOT_SIGNIFICANT ? ": not significant" : "");
        } else {
            snprintf(o->sentence + k, sizeof o->sentence - (size_t)k,
                     " (no interval available, so not tested for significance).");
        }
    }
}

void st_rp_index_sentence(const st_rp_model *m, char *out, size_t n, st_rp_verdict *v)
{
    char val[32], lo[32], hi[32];
    *v = ST_V_NONE;
    if (!isfinite(m->index_value)) {
        snprintf(out, n, "The remodeling index is not available: %s.",
                 st_rp_latest(m) < 0 ? "no follow-up session could be measured"
                                     : "the analysis did not compute it");
        return;
    }
    snprintf(val, sizeof val, "%.1f", m->index_value);
    if (!isfinite(m->index_lo) || !isfinite(m->index_hi)) {
        *v = ST_V_UNTESTED;
        snprintf(out, n, "Remodeling index %s %% (no interval available).", val);
        return;
    }
    snprintf(lo, sizeof lo, "%.1f", m->index_lo);
    snprintf(hi, sizeof hi, "%.1f", m->index_hi);
    if (m->index_lo <= 0 && m->index_hi >= 0)
        *v = ST_V_NOT_SIGNIFICANT;
    else
        *v = m->index_value > 0 ? ST_V_IMPROVED : ST_V_WORSENED;
    snprintf(out, n,
             "Remodeling index %s\xc2\xa0%% (95\xc2\xa0%% interval %s to %s\xc2\xa0%%): %s. Positive values mean "
             "smoother skin, fewer or shallower scars, smaller pores and fewer lines.",
             val, lo, hi,
             *v == ST_V_NOT_SIGNIFICANT ? "the change is not significant"
             : *v == ST_V_IMPROVED      ? "a measurable improvement"
                                        : "a measurable worsening");
}

void st_rp_calibration_text(const st_rp_model *m, char *out, size_t n)
{
    if (m->calibrated && isfinite(m->pixel_mm))
        snprintf(out, n, "calibrated, %.4g mm per pixel (%.0f pixels per cm)", m->pixel_mm,
                 10.0 / m->pixel_mm);
    else
        snprintf(out, n, "uncalibrated (no pixel size given)");
}

void st_rp_treatment_text(const st_rp_session *s, char *out, size_t n)
{
    out[0] = '\0';
    if (!s->has_treatment)
        return;
    int k = snprintf(out, n, "%s", s->setting[0] ? s->setting : "treatment");
    if (k > 0 && (size_t)k < n && isfinite(s->needle_mm))
        k += snprintf(out + k, n - (size_t)k, ", %.2g mm needles", s->needle_mm);
    if (k > 0 && (size_t)k < n && s->adjuncts[0])
        snprintf(out + k, n - (size_t)k, ", %s", s->adjuncts);
}

/* 1 when a note is the scan's "NAME: why, ignored" (series/scan.h), with
 * NAME copied to name (when given). */
static int left_out_file(const char *note, char *name, size_t n)
{
    size_t len = strlen(note), tail = strlen(ST_SCAN_IGNORED);
    const char *colon = strstr(note, ": ");
    if (len <= tail || strcmp(note + len - tail, ST_SCAN_IGNORED) != 0 || !colon)
        return 0;
    if (name)
        snprintf(name, n, "%.*s", (int)(colon - note), note);
    return 1;
}

size_t st_rp_series_notes(const st_rp_model *m, void (*emit)(void *, const char *), void *ctx)
{
    size_t k = 0;
    if (!m->calibrated && ++k)
        emit(ctx, "This series is uncalibrated: no pixel size was given, so sizes, densities "
                  "and areas in mm are not available and lengths are in pixels.");
    if (strcmp(m->modality, "photo") == 0 && ++k)
        emit(ctx, "Photographs: roughness and scar depth are relative indices from image "
                  "brightness (\"rel. units\"), not physical heights; compare them only within "
                  "this series.");
    if (strcmp(m->modality, "photo") != 0 && ++k)
        emit(ctx, "Height data: pigmentation and redness need colour photographs and are not "
                  "measured for this series.");
    if (!m->dates_known && ++k)
        emit(ctx, "Session dates are unknown (no dates in file names, EXIF or series.json): "
                  "sessions are in file-name order and trends per 30 days cannot be given.");
    if (st_rp_latest(m) < 0 && ++k)
        emit(ctx, "No follow-up session could be measured, so no change can be reported.");
    char line[600];
    for (size_t i = 0; i < m->n_notes; i++)
        if (!left_out_file(m->notes[i], NULL, 0)) {
            snprintf(line, sizeof line, "Note from the analysis: %s", m->notes[i]);
            emit(ctx, line);
            k++;
        }
    /* files the scan left out (other files, folders), on one line */
    int n = snprintf(line, sizeof line, "Files in the folder left out of the analysis (not "
                                        "photographs of this series):");
    size_t files = 0;
    char name[256];
    for (size_t i = 0; i < m->n_notes && n > 0 && (size_t)n < sizeof line; i++)
        if (left_out_file(m->notes[i], name, sizeof name))
            n += snprintf(line + n, sizeof line - (size_t)n, "%s %s", files++ ? "," : "", name);
    if (files) {
        if (n < 0 || (size_t)n >= sizeof line - 1) /* too many to list: the count */
            snprintf(line, sizeof line, "%zu files in the folder were left out of the analysis "
                                        "(not photographs of this series).", files);
        else
            snprintf(line + n, sizeof line - (size_t)n, ".");
        emit(ctx, line);
        k++;
    }
    return k;
}

size_t st_rp_session_warnings(const st_rp_model *m, void (*emit)(void *, const char *),
                              void *ctx)
{
    char line[1024], name[96];
    size_t k = 0;
    for (size_t i = 0; i < m->n_sessions; i++) {
        const st_rp_session *s = &m->sessions[i];
        st_rp_session_name(m, i, name, sizeof name);
        if (s->failed) {
            snprintf(line, sizeof line, "%s (%s) could not be measured and is left out: %s", name,
                     s->date[0] ? s->date : "date unknown",
                     s->fail_reason[0] ? s->fail_reason : "no reason given");
            emit(ctx, line), k++;
            continue;
        }
        if (s->reg_status[0] && strcmp(s->reg_status, "ok") != 0) {
            const char *st = strcmp(s->reg_status, "warn") == 0 || strcmp(s->reg_status, "warning") == 0
                                 ? "uncertain"
                                 : s->reg_status;
            snprintf(line, sizeof line, "%s: alignment with the baseline is %s%s%s", name, st,
                     s->reg_message[0] ? " — " : "", s->reg_message);
            emit(ctx, line), k++;
        }
        for (size_t q = 0; q < s->n_q_messages; q++) {
            snprintf(line, sizeof line, "%s: photo quality — %s", name, s->q_messages[q]);
            emit(ctx, line), k++;
        }
        if (s->n_q_messages == 0 && s->q_status[0] && strcmp(s->q_status, "ok") != 0) {
            snprintf(line, sizeof line, "%s: photo quality is \"%s\"", name, s->q_status);
            emit(ctx, line), k++;
        }
        /* photo conditions that withhold changes (report_conditions.c) */
        char cond[600];
        for (int c = 0; c < 2; c++) {
            int warn = c ? st_rp_light_text(m, i, cond, sizeof cond)
                         : st_rp_colour_text(s, cond, sizeof cond);
            if (!warn)
                continue;
            cond[0] = cond[0] >= 'A' && cond[0] <= 'Z' ? (char)(cond[0] + 32) : cond[0];
            snprintf(line, sizeof line, "%s: %s", name, cond);
            emit(ctx, line), k++;
        }
    }
    return k;
}

void st_rp_analysis_date(const st_rp_model *m, char *out, size_t n)
{
    const char *d = m->run_date;
    int Y, M, D, h, mi;
    if (sscanf(d, "%4d-%2d-%2dT%2d:%2d", &Y, &M, &D, &h, &mi) == 5)
        snprintf(out, n, "%04d-%02d-%02d %02d:%02d%s", Y, M, D, h, mi,
                 strchr(d, 'Z') ? " UTC" : "");
    else
        snprintf(out, n, "%s", d[0] ? d : "not recorded");
}

void st_rp_session_name(const st_rp_model *m, size_t i, char *out, size_t n)
{
    const st_rp_session *s = &m->sessions[i];
    if ((int)i == m->baseline)
        snprintf(out, n, "Baseline");
    else if (s->label[0])
        snprintf(out, n, "%c%s", s->label[0] >= 'a' && s->label[0] <= 'z' ? s->label[0] - 32
                                                                          : s->label[0],
                 s->label + 1);
    else
        snprintf(out, n, "Session %d", s->index);
}
