/* Colour calibration from a ColorChecker Classic in the photo: detection
 * (OpenCV mcc, through the wrapper), a colour-correction matrix fitted to the
 * chart's published values, and the mean CIEDE2000 before and after. */
#ifndef ST_REGISTER_COLORCHART_H
#define ST_REGISTER_COLORCHART_H

#include "skintrack/skintrack.h"

/* The 24 published sRGB values of the ColorChecker Classic (X-Rite, charts
 * made after November 2014), row-major from "dark skin" to "black". */
extern const unsigned char st_colorchecker_srgb[24][3];

typedef struct st_colorchart {
    int found;               /* 0: no chart in the photo (not an error) */
    double box[8];           /* corners x, y, in the pixels of the image searched */
    double measured[24][3];  /* mean sRGB-encoded R, G, B of each patch */
    double ccm[3][4];        /* linear RGB: reference ~ ccm . [r g b 1] */
    int affine;              /* 1: 3x4 fit (with offset), 0: 3x3 */
    double de00_before, de00_after; /* mean CIEDE2000 over the patches used */
    int used[24];            /* 1: the patch took part in the final fit */
    int n_used;
} st_colorchart;

/* Charts are searched on a copy whose longer side is at most this (block
 * means): mcc's cost grows with the frame, the patch means do not change. */
#define ST_CHART_SEARCH_MAX_SIDE 1600

/* Looks for a chart in img (3 channels); out->found says whether there was
 * one. Frames larger than ST_CHART_SEARCH_MAX_SIDE are searched on block
 * means; box is given in img's pixels all the same. */
int st_colorchart_detect(const st_image *img, st_colorchart *out, st_err *err);

/* Least-squares CCM (linear RGB) from measured to published values, and the
 * mean Delta E00 before (measured vs published) and after correction. */
int st_colorchart_fit(st_colorchart *c, int affine, st_err *err);

/* The robust fit used by the pipeline: patches clipped in the photo (any
 * channel <= 0.01 or >= 0.99, e.g. the white patch in glare) are left out,
 * the 3x4 matrix is fitted, then patches whose error after the fit stands
 * far above the others' (a reflection on one patch, a finger over it) are
 * dropped and the matrix refitted, at most twice; at least 16 patches stay.
 * de00_before/after are over the patches used. */
int st_colorchart_fit_robust(st_colorchart *c, st_err *err);

/* Distance between neighbouring patch centres in the searched image's
 * pixels, from the area of the chart's box (orientation-free). */
double st_colorchart_pitch_px(const st_colorchart *c);

/* The CCM applied to rgb in place (linear light, re-encoded, clamped to
 * [0, 1]), in row bands; the same bytes for any thread count. */
int st_colorchart_apply_inplace(st_image *rgb, const st_colorchart *c, int threads, st_err *err);

/* New image: the CCM applied to every pixel (linear light, re-encoded,
 * clamped to [0, 1]); the input is kept as it was. */
int st_colorchart_apply(const st_image *in, const st_colorchart *c, st_image **out, st_err *err);

#endif
