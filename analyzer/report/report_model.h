/* metrics.json (schema "skintrack/1", SPEC.md) read into the small model the
 * HTML and PDF renderers share. Every string is owned by the model (never
 * NULL: absent text is ""); absent numbers are NAN.
 *
 * Optional keys read beyond SPEC.md (written by `analyze` when it has them):
 *   tool.run_date             "YYYY-MM-DD[THH:MM:SSZ]": the date of analysis shown
 *                              in footers and the PDF metadata (the report never
 *                              reads the clock, so the same input gives the same bytes)
 *   session.status            "failed" for a session that could not be measured
 *   session.psd               {"freq_per_mm": [...], "power": [...]}: radial PSD
 *   session.detections.wrinkles [{"x0","y0","x1","y1","length_mm","width_mm","depth"}]
 *   session.reason / "error"  why a failed session failed
 *   session.tiles             {"x0", "y0", "tile_px", "cols": C, "rows": R,
 *                              "maps": {"roughness.sq": [R*C values or null], ...}}
 *   session.images            {"aligned": "images/..", "diff": .., "overlay": ..,
 *                              "tiles_<name>": .., "origin": [x0, y0], "scale": f}:
 *                              paths relative to OUT; origin/scale place the
 *                              image in baseline pixels (for drawing detections)
 *   session.repeatability     {"roughness.sq": SD over the repeat shots, ...}
 *   session.images.melanin, .haemoglobin: maps of melanin and haemoglobin
 *                              density (optical density, SPEC.md "Colour"),
 *                              in the aligned photo's frame
 *   chromophore_keys          {"melanin": {"min", "max", "colour_min": "#rrggbb",
 *                              "colour_max", "unit"}, "haemoglobin": {..}}: the
 *                              maps' colour keys, a linear ramp between the two
 *                              colours (read at the top level, else under series)
 *   series.notes, series.dates_unknown
 *   progress.change_ci95      {"roughness.sq": [lo, hi]}: 95 % interval of the
 *                              latest session's change in percent
 * When session.images is absent the conventional names are probed:
 *   images/s<index>_aligned.(png|jpg), images/s<index>_diff.png,
 *   images/s<index>_overlay.png, images/s<index>_tiles_roughness.png,
 *   images/s<index>_tiles_depth.png  (index as in metrics.json). */
#ifndef ST_REPORT_MODEL_H
#define ST_REPORT_MODEL_H

#include <stddef.h>
#include "report/chromo_map.h"
#include "skintrack/skintrack.h"

typedef struct st_rp_pore { double x, y, d_mm; } st_rp_pore;
typedef struct st_rp_scar { double x, y, area_mm2, max_depth; } st_rp_scar;
typedef struct st_rp_wrinkle { double x0, y0, x1, y1, width_mm; } st_rp_wrinkle;

typedef struct st_rp_tiles {
    const char *metric, *unit;
    int rows, cols;
    double *values; /* rows*cols, row-major; NAN = no value */
} st_rp_tiles;

typedef enum st_rp_img {
    ST_IMG_ALIGNED, ST_IMG_DIFF, ST_IMG_OVERLAY, ST_IMG_TILES_ROUGHNESS, ST_IMG_TILES_DEPTH,
    ST_IMG_MELANIN, ST_IMG_HAEMOGLOBIN,
    ST_IMG_COUNT
} st_rp_img;

/* session.colour (SPEC.md "Colour"); status "" when the session has none
 * (height data, failed sessions, older files). */
typedef struct st_rp_colour {
    const char *status, *method, *message; /* "calibrated" | "fixed" | "uncalibrated" */
    double de00_before, de00_after;        /* ΔE00 over the chart; NAN when null */
    double chart_box[4];                   /* x, y, w, h in that session's pixels */
    int has_chart_box;
} st_rp_colour;

/* session.light (SPEC.md "Light (photos)"). */
typedef struct st_rp_light {
    int present;
    double direction[3];
    double angle_deg;      /* to the baseline's lamp; NAN if not given */
    int relief_comparable; /* 1 or 0; -1 when not given */
} st_rp_light;

/* chromophore_keys.<name>: the colour key of the melanin / haemoglobin maps
 * (ST_CHROMO_MELANIN, ST_CHROMO_HAEMOGLOBIN of report/chromo_map.h). */
enum { ST_CHROMO_COUNT = 2 };
typedef struct st_rp_chromo_key {
    int present;
    double min, max;
    unsigned colour_min, colour_max; /* 0xRRGGBB */
    const char *unit;
} st_rp_chromo_key;

typedef struct st_rp_session {
    int index;
    double days;         /* NAN when the date is unknown */
    const char *date, *label, *files; /* files joined with ", " */
    int failed;
    const char *fail_reason;
    int has_treatment;
    const char *setting, *adjuncts;  /* adjuncts joined with ", " */
    double needle_mm;
    const char *reg_status, *reg_model, *reg_message;
    double ncc, overlap;
    const char *q_status;
    double sharpness, clipped_pct;
    const char **q_messages;
    size_t n_q_messages;
    double *values, *changes; /* per model metric; NAN if absent */
    double *spread;           /* SD over repeat shots (session.repeatability); NAN if absent */
    /* session.withheld: per model metric, why its change is not reported
     * (NULL when it is); a withheld change is NAN in changes[] whatever
     * "change" says. wh_names/wh_reasons: every entry, in file order, also
     * those of metrics without a value. */
    const char **withheld;
    const char **wh_names, **wh_reasons;
    size_t n_withheld;
    st_rp_colour colour;
    st_rp_light light;
    st_rp_pore *pores;
    size_t n_pores;
    st_rp_scar *scars;
    size_t n_scars;
    st_rp_wrinkle *wrinkles;
    size_t n_wrinkles;
    int has_detections;
    double *psd_f, *psd_p;
    size_t n_psd;
    st_rp_tiles *tiles;
    size_t n_tiles;
    const char *images[ST_IMG_COUNT]; /* relative to out_dir; "" = absent */
    double img_ox, img_oy, img_scale; /* image frame in baseline pixels; NAN if not given */
} st_rp_session;

typedef struct st_rp_model {
    const char *out_dir;
    const char *tool_name, *tool_version, *run_date;
    const char *name, *patient, *area, *modality;
    double pixel_mm; /* NAN if unknown */
    int calibrated;
    int roi[4], has_roi;
    const char *roi_source; /* series.roi_source; "" when absent */
    const char *image_area; /* series.image_area when the file exists; "" none */
    int baseline;      /* position in sessions[] */
    int dates_known;   /* every session has days */
    const char **metric_names, **metric_units; /* union over sessions, catalog order */
    size_t n_metrics;
    st_rp_session *sessions;
    size_t n_sessions;
    double index_value, index_lo, index_hi; /* NAN if absent */
    double *trend_30d, *ci_lo, *ci_hi;      /* per metric; NAN if absent */
    const char **flags;
    size_t n_flags;
    const char **notes;        /* series.notes: what analyze ignored or could not do */
    size_t n_notes;
    int dates_flagged_unknown; /* series.dates_unknown */
    st_rp_chromo_key chromo[ST_CHROMO_COUNT];
    struct st_rp_pool *pool; /* owns everything above */
} st_rp_model;

/* Reads out_dir/metrics.json. Errors name the file and the key. */
int st_rp_model_load(const char *out_dir, st_rp_model *m, st_err *err);
/* Same from a JSON text (out_dir is only used to resolve images). */
int st_rp_model_parse(const char *json, size_t len, const char *out_dir, st_rp_model *m,
                      st_err *err);
void st_rp_model_free(st_rp_model *m);

/* Position of a metric in metric_names, or -1. */
int st_rp_metric_index(const st_rp_model *m, const char *name);
/* Why session s's change of metric mi is withheld, or NULL. */
const char *st_rp_withheld(const st_rp_session *s, int mi);
/* The last session (by position) that was measured and is not the baseline;
 * -1 if none. */
int st_rp_latest(const st_rp_model *m);
/* Least-squares slope and intercept of change % against days over measured
 * sessions (baseline = 0 %); returns 0 when fewer than 2 points. */
int st_rp_trend_fit(const st_rp_model *m, int metric, double *slope, double *icept);
/* Where baseline pixel (x, y) of a detection lies in a session image:
 * ((x - ox + 0.5) / f - 0.5, (y - oy + 0.5) / f - 0.5). From images.origin
 * and images.scale when given; else an image of exactly the ROI's size is the
 * ROI crop (f = 1). Returns 0 when the frame is unknown (draw no overlay). */
int st_rp_det_map(const st_rp_model *m, const st_rp_session *s, int img_w, int img_h,
                  double *ox, double *oy, double *f);
/* Detection sizes (mm, or pixels when uncalibrated) in image pixels. */
double st_rp_mm_to_px(const st_rp_model *m, double mm);
/* Reads a whole file relative to out_dir; NULL if absent or unsafe (absolute
 * path or ".."), so a crafted metrics.json cannot pull other files in. */
unsigned char *st_rp_read_asset(const st_rp_model *m, const char *rel, size_t *size);

#endif
