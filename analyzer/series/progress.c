#include "series/progress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* SPEC.md, "Progress": lower is better for roughness, pores, scars, wrinkles,
 * pigment.ita_sd, pigment.spot_area_fraction and redness; texture.* (and
 * anything else, such as quality.* or pigment.ita_deg) is neutral. */
int st_metric_direction(const char *name)
{
    static const char *lower_prefix[] = {"roughness.", "pores.", "scars.", "wrinkles.", "redness."};
    for (size_t i = 0; i < sizeof lower_prefix / sizeof *lower_prefix; i++)
        if (!strncmp(name, lower_prefix[i], strlen(lower_prefix[i])))
            return -1;
    if (!strcmp(name, "pigment.ita_sd") || !strcmp(name, "pigment.spot_area_fraction"))
        return -1;
    return 0;
}

int st_percent_change(double session, double baseline, double *change)
{
    if (!isfinite(session) || !isfinite(baseline) || baseline == 0.0)
        return -1;
    *change = 100.0 * (session - baseline) / fabs(baseline);
    return 0;
}

int st_trend_per_30d(const double *days, const double *pct, size_t n, double *slope30)
{
    if (n < 2)
        return -1;
    /* Centred sums: numerically stable for day numbers of any size. */
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += days[i];
        my += pct[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        sxx += (days[i] - mx) * (days[i] - mx);
        sxy += (days[i] - mx) * (pct[i] - my);
    }
    if (sxx <= 0)
        return -1;
    *slope30 = 30.0 * sxy / sxx;
    return 0;
}

void st_mean_sd(const double *v, size_t n, double *mean, double *sd)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += v[i];
    m /= (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - m) * (v[i] - m);
    *mean = m;
    *sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
}

static double clamp100(double x) { return x < -100 ? -100 : x > 100 ? 100 : x; }

double st_remodel_from_changes(const double change[ST_FAM_COUNT], const int used[ST_FAM_COUNT])
{
    double sum = 0;
    int n = 0;
    for (int f = 0; f < ST_FAM_COUNT; f++)
        if (used[f]) {
            sum += clamp100(-change[f]);
            n++;
        }
    return n ? sum / n : 0.0;
}

/* Family value over a multiset of tiles (idx == NULL: every tile once). */
static int family_value(const st_family_tiles *ft, int which, const size_t *idx, size_t n,
                        double *v)
{
    double sn = 0, sd = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = idx ? idx[i] : i;
        sn += ft->num[which][t];
        sd += ft->den[which][t];
    }
    if (sd <= 0)
        return -1;
    *v = ft->take_sqrt ? sqrt(fmax(sn / sd, 0.0)) : sn / sd;
    return 0;
}

/* The index over one tile multiset; families with `mask` 0 are skipped so a
 * resample uses exactly the families of the full estimate. */
static int index_over(const st_remodel_input *in, const size_t *idx, const int mask[ST_FAM_COUNT],
                      double change[ST_FAM_COUNT], int used[ST_FAM_COUNT], double *ri)
{
    for (int f = 0; f < ST_FAM_COUNT; f++) {
        const st_family_tiles *ft = &in->fam[f];
        double vb, vs;
        used[f] = 0;
        if (!ft->present || (mask && !mask[f]))
            continue;
        if (family_value(ft, 0, idx, in->n_tiles, &vb) || family_value(ft, 1, idx, in->n_tiles, &vs))
            continue;
        if (st_percent_change(vs, vb, &change[f]))
            continue;
        used[f] = 1;
    }
    int any = 0;
    for (int f = 0; f < ST_FAM_COUNT; f++)
        any |= used[f];
    if (!any)
        return -1;
    *ri = st_remodel_from_changes(change, used);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Percentile with linear interpolation between order statistics (type 7). */
static double percentile(const double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (h - (double)lo) * (sorted[hi] - sorted[lo]);
}

static void interval(double *v, size_t n, double point, double ci[2])
{
    if (!n) {
        ci[0] = ci[1] = point;
        return;
    }
    qsort(v, n, sizeof *v, cmp_double);
    ci[0] = percentile(v, n, 0.025);
    ci[1] = percentile(v, n, 0.975);
}

int st_remodel_index(const st_remodel_input *in, st_remodel_result *out)
{
    memset(out, 0, sizeof *out);
    if (!in->n_tiles || index_over(in, NULL, NULL, out->change, out->used, &out->value))
        return 0;
    out->valid = 1;
    size_t nb = in->n_boot > 0 ? (size_t)in->n_boot : ST_REMODEL_DEFAULT_BOOT;
    uint64_t state = in->seed ? in->seed : ST_REMODEL_DEFAULT_SEED;
    size_t *idx = malloc(in->n_tiles * sizeof *idx);
    double *ri = malloc((ST_FAM_COUNT + 1) * nb * sizeof *ri);
    if (!idx || !ri) {
        free(idx);
        free(ri);
        out->valid = 0;
        return -1;
    }
    double *fam = ri + nb; /* fam[f * nb + k]: C_f of kept resample k */
    size_t kept = 0;
    for (size_t b = 0; b < nb; b++) {
        for (size_t i = 0; i < in->n_tiles; i++)
            idx[i] = (size_t)(st_splitmix64(&state) % in->n_tiles);
        double change[ST_FAM_COUNT], v;
        int used[ST_FAM_COUNT];
        /* A resample where a family has no tiles of its kind (e.g. no pores
         * drawn) changes the formula; such draws are skipped, not mixed in. */
        if (index_over(in, idx, out->used, change, used, &v) || memcmp(used, out->used, sizeof used))
            continue;
        for (int f = 0; f < ST_FAM_COUNT; f++)
            fam[f * nb + kept] = used[f] ? change[f] : 0.0;
        ri[kept++] = v;
    }
    interval(ri, kept, out->value, out->ci95);
    for (int f = 0; f < ST_FAM_COUNT; f++)
        interval(fam + f * nb, kept, out->change[f], out->change_ci95[f]);
    free(idx);
    free(ri);
    return 0;
}
