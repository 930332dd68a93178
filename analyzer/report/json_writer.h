/* metrics.json, schema "skintrack/1" (SPEC.md, "metrics.json").
 * Keys in a fixed order, numbers at a fixed precision (report/numfmt.h), so
 * the same inputs give the same bytes. Extra keys, which the schema allows and
 * the report reads:
 *   series: "dates_unknown", "notes"
 *   session: "status" ("ok" | "failed"), "error" (why), "repeatability" (SD over
 *            repeat shots, per metric), "shots" (per-photo metrics),
 *            "images" {"aligned", "diff", "overlay"} (paths relative to OUT),
 *            "psd" {"freq_per_mm": [...], "power": [...]},
 *            "tiles" {metric: {"unit", "rows", "cols", "x0", "y0", "tile_px",
 *                              "values": [rows*cols, row-major, null = no tile]}}
 *            (the grid is in baseline pixels: tile (c, r) starts at
 *            x0 + c·tile_px, y0 + r·tile_px)
 *   progress.remodeling_index: "session", "families" {family: change %}
 *   progress.change_ci95 {"roughness.sq" | "pores.mean_diameter_mm" |
 *            "scars.volume": [lo, hi]}: 95 % interval of the change of the
 *            remodeling families in the index's session (tile bootstrap;
 *            the scar value is the tile-summed volume, series/progress.h)
 */
#ifndef ST_REPORT_JSON_WRITER_H
#define ST_REPORT_JSON_WRITER_H

#include "series/result.h"

/* The document as a NUL-terminated string the caller frees; NULL on ENOMEM. */
char *st_metrics_json_render(const st_series_result *r, st_err *err);

/* Renders and writes atomically to path. */
int st_metrics_json_write(const st_series_result *r, const char *path, st_err *err);

/* One image's measurement (`skintrack metrics --json`): "file", "modality",
 * "metrics", "quality", "detections" and the extras of a session ("psd").
 * NUL-terminated; the caller frees. */
char *st_image_json_render(const st_session_result *s, const char *file, const char *modality,
                           st_err *err);

#endif
