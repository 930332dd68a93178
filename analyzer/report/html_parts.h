/* Sections of report.html that live in their own files. */
#ifndef ST_REPORT_HTML_PARTS_H
#define ST_REPORT_HTML_PARTS_H

#include "report/report_buf.h"
#include "report/report_model.h"

/* Before/after pair, slider/blink comparison, detection overlays, difference
 * map and per-tile heat maps (html_images.c). */
void st_html_beforeafter(st_sbuf *b, const st_rp_model *m);
/* Every metric × session with unit, change % and QC status (html_table.c). */
void st_html_table(st_sbuf *b, const st_rp_model *m);

#endif
