/* Page layout state and the page builders of report.pdf (A4 portrait, points). */
#ifndef ST_REPORT_PDF_PAGES_H
#define ST_REPORT_PDF_PAGES_H

#include <cairo.h>
#include "report/report_model.h"

#define ST_PDF_W 595.276
#define ST_PDF_H 841.890
#define ST_PDF_MARGIN 40.0
#define ST_PDF_BOTTOM (ST_PDF_H - 48.0)
#define ST_PDF_CW (ST_PDF_W - 2 * ST_PDF_MARGIN)

typedef struct st_pdf_ctx {
    cairo_t *cr;
    const st_rp_model *m;
    int page, total; /* total 0 in the counting pass */
    double y;        /* next free line from the top */
    cairo_surface_t **aligned; /* per session, loaded once: a surface drawn on two
                                  pages is embedded in the PDF once */
} st_pdf_ctx;

/* The aligned photo of session si (borrowed; NULL if absent). */
cairo_surface_t *st_pdf_aligned(st_pdf_ctx *p, int si);

void st_pdf_footer(st_pdf_ctx *p);
void st_pdf_new_page(st_pdf_ctx *p);
/* Starts a new page unless h points still fit. */
void st_pdf_need(st_pdf_ctx *p, double h);
void st_pdf_heading(st_pdf_ctx *p, const char *title);

void st_pdf_summary_page(st_pdf_ctx *p);  /* pdf_summary.c */
void st_pdf_charts_pages(st_pdf_ctx *p);  /* pdf_details.c */
void st_pdf_images_pages(st_pdf_ctx *p);  /* pdf_details.c */
void st_pdf_table_pages(st_pdf_ctx *p);   /* pdf_table.c */
void st_pdf_warnings(st_pdf_ctx *p);      /* pdf_table.c */

#endif
