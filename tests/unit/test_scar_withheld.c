/* Photos: a scar whose dark wall lies in the lamp's shadow (depth_shadowed,
 * scar_photo.c) shows no depth, so st_series_progress withholds the
 * sessions' scars.max_depth, scars.mean_depth and scars.volume changes with
 * the reason, and only those: scars.count and roughness change as usual. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "series/result.h"
#include "series/scan.h"
#include "test_util.h"

static const char *depth_names[3] = {"scars.max_depth", "scars.mean_depth", "scars.volume"};

static void put(st_metric_set *s, const char *n, double v, const char *u)
{
    st_err err;
    CHECK_EQ_INT(st_metric_set_put(s, n, v, u, &err), ST_OK);
    st_metric_set_sort(s);
}

/* Three sessions, scars 10 % shallower each; shadowed[i]: session i has a
 * scar whose wall is in shadow (besides one whose depth shows). */
static void build(st_series *series, st_series_result *res, const int shadowed[3])
{
    st_err err;
    memset(series, 0, sizeof *series);
    const char *files[] = {"2026-01-05.jpg", "2026-02-09.jpg", "2026-03-16.jpg"};
    const char *dates[] = {"2026-01-05", "2026-02-09", "2026-03-16"};
    st_date_source src[] = {ST_DATE_FILENAME, ST_DATE_FILENAME, ST_DATE_FILENAME};
    CHECK_EQ_INT(st_series_group(series, files, dates, src, 3, &err), ST_OK);
    memset(res, 0, sizeof *res);
    res->series = series;
    res->n_sessions = 3;
    res->sessions = calloc(3, sizeof *res->sessions);
    for (int i = 0; i < 3; i++) {
        st_session_result *s = &res->sessions[i];
        double k = i == 0 ? 1.0 : (i == 1 ? 0.9 : 0.81);
        s->scan = &series->sessions[i];
        strcpy(s->colour.status, "calibrated");
        s->light = (st_light_info){1, {-0.5, -0.5, 0.707}, 0.5, 1};
        put(&s->metrics, "scars.max_depth", 0.2 * k, "rel");
        put(&s->metrics, "scars.mean_depth", 0.05 * k, "rel");
        put(&s->metrics, "scars.volume", 0.03 * k, "rel");
        put(&s->metrics, "scars.count", 2, "");
        put(&s->metrics, "roughness.sq", 0.015 * k, "rel");
        s->det.n_scars = 2;
        s->det.scars = calloc(2, sizeof(st_scar));
        s->det.scars[1].depth_shadowed = shadowed[i];
    }
}

static void test_case(const int shadowed[3], const char *const why[3])
{
    st_series series;
    st_series_result res;
    st_err err;
    build(&series, &res, shadowed);
    CHECK_EQ_INT(st_series_progress(&res, &err), ST_OK);
    for (int i = 1; i < 3; i++) {
        const st_session_result *s = &res.sessions[i];
        for (int k = 0; k < 3; k++) {
            const char *r = st_withheld_reason(s, depth_names[k]);
            const st_metric *c = st_metric_set_find(&s->change, depth_names[k]);
            if (why[i]) {
                CHECK(r && strstr(r, "scar depth not measurable") && strstr(r, why[i]));
                CHECK(!c);
            } else {
                CHECK(!r);
                CHECK(c && fabs(c->value - (i == 1 ? -10.0 : -19.0)) < 1e-9);
            }
        }
        const st_metric *n = st_metric_set_find(&s->change, "scars.count");
        const st_metric *q = st_metric_set_find(&s->change, "roughness.sq");
        CHECK(n && n->value == 0.0);
        CHECK(q && fabs(q->value - (i == 1 ? -10.0 : -19.0)) < 1e-9);
        CHECK(!st_withheld_reason(s, "scars.count") && !st_withheld_reason(s, "roughness.sq"));
    }
    /* a withheld change has no trend either */
    CHECK((st_metric_set_find(&res.trend, "scars.max_depth") != NULL) == (why[1] == NULL || why[2] == NULL));
    st_series_result_free(&res);
    st_series_free(&series);
}

int main(void)
{
    test_case((const int[3]){0, 0, 0}, (const char *const[3]){NULL, NULL, NULL});
    test_case((const int[3]){1, 0, 0}, (const char *const[3]){NULL, "in the baseline", "in the baseline"});
    test_case((const int[3]){0, 0, 1}, (const char *const[3]){NULL, NULL, "in this session"});
    return test_summary();
}
