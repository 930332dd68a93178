/* The light on the colour chart against the light on the measured skin
 * (chart_light.c), so the chart's correction holds for the skin too. */
#ifndef ST_SERIES_CHART_LIGHT_H
#define ST_SERIES_CHART_LIGHT_H

#include "skintrack/skintrack.h"

/* A photo's linear luminance in coarse cells, the chart left out. */
typedef struct st_light_grid {
    double *mean;  /* gw x gh: mean linear luminance of the cell's measured pixels */
    double *seen;  /* 1 where at least half the cell was measured, else 0 */
    int gw, gh, cell;
    double sigma;  /* the low-pass width, in cells */
} st_light_grid;

/* A smooth light field (absolute, or a session's relative to the baseline). */
typedef struct st_chart_light {
    double *field; /* gw x gh, cell x cell px each, in the photo's pixels */
    int gw, gh, cell;
    double at_chart; /* the field at the chart's centre */
    double scale;    /* multiplies st_chart_light_patch_ratio (1) */
} st_chart_light;

/* The grid of photo img (3 channels, sRGB-encoded); quad (4 corners, img
 * pixels; NULL: none) grown by margin px is left out, and clipped pixels. */
int st_light_grid_new(const st_image *img, const double quad[8], double margin, st_light_grid *out,
                      st_err *err);
void st_light_grid_free(st_light_grid *g);

/* The baseline's own light field from its grid; quad: its chart. */
int st_chart_light_new(const st_light_grid *g, const double quad[8], st_chart_light *out, st_err *err);
/* A session's light relative to the baseline's at the same skin (its grid
 * over the baseline's, carried by m_sb, session -> baseline), so the skin's
 * own unevenness cancels; quad: the session's chart. */
int st_chart_light_relative(const st_light_grid *base, const st_light_grid *sess, const double m_sb[9],
                            const double quad[8], st_chart_light *out, st_err *err);
/* field(chart) / mean field over the measured patch, times scale: mask is
 * box[2] x box[3] at box[0], box[1] in baseline pixels, m_sb the photo's
 * session -> baseline matrix. l->scale when it cannot be told (no field). */
double st_chart_light_patch_ratio(const st_chart_light *l, const double m_sb[9], const int box[4],
                                  const unsigned char *mask);
void st_chart_light_free(st_chart_light *l);

#endif
