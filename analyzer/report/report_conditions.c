#include "report/report_conditions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_words.h"

int st_rp_colour_text(const st_rp_session *s, char *out, size_t n)
{
    const st_rp_colour *c = &s->colour;
    out[0] = '\0';
    if (!c->status[0])
        return 0;
    if (strcmp(c->status, "calibrated") == 0) {
        if (isfinite(c->de00_before) && isfinite(c->de00_after))
            snprintf(out, n, "Colour calibrated on the chart (ΔE00 %.1f → %.1f)", c->de00_before,
                     c->de00_after);
        else
            snprintf(out, n, "Colour calibrated on the chart");
        return 0;
    }
    if (strcmp(c->status, "fixed") == 0) {
        snprintf(out, n, "Colour as measured: fixed camera");
        return 0;
    }
    if (strcmp(c->status, "uncalibrated") == 0) {
        snprintf(out, n, "Colour not calibrated: %s — colour changes are not compared",
                 c->message[0] ? c->message : "no colour chart found in the photo");
        return 1;
    }
    snprintf(out, n, "Colour: %s", c->status); /* a status this report does not know */
    return 0;
}

void st_rp_colour_short(const st_rp_session *s, char *out, size_t n)
{
    const st_rp_colour *c = &s->colour;
    if (strcmp(c->status, "calibrated") == 0)
        snprintf(out, n, "calibrated");
    else if (strcmp(c->status, "fixed") == 0)
        snprintf(out, n, "fixed camera");
    else if (strcmp(c->status, "uncalibrated") == 0)
        snprintf(out, n, "not calibrated");
    else
        snprintf(out, n, "%s", c->status);
}

/* The lamp's angle as people say it: whole degrees. */
static void degrees(char *out, size_t n, double a)
{
    snprintf(out, n, "%.0f°", fabs(a) < 0.5 ? 0.0 : a);
}

int st_rp_light_text(const st_rp_model *m, size_t si, char *out, size_t n)
{
    const st_rp_light *l = &m->sessions[si].light;
    char deg[32];
    out[0] = '\0';
    if (!l->present)
        return 0;
    if ((int)si == m->baseline) {
        snprintf(out, n, "Lamp: the reference for later sessions");
        return 0;
    }
    degrees(deg, sizeof deg, l->angle_deg);
    if (l->relief_comparable == 0) {
        if (isfinite(l->angle_deg))
            snprintf(out, n, "Lamp moved %s from the baseline's: relief, texture, scar and line "
                             "changes not compared", deg);
        else
            snprintf(out, n, "Lamp moved from the baseline's: relief, texture, scar and line "
                             "changes not compared");
        return 1;
    }
    if (isfinite(l->angle_deg))
        snprintf(out, n, "Lamp %s from the baseline's", deg);
    else
        snprintf(out, n, "Lamp direction estimated");
    return 0;
}

void st_rp_light_short(const st_rp_model *m, size_t si, char *out, size_t n)
{
    const st_rp_light *l = &m->sessions[si].light;
    char deg[32];
    out[0] = '\0';
    if (!l->present)
        return;
    degrees(deg, sizeof deg, l->angle_deg);
    if ((int)si == m->baseline)
        snprintf(out, n, "reference");
    else if (!isfinite(l->angle_deg))
        snprintf(out, n, "%s", l->relief_comparable == 0 ? "moved" : "estimated");
    else
        snprintf(out, n, "%s%s", l->relief_comparable == 0 ? "moved " : "", deg);
}

int st_rp_has_conditions(const st_rp_model *m)
{
    for (size_t i = 0; i < m->n_sessions; i++)
        if (m->sessions[i].colour.status[0] || m->sessions[i].light.present)
            return 1;
    return 0;
}

/* Calls fn for each distinct reason in order (session order, then file
 * order), with its 1-based number; stops when fn returns non-zero. */
static int each_reason(const st_rp_model *m, int (*fn)(void *, int, const char *), void *ctx)
{
    int k = 0;
    for (size_t i = 0; i < m->n_sessions; i++) {
        const st_rp_session *s = &m->sessions[i];
        for (size_t w = 0; w < s->n_withheld; w++) {
            int seen = 0;
            for (size_t j = 0; j <= i && !seen; j++)
                for (size_t v = 0; v < m->sessions[j].n_withheld && !seen; v++) {
                    if (j == i && v >= w)
                        break;
                    seen = strcmp(m->sessions[j].wh_reasons[v], s->wh_reasons[w]) == 0;
                }
            if (!seen && fn(ctx, ++k, s->wh_reasons[w]))
                return k;
        }
    }
    return 0;
}

static int match_reason(void *ctx, int k, const char *reason)
{
    (void)k;
    return strcmp(ctx, reason) == 0;
}

int st_rp_withheld_note(const st_rp_model *m, const char *reason)
{
    return reason ? each_reason(m, match_reason, (void *)reason) : 0;
}

typedef struct note_ctx {
    const st_rp_model *m;
    void (*emit)(void *, int, const char *);
    void *ctx;
    size_t n;
} note_ctx;

static int emit_note(void *ctx, int k, const char *reason)
{
    note_ctx *c = ctx;
    char line[800], name[96];
    int len = snprintf(line, sizeof line, "Not compared: %s (", reason[0] ? reason : "no reason given");
    int first = 1;
    for (size_t i = 0; i < c->m->n_sessions && len > 0 && (size_t)len < sizeof line; i++) {
        const st_rp_session *s = &c->m->sessions[i];
        int has = 0;
        for (size_t w = 0; w < s->n_withheld && !has; w++)
            has = strcmp(s->wh_reasons[w], reason) == 0;
        if (!has)
            continue;
        st_rp_session_name(c->m, i, name, sizeof name);
        len += snprintf(line + len, sizeof line - (size_t)len, "%s%s", first ? "" : ", ", name);
        first = 0;
    }
    if (len > 0 && (size_t)len < sizeof line)
        snprintf(line + len, sizeof line - (size_t)len, ")");
    c->emit(c->ctx, k, line);
    c->n++;
    return 0;
}

size_t st_rp_withheld_notes(const st_rp_model *m, void (*emit)(void *, int, const char *), void *ctx)
{
    note_ctx c = {m, emit, ctx, 0};
    each_reason(m, emit_note, &c);
    return c.n;
}
