/* Inline SVG for a chart (HTML report): scales with its container
 * (viewBox), text in the page's font, no script, no external reference. */
#ifndef ST_REPORT_SVG_CHART_H
#define ST_REPORT_SVG_CHART_H

#include "report/chart_model.h"
#include "report/report_buf.h"

#define ST_CHART_W 560.0
#define ST_CHART_H 300.0

void st_svg_chart(st_sbuf *b, const st_chart *c, double w, double h);

#endif
