/* The report's sentences, shared by HTML and PDF so both say the same thing:
 * what changed in each family, whether the interval supports it, and what
 * is missing and why. Wording is plain and never claims more than the data. */
#ifndef ST_REPORT_WORDS_H
#define ST_REPORT_WORDS_H

#include <stddef.h>
#include "report/report_model.h"

typedef enum st_rp_verdict {
    ST_V_NONE,        /* nothing measured */
    ST_V_IMPROVED,
    ST_V_WORSENED,
    ST_V_UNCHANGED,   /* |change| < 0.5 % */
    ST_V_NOT_SIGNIFICANT, /* the 95 % interval includes 0 */
    ST_V_NEUTRAL,     /* a change with no better direction */
    ST_V_UNTESTED,    /* a change with no interval: direction only, not tested */
    ST_V_WITHHELD     /* the headline change is withheld (session.withheld) */
} st_rp_verdict;

typedef struct st_rp_family_summary {
    int family;
    int metric;        /* model metric index, -1 if none */
    double change;     /* % since baseline, latest measured session */
    double lo, hi;     /* its 95 % interval, NAN if not given */
    st_rp_verdict verdict;
    char label[96];    /* "RMS roughness Sq" */
    char sentence[320];
    const char *no_change; /* the headline when there is no percent (metric < 0) */
    const char *withheld;  /* why the headline change is not compared, or NULL */
} st_rp_family_summary;

/* Families shown in the summary, in order (roughness … redness). */
#define ST_RP_SUMMARY_FAMILIES 6
int st_rp_summary_family(int k);

void st_rp_summarise_family(const st_rp_model *m, int family, st_rp_family_summary *out);
const char *st_rp_verdict_text(st_rp_verdict v);
/* The remodeling index in one sentence (with its interval); verdict out. */
void st_rp_index_sentence(const st_rp_model *m, char *out, size_t n, st_rp_verdict *v);
/* "Left cheek · photo · 0.05 mm per pixel" style facts. */
void st_rp_calibration_text(const st_rp_model *m, char *out, size_t n);
/* "professional, 1.5 mm needles, PRP" or "" */
void st_rp_treatment_text(const st_rp_session *s, char *out, size_t n);
/* Notes on what the series cannot show (uncalibrated, photo units, unknown
 * dates, no colour). Calls emit(note) for each; returns the count. */
size_t st_rp_series_notes(const st_rp_model *m, void (*emit)(void *ctx, const char *note),
                          void *ctx);
/* Every session warning (failed, registration, quality) in plain words. */
size_t st_rp_session_warnings(const st_rp_model *m,
                              void (*emit)(void *ctx, const char *note), void *ctx);
/* The analysis date for footers from tool.run_date ("2026-04-07 09:30 UTC"),
 * else "not recorded". */
void st_rp_analysis_date(const st_rp_model *m, char *out, size_t n);
/* "session 2" / "baseline" / the label from metrics.json. */
void st_rp_session_name(const st_rp_model *m, size_t i, char *out, size_t n);

#endif
