/* The public API (include/skintrack/skintrack.h) as a program using only it
 * sees it: an analysis handle on the demo series with a failed session and
 * withheld colour changes (bad-session), written nowhere; one image measured;
 * a pair registered; the status codes of absent values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "skintrack/skintrack.h"
#include "test_util.h"

#define DEMO "../samples/demo/"

static void test_analysis(void)
{
    st_analyze_opts o;
    st_analyze_opts_init(&o);
    o.threads = 2;
    st_analysis *a = NULL;
    st_err err;
    CHECK_EQ_INT(st_analyze_series(DEMO "bad-session", NULL, &o, &a, &err), ST_OK);
    if (!a)
        return;
    CHECK_EQ_INT(st_analysis_sessions(a), 4);
    CHECK_EQ_INT(st_analysis_session_failed(a, 0), 0);
    CHECK_EQ_INT(st_analysis_session_failed(a, 2), 1);
    CHECK_EQ_INT(st_analysis_session_failed(a, 9), -1);
    CHECK(st_analysis_failure(a, 0) && strstr(st_analysis_failure(a, 0), "session 2"));
    CHECK(st_analysis_failure(a, 1) && !st_analysis_failure(a, 2));
    CHECK(st_analysis_note(a, 0) && strstr(st_analysis_note(a, 0), "truth.json"));

    double v = -1, pct = -1;
    CHECK_EQ_INT(st_analysis_value(a, 0, "roughness.sq", &v), ST_OK);
    CHECK(v > 0 && isfinite(v));
    CHECK_EQ_INT(st_analysis_change(a, 0, "roughness.sq", &pct), ST_ENOTFOUND); /* baseline */
    CHECK_EQ_INT(st_analysis_change(a, 1, "roughness.sq", &pct), ST_OK);
    CHECK(isfinite(pct));
    CHECK_EQ_INT(st_analysis_value(a, 2, "roughness.sq", &v), ST_ENOTFOUND);    /* failed */
    CHECK_EQ_INT(st_analysis_change(a, 2, "roughness.sq", &pct), ST_ENOTFOUND);
    CHECK_EQ_INT(st_analysis_value(a, 1, "no.such_metric", &v), ST_ENOTFOUND);
    CHECK_EQ_INT(st_analysis_value(a, 7, "roughness.sq", &v), ST_ENOTFOUND);
    CHECK_EQ_INT(st_analysis_value(a, 1, NULL, &v), ST_EINVAL);
    /* the baseline's colour is not calibrated: the pigment change is withheld */
    CHECK_EQ_INT(st_analysis_value(a, 1, "pigment.ita_deg", &v), ST_OK);
    CHECK_EQ_INT(st_analysis_change(a, 1, "pigment.ita_deg", &pct), ST_ENOTFOUND);
    CHECK(st_analysis_withheld(a, 1, "pigment.ita_deg") != NULL);
    CHECK(st_analysis_withheld(a, 1, "roughness.sq") == NULL);
    int n = 0;
    while (st_analysis_metric_name(a, 1, n))
        n++;
    CHECK(n > 30);
    st_analysis_free(a);
    st_analysis_free(NULL);
}

static void test_analysis_errors(void)
{
    st_analysis *a = (st_analysis *)1;
    st_err err;
    CHECK(st_analyze_series(DEMO "no-such-series", NULL, NULL, &a, &err) != ST_OK);
    CHECK(a == NULL);
    CHECK(err.msg[0] != 0);
    CHECK_EQ_INT(st_analyze_series(NULL, NULL, NULL, &a, &err), ST_EINVAL);
    CHECK(strcmp(st_status_name(ST_ENOTFOUND), "unknown error") != 0);
}

static void test_measure(void)
{
    st_measure_opts o;
    st_measure_opts_init(&o);
    o.threads = 2;
    st_measurement *m = NULL;
    st_err err;
    CHECK_EQ_INT(st_measure_image(DEMO "photo-course/2026-01-05.jpg", &o, &m, &err), ST_OK);
    if (!m)
        return;
    double v;
    CHECK_EQ_INT(st_measurement_value(m, "roughness.sq", &v), ST_OK);
    CHECK(v > 0);
    CHECK_EQ_INT(st_measurement_value(m, "no.such_metric", &v), ST_ENOTFOUND);
    CHECK(st_measurement_metric_name(m, 0) != NULL);
    char *json = NULL;
    CHECK_EQ_INT(st_measurement_json(m, &json, &err), ST_OK);
    CHECK(json && strstr(json, "\"roughness.sq\""));
    st_free(json);
    st_measurement_free(m);
    o.has_modality = 1;
    o.modality = ST_MODALITY_STEREO; /* needs a series */
    CHECK_EQ_INT(st_measure_image(DEMO "photo-course/2026-01-05.jpg", &o, &m, &err), ST_EINVAL);
}

static void test_register(void)
{
    st_image *f = NULL, *mv = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_load(DEMO "photo-course/2026-01-05.jpg", NULL, &f, NULL, &err), ST_OK);
    CHECK_EQ_INT(st_image_load(DEMO "photo-course/2026-02-09.jpg", NULL, &mv, NULL, &err), ST_OK);
    st_register_opts ro;
    st_register_opts_default(&ro);
    ro.threads = 2;
    ro.wisdom = "off";
    st_registration r;
    CHECK_EQ_INT(st_register_pair(f, mv, &ro, &r, &err), ST_OK);
    CHECK(r.status != ST_REG_FAIL);
    CHECK(fabs(r.matrix[8] - 1.0) < 1e-9);
    st_image_free(f);
    st_image_free(mv);
}

int main(void)
{
    test_analysis();
    test_analysis_errors();
    test_measure();
    test_register();
    return test_summary();
}
