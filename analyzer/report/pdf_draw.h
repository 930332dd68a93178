/* Drawing helpers for report.pdf over cairo: text in the report's fonts,
 * wrapped paragraphs, tinted boxes, embedded photos (JPEG kept as JPEG via
 * cairo's MIME data, PNG as decoded pixels) and detection overlays. */
#ifndef ST_REPORT_PDF_DRAW_H
#define ST_REPORT_PDF_DRAW_H

#include <cairo.h>
#include "report/chart_model.h"
#include "report/report_image.h"
#include "report/report_model.h"

enum { ST_PDF_REGULAR = 0, ST_PDF_BOLD = 1 };

void st_pdf_rgb(cairo_t *cr, unsigned rgb);
void st_pdf_font(cairo_t *cr, int weight, double size);
/* Text at (x, baseline y); align 0 left, 1 centre, 2 right. Returns its width. */
double st_pdf_text(cairo_t *cr, double x, double y, int align, const char *s);
/* Paragraph wrapped to width w from the top y; returns the height used. */
double st_pdf_para(cairo_t *cr, double x, double y, double w, double line_h, const char *s);
void st_pdf_round_rect(cairo_t *cr, double x, double y, double w, double h, double r);

/* Draws img scaled to fit (x, y, w, h), centred across, top-aligned; returns the drawn rectangle
 * through out[4] (x, y, w, h) for overlays. */
void st_pdf_image_fit(cairo_t *cr, cairo_surface_t *img, double x, double y, double w,
                      double h, double out[4]);
/* Pores, scars (by depth) and lines of session s over an image drawn at r[4]
 * whose pixel size is img_w × img_h (mapped by st_rp_det_map). */
int st_pdf_overlay(cairo_t *cr, const st_rp_model *m, const st_rp_session *s, int img_w,
                   int img_h, const double r[4]); /* 0: frame unknown, nothing drawn */
/* A grey dashed box with "… not available: why" centred. */
void st_pdf_not_available(cairo_t *cr, double x, double y, double w, double h, const char *s);
/* A chart from chart_model.h into the box (x, y, w, h), in points. */
void st_pdf_chart(cairo_t *cr, const st_chart *c, double x, double y, double w, double h);
/* A horizontal colour scale with end labels. */
void st_pdf_scale(cairo_t *cr, int which, double x, double y, double w, double lo, double hi,
                  const char *unit);
/* A linear ramp from colour c0 (at lo) to c1 (at hi), with end labels. */
void st_pdf_ramp(cairo_t *cr, unsigned c0, unsigned c1, double x, double y, double w, double lo,
                 double hi, const char *unit);

#endif
