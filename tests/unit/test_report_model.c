/* The report model equals metrics.json: every value, change, trend and the
 * index of the fixtures (tests/data/report) read back with cJSON directly;
 * failed, uncalibrated and height series; bad input. */
#include <cjson/cJSON.h>

#include "report/report_catalog.h"
#include "report/report_model.h"
#include "report/report_words.h"
#include "test_util.h"

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return cJSON_Parse(buf);
}

/* Every metric and change of every session, both ways round. */
static void check_values(const st_rp_model *m, const cJSON *doc)
{
    const cJSON *sessions = cJSON_GetObjectItem(doc, "sessions"), *s;
    size_t i = 0, seen = 0;
    cJSON_ArrayForEach(s, sessions)
    {
        const st_rp_session *ms = &m->sessions[i++];
        CHECK_EQ_INT(ms->index, cJSON_GetObjectItem(s, "index")->valueint);
        const cJSON *met = cJSON_GetObjectItem(s, "metrics"), *ch = cJSON_GetObjectItem(s, "change");
        const cJSON *it;
        cJSON_ArrayForEach(it, met)
        {
            int k = st_rp_metric_index(m, it->string);
            CHECK_MSG(k >= 0, "metric %s missing from the model", it->string);
            if (k < 0)
                continue;
            CHECK(ms->values[k] == cJSON_GetObjectItem(it, "value")->valuedouble);
            CHECK(strcmp(m->metric_units[k], cJSON_GetObjectItem(it, "unit")->valuestring) == 0);
            const cJSON *c = cJSON_GetObjectItem(ch, it->string);
            if (c)
                CHECK(ms->changes[k] == c->valuedouble);
            else
                CHECK(isnan(ms->changes[k]));
            seen++;
        }
        /* and nothing in the model that the JSON lacks */
        for (size_t k = 0; k < m->n_metrics; k++)
            if (!isnan(ms->values[k]))
                CHECK(cJSON_GetObjectItem(met, m->metric_names[k]) != NULL);
    }
    CHECK_EQ_INT(i, m->n_sessions);
    CHECK(seen > 0);
}

static void test_demo(void)
{
    st_rp_model m;
    st_err err = {0};
    CHECK_EQ_INT(st_rp_model_load("data/report/demo", &m, &err), ST_OK);
    cJSON *doc = load_json("data/report/demo/metrics.json");
    CHECK(doc != NULL);
    if (!doc || err.code)
        return;
    check_values(&m, doc);
    CHECK_EQ_INT(m.n_sessions, 4);
    CHECK_EQ_INT(m.baseline, 0);
    CHECK(m.dates_known);
    CHECK(m.calibrated);
    CHECK_NEAR(m.pixel_mm, 0.05, 0);
    CHECK(strcmp(m.patient, "P-0042") == 0 && strcmp(m.area, "left cheek") == 0);
    /* the failed session, and "latest" skips it */
    CHECK(!m.sessions[1].failed && m.sessions[2].failed && !m.sessions[3].failed);
    CHECK(strstr(m.sessions[2].fail_reason, "too little overlap") != NULL);
    CHECK_EQ_INT(st_rp_latest(&m), 3);
    const cJSON *pr = cJSON_GetObjectItem(doc, "progress");
    const cJSON *ri = cJSON_GetObjectItem(pr, "remodeling_index");
    CHECK(m.index_value == cJSON_GetObjectItem(ri, "value")->valuedouble);
    CHECK(m.index_lo == cJSON_GetArrayItem(cJSON_GetObjectItem(ri, "ci95"), 0)->valuedouble);
    CHECK(m.index_hi == cJSON_GetArrayItem(cJSON_GetObjectItem(ri, "ci95"), 1)->valuedouble);
    CHECK_EQ_INT(m.n_flags, cJSON_GetArraySize(cJSON_GetObjectItem(pr, "flags")));
    /* Our least-squares line is the one SPEC.md defines for trend_per_30d. */
    const cJSON *it;
    int fits = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(pr, "trend_per_30d"))
    {
        int k = st_rp_metric_index(&m, it->string);
        double slope, icept;
        CHECK(k >= 0 && m.trend_30d[k] == it->valuedouble);
        if (k >= 0 && st_rp_trend_fit(&m, k, &slope, &icept)) {
            CHECK_NEAR(slope * 30, it->valuedouble, 1e-4 * fabs(it->valuedouble) + 1e-9);
            fits++;
        }
    }
    CHECK(fits > 40);
    /* images: png, jpg, and what is absent stays absent */
    CHECK(strcmp(m.sessions[0].images[ST_IMG_ALIGNED], "images/s0_aligned.png") == 0);
    CHECK(strcmp(m.sessions[1].images[ST_IMG_ALIGNED], "images/s1_aligned.jpg") == 0);
    CHECK(strcmp(m.sessions[3].images[ST_IMG_DIFF], "images/s3_diff.png") == 0);
    CHECK(m.sessions[2].images[ST_IMG_ALIGNED][0] == '\0');
    CHECK_EQ_INT(m.sessions[0].n_psd, 20);
    CHECK_EQ_INT(m.sessions[0].n_pores, 20);
    CHECK_EQ_INT(m.sessions[3].n_scars, 3);
    CHECK_EQ_INT(m.sessions[3].n_wrinkles, 2);
    CHECK_EQ_INT(m.sessions[3].n_tiles, 2);
    CHECK(isnan(m.sessions[3].tiles[0].values[3]) && m.sessions[3].tiles[0].values[4] > 0);
    CHECK(strcmp(m.sessions[3].tiles[0].unit, "rel") == 0);
    CHECK(m.sessions[3].img_scale == 1 && m.sessions[3].img_ox == 0);
    CHECK(isnan(m.sessions[2].img_scale));
    int sq = st_rp_metric_index(&m, "roughness.sq");
    CHECK(sq >= 0 && m.sessions[1].spread[sq] > 0 && isnan(m.sessions[3].spread[sq]));
    CHECK(m.sessions[3].tiles[0].rows == 3 && m.sessions[3].tiles[0].cols == 4);
    /* summary words: interval excludes 0 -> improved; crosses 0 -> not significant */
    st_rp_family_summary fs;
    st_rp_summarise_family(&m, ST_FAM_ROUGHNESS, &fs);
    CHECK_EQ_INT(fs.verdict, ST_V_IMPROVED);
    CHECK(fs.change == m.sessions[3].changes[st_rp_metric_index(&m, "roughness.sq")]);
    st_rp_summarise_family(&m, ST_FAM_WRINKLES, &fs);
    CHECK_EQ_INT(fs.verdict, ST_V_NOT_SIGNIFICANT);
    CHECK(strstr(fs.sentence, "not significant") != NULL);
    /* headlines: pore size; on photos the scars' mean depth (their volume is
     * only a relative index there) */
    st_rp_summarise_family(&m, ST_FAM_PORES, &fs);
    CHECK(fs.metric == st_rp_metric_index(&m, "pores.mean_diameter_mm"));
    st_rp_summarise_family(&m, ST_FAM_SCARS, &fs);
    CHECK(fs.metric >= 0 && fs.metric == st_rp_metric_index(&m, "scars.mean_depth"));
    /* assets cannot escape the output folder */
    size_t n;
    CHECK(st_rp_read_asset(&m, "../uncal/metrics.json", &n) == NULL);
    CHECK(st_rp_read_asset(&m, "/etc/passwd", &n) == NULL);
    unsigned char *png = st_rp_read_asset(&m, "images/s0_aligned.png", &n);
    CHECK(png != NULL && n > 8 && memcmp(png, "\x89PNG", 4) == 0);
    free(png);
    cJSON_Delete(doc);
    st_rp_model_free(&m);
}

static void test_uncal_and_height(void)
{
    st_rp_model m;
    st_err err = {0};
    CHECK_EQ_INT(st_rp_model_load("data/report/uncal", &m, &err), ST_OK);
    cJSON *doc = load_json("data/report/uncal/metrics.json");
    if (doc && !err.code) {
        check_values(&m, doc);
        CHECK(!m.calibrated && !m.dates_known);
        CHECK(st_rp_metric_index(&m, "pores.density_cm2") < 0);
        const st_rp_metric_info *mi = st_rp_metric_info_find("pores.density_cm2");
        CHECK(strstr(st_rp_missing_reason(mi, m.modality, m.calibrated), "uncalibrated") != NULL);
        st_rp_family_summary fs;
        st_rp_summarise_family(&m, ST_FAM_ROUGHNESS, &fs);
        CHECK_EQ_INT(fs.verdict, ST_V_UNTESTED); /* no interval given */
        st_rp_model_free(&m);
    }
    cJSON_Delete(doc);
    CHECK_EQ_INT(st_rp_model_load("data/report/height", &m, &err), ST_OK);
    doc = load_json("data/report/height/metrics.json");
    if (doc && !err.code) {
        check_values(&m, doc);
        CHECK(strcmp(m.modality, "height") == 0);
        CHECK(st_rp_metric_index(&m, "pigment.ita_deg") < 0);
        int k = st_rp_metric_index(&m, "roughness.sq");
        CHECK(k >= 0 && strcmp(m.metric_units[k], "um") == 0);
        const st_rp_metric_info *mi = st_rp_metric_info_find("redness.erythema_index");
        CHECK(strstr(st_rp_missing_reason(mi, m.modality, m.calibrated), "no colour") != NULL);
        st_rp_family_summary fs;
        st_rp_summarise_family(&m, ST_FAM_REDNESS, &fs);
        CHECK_EQ_INT(fs.verdict, ST_V_NONE);
        CHECK(strstr(fs.sentence, "no colour") != NULL);
        /* heights: the scars' headline is their volume */
        st_rp_summarise_family(&m, ST_FAM_SCARS, &fs);
        CHECK(fs.metric >= 0 && fs.metric == st_rp_metric_index(&m, "scars.volume"));
        st_rp_model_free(&m);
    }
    cJSON_Delete(doc);
}

/* A family with nothing at baseline has no percent change: nothing later
 * either reads "none found" and unchanged; something new is said in words. */
static void test_none_at_baseline(void)
{
    const char *fmt = "{\"schema\": \"skintrack/1\", \"series\": {\"modality\": \"photo\", "
                      "\"calibrated\": true}, \"sessions\": [{\"index\": 0, \"status\": \"ok\", "
                      "\"metrics\": {\"wrinkles.length_mm_cm2\": {\"value\": 0, \"unit\": "
                      "\"mm/cm2\"}}}, {\"index\": 1, \"status\": \"ok\", \"metrics\": "
                      "{\"wrinkles.length_mm_cm2\": {\"value\": %s, \"unit\": \"mm/cm2\"}}}]}";
    char json[1024];
    st_rp_model m;
    st_err err = {0};
    st_rp_family_summary fs;
    snprintf(json, sizeof json, fmt, "0");
    CHECK_EQ_INT(st_rp_model_parse(json, strlen(json), "x", &m, &err), ST_OK);
    if (!err.code) {
        st_rp_summarise_family(&m, ST_FAM_WRINKLES, &fs);
        CHECK_EQ_INT(fs.verdict, ST_V_UNCHANGED);
        CHECK(fs.change == 0.0 && strstr(fs.sentence, "None found") != NULL);
        st_rp_model_free(&m);
    }
    snprintf(json, sizeof json, fmt, "12.5");
    CHECK_EQ_INT(st_rp_model_parse(json, strlen(json), "x", &m, &err), ST_OK);
    if (!err.code) {
        st_rp_summarise_family(&m, ST_FAM_WRINKLES, &fs);
        CHECK_EQ_INT(fs.verdict, ST_V_UNTESTED);
        CHECK(fs.metric < 0 && strstr(fs.sentence, "None found at baseline") != NULL &&
              strstr(fs.sentence, "12.5") != NULL && strcmp(fs.no_change, "new since baseline") == 0);
        st_rp_model_free(&m);
    }
}

static void test_bad_input(void)
{
    st_rp_model m;
    st_err err = {0};
    CHECK_EQ_INT(st_rp_model_parse("{not json", 9, "x", &m, &err), ST_EFORMAT);
    CHECK(strstr(err.msg, "x/metrics.json") != NULL);
    const char *other = "{\"schema\": \"other/2\", \"series\": {}, \"sessions\": [{}]}";
    CHECK_EQ_INT(st_rp_model_parse(other, strlen(other), "x", &m, &err), ST_EFORMAT);
    CHECK(strstr(err.msg, "schema") != NULL);
    const char *nos = "{\"schema\": \"skintrack/1\", \"series\": {}, \"sessions\": []}";
    CHECK_EQ_INT(st_rp_model_parse(nos, strlen(nos), "x", &m, &err), ST_EFORMAT);
    CHECK(strstr(err.msg, "sessions") != NULL);
    CHECK_EQ_INT(st_rp_model_load("data/report/no-such-dir", &m, &err), ST_EIO);
    CHECK(strstr(err.msg, "no-such-dir/metrics.json") != NULL);
    /* wrong types are tolerated as absent, never crash */
    const char *odd = "{\"schema\": \"skintrack/1\", \"series\": {\"patient\": 7, \"roi\": \"x\"},"
                      " \"sessions\": [{\"metrics\": {\"roughness.sq\": 3, \"pores.count\": "
                      "{\"value\": \"a\"}}, \"detections\": {\"pores\": [1, {\"x\": 1}]},"
                      " \"psd\": {\"freq_per_mm\": [1, 2], \"power\": [1]}}]}";
    CHECK_EQ_INT(st_rp_model_parse(odd, strlen(odd), "x", &m, &err), ST_OK);
    CHECK_EQ_INT(m.n_metrics, 0);
    CHECK_EQ_INT(m.sessions[0].n_pores, 0);
    CHECK_EQ_INT(m.sessions[0].n_psd, 0);
    CHECK(strcmp(m.patient, "") == 0);
    CHECK_EQ_INT(st_rp_latest(&m), -1);
    st_rp_model_free(&m);
    /* invalid UTF-8 (a lone continuation byte, an overlong '/') becomes '?' */
    const char *bad = "{\"schema\": \"skintrack/1\", \"series\": {\"patient\": \"A\x80" "B\xc0\xaf" "C\\u00e9\"},"
                      " \"sessions\": [{}]}";
    CHECK_EQ_INT(st_rp_model_parse(bad, strlen(bad), "x", &m, &err), ST_OK);
    CHECK(strcmp(m.patient, "A?B??C\xc3\xa9") == 0);
    st_rp_model_free(&m);
}

int main(void)
{
    test_none_at_baseline();
    test_demo();
    test_uncal_and_height();
    test_bad_input();
    return test_summary();
}
