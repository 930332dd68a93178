/* Tiles: the ROI cut into squares (2 mm, or 64 px when uncalibrated), every
 * metric measured per tile, for the report's maps and for the spread that
 * confidence intervals are built from. */
#ifndef ST_METRICS_TILES_H
#define ST_METRICS_TILES_H

#include <stddef.h>

#include "fft/fft.h"
#include "metrics/glcm.h"
#include "metrics/roughness.h"

/* Texture values: the six GLCM features (glcm.h order), then LBP entropy. */
enum { ST_TV_LBP_ENTROPY = ST_GLCM_NFEAT, ST_TV_COUNT };
#define ST_SURF_NMETRICS (ST_RV_COUNT + ST_TV_COUNT)

/* A tile counts when at least this share of its pixels is inside the mask. */
#define ST_TILE_MIN_INSIDE 0.75

typedef struct st_tile_layout {
    int nx, ny, ts, x0, y0;
} st_tile_layout;

/* Centred grid of whole tiles of side ts (nx = ny = 0 if none fits). */
void st_tile_layout_make(int w, int h, int ts, st_tile_layout *tl);

/* valid[ty * nx + tx] = 1 when the tile is inside the mask enough
 * (threads: for the mask count; <= 0 all cores). */
void st_tile_valid(const st_tile_layout *tl, const unsigned char *mask, size_t mstride,
                   unsigned char *valid, int threads);

/* GLCM (distance d) and LBP over the whole plane, and per tile (tl may have
 * no tiles; tile_vals NULL: no tile output). tex holds values on [0, 1].
 * One pass per family over strips of tile rows: a pair (or LBP centre)
 * inside one tile counts for that tile, and the plane's totals are the sum
 * of the tiles and of every pair not inside a single tile, so the ROI value
 * is exactly that of the whole plane. Integer counts: identical for any
 * thread count. tile_vals: ntiles x ST_TV_COUNT, NaN where not measured. */
int st_texture_measure(const float *tex, size_t stride, int w, int h, const unsigned char *mask,
                       size_t mstride, int d, const st_tile_layout *tl,
                       const unsigned char *valid, int threads, double global[ST_TV_COUNT],
                       double *tile_vals, double *glcm_seconds, double *lbp_seconds,
                       st_err *err);

/* Roughness per tile (each tile levelled by its own plane), tile_vals:
 * ntiles x ST_RV_COUNT, NaN where not measured. Tiles run in parallel, each
 * on one thread. */
int st_roughness_tiles(st_fft *fft, const float *z, size_t stride, int w, int h,
                       const unsigned char *mask, size_t mstride, const st_rough_cfg *cfg,
                       const st_tile_layout *tl, const unsigned char *valid, int threads,
                       double *tile_vals, st_err *err);

/* Mean, sample SD and count of the finite values of each metric; vals is
 * metric-major: vals[m * ntiles + t]. */
void st_tile_stats(const double *vals, size_t ntiles, size_t nmetrics, double *mean, double *sd,
                   int *n);

#endif
