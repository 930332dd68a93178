/* Per-tile sums on the measured patch: the inputs of the remodeling index's
 * bootstrap (series/progress.h) and the tile maps of the report. The grid is
 * the same for every session (the common ROI in baseline pixels), so tile t
 * of a session and tile t of the baseline are the same skin. */
#ifndef ST_SERIES_TILES_H
#define ST_SERIES_TILES_H

#include <stddef.h>

#include "metrics/metric_set.h"
#include "series/progress.h"
#include "series/result.h"

#define ST_TILE_MM 2.0      /* tile side when calibrated (the surface stage's default) */
#define ST_TILE_PX_UNCAL 64 /* tile side when uncalibrated */

typedef struct st_tile_sums {
    int x0, y0, tile_px, cols, rows; /* grid origin in baseline pixels */
    size_t n;                        /* cols * rows */
    unsigned char *valid;            /* at least half the tile is in the mask */
    double *fam_num[ST_FAM_COUNT];
    double *fam_den[ST_FAM_COUNT];
} st_tile_sums;

int st_tile_px(double pixel_mm);

/* z: the measured surface of the patch (w x h, crop of the baseline frame at
 * x0, y0), mask: w x h (nonzero inside); detections in baseline pixels.
 * Roughness sums use z minus its least-squares plane over the mask.
 * `volume_from_area` = 1 for photos, whose scars carry a relative depth and
 * no volume: a scar then counts area_mm2 × mean_depth. */
int st_tiles_compute(const float *z, size_t stride, const unsigned char *mask, int w, int h, int x0,
                     int y0, double pixel_mm, const st_detections *det, int volume_from_area,
                     st_tile_sums *out, st_err *err);
void st_tiles_free(st_tile_sums *t);

/* Tile maps for the report (roughness.sq per tile, pore and scar counts per
 * tile), NaN where a tile is not valid. */
int st_tiles_to_grid(const st_tile_sums *t, const char *surface_unit, const char *scar_unit,
                     st_tile_maps *grid, st_err *err);

#endif
