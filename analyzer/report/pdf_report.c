/* report.pdf (cairo): a one-page summary (index, family changes, before/after
 * pair, key charts) then detail pages (all charts, detections, maps, the
 * table, warnings). Rendered twice: the first pass counts pages so footers
 * can say "page n of N". Metadata dates come from metrics.json, never from
 * the clock, so the same input gives the same bytes. */
#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/pdf_draw.h"
#include "report/pdf_pages.h"
#include "report/report.h"
#include "report/report_catalog.h"
#include "report/report_words.h"

void st_pdf_footer(st_pdf_ctx *p)
{
    cairo_t *cr = p->cr;
    char left[200], right[48], when[64];
    st_rp_analysis_date(p->m, when, sizeof when);
    snprintf(left, sizeof left, "Date of analysis %s · %s %s", when,
             p->m->tool_name[0] ? p->m->tool_name : "skintrack", p->m->tool_version);
    if (p->total > 0)
        snprintf(right, sizeof right, "page %d of %d", p->page, p->total);
    else
        snprintf(right, sizeof right, "page %d", p->page);
    st_pdf_rgb(cr, 0xDDE3EA);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, ST_PDF_MARGIN, ST_PDF_H - 34);
    cairo_line_to(cr, ST_PDF_W - ST_PDF_MARGIN, ST_PDF_H - 34);
    cairo_stroke(cr);
    st_pdf_rgb(cr, 0x5B6775);
    st_pdf_font(cr, ST_PDF_REGULAR, 7.5);
    st_pdf_text(cr, ST_PDF_MARGIN, ST_PDF_H - 22, 0, left);
    char who[200], name[48];
    size_t k = strlen(p->m->patient);
    if (k > 40)
        for (k = 40; k > 0 && ((unsigned char)p->m->patient[k] & 0xC0) == 0x80; k--)
            ; /* cut on a UTF-8 character boundary */
    snprintf(name, sizeof name, "%.*s", (int)k, p->m->patient);
    snprintf(who, sizeof who, "%s%s · %s", name, p->m->patient[k] ? "…" : "", right);
    st_pdf_text(cr, ST_PDF_W - ST_PDF_MARGIN, ST_PDF_H - 22, 2, p->m->patient[0] ? who : right);
}

void st_pdf_new_page(st_pdf_ctx *p)
{
    st_pdf_footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = ST_PDF_MARGIN;
}

void st_pdf_need(st_pdf_ctx *p, double h)
{
    if (p->y + h > ST_PDF_BOTTOM)
        st_pdf_new_page(p);
}

void st_pdf_heading(st_pdf_ctx *p, const char *title)
{
    st_pdf_need(p, 60);
    st_pdf_rgb(p->cr, 0x1D2733);
    st_pdf_font(p->cr, ST_PDF_BOLD, 14);
    st_pdf_text(p->cr, ST_PDF_MARGIN, p->y + 14, 0, title);
    p->y += 24;
}

cairo_surface_t *st_pdf_aligned(st_pdf_ctx *p, int si)
{
    if (si < 0 || !p->aligned)
        return NULL;
    if (!p->aligned[si])
        p->aligned[si] = st_rp_load_image(p->m, p->m->sessions[si].images[ST_IMG_ALIGNED]);
    return p->aligned[si];
}

static int render(cairo_surface_t *surf, const st_rp_model *m, int total)
{
    st_pdf_ctx p = {cairo_create(surf), m, 1, total, ST_PDF_MARGIN,
                    calloc(m->n_sessions, sizeof(cairo_surface_t *))};
    st_pdf_summary_page(&p);
    st_pdf_new_page(&p);
    st_pdf_charts_pages(&p);
    st_pdf_new_page(&p);
    st_pdf_images_pages(&p);
    st_pdf_new_page(&p);
    st_pdf_table_pages(&p);
    st_pdf_warnings(&p);
    st_pdf_footer(&p);
    cairo_show_page(p.cr);
    int bad = cairo_status(p.cr) != CAIRO_STATUS_SUCCESS;
    cairo_destroy(p.cr);
    for (size_t i = 0; p.aligned && i < m->n_sessions; i++)
        if (p.aligned[i])
            cairo_surface_destroy(p.aligned[i]);
    free(p.aligned);
    return bad ? -1 : p.page;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    (void)closure, (void)data, (void)len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

/* PDF date from "YYYY-MM-DD[THH:MM:SS]": run_date, else the last session's
 * date (the analysis cannot predate it), else a fixed epoch. */
static void pdf_date(const st_rp_model *m, char out[32])
{
    const char *d = m->run_date;
    for (size_t i = m->n_sessions; !d[0] && i-- > 0;)
        d = m->sessions[i].date;
    int Y, M, D, h = 0, mi = 0, s = 0;
    if (sscanf(d, "%4d-%2d-%2d", &Y, &M, &D) != 3 || Y < 1900 || M < 1 || M > 12 || D < 1 || D > 31)
        Y = 2000, M = 1, D = 1;
    else if (strlen(d) >= 19)
        sscanf(d + 11, "%2d:%2d:%2d", &h, &mi, &s);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", Y, M, D, h % 24, mi % 60, s % 60);
}

static void set_metadata(cairo_surface_t *surf, const st_rp_model *m)
{
    char title[300], date[32], creator[64];
    snprintf(title, sizeof title, "Skin progress report — %s%s%s", m->patient,
             m->area[0] ? ", " : "", m->area);
    snprintf(creator, sizeof creator, "skintrack %s", m->tool_version);
    pdf_date(m, date);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, creator);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, date);
}

int st_pdf_report_write(const st_rp_model *m, const char *pdf_path, st_err *err)
{
    cairo_surface_t *count = cairo_pdf_surface_create_for_stream(discard, NULL, ST_PDF_W, ST_PDF_H);
    int total = render(count, m, 0);
    cairo_surface_finish(count);
    cairo_surface_destroy(count);
    if (total <= 0)
        return st_err_set(err, ST_EINTERNAL, "%s: cairo could not lay out the report", pdf_path);
    st_afile af;
    int code = st_afile_open(&af, pdf_path, err);
    if (code != ST_OK)
        return code;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(to_file, af.fp, ST_PDF_W, ST_PDF_H);
    set_metadata(surf, m);
    int pages = render(surf, m, total);
    cairo_surface_finish(surf);
    int bad = cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surf);
    if (pages != total || bad) {
        st_afile_abort(&af);
        return st_err_set(err, ST_EIO, "%s: cairo could not write the PDF", pdf_path);
    }
    return st_afile_commit(&af, err);
}
