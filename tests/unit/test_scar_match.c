/* Photos: the changes of scars.count, scars.area_mm2, scars.area_fraction
 * and scars.volume compare sums over the scars found, so st_series_progress
 * withholds them, naming the numbers, when a session's scars are not the
 * baseline's (series/scar_match.h); where every scar has its counterpart
 * they are reported. Hand-made detections in baseline pixels, 0.05 mm/px. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "series/result.h"
#include "series/scan.h"
#include "series/scar_match.h"
#include "test_util.h"

#define PX_MM 0.05

static const char *set_names[4] = {"scars.count", "scars.area_mm2", "scars.area_fraction", "scars.volume"};

static st_scar scar(double x, double y, double area_mm2)
{
    st_scar s = {0};
    s.x = x;
    s.y = y;
    s.area_mm2 = area_mm2;
    return s;
}

static void put(st_metric_set *s, const char *n, double v, const char *u)
{
    st_err err;
    CHECK_EQ_INT(st_metric_set_put(s, n, v, u, &err), ST_OK);
    st_metric_set_sort(s);
}

/* Session metrics as sums over its scars, as the detector gives them. */
static void session(st_series *series, st_session_result *s, size_t i, const st_scar *sc, size_t n)
{
    double area = 0;
    for (size_t k = 0; k < n; k++)
        area += sc[k].area_mm2;
    s->scan = &series->sessions[i];
    strcpy(s->colour.status, "calibrated");
    s->light = (st_light_info){1, {-0.5, -0.5, 0.707}, 0.5, 1};
    put(&s->metrics, "scars.count", (double)n, "");
    put(&s->metrics, "scars.area_mm2", area, "mm2");
    put(&s->metrics, "scars.area_fraction", area / 12.0, "%");
    put(&s->metrics, "scars.volume", 0.01 * area, "rel");
    put(&s->metrics, "scars.max_depth", i ? 0.18 : 0.2, "rel");
    s->det.n_scars = n;
    s->det.scars = n ? malloc(n * sizeof *sc) : NULL;
    if (n)
        memcpy(s->det.scars, sc, n * sizeof *sc);
}

/* Baseline b, one later session s: the reason of the set's changes (NULL
 * when they must be reported) and the count's change when reported. */
static void check_pair(st_modality mod, const st_scar *b, size_t nb, const st_scar *s, size_t ns,
                       const char *why, double count_change)
{
    st_series series;
    st_series_result res;
    st_err err;
    memset(&series, 0, sizeof series);
    const char *files[] = {"2026-01-05.jpg", "2026-02-09.jpg"};
    const char *dates[] = {"2026-01-05", "2026-02-09"};
    st_date_source src[] = {ST_DATE_FILENAME, ST_DATE_FILENAME};
    CHECK_EQ_INT(st_series_group(&series, files, dates, src, 2, &err), ST_OK);
    series.modality = mod;
    series.pixel_mm = PX_MM;
    memset(&res, 0, sizeof res);
    res.series = &series;
    res.n_sessions = 2;
    res.sessions = calloc(2, sizeof *res.sessions);
    session(&series, &res.sessions[0], 0, b, nb);
    session(&series, &res.sessions[1], 1, s, ns);
    CHECK_EQ_INT(st_series_progress(&res, &err), ST_OK);
    const st_session_result *r = &res.sessions[1];
    for (int k = 0; k < 4; k++) {
        const char *got = st_withheld_reason(r, set_names[k]);
        const st_metric *c = st_metric_set_find(&r->change, set_names[k]);
        if (why) {
            CHECK_MSG(got && !strcmp(got, why), "%s: withheld '%s', expected '%s'", set_names[k], got ? got : "(none)",
                      why);
            CHECK(!c);
        } else {
            CHECK_MSG(!got, "%s withheld: %s", set_names[k], got ? got : "");
            CHECK(c != NULL);
        }
    }
    if (!why) {
        const st_metric *c = st_metric_set_find(&r->change, "scars.count");
        CHECK(c && fabs(c->value - count_change) < 1e-9);
    }
    /* the depth of the deepest scar is not a sum over the set: reported */
    const st_metric *d = st_metric_set_find(&r->change, "scars.max_depth");
    CHECK(d && fabs(d->value + 10.0) < 1e-9 && !st_withheld_reason(r, "scars.max_depth"));
    CHECK((st_metric_set_find(&res.trend, "scars.count") != NULL) == (why == NULL));
    st_series_result_free(&res);
    st_series_free(&series);
}

static void test_matcher(void)
{
    st_scar_match m;
    /* a 2 mm² scar (radius 0.8 mm = 16 px) moved 15 px still pairs; a
     * 0.2 mm² icepick (radius 0.25 mm) pairs within the 0.5 mm floor
     * (10 px) and not at 11 px */
    st_scar b[2] = {scar(100, 100, 2.0), scar(300, 100, 0.2)};
    st_scar s[2] = {scar(309, 100, 0.2), scar(112, 109, 2.0)};
    CHECK_EQ_INT(st_scar_match_sets(b, 2, s, 2, PX_MM, &m), ST_OK);
    CHECK(m.baseline == 2 && m.session == 2 && m.matched == 2 && st_scar_sets_same(&m));
    s[0].x = 311;
    CHECK_EQ_INT(st_scar_match_sets(b, 2, s, 2, PX_MM, &m), ST_OK);
    CHECK(m.matched == 1 && !st_scar_sets_same(&m));
    /* one to one: two pieces where the baseline had one scar pair once */
    st_scar split[2] = {scar(98, 100, 1.0), scar(104, 100, 1.0)};
    CHECK_EQ_INT(st_scar_match_sets(b, 1, split, 2, PX_MM, &m), ST_OK);
    CHECK(m.matched == 1 && m.session == 2 && !st_scar_sets_same(&m));
    /* nothing found on either side: the same (empty) set */
    CHECK_EQ_INT(st_scar_match_sets(NULL, 0, NULL, 0, PX_MM, &m), ST_OK);
    CHECK(st_scar_sets_same(&m));
}

int main(void)
{
    test_matcher();
    const st_scar five[5] = {scar(100, 100, 3.5), scar(300, 120, 0.3), scar(500, 400, 8.0), scar(200, 500, 1.2),
                             scar(700, 300, 0.7)};
    /* the same five scars, moved 0.4 mm by the registration's error and 10 % smaller */
    st_scar same[5];
    for (int k = 0; k < 5; k++)
        same[k] = scar(five[k].x + 6, five[k].y - 5, five[k].area_mm2 * 0.9);
    check_pair(ST_MODALITY_PHOTO, five, 5, same, 5, NULL, 0.0);
    /* the demo course's session 1 shape: two found at baseline, five later */
    const st_scar two[2] = {five[0], five[2]};
    check_pair(ST_MODALITY_PHOTO, two, 2, same, 5, "scars found differ from the baseline's (2 of its 2 matched, 3 new)",
               0);
    /* two of the baseline's scars not found again */
    const st_scar three[3] = {same[0], same[2], same[4]};
    check_pair(ST_MODALITY_PHOTO, five, 5, three, 3, "scars found differ from the baseline's (3 of its 5 matched, 0 new)",
               0);
    /* a scar found elsewhere: one missing and one new */
    st_scar moved[5];
    memcpy(moved, same, sizeof moved);
    moved[1].x += 200;
    check_pair(ST_MODALITY_PHOTO, five, 5, moved, 5, "scars found differ from the baseline's (4 of its 5 matched, 1 new)",
               0);
    /* height maps: left as they were (their count's change is reported) */
    check_pair(ST_MODALITY_HEIGHT, five, 5, three, 3, NULL, -40.0);
    return test_summary();
}
