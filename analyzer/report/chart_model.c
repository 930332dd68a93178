#include "report/chart_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_catalog.h"

unsigned st_chart_colour(int i)
{
    /* Okabe & Ito (2008) palette, readable with colour-vision deficiency. */
    static const unsigned pal[] = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9};
    return pal[(unsigned)i % (sizeof pal / sizeof pal[0])];
}

/* Heckbert's "nice numbers" (Graphics Gems, 1990): 1, 2, 5 × 10^k steps. */
static double nice_step(double range, int target)
{
    double raw = range / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

static void nice_axis(double lo, double hi, int integer, double *a0, double *a1, double *t,
                      int *nt)
{
    if (!(hi > lo)) {
        double pad = fabs(lo) > 0 ? fabs(lo) * 0.5 : 1;
        lo -= pad, hi += pad;
    }
    double step = nice_step(hi - lo, 5);
    if (integer && step < 1)
        step = 1; /* session numbers: no half sessions */
    *a0 = floor(lo / step) * step;
    *a1 = ceil(hi / step) * step;
    *nt = 0;
    for (double v = *a0; v <= *a1 + step * 0.5 && *nt < ST_CHART_MAX_TICKS; v += step)
        t[(*nt)++] = fabs(v) < step * 1e-9 ? 0.0 : v;
}

static void log_axis(double lo, double hi, double *a0, double *a1, double *t, int *nt)
{
    *a0 = floor(log10(lo));
    *a1 = ceil(log10(hi));
    if (*a1 <= *a0)
        *a1 = *a0 + 1;
    int step = (int)ceil((*a1 - *a0) / (ST_CHART_MAX_TICKS - 1));
    *nt = 0;
    for (double v = *a0; v <= *a1 && *nt < ST_CHART_MAX_TICKS; v += step)
        t[(*nt)++] = v;
}

st_chart_frame st_chart_layout(const st_chart *c, double w, double h)
{
    int rows = c->legend_rows > 0 ? c->legend_rows : 1;
    st_chart_frame f = {58, 30, w - 14, h - 56 - 15.0 * (rows - 1)};
    return f;
}

void st_chart_legend_pos(const st_chart *c, double w, double h, int k, double *x, double *y)
{
    st_chart_frame f = st_chart_layout(c, w, h);
    *x = 58 + (k % 2) * (w - 58) / 2;
    *y = f.bottom + 50 + 15.0 * (k / 2);
}

void st_chart_legend_text(const st_chart *c, int k, char *out, size_t n)
{
    if (k >= c->nser)
        snprintf(out, n, "failed session (left out)");
    else
        snprintf(out, n, "%s%s", c->ser[k].label, c->ser[k].withheld ? " (withheld)" : "");
}

static void count_legend(st_chart *c)
{
    int items = c->nser + (c->nmarks ? 1 : 0);
    c->legend_rows = (items + 1) / 2;
}

double st_chart_px(const st_chart *c, const st_chart_frame *f, double x)
{
    double v = c->logx ? log10(x) : x;
    return f->left + (v - c->x0) / (c->x1 - c->x0) * (f->right - f->left);
}

double st_chart_py(const st_chart *c, const st_chart_frame *f, double y)
{
    double v = c->logy ? log10(y) : y;
    return f->bottom - (v - c->y0) / (c->y1 - c->y0) * (f->bottom - f->top);
}

void st_chart_tick_label(const st_chart *c, int axis_y, double t, char *out, size_t n)
{
    if (axis_y ? c->logy : c->logx) {
        double v = pow(10, t);
        if (t >= -2 && t <= 3)
            snprintf(out, n, "%g", v);
        else
            snprintf(out, n, "1e%d", (int)t);
        return;
    }
    st_rp_fmt_value(out, n, t);
}

void st_chart_free(st_chart *c)
{
    for (int i = 0; i < c->nser; i++) {
        free(c->ser[i].x);
        free(c->ser[i].y);
    }
    free(c->marks);
    memset(c, 0, sizeof *c);
}

static double session_x(const st_rp_model *m, size_t i)
{
    return m->dates_known ? m->sessions[i].days : (double)i;
}

/* One metric's % change per measured session; baseline counts as 0 %. */
static int trend_series(const st_rp_model *m, int mi, st_chart_series *s)
{
    s->x = calloc(m->n_sessions, sizeof *s->x);
    s->y = calloc(m->n_sessions, sizeof *s->y);
    if (!s->x || !s->y)
        return -1;
    for (size_t i = 0; i < m->n_sessions; i++) {
        const st_rp_session *se = &m->sessions[i];
        double y = (int)i == m->baseline ? 0.0 : se->changes[mi];
        if (se->failed || !isfinite(y) || !isfinite(session_x(m, i)))
            continue;
        s->x[s->n] = session_x(m, i);
        s->y[s->n++] = y;
    }
    if (m->dates_known)
        s->has_trend = st_rp_trend_fit(m, mi, &s->slope, &s->icept);
    return 0;
}

static void range_of(const st_chart *c, int use_log_x, double *xlo, double *xhi, double *ylo,
                     double *yhi)
{
    *xlo = *ylo = INFINITY;
    *xhi = *yhi = -INFINITY;
    for (int k = 0; k < c->nser; k++)
        for (size_t i = 0; i < c->ser[k].n; i++) {
            double x = c->ser[k].x[i], y = c->ser[k].y[i];
            if (use_log_x && (x <= 0 || y <= 0))
                continue;
            *xlo = fmin(*xlo, x), *xhi = fmax(*xhi, x);
            *ylo = fmin(*ylo, y), *yhi = fmax(*yhi, y);
        }
    for (size_t i = 0; i < c->nmarks; i++)
        *xlo = fmin(*xlo, c->marks[i].x), *xhi = fmax(*xhi, c->marks[i].x);
}

/* Why a family's chart metrics are withheld in the latest session that
 * withholds any (a chart with no points says so), or NULL. Withheld changes
 * are NAN in the model, so trend_series already leaves them out. */
static const char *family_withheld(const st_rp_model *m, int family)
{
    for (size_t i = m->n_sessions; i-- > 0;)
        for (const char *const *name = st_rp_family_chart((st_rp_family)family); *name; name++) {
            const char *why = st_rp_withheld(&m->sessions[i], st_rp_metric_index(m, *name));
            if (why && !m->sessions[i].failed)
                return why;
        }
    return NULL;
}

int st_chart_trend(const st_rp_model *m, int family, st_chart *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->title, sizeof c->title, "%s: change since baseline",
             st_rp_family_title((st_rp_family)family));
    snprintf(c->xlabel, sizeof c->xlabel, "%s",
             m->dates_known ? "days since baseline" : "session (dates unknown)");
    snprintf(c->ylabel, sizeof c->ylabel, "change %%");
    c->zero_line = 1;
    for (const char *const *name = st_rp_family_chart((st_rp_family)family);
         *name && c->nser < ST_CHART_MAX_SERIES; name++) {
        int mi = st_rp_metric_index(m, *name);
        if (mi < 0)
            continue;
        st_chart_series *s = &c->ser[c->nser];
        s->label = st_rp_metric_info_find(*name)->label;
        s->colour = c->nser;
        if (trend_series(m, mi, s) != 0)
            return -1;
        /* Only the baseline's point: a withheld metric draws no line, and
         * its legend item must not look like a line hidden behind another. */
        for (size_t i = 0; s->n < 2 && i < m->n_sessions; i++)
            s->withheld |= !m->sessions[i].failed && st_rp_withheld(&m->sessions[i], mi) != NULL;
        c->nser++;
    }
    c->marks = calloc(m->n_sessions + 1, sizeof *c->marks);
    if (!c->marks)
        return -1;
    for (size_t i = 0; i < m->n_sessions; i++)
        if (m->sessions[i].failed && isfinite(session_x(m, i)))
            c->marks[c->nmarks++] = (st_chart_mark){session_x(m, i), "failed"};
    double xlo, xhi, ylo, yhi;
    range_of(c, 0, &xlo, &xhi, &ylo, &yhi);
    size_t most = 0;
    for (int k = 0; k < c->nser; k++)
        most = c->ser[k].n > most ? c->ser[k].n : most;
    if (c->nser == 0 || !isfinite(ylo)) {
        c->empty_msg = "not available: none of this family's metrics were measured";
        return 0;
    }
    const char *why = most < 2 ? family_withheld(m, family) : NULL;
    if (why) {
        snprintf(c->msg, sizeof c->msg, "not compared: %s", why[0] ? why : "changes withheld");
        c->empty_msg = c->msg;
        return 0;
    }
    if (most < 2) {
        c->empty_msg = st_rp_latest(m) < 0
                           ? "not available: no follow-up session could be measured"
                           : "not available: no change could be computed (baseline value zero)";
        return 0;
    }
    count_legend(c);
    ylo = fmin(ylo, 0), yhi = fmax(yhi, 0);
    double pad = 0.06 * (yhi - ylo);
    ylo -= pad, yhi += pad;
    nice_axis(xlo, xhi, !m->dates_known, &c->x0, &c->x1, c->xt, &c->nxt);
    nice_axis(ylo, yhi, 0, &c->y0, &c->y1, c->yt, &c->nyt);
    return 0;
}

static int psd_series(const st_rp_session *se, const char *label, int colour, int dashed,
                      st_chart_series *s)
{
    s->x = calloc(se->n_psd, sizeof *s->x);
    s->y = calloc(se->n_psd, sizeof *s->y);
    if (!s->x || !s->y)
        return -1;
    for (size_t i = 0; i < se->n_psd; i++)
        if (se->psd_f[i] > 0 && se->psd_p[i] > 0) {
            s->x[s->n] = se->psd_f[i];
            s->y[s->n++] = se->psd_p[i];
        }
    s->label = label;
    s->colour = colour;
    s->dashed = dashed;
    return 0;
}

int st_chart_psd(const st_rp_model *m, st_chart *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->title, sizeof c->title, "Roughness spectrum (radial PSD)");
    snprintf(c->xlabel, sizeof c->xlabel, "%s",
             m->calibrated ? "spatial frequency (1/mm)" : "spatial frequency (1/pixel)");
    snprintf(c->ylabel, sizeof c->ylabel, "power");
    c->logx = c->logy = 1;
    const st_rp_session *b = &m->sessions[m->baseline];
    int li = st_rp_latest(m);
    if (b->n_psd >= 2 && psd_series(b, "baseline", 0, 0, &c->ser[c->nser++]) != 0)
        return -1;
    if (li >= 0 && m->sessions[li].n_psd >= 2 &&
        psd_series(&m->sessions[li], "latest session", 1, 1, &c->ser[c->nser++]) != 0)
        return -1;
    double xlo, xhi, ylo, yhi;
    range_of(c, 1, &xlo, &xhi, &ylo, &yhi);
    if (c->nser == 0 || !isfinite(xlo) || !(xhi > 0)) {
        c->empty_msg = "not available: this analysis did not export the radial spectrum";
        return 0;
    }
    count_legend(c);
    log_axis(xlo, xhi, &c->x0, &c->x1, c->xt, &c->nxt);
    log_axis(ylo, yhi, &c->y0, &c->y1, c->yt, &c->nyt);
    return 0;
}

unsigned st_ramp5(const unsigned s[5], double t)
{
    if (!isfinite(t))
        t = 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double u = t * 4;
    int k = (int)u;
    if (k >= 4)
        k = 3;
    double f = u - k;
    unsigned out = 0;
    for (int sh = 16; sh >= 0; sh -= 8) {
        double a = (s[k] >> sh) & 255, bb = (s[k + 1] >> sh) & 255;
        out |= (unsigned)lround(a + (bb - a) * f) << sh;
    }
    return out;
}

unsigned st_colour_scale(int which, double t)
{
    /* Stops sampled from matplotlib's viridis and ColorBrewer YlOrRd. */
    static const unsigned vir[] = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};
    static const unsigned ylr[] = {0xFFEDA0, 0xFEB24C, 0xFC4E2A, 0xBD0026, 0x67001F};
    return st_ramp5(which == ST_SCALE_DEPTH ? ylr : vir, t);
}
