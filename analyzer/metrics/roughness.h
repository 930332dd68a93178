/* Every roughness parameter of one region (the whole ROI or one tile):
 * ISO 25178-2 height, hybrid and spatial parameters, and the PSD-derived
 * band RMS, slope and fractal dimension. Used by surface.c for the ROI and
 * by tiles.c for each tile, so both follow the same definitions. */
#ifndef ST_METRICS_ROUGHNESS_H
#define ST_METRICS_ROUGHNESS_H

#include <stddef.h>

#include "fft/fft.h"
#include "metrics/acf.h"
#include "metrics/psd.h"

enum st_rough_value {
    ST_RV_SA, ST_RV_SQ, ST_RV_SSK, ST_RV_SKU, ST_RV_SP, ST_RV_SV, ST_RV_SZ,
    ST_RV_SDQ, ST_RV_SDR, ST_RV_SAL, ST_RV_STR, ST_RV_STD,
    ST_RV_BAND_FINE, ST_RV_BAND_MEDIUM, ST_RV_BAND_COARSE,
    ST_RV_PSD_SLOPE, ST_RV_FRACTAL_DIM, ST_RV_COUNT
};

/* Wavelength bands of SPEC.md, in mm. */
extern const double st_rough_bands_mm[3][2];

typedef struct st_rough_cfg {
    double px;          /* pixel size in mm; 1 when uncalibrated (lengths in px) */
    int calibrated;
    double grad_dx;     /* pixel size in units of z for gradients (hybrid_params.h) */
    st_window window;
    st_acf_opts acf;
    double aps_rmin;    /* radial bins left out of the angular spectrum */
    int remove_plane;   /* 1: level the region first (tiles); 0: already levelled */
    int keep_radial;    /* 1: return the radial PSD */
    const st_window_cache *wcache; /* windows of the region's size, or NULL */
    const st_spectrum_geom *geom;  /* spectrum geometry of that size, or NULL */
    int threads;
} st_rough_cfg;

typedef struct st_rough_result {
    double v[ST_RV_COUNT];   /* NaN = absent (cannot be measured here) */
    double *freq, *psd;      /* radial PSD when keep_radial (caller frees) */
    size_t n;
    double fit_lo, fit_hi;   /* frequency band of the slope fit (1/mm or 1/px) */
    double fft_seconds;      /* wall time of the spectrum and ACF */
} st_rough_result;

/* z: w x h plane; mask NULL = all. scratch: w·h floats or NULL (then
 * allocated) — needed only when remove_plane. */
int st_roughness_region(st_fft *fft, const float *z, size_t stride, int w, int h,
                        const unsigned char *mask, size_t mstride, const st_rough_cfg *cfg,
                        float *scratch, st_rough_result *res, st_err *err);

#endif
