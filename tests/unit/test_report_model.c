/* The report model equals metrics.json: every value, change, trend and the
 * index of the fixtures (tests/data/report) read back with cJSON directly;
 * failed, uncalibrated and height series; bad input. */
#include <cjson/cJSON.h>

#include "report/chart_model.h"
#include "report/report_catalog.h"
#include "report/report_conditions.h"
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

/* demo: colour, light and withheld changes as metrics.json has them, and the
 * words both renderers use for them. */
static void test_conditions_demo(void)
{
    st_rp_model m;
    st_err err = {0};
    char t[600];
    CHECK_EQ_INT(st_rp_model_load("data/report/demo", &m, &err), ST_OK);
    if (err.code)
        return;
    const st_rp_session *b = &m.sessions[0], *s1 = &m.sessions[1], *s3 = &m.sessions[3];
    CHECK(strcmp(b->colour.status, "calibrated") == 0 && strcmp(b->colour.method, "chart") == 0);
    CHECK(b->colour.de00_before == 7.3 && b->colour.de00_after == 0.9 && b->colour.has_chart_box);
    CHECK(b->colour.chart_box[0] == 212 && b->colour.chart_box[3] == 66);
    CHECK(strcmp(s1->colour.status, "uncalibrated") == 0 && isnan(s1->colour.de00_before));
    CHECK(!s1->colour.has_chart_box);
    CHECK(!m.sessions[2].colour.status[0] && !m.sessions[2].light.present); /* failed */
    CHECK(b->light.present && b->light.relief_comparable == 1 && b->light.angle_deg == 0);
    CHECK(s1->light.relief_comparable == 0 && s1->light.angle_deg == 31.9);
    CHECK(s3->light.relief_comparable == 1 && s3->light.angle_deg == 4.08);
    CHECK_NEAR(s3->light.direction[2], 0.8574, 0);
    /* withheld: colour (no chart) and relief (lamp moved) in session 1 only */
    int sq = st_rp_metric_index(&m, "roughness.sq"), ei = st_rp_metric_index(&m, "redness.erythema_index");
    int pd = st_rp_metric_index(&m, "pores.mean_diameter_mm");
    CHECK_EQ_INT(s1->n_withheld, 38);
    CHECK(st_rp_withheld(s1, sq) && strcmp(st_rp_withheld(s1, sq), "lamp moved: 32° from the baseline's") == 0);
    CHECK(st_rp_withheld(s1, ei) && strcmp(st_rp_withheld(s1, ei), "colour not calibrated in this session") == 0);
    CHECK(isnan(s1->changes[sq]) && isnan(s1->changes[ei]) && isfinite(s1->values[sq]));
    CHECK(!st_rp_withheld(s1, pd) && isfinite(s1->changes[pd])); /* pores are not relief */
    CHECK(!st_rp_withheld(s3, sq) && isfinite(s3->changes[sq]) && s3->n_withheld == 0);
    CHECK(!st_rp_withheld(b, sq) && !st_rp_withheld(s1, -1));
    /* the words */
    CHECK(st_rp_colour_text(b, t, sizeof t) == 0);
    CHECK(strcmp(t, "Colour calibrated on the chart (ΔE00 7.3 → 0.9)") == 0);
    CHECK(st_rp_colour_text(s1, t, sizeof t) == 1);
    CHECK(strcmp(t, "Colour not calibrated: no colour chart found in the photo — colour changes are "
                    "not compared") == 0);
    CHECK(st_rp_light_text(&m, 3, t, sizeof t) == 0 && strcmp(t, "Lamp 4° from the baseline's") == 0);
    CHECK(st_rp_light_text(&m, 1, t, sizeof t) == 1);
    CHECK(strcmp(t, "Lamp moved 32° from the baseline's: relief, texture, scar and line changes not "
                    "compared") == 0);
    CHECK(st_rp_light_text(&m, 0, t, sizeof t) == 0 && strstr(t, "reference") != NULL);
    CHECK(st_rp_light_text(&m, 2, t, sizeof t) == 0 && t[0] == '\0');
    st_rp_light_short(&m, 1, t, sizeof t);
    CHECK(strcmp(t, "moved 32°") == 0);
    st_rp_colour_short(s1, t, sizeof t);
    CHECK(strcmp(t, "not calibrated") == 0);
    CHECK(st_rp_has_conditions(&m));
    /* footnotes: one per distinct reason, numbered in order */
    int lamp = st_rp_withheld_note(&m, st_rp_withheld(s1, sq)), col = st_rp_withheld_note(&m, st_rp_withheld(s1, ei));
    CHECK(lamp >= 1 && col >= 1 && lamp != col && lamp + col == 3);
    CHECK_EQ_INT(st_rp_withheld_note(&m, "no such reason"), 0);
    /* the trend leaves session 1 out where it is withheld, keeps it where not */
    st_chart c;
    CHECK_EQ_INT(st_chart_trend(&m, ST_FAM_ROUGHNESS, &c), 0);
    CHECK(c.nser > 0 && c.ser[0].n == 2 && c.ser[0].x[1] == 91 && !c.empty_msg);
    st_chart_free(&c);
    CHECK_EQ_INT(st_chart_trend(&m, ST_FAM_PORES, &c), 0);
    CHECK(c.nser > 0 && c.ser[0].n == 3 && c.ser[0].x[1] == 35);
    st_chart_free(&c);
    /* melanin and haemoglobin maps and their keys */
    CHECK(strcmp(b->images[ST_IMG_MELANIN], "images/session_00_melanin.jpg") == 0);
    CHECK(strcmp(s3->images[ST_IMG_HAEMOGLOBIN], "images/session_03_haemoglobin.jpg") == 0);
    CHECK(s1->images[ST_IMG_MELANIN][0] == '\0');
    CHECK(m.chromo[ST_CHROMO_MELANIN].present && m.chromo[ST_CHROMO_MELANIN].max == 1.5);
    CHECK(m.chromo[ST_CHROMO_MELANIN].colour_min == 0xF6EEE4 && m.chromo[ST_CHROMO_MELANIN].colour_max == 0x3D2410);
    CHECK(m.chromo[ST_CHROMO_HAEMOGLOBIN].present && m.chromo[ST_CHROMO_HAEMOGLOBIN].max == 0.6);
    CHECK(strcmp(m.chromo[ST_CHROMO_HAEMOGLOBIN].unit, "optical density") == 0);
    st_rp_model_free(&m);
}

/* uncal: no chart anywhere, so the pigmentation and redness headlines are
 * not compared; never "unchanged". */
static void test_withheld_headline(void)
{
    st_rp_model m;
    st_err err = {0};
    CHECK_EQ_INT(st_rp_model_load("data/report/uncal", &m, &err), ST_OK);
    if (err.code)
        return;
    st_rp_family_summary fs;
    for (int f = ST_FAM_PIGMENT; f <= ST_FAM_REDNESS; f++) {
        st_rp_summarise_family(&m, f, &fs);
        CHECK_EQ_INT(fs.verdict, ST_V_WITHHELD);
        CHECK(fs.metric < 0 && isnan(fs.change) && strcmp(fs.no_change, "not compared") == 0);
        CHECK(fs.withheld && strcmp(fs.withheld, "colour not calibrated in the baseline") == 0);
        CHECK(strcmp(fs.sentence, "Not compared — colour not calibrated in the baseline. Session 2's "
                                  "values are in the table; their change is not reported.") == 0);
        CHECK(strcmp(st_rp_verdict_text(fs.verdict), "not compared") == 0);
    }
    st_rp_summarise_family(&m, ST_FAM_ROUGHNESS, &fs);
    CHECK(fs.metric >= 0 && fs.verdict != ST_V_WITHHELD);
    st_chart c;
    CHECK_EQ_INT(st_chart_trend(&m, ST_FAM_REDNESS, &c), 0);
    CHECK(c.empty_msg && strcmp(c.empty_msg, "not compared: colour not calibrated in the baseline") == 0);
    st_chart_free(&c);
    char t[600];
    CHECK(st_rp_colour_text(&m.sessions[2], t, sizeof t) == 1 && strstr(t, "not compared") != NULL);
    st_rp_model_free(&m);
}

/* Hand-made: a fixed camera, a withheld change that "change" carries too
 * (withheld wins), keys under "series", a malformed key colour, a light
 * record without a verdict. */
static void test_conditions_edge(void)
{
    const char *json =
        "{\"schema\": \"skintrack/1\", \"series\": {\"modality\": \"photo\", \"chromophore_keys\": "
        "{\"melanin\": {\"min\": 0, \"max\": 2, \"colour_min\": \"#FFFFFF\", \"colour_max\": \"#000000\", "
        "\"unit\": \"OD\"}, \"haemoglobin\": {\"min\": 0, \"max\": 1, \"colour_min\": \"red\", "
        "\"colour_max\": \"#000000\"}}}, \"sessions\": [{\"index\": 0, \"colour\": {\"status\": "
        "\"fixed\", \"method\": \"fixed-camera\", \"delta_e00_before\": null, \"delta_e00_after\": null, "
        "\"chart_box\": null}, \"metrics\": {\"redness.erythema_index\": {\"value\": 10, \"unit\": \"\"}}}, "
        "{\"index\": 1, \"colour\": {\"status\": \"fixed\", \"method\": \"fixed-camera\"}, \"light\": "
        "{\"direction\": [0, 0, 1]}, \"metrics\": {\"redness.erythema_index\": {\"value\": 10, \"unit\": "
        "\"\"}}, \"change\": {\"redness.erythema_index\": 0.0}, \"withheld\": "
        "{\"redness.erythema_index\": \"colour not calibrated in this session\", \"wrinkles.depth_index\": 7}}]}";
    st_rp_model m;
    st_err err = {0};
    char t[600];
    CHECK_EQ_INT(st_rp_model_parse(json, strlen(json), "x", &m, &err), ST_OK);
    if (err.code)
        return;
    CHECK(st_rp_colour_text(&m.sessions[0], t, sizeof t) == 0);
    CHECK(strcmp(t, "Colour as measured: fixed camera") == 0);
    CHECK(isnan(m.sessions[0].colour.de00_after) && !m.sessions[0].colour.has_chart_box);
    CHECK(isnan(m.sessions[1].changes[0])); /* never "unchanged, +0.0 %" */
    CHECK_EQ_INT(m.sessions[1].n_withheld, 2); /* a metric without a value is listed too */
    CHECK(strcmp(m.sessions[1].wh_names[1], "wrinkles.depth_index") == 0 && m.sessions[1].wh_reasons[1][0] == '\0');
    st_rp_family_summary fs;
    st_rp_summarise_family(&m, ST_FAM_REDNESS, &fs);
    CHECK_EQ_INT(fs.verdict, ST_V_WITHHELD);
    CHECK(strstr(fs.sentence, "Not compared — colour not calibrated in this session") == fs.sentence);
    CHECK(m.sessions[1].light.present && m.sessions[1].light.relief_comparable == -1);
    CHECK(st_rp_light_text(&m, 1, t, sizeof t) == 0 && strcmp(t, "Lamp direction estimated") == 0);
    CHECK(!m.sessions[0].light.present && st_rp_light_text(&m, 0, t, sizeof t) == 0 && !t[0]);
    CHECK(m.chromo[ST_CHROMO_MELANIN].present && m.chromo[ST_CHROMO_MELANIN].colour_min == 0xFFFFFF);
    CHECK(!m.chromo[ST_CHROMO_HAEMOGLOBIN].present); /* "red" is not #rrggbb */
    st_rp_model_free(&m);
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

/* A family where only some metrics are withheld (the demo course's scars:
 * depth not measurable, area measured): the area draws its line, the depth
 * series have no line and their legend items say "(withheld)". */
static void test_partly_withheld_chart(void)
{
    st_rp_model m;
    st_err err = {0};
    CHECK_EQ_INT(st_rp_model_load("data/report/scar_withheld", &m, &err), ST_OK);
    if (err.code)
        return;
    st_chart c;
    CHECK_EQ_INT(st_chart_trend(&m, ST_FAM_SCARS, &c), 0);
    CHECK(c.empty_msg == NULL);
    int lines = 0, withheld = 0;
    for (int k = 0; k < c.nser; k++) {
        char text[160];
        st_chart_legend_text(&c, k, text, sizeof text);
        int says = strstr(text, "(withheld)") != NULL;
        CHECK_MSG(says == (c.ser[k].n < 2), "legend '%s' with %zu points", text, c.ser[k].n);
        lines += c.ser[k].n >= 2;
        withheld += says;
    }
    CHECK_EQ_INT(lines, 1);    /* area covered by scars */
    CHECK_EQ_INT(withheld, 2); /* mean scar depth, deepest scar point */
    st_chart_free(&c);
    st_rp_model_free(&m);
}

int main(void)
{
    test_none_at_baseline();
    test_demo();
    test_uncal_and_height();
    test_conditions_demo();
    test_withheld_headline();
    test_partly_withheld_chart();
    test_conditions_edge();
    test_bad_input();
    return test_summary();
}
