/* The surface family: every roughness.* and texture.* metric of SPEC.md for
 * one measured plane, over the ROI and per tile.
 *
 * How to call (e.g. from `skintrack metrics`):
 *
 *     st_surface_input in = {.data = st_image_row(img, 0, 0), .stride = img->stride,
 *                            .width = img->width, .height = img->height,
 *                            .pixel_mm = img->pixel_mm, .unit = img->unit};
 *     st_surface_opts o = {0};            // defaults: Hann window, 2 mm tiles, all cores
 *     o.scut_mm = scut; o.lcut_mm = lcut; // --scut / --lcut (0 = off)
 *     st_metric_set ms = {0};
 *     st_surface_extras x = {0};          // or pass NULL when maps are not needed
 *     if (st_measure_surface(&in, &o, &ms, &x, &err)) ...;
 *     ... x.psd.freq/psd (report plot), x.tiles (maps, CI spread) ...
 *     st_surface_extras_free(&x);
 *
 * Input plane: photos (ST_UNIT_REL) give the flattened luminance Y in [0, 1];
 * height maps (ST_UNIT_UM) give heights in µm. Pixels with mask == 0 are
 * left out everywhere (mask NULL: the whole plane is the ROI).
 *
 * Surface s (SPEC.md): the least-squares plane over the mask is removed,
 * then the optional ISO 16610-61 Gaussian S- and L-filters (gfilter.h,
 * done by FFT) are applied; roughness is measured on s.
 *
 * Texture input: photos use Y itself (SPEC.md: 32 levels of Y on [0, 1]).
 * Height maps have no luminance, so GLCM and LBP run on the levelled
 * (and filtered) height mapped to [0, 1] over its robust range, the 0.5th
 * to 99.5th percentile inside the mask: t = clamp((s − p0.5)/(p99.5 − p0.5)).
 * The values are then contrast-normalised per image (comparable in
 * structure across sessions, not in absolute height contrast).
 *
 * Units (metric_set "unit"): heights "rel" (photo) or "um" (height); Sdq
 * "rel/mm" (photo) or "" (height, µm/µm); Sdr "%"; Sal "mm"; Std "deg";
 * Str, slope, fractal dimension, GLCM features "" ; entropies "bits".
 * Uncalibrated planes (pixel_mm = 0): lengths are in pixels and say so —
 * Sal "px", Sdq "rel/px" or "um/px" (Sdr is computed from that slope),
 * the radial PSD is per pixel ("1/px"); the band RMS values are defined in
 * mm and are therefore absent; tiles are 64 px (tile_px).
 *
 * roughness.std is a direction in [0, 180): a percent change of it means
 * nothing (0° and 179° are 1° apart); compare it as an angle, or leave it
 * out of change/trend tables. Photo roughness is a luminance index: its
 * percent change follows the shading of the relief, not the height itself
 * (an L-filter of ~1 mm, o.lcut_mm, keeps the illumination and pigment
 * residue out of it).
 *
 * Absent, not zero: a metric that cannot be measured (flat surface, band
 * longer than the ROI or beyond Nyquist, no decay of the ACF within the
 * search radius) is not put in the set.
 *
 * Threads: opts.threads (<= 0: all cores) for the row-block passes and
 * tiles, FFTW threads through the fft handle. Results are identical for
 * every thread count (fixed blocks, sums added in block order, per-tile
 * work single-threaded). No SIMD kernels are used, so there is no per-path
 * difference to state. */
#ifndef ST_METRICS_SURFACE_H
#define ST_METRICS_SURFACE_H

#include <stddef.h>

#include "fft/fft.h"
#include "metrics/metric_set.h"
#include "skintrack/skintrack.h"

typedef struct st_surface_input {
    const float *data;
    size_t stride;              /* floats */
    int width, height;
    const unsigned char *mask;  /* NULL: whole plane */
    size_t mask_stride;
    double pixel_mm;            /* 0 = uncalibrated */
    st_unit unit;
} st_surface_input;

typedef struct st_surface_opts {
    double scut_mm, lcut_mm;    /* --scut / --lcut: ISO 16610-61 cut-offs; 0 = off */
    double tile_mm;             /* tile side when calibrated; 0 = 2 mm */
    int tile_px;                /* tile side when uncalibrated; 0 = 64 */
    int no_tiles;               /* 1: ROI values only */
    int glcm_distance;          /* 0 = 1 */
    int window;                 /* st_window (psd.h); 0 = Hann */
    int threads;                /* <= 0: all cores */
    st_fft *fft;                /* shared plan cache (wisdom); NULL: a private one */
} st_surface_opts;

/* Radial PSD for the report: psd[k] at spatial frequency freq[k]. */
typedef struct st_surface_psd {
    size_t n;
    double *freq, *psd;
    char freq_unit[8];          /* "1/mm" or "1/px" */
    char psd_unit[16];          /* e.g. "rel2.mm2", "um2.mm2", "rel2.px2" */
    double fit_lo, fit_hi;      /* frequency band of roughness.psd_slope */
} st_surface_psd;

/* Per-tile values: values[m * nx * ny + ty * nx + tx] of metric m, whose name
 * and unit are names[m]; NaN where the tile was not measured (less than
 * 75 % of it inside the mask) or the metric is absent there. mean, sd
 * (sample SD) and n_valid per metric are the spread used for confidence
 * intervals. Tile (tx, ty) covers pixels x0 + tx·tile_px .. +tile_px−1,
 * y0 + ty·tile_px .. (the grid is centred in the plane). */
typedef struct st_tile_grid {
    int nx, ny, tile_px, x0, y0;
    double tile_mm;             /* 0 when uncalibrated */
    size_t n_metrics;
    st_metric *names;           /* name + unit (value unused) */
    double *values;
    double *mean, *sd;
    int *n_valid;
} st_tile_grid;

/* Where the time went (seconds, wall): prep = levelling and filters, fft =
 * the ROI's spectrum, PSD readings and ACF, glcm / lbp = texture over the
 * ROI and its tiles, tiles = per-tile roughness, total = the whole call. */
typedef struct st_surface_timing {
    double prep, fft, glcm, lbp, tiles, total;
} st_surface_timing;

typedef struct st_surface_extras {
    st_surface_psd psd;
    st_tile_grid tiles;
    st_surface_timing timing;
} st_surface_extras;

/* Fills `out` with every roughness.* and texture.* metric it can measure
 * (added to what is already there). extras may be NULL. */
int st_measure_surface(const st_surface_input *in, const st_surface_opts *opts,
                       st_metric_set *out, st_surface_extras *extras, st_err *err);

void st_surface_extras_free(st_surface_extras *x);

#endif
