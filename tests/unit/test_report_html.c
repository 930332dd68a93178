/* report.html against metrics.json: every number in the table equals the
 * JSON (cells carry the exact value), strings are escaped, nothing is
 * fetched from outside, embedded images are the files' bytes, and series
 * with failed sessions, without calibration or with height maps say what is
 * missing and why. */
#include <cjson/cJSON.h>

#include "report/report.h"
#include "test_util.h"

static char *render(const char *dir, st_rp_model *m)
{
    st_err err = {0};
    if (st_rp_model_load(dir, m, &err) != ST_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    st_sbuf b = {0};
    CHECK_EQ_INT(st_html_report_render(m, &b, &err), ST_OK);
    return b.data;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static const cJSON *json_metric(const cJSON *doc, int index, const char *name, const char *what)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "sessions"))
    {
        if (cJSON_GetObjectItem(s, "index")->valueint != index)
            continue;
        if (strcmp(what, "value") == 0)
            return cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "metrics"), name),
                                       "value");
        return cJSON_GetObjectItem(cJSON_GetObjectItem(s, "change"), name);
    }
    return NULL;
}

/* Every table cell: data-m, data-s, data-v (and data-c) equal the JSON. */
static void check_cells(const char *html, const char *json_path)
{
    FILE *f = fopen(json_path, "rb");
    static char buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    cJSON *doc = cJSON_Parse(buf);
    CHECK(doc != NULL);
    size_t cells = 0, changes = 0, json_values = 0;
    const cJSON *s, *it;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "sessions"))
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(s, "metrics")) json_values++;
    for (const char *p = html; (p = strstr(p, "<td data-m=\"")) != NULL; p++) {
        char name[64];
        int index;
        double v, c;
        int got = sscanf(p, "<td data-m=\"%63[^\"]\" data-s=\"%d\" data-v=\"%lf\" data-c=\"%lf\"",
                         name, &index, &v, &c);
        CHECK(got >= 3);
        if (got < 3)
            continue;
        const cJSON *jv = json_metric(doc, index, name, "value");
        CHECK_MSG(jv && jv->valuedouble == v, "%s session %d: html %.17g", name, index, v);
        cells++;
        if (got == 4) {
            const cJSON *jc = json_metric(doc, index, name, "change");
            CHECK_MSG(jc && jc->valuedouble == c, "%s session %d change: html %.17g", name, index, c);
            changes++;
        }
    }
    CHECK_EQ_INT(cells, json_values); /* every value is shown, once */
    CHECK(changes > 0);
    const cJSON *ri = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "progress"), "remodeling_index");
    const char *p = strstr(html, "id=\"remodeling-index\" data-v=\"");
    double idx = NAN;
    CHECK(p && sscanf(p, "id=\"remodeling-index\" data-v=\"%lf\"", &idx) == 1);
    CHECK(ri && idx == cJSON_GetObjectItem(ri, "value")->valuedouble);
    cJSON_Delete(doc);
}

static int b64val(char ch)
{
    const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *q = strchr(t, ch);
    return ch && q ? (int)(q - t) : -1;
}

/* The first embedded PNG decodes to the exact bytes of the baseline image. */
static void check_embedded_image(const char *html, const st_rp_model *m)
{
    const char *p = strstr(html, "src=\"data:image/png;base64,");
    CHECK(p != NULL);
    if (!p)
        return;
    p += strlen("src=\"data:image/png;base64,");
    size_t n;
    unsigned char *file = st_rp_read_asset(m, "images/s0_aligned.png", &n);
    unsigned char *dec = malloc(n + 4);
    size_t k = 0;
    unsigned acc = 0;
    int bits = 0;
    for (; *p && *p != '"' && *p != '='; p++) {
        int v = b64val(*p);
        if (v < 0 || k >= n + 3)
            break;
        acc = acc << 6 | (unsigned)v, bits += 6;
        if (bits >= 8)
            dec[k++] = (unsigned char)(acc >> (bits - 8)), bits -= 8;
    }
    CHECK_EQ_INT(k, n);
    CHECK(file && dec && memcmp(file, dec, n) == 0);
    free(file);
    free(dec);
}

static void check_self_contained(const char *html)
{
    CHECK(strstr(html, "http://") == NULL);
    CHECK(strstr(html, "https://") == NULL);
    CHECK(strstr(html, "@import") == NULL);
    CHECK_EQ_INT(count(html, "<script"), 1); /* ours only */
    /* every src= is a data: URI */
    for (const char *p = html; (p = strstr(p, " src=\"")) != NULL; p++)
        CHECK(strncmp(p + 6, "data:", 5) == 0);
    CHECK_EQ_INT(count(html, "<link"), 0);
}

/* demo: each photo's colour and lamp in words, withheld changes as the word
 * "withheld" with a numbered note (never a number: check_cells finds no
 * data-c for them, as metrics.json has no change), the maps and their keys. */
static void check_conditions(const char *html)
{
    CHECK(strstr(html, "Colour and light per photo") != NULL);
    CHECK(strstr(html, "<span class=\"cond-ok\" data-cond=\"colour\">Colour calibrated on the chart "
                       "(ΔE00 7.3 → 0.9)</span>") != NULL);
    CHECK(strstr(html, "<span class=\"cond-warn\" data-cond=\"colour\">Colour not calibrated: no "
                       "colour chart found in the photo — colour changes are not compared</span>") != NULL);
    CHECK(strstr(html, "<span class=\"cond-warn\" data-cond=\"light\">Lamp moved 32° from the "
                       "baseline&#39;s: relief, texture, scar and line changes not compared</span>") != NULL ||
          strstr(html, "Lamp moved 32° from the baseline's: relief, texture, scar and line changes not "
                       "compared</span>") != NULL);
    CHECK(strstr(html, "data-cond=\"light\">Lamp 4° from the baseline") != NULL);
    /* the table: rows Colour and Lamp; 38 withheld cells of session 1 */
    CHECK(strstr(html, "<tr><td>Colour</td>") && strstr(html, "<tr><td>Lamp</td>"));
    CHECK(strstr(html, ">not calibrated</td>") && strstr(html, ">moved 32°</td>"));
    CHECK_EQ_INT(count(html, "class=\"withheld\" data-w=\"1\""), 38);
    CHECK(strstr(html, "title=\"Not compared: colour not calibrated in this session\">withheld<sup>") != NULL);
    CHECK(strstr(html, "<ol class=\"footnotes\" id=\"withheld-notes\">") != NULL);
    CHECK(strstr(html, "Not compared: colour not calibrated in this session (Session 1)</li>") != NULL);
    CHECK(strstr(html, "Session 1: lamp moved 32°") != NULL); /* the warnings */
    /* no headline of demo is withheld: its latest session is calibrated */
    CHECK(strstr(html, "badge b-withheld") == NULL);
    /* maps beside the photos, keys as given */
    CHECK(strstr(html, "<figure id=\"chromophores\"") != NULL);
    CHECK(strstr(html, "alt=\"Baseline: Melanin (brown) map\"") != NULL);
    CHECK(strstr(html, "alt=\"Session 3: Haemoglobin (red) map\"") != NULL);
    CHECK(strstr(html, "stop-color=\"#F6EEE4\"/><stop offset=\"100%\" stop-color=\"#3D2410\"") != NULL);
    CHECK(strstr(html, "stop-color=\"#F8EEEE\"/><stop offset=\"100%\" stop-color=\"#8E1020\"") != NULL);
    CHECK(strstr(html, ">1.5 optical density</text>") && strstr(html, ">0.6 optical density</text>"));
}

static void test_demo(void)
{
    st_rp_model m;
    char *html = render("data/report/demo", &m);
    CHECK(html != NULL);
    if (!html)
        return;
    check_cells(html, "data/report/demo/metrics.json");
    check_self_contained(html);
    check_embedded_image(html, &m);
    CHECK_EQ_INT(count(html, "src=\"data:image/png;base64,"), 3); /* s0, s3, diff: once each */
    CHECK(strstr(html, "data-copy=\"ph-0\"") && strstr(html, "data-copy=\"ph-3\""));
    CHECK(strstr(html, "<svg class=\"ov\"") != NULL); /* detections over the photos */
    /* repeatability of session 1 (two photos): roughness.sq SD as in metrics.json */
    CHECK(strstr(html, "repeat photos of this session\">±\xc2\xa0") != NULL);
    CHECK_EQ_INT(count(html, "repeat photos of this session"), 17);
    /* JPEGs: the melanin and haemoglobin maps of baseline and latest; s1
     * (jpg) is neither baseline nor latest */
    CHECK_EQ_INT(count(html, "src=\"data:image/jpeg;base64,"), 4);
    CHECK(strstr(html, "alt=\"Session 1") == NULL);
    /* the failed session is named with its reason, in the table and the chart */
    CHECK(strstr(html, "Session 2 (2026-03-02) could not be measured") != NULL);
    CHECK(strstr(html, "too little overlap with baseline (34 %)") != NULL);
    CHECK(strstr(html, "<td class=\"qc-failed\">failed</td>") != NULL);
    CHECK(strstr(html, "× failed") != NULL);
    /* verdicts follow the intervals */
    CHECK(strstr(html, "badge b-improved\">improved") != NULL);
    CHECK(strstr(html, "badge b-ns\">not significant") != NULL);
    /* seven charts (six families + spectrum), each an inline svg */
    CHECK_EQ_INT(count(html, "<svg class=\"chart\" viewBox=\"0 0 560 300\""), 7);
    CHECK(strstr(html, "Roughness spectrum (radial PSD)") != NULL);
    CHECK(strstr(html, "@media print") != NULL && strstr(html, "@media (max-width") != NULL);
    check_conditions(html);
    /* same input, same bytes */
    st_sbuf again = {0};
    st_err err = {0};
    st_html_report_render(&m, &again, &err);
    CHECK(again.data && strcmp(again.data, html) == 0);
    st_sbuf_free(&again);
    free(html);
    st_rp_model_free(&m);
}

static void test_uncal(void)
{
    st_rp_model m;
    char *html = render("data/report/uncal", &m);
    CHECK(html != NULL);
    if (!html)
        return;
    check_cells(html, "data/report/uncal/metrics.json");
    check_self_contained(html);
    /* hostile names are text, not markup */
    CHECK(strstr(html, "<script>alert") == NULL);
    CHECK(strstr(html, "Anna &quot;Ann&quot; O&#39;Brien &lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "walk-in &lt;Müller &amp; Söhne&gt;") != NULL);
    CHECK(strstr(html, "forehead &amp; temples") != NULL);
    /* what is missing, and why */
    CHECK(strstr(html, "This series is uncalibrated") != NULL);
    /* no chart in any photo: the colour headlines are not compared, never
     * "unchanged", and their charts say why */
    CHECK_EQ_INT(count(html, "badge b-withheld\">not compared</span>"), 2);
    CHECK_EQ_INT(count(html, "<div class=\"pct\">not compared</div>"), 2);
    CHECK_EQ_INT(count(html, "<p>Not compared — colour not calibrated in the baseline. Session 2"), 2);
    CHECK(strstr(html, "data-metric=\"redness.") == NULL && strstr(html, "data-metric=\"pigment.") == NULL);
    CHECK(strstr(html, "not compared: colour not calibrated in the baseline</text>") != NULL);
    CHECK_EQ_INT(count(html, "class=\"withheld\" data-w=\"1\""), 12);
    CHECK(strstr(html, "Not compared: colour not calibrated in the baseline (Session 1, Session 2)") != NULL);
    CHECK(strstr(html, "Melanin and haemoglobin maps not available: this analysis did not export them") != NULL);
    CHECK(strstr(html, "not available: needs the pixel size in mm; this series is uncalibrated") != NULL);
    CHECK(strstr(html, "Session dates are unknown") != NULL);
    CHECK(strstr(html, "session (dates unknown)") != NULL); /* chart axis */
    CHECK(strstr(html, "Photo not available: the aligned image was not exported") != NULL);
    CHECK(strstr(html, "not available: this analysis did not export the radial spectrum") != NULL);
    CHECK(strstr(html, "Tile maps not available") != NULL);
    CHECK(strstr(html, "badge b-ns\">not tested") != NULL); /* no intervals given */
    /* files the scan left out on one line; other notes each on its own */
    CHECK(strstr(html, "left out of the analysis (not photographs of this series): notes.txt, "
                       "old scans.") != NULL);
    CHECK(strstr(html, "Note from the analysis: notes.txt") == NULL);
    CHECK(strstr(html, "Note from the analysis: the ROI reaches past the baseline image") != NULL);
    free(html);
    st_rp_model_free(&m);
}

static void test_height(void)
{
    st_rp_model m;
    char *html = render("data/report/height", &m);
    CHECK(html != NULL);
    if (!html)
        return;
    check_cells(html, "data/report/height/metrics.json");
    check_self_contained(html);
    CHECK(strstr(html, "height map (3-D imaging)") != NULL);
    CHECK(strstr(html, "Height data: pigmentation and redness need colour photographs") != NULL);
    CHECK(strstr(html, "Not available: height maps carry no colour.") != NULL);
    CHECK(strstr(html, "<td class=\"u\">µm</td>") != NULL);
    CHECK(strstr(html, "Computed for this report: brightness") != NULL); /* no diff exported */
    CHECK(strstr(html, "home device with 1.0 mm needles") != NULL);
    /* height maps: no colour, no lamp, no brown/red views, nothing withheld */
    CHECK(strstr(html, "Colour and light per photo") == NULL && strstr(html, "<tr><td>Lamp</td>") == NULL);
    CHECK(strstr(html, "id=\"chromophores\"") == NULL && strstr(html, "withheld-notes") == NULL);
    free(html);
    st_rp_model_free(&m);
}

/* A metric name or unit from JSON is text too, even inside attributes. */
static void test_hostile_keys(void)
{
    const char *json =
        "{\"schema\": \"skintrack/1\", \"series\": {\"area\": \"</title><b>\"}, \"sessions\": ["
        "{\"index\": 0, \"days\": 0, \"metrics\": {\"x\\\"><img src=x onerror=alert(1)>\": "
        "{\"value\": 1, \"unit\": \"<u>\"}}},"
        "{\"index\": 1, \"days\": 30, \"metrics\": {\"x\\\"><img src=x onerror=alert(1)>\": "
        "{\"value\": 2, \"unit\": \"<u>\"}}, \"change\": {\"x\\\"><img src=x onerror=alert(1)>\": 100}}]}";
    st_rp_model m;
    st_err err = {0};
    CHECK_EQ_INT(st_rp_model_parse(json, strlen(json), "x", &m, &err), ST_OK);
    CHECK_EQ_INT(m.n_metrics, 1);
    st_sbuf b = {0};
    CHECK_EQ_INT(st_html_report_render(&m, &b, &err), ST_OK);
    CHECK(b.data && strstr(b.data, "<img src=x") == NULL);
    CHECK(b.data && strstr(b.data, "<u>") == NULL && strstr(b.data, "</title><b>") == NULL);
    CHECK(b.data && strstr(b.data, "data-m=\"x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"") != NULL);
    st_sbuf_free(&b);
    st_rp_model_free(&m);
}

/* Detections cannot be placed on an image of unknown frame: the analysis'
 * own overlay image is shown instead, and no SVG overlay is guessed. */
static void test_overlay_fallback(void)
{
    const char *json =
        "{\"schema\": \"skintrack/1\", \"series\": {\"pixel_mm\": 0.05}, \"sessions\": ["
        "{\"index\": 0, \"days\": 0, \"images\": {\"aligned\": \"images/s0_aligned.png\", "
        "\"overlay\": \"images/s3_diff.png\"}, \"detections\": {\"pores\": [{\"x\": 5, \"y\": 5, "
        "\"d_mm\": 0.2}]}}]}";
    st_rp_model m;
    st_err err = {0};
    CHECK_EQ_INT(st_rp_model_parse(json, strlen(json), "data/report/demo", &m, &err), ST_OK);
    st_sbuf b = {0};
    CHECK_EQ_INT(st_html_report_render(&m, &b, &err), ST_OK);
    CHECK(b.data && strstr(b.data, "<img class=\"ov\"") != NULL);
    CHECK(b.data && strstr(b.data, "<svg class=\"ov\"") == NULL);
    st_sbuf_free(&b);
    st_rp_model_free(&m);
}

static void test_buffer(void)
{
    st_sbuf b = {0};
    st_sbuf_html(&b, "a<b>&\"c'\x01\n");
    CHECK(b.data && strcmp(b.data, "a&lt;b&gt;&amp;&quot;c&#39;\n") == 0);
    st_sbuf_free(&b);
    /* RFC 4648 §10 test vectors */
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        st_sbuf_base64(&b, (const unsigned char *)in[i], strlen(in[i]));
        CHECK_MSG(strcmp(b.data ? b.data : "", out[i]) == 0, "base64(%s)", in[i]);
        st_sbuf_free(&b);
    }
}

int main(void)
{
    test_buffer();
    test_hostile_keys();
    test_overlay_fallback();
    test_demo();
    test_uncal();
    test_height();
    return test_summary();
}
