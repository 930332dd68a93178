#define _DEFAULT_SOURCE /* M_PI */
#include "series/scar_match.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/error.h"

typedef struct pair {
    double d2;
    size_t i, j;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *p = a, *q = b;
    if (p->d2 != q->d2)
        return p->d2 < q->d2 ? -1 : 1;
    /* ties by index, so the pairing does not depend on qsort's order */
    if (p->i != q->i)
        return p->i < q->i ? -1 : 1;
    return (p->j > q->j) - (p->j < q->j);
}

/* Equivalent radius in pixels. */
static double radius_px(const st_scar *s, double px)
{
    double a = s->area_mm2 > 0 ? s->area_mm2 : 0;
    return sqrt(a / M_PI) / px;
}

int st_scar_match_sets(const st_scar *b, size_t nb, const st_scar *s, size_t ns, double pixel_mm,
                       st_scar_match *out)
{
    double px = pixel_mm > 0 ? pixel_mm : 1.0;
    double floor_px = pixel_mm > 0 ? ST_SCAR_MATCH_MM / px : ST_SCAR_MATCH_MM;
    *out = (st_scar_match){nb, ns, 0};
    if (!nb || !ns)
        return ST_OK;
    if (nb > SIZE_MAX / ns / sizeof(pair))
        return ST_ENOMEM;
    pair *p = malloc(nb * ns * sizeof *p);
    unsigned char *used_b = calloc(nb, 1), *used_s = calloc(ns, 1);
    if (!p || !used_b || !used_s) {
        free(p);
        free(used_b);
        free(used_s);
        return ST_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < nb; i++)
        for (size_t j = 0; j < ns; j++) {
            double dx = b[i].x - s[j].x, dy = b[i].y - s[j].y;
            double reach = fmax(floor_px, fmax(radius_px(&b[i], px), radius_px(&s[j], px)));
            double d2 = dx * dx + dy * dy;
            if (d2 <= reach * reach)
                p[n++] = (pair){d2, i, j};
        }
    qsort(p, n, sizeof *p, cmp_pair);
    for (size_t k = 0; k < n; k++)
        if (!used_b[p[k].i] && !used_s[p[k].j]) {
            used_b[p[k].i] = used_s[p[k].j] = 1;
            out->matched++;
        }
    free(p);
    free(used_b);
    free(used_s);
    return ST_OK;
}

int st_scar_sets_same(const st_scar_match *m)
{
    return m->matched == m->baseline && m->matched == m->session;
}
