/* metrics.json, schema "skintrack/1" (SPEC.md, "metrics.json").
 * Keys in a fixed order, numbers at a fixed precision (report/numfmt.h), so
 * the same inputs give the same bytes. Extra keys, which the schema allows and
 * the report reads:
 *   series: "dates_unknown", "notes"
 *   session: "status" ("ok" | "failed"), "reason", "repeatability" (SD over
 *            repeat shots, per metric), "shots" (per-photo metrics),
 *            "images" {"aligned", "overlay"} (paths relative to OUT),
 *            "psd" {"freq_per_mm": [...], "power": [...]},
 *            "tiles" {"x0", "y0", "tile_px", "cols", "rows",
 *                     "maps": {metric: [rows*cols values, row-major, null = no tile]}}
 *   progress.remodeling_index: "session", "families" {family: change %}
 */
#ifndef ST_REPORT_JSON_WRITER_H
#define ST_REPORT_JSON_WRITER_H

#include "series/result.h"

/* The document as a NUL-terminated string the caller frees; NULL on ENOMEM. */
char *st_metrics_json_render(const st_series_result *r, st_err *err);

/* Renders and writes atomically to path. */
int st_metrics_json_write(const st_series_result *r, const char *path, st_err *err);

#endif
