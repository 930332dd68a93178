/* What the report knows about each SPEC.md metric: its family, a label a
 * patient can read, the direction of improvement (SPEC.md "Progress"), and
 * what it needs (calibration, colour, height data), so that a missing metric
 * can be explained instead of silently skipped. Shared by both renderers. */
#ifndef ST_REPORT_CATALOG_H
#define ST_REPORT_CATALOG_H

#include <stddef.h>

typedef enum st_rp_family {
    ST_FAM_ROUGHNESS, ST_FAM_PORES, ST_FAM_SCARS, ST_FAM_WRINKLES,
    ST_FAM_PIGMENT, ST_FAM_REDNESS, ST_FAM_TEXTURE, ST_FAM_QUALITY, ST_FAM_OTHER,
    ST_FAM_COUNT
} st_rp_family;

/* -1: lower is better, +1: higher is better, 0: neutral (shown, not judged) */
typedef struct st_rp_metric_info {
    const char *name;
    st_rp_family family;
    const char *label;
    int better;
    unsigned needs; /* ST_NEEDS_* */
} st_rp_metric_info;

#define ST_NEEDS_MM 1u     /* a length or area: needs pixel_mm */
#define ST_NEEDS_COLOUR 2u /* needs a colour photograph */
#define ST_NEEDS_HEIGHT 4u /* only height/stereo modalities give it */

/* The SPEC.md metric table, in report order. */
const st_rp_metric_info *st_rp_catalog(size_t *count);
/* NULL when the name is not in SPEC.md (such metrics are shown as "other"). */
const st_rp_metric_info *st_rp_metric_info_find(const char *name);
st_rp_family st_rp_family_of(const char *name);
int st_rp_better(const char *name);

const char *st_rp_family_title(st_rp_family f); /* "Roughness", "Pores", ... */
/* Metrics that summarise a family, best first; the first present one is used. */
const char *const *st_rp_family_primary(st_rp_family f);
/* Metrics drawn in a family's trend chart (NULL-terminated). */
const char *const *st_rp_family_chart(st_rp_family f);

/* Title of a per-tile map (analyze's map names, e.g. "scars.depth_volume"). */
const char *st_rp_tile_label(const char *name);
/* Human unit for a JSON unit: "um" -> "µm", "mm2" -> "mm²", "rel" -> "rel. units". */
const char *st_rp_unit_text(const char *unit);
/* Why a SPEC metric is absent, from the series facts; "" if no known reason. */
/* 1 when the modality is photographs (or not given, as photos are the default). */
int st_rp_is_photo(const char *modality);
/* 1 unless the metric needs height data and the series is photographs. */
int st_rp_fits_modality(const st_rp_metric_info *m, const char *modality);
const char *st_rp_missing_reason(const st_rp_metric_info *m, const char *modality,
                                 int calibrated);

/* Numbers as people read them: 4 significant digits, no exponent for usual
 * magnitudes, "−" (U+2212) for negatives. */
void st_rp_fmt_value(char *out, size_t n, double v);
/* "+12.5 %" / "−3.1 %" with one decimal. */
void st_rp_fmt_pct(char *out, size_t n, double pct);

#endif
