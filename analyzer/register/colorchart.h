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
    double box[8];           /* corners x, y */
    double measured[24][3];  /* mean sRGB-encoded R, G, B of each patch */
    double ccm[3][4];        /* linear RGB: reference ~ ccm . [r g b 1] */
    int affine;              /* 1: 3x4 fit (with offset), 0: 3x3 */
    double de00_before, de00_after; /* mean CIEDE2000 over the 24 patches */
} st_colorchart;

/* Looks for a chart in img (3 channels); out->found says whether there was one. */
int st_colorchart_detect(const st_image *img, st_colorchart *out, st_err *err);

/* Least-squares CCM (linear RGB) from measured to published values, and the
 * mean Delta E00 before (measured vs published) and after correction. */
int st_colorchart_fit(st_colorchart *c, int affine, st_err *err);

/* New image: the CCM applied to every pixel (linear light, re-encoded,
 * clamped to [0, 1]); the input is kept as it was. */
int st_colorchart_apply(const st_image *in, const st_colorchart *c, st_image **out, st_err *err);

#endif
