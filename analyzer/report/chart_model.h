/* The geometry of a chart, computed once and drawn by two back ends
 * (svg_chart.c for HTML, pdf_chart.c for cairo), so the web page and the
 * printed page show the same axes, points and trend lines. */
#ifndef ST_REPORT_CHART_MODEL_H
#define ST_REPORT_CHART_MODEL_H

#include <stddef.h>
#include "report/report_model.h"

#define ST_CHART_MAX_SERIES 4
#define ST_CHART_MAX_TICKS 12

typedef struct st_chart_series {
    const char *label;
    int colour;           /* index into st_chart_colour */
    size_t n;
    double *x, *y;        /* data units (before any log) */
    int has_trend;
    double slope, icept;  /* y = icept + slope * x over the data's x range */
    int dashed;
    int withheld;         /* no line: its changes are withheld (legend says so) */
} st_chart_series;

typedef struct st_chart_mark {
    double x;
    const char *label;    /* e.g. "failed" */
} st_chart_mark;

typedef struct st_chart {
    char title[96], xlabel[64], ylabel[64];
    int logx, logy;
    double x0, x1, y0, y1;              /* axis range (log10 units when log) */
    double xt[ST_CHART_MAX_TICKS], yt[ST_CHART_MAX_TICKS];
    int nxt, nyt;
    st_chart_series ser[ST_CHART_MAX_SERIES];
    int nser;
    st_chart_mark *marks;               /* failed sessions */
    size_t nmarks;
    int zero_line;
    int legend_rows;                    /* two legend items per row */
    const char *empty_msg;              /* non-NULL: nothing to draw, say why */
    char msg[200];                      /* room for an empty_msg made up here */
} st_chart;

/* Plot frame inside a w×h box (title above, axis labels and legend below).
 * Legend item k sits at st_chart_legend_pos. */
typedef struct st_chart_frame { double left, top, right, bottom; } st_chart_frame;

/* Percent change since baseline of the family's chart metrics against days
 * (or session number when dates are unknown), with least-squares lines. */
int st_chart_trend(const st_rp_model *m, int family, st_chart *c);
/* Radial PSD of baseline and latest session, log-log. */
int st_chart_psd(const st_rp_model *m, st_chart *c);
void st_chart_free(st_chart *c);

st_chart_frame st_chart_layout(const st_chart *c, double w, double h);
void st_chart_legend_pos(const st_chart *c, double w, double h, int k, double *x, double *y);
/* Data → frame coordinates (log applied here). */
double st_chart_px(const st_chart *c, const st_chart_frame *f, double x);
double st_chart_py(const st_chart *c, const st_chart_frame *f, double y);
/* A legend item's text: the label, "… (withheld)" for a series with no line
 * because its changes are withheld, or the failed-session mark's. */
void st_chart_legend_text(const st_chart *c, int k, char *out, size_t n);

/* Tick label text: plain numbers, or 10^k on log axes. */
void st_chart_tick_label(const st_chart *c, int axis_y, double t, char *out, size_t n);
/* Series colours (colour-blind safe, Okabe–Ito), as 0xRRGGBB. */
unsigned st_chart_colour(int i);

/* Colour scales for maps, t in [0, 1] (clamped), as 0xRRGGBB:
 * ST_SCALE_VIRIDIS (perceptually uniform; tile maps) and ST_SCALE_DEPTH
 * (pale yellow = shallow to dark red = deep; scars). */
enum { ST_SCALE_VIRIDIS = 0, ST_SCALE_DEPTH = 1 };
unsigned st_colour_scale(int which, double t);
/* 0xRRGGBB at t in [0, 1] (clamped; NaN gives 0) on a ramp of 5 evenly
 * spaced stops, interpolated per channel (the scales above, the chromophore
 * maps). */
unsigned st_ramp5(const unsigned s[5], double t);

#endif
