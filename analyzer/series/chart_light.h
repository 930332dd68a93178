/* The light on the colour chart against the light on the measured skin
 * (chart_light.c), so the chart's correction holds for the skin too. */
#ifndef ST_SERIES_CHART_LIGHT_H
#define ST_SERIES_CHART_LIGHT_H

#include "skintrack/skintrack.h"

typedef struct st_chart_light {
    double *field;   /* gw x gh light field (linear luminance), cell x cell px each */
    int gw, gh, cell;
    double at_chart; /* the field at the chart's centre */
} st_chart_light;

/* The light field of photo img (3 channels, sRGB-encoded) with the chart's
 * quad (4 corners, img pixels) grown by margin px left out. */
int st_chart_light_new(const st_image *img, const double quad[8], double margin, st_chart_light *out,
                       st_err *err);
/* The field at (x, y) in the photo's pixels (bilinear, clamped to the grid). */
double st_chart_light_at(const st_chart_light *l, double x, double y);
/* E(chart) / mean E over the measured patch: mask is box[2] x box[3] at
 * box[0], box[1] in baseline pixels, m_sb the photo's session -> baseline
 * matrix. 1 when it cannot be told. */
double st_chart_light_patch_ratio(const st_chart_light *l, const double m_sb[9], const int box[4],
                                  const unsigned char *mask);
void st_chart_light_free(st_chart_light *l);

#endif
