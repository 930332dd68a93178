/* series.json validation: every error case names the key and the file;
 * unknown keys are warnings; file names that leave the folder are refused. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "series/manifest.h"
#include "test_util.h"

static int parse(const char *json, st_manifest *m, st_err *err)
{
    return st_manifest_parse(json, strlen(json), "S/series.json", NULL, m, err);
}

/* The parse fails with `code` and a message that holds `needle`. */
static void expect_error(const char *json, int code, const char *needle)
{
    st_manifest m;
    st_err err = {0};
    int rc = parse(json, &m, &err);
    CHECK_EQ_INT(rc, code);
    CHECK_MSG(strstr(err.msg, needle) != NULL, "'%s' not in '%s'", needle, err.msg);
    CHECK_MSG(strstr(err.msg, "S/series.json") != NULL, "file not named in '%s'", err.msg);
    CHECK(m.sessions == NULL && m.warnings.count == 0);
}

static void test_full_example(void)
{
    const char *json =
        "{\"patient\": \"P-0042\", \"area\": \"left cheek\", \"pixel_mm\": 0.05,"
        " \"roi\": [400, 300, 1200, 900], \"modality\": \"stereo\", \"height_um_per_unit\": 2.5,"
        " \"sessions\": ["
        "  {\"date\": \"2026-01-05\", \"label\": \"baseline\", \"files\": [\"2026-01-05.jpg\"],"
        "   \"treatment\": {\"setting\": \"professional\", \"needle_mm\": 1.5, \"adjuncts\": [\"PRP\", \"HA\"]}},"
        "  {\"date\": \"2026-02-09\", \"files\": [\"a.png\", \"b.png\", \"c.png\", \"d.png\"],"
        "   \"lights\": [[0.5, 0, 0.87], [0, 0.5, 0.87], [-0.5, 0, 0.87], [0, -0.5, 0.87]]}]}";
    st_manifest m;
    st_err err = {0};
    CHECK_EQ_INT(parse(json, &m, &err), ST_OK);
    CHECK(m.present);
    CHECK(!strcmp(m.patient, "P-0042") && !strcmp(m.area, "left cheek"));
    CHECK(m.has_pixel_mm && m.pixel_mm == 0.05);
    CHECK(m.has_roi && m.roi[0] == 400 && m.roi[1] == 300 && m.roi[2] == 1200 && m.roi[3] == 900);
    CHECK(m.has_modality && m.modality == ST_MODALITY_STEREO);
    CHECK(m.has_height_scale && m.height_um_per_unit == 2.5);
    CHECK_EQ_INT(m.n_sessions, 2);
    CHECK(!strcmp(m.sessions[0].date, "2026-01-05") && !strcmp(m.sessions[0].label, "baseline"));
    CHECK(m.sessions[0].treatment.present && !strcmp(m.sessions[0].treatment.setting, "professional"));
    CHECK(m.sessions[0].treatment.has_needle_mm && m.sessions[0].treatment.needle_mm == 1.5);
    CHECK_EQ_INT(m.sessions[0].treatment.n_adjuncts, 2);
    CHECK(!strcmp(m.sessions[0].treatment.adjuncts[1], "HA"));
    CHECK_EQ_INT(m.sessions[1].files.count, 4);
    CHECK_EQ_INT(m.sessions[1].n_lights, 4);
    /* (0.5, 0, 0.87) normalised: |v| = 1.00344 */
    CHECK_NEAR(m.sessions[1].lights[0][0], 0.5 / sqrt(0.25 + 0.87 * 0.87), 1e-12);
    CHECK_EQ_INT(m.warnings.count, 0);
    st_manifest_free(&m);
}

static void test_unknown_keys_warn(void)
{
    st_manifest m;
    st_err err = {0};
    const char *json = "{\"patient\": \"x\", \"camera\": \"D850\", \"sessions\": [{\"files\": [\"a.jpg\"],"
                       " \"note\": 1, \"treatment\": {\"setting\": \"home\", \"brand\": \"y\"}}]}";
    CHECK_EQ_INT(parse(json, &m, &err), ST_OK);
    CHECK_EQ_INT(m.warnings.count, 3);
    if (m.warnings.count == 3) {
        CHECK(strstr(m.warnings.items[0], "'camera'") && strstr(m.warnings.items[0], "S/series.json"));
        CHECK(strstr(m.warnings.items[1], "'sessions[0].note'") != NULL);
        CHECK(strstr(m.warnings.items[2], "'sessions[0].treatment.brand'") != NULL);
    }
    st_manifest_free(&m);
}

static void test_errors(void)
{
    expect_error("{\"patient\": 42}", ST_EINVAL, "'patient' must be a string");
    expect_error("{\"area\": [1]}", ST_EINVAL, "'area' must be a string");
    expect_error("{\"pixel_mm\": \"0.05\"}", ST_EINVAL, "'pixel_mm' must be a number");
    expect_error("{\"pixel_mm\": 0}", ST_EINVAL, "key 'pixel_mm': 0 is not plausible (0.0001 to 10)");
    expect_error("{\"height_um_per_unit\": -1}", ST_EINVAL, "key 'height_um_per_unit': -1 is not plausible (1e-06 to 10000)");
    expect_error("{\"roi\": [1, 2, 3]}", ST_EINVAL, "'roi' must be an array");
    expect_error("{\"roi\": [1, 2, 0, 4]}", ST_EINVAL, "'roi' must hold 4 whole numbers");
    expect_error("{\"roi\": [1.5, 2, 3, 4]}", ST_EINVAL, "'roi' must hold");
    expect_error("{\"roi\": \"1,2,3,4\"}", ST_EINVAL, "'roi'");
    expect_error("{\"modality\": \"xray\"}", ST_EINVAL, "'modality': unknown modality 'xray'");
    expect_error("{\"modality\": 1}", ST_EINVAL, "'modality' must be a string");
    expect_error("{\"sessions\": {}}", ST_EINVAL, "'sessions' must be an array");
    expect_error("{\"sessions\": []}", ST_EINVAL, "'sessions' is empty");
    expect_error("{\"sessions\": [3]}", ST_EINVAL, "'sessions[0]' must be an object");
    expect_error("{\"sessions\": [{\"date\": \"2026-01-05\"}]}", ST_EINVAL, "'sessions[0]' has no 'files'");
    expect_error("{\"sessions\": [{\"files\": []}]}", ST_EINVAL, "'sessions[0].files' must be a non-empty array");
    expect_error("{\"sessions\": [{\"files\": [1]}]}", ST_EINVAL, "'sessions[0].files'");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"date\": \"2026-02-30\"}]}", ST_EINVAL,
                 "'sessions[0].date' must be a date");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"date\": 20260105}]}", ST_EINVAL,
                 "'sessions[0].date' must be a string");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"label\": 7}]}", ST_EINVAL,
                 "'sessions[0].label' must be a string");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"treatment\": \"pro\"}]}", ST_EINVAL,
                 "'sessions[0].treatment' must be an object");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"treatment\": {\"needle_mm\": \"1\"}}]}",
                 ST_EINVAL, "'sessions[0].treatment.needle_mm' must be a number");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"treatment\": {\"needle_mm\": -0.5}}]}",
                 ST_EINVAL, "key 'sessions[0].treatment.needle_mm': -0.5 is not plausible (0 to 10)");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"treatment\": {\"adjuncts\": \"PRP\"}}]}",
                 ST_EINVAL, "'sessions[0].treatment.adjuncts' must be an array");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"treatment\": {\"setting\": 1}}]}",
                 ST_EINVAL, "'sessions[0].treatment.setting' must be a string");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"lights\": [[0, 0]]}]}", ST_EINVAL,
                 "'sessions[0].lights' must hold [x, y, z]");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\"], \"lights\": [[0, 0, -1]]}]}", ST_EINVAL,
                 "'sessions[0].lights' must hold unit vectors");
    expect_error("{\"sessions\": [{\"files\": [\"a.jpg\", \"b.jpg\"], \"lights\": [[0, 0, 1]]}]}",
                 ST_EINVAL, "'sessions[0].lights' must give one direction per file");
    expect_error("{\"sessions\": [{\"files\": [\"/etc/passwd\"]}]}", ST_EINVAL, "absolute path");
    expect_error("{\"sessions\": [{\"files\": [\"../other/a.jpg\"]}]}", ST_EINVAL, "leaves the series folder");
    expect_error("{\"sessions\": [{\"files\": [\"sub/../../a.jpg\"]}]}", ST_EINVAL, "leaves the series folder");
    expect_error("{\"sessions\": [{\"files\": [\"\"]}]}", ST_EINVAL, "empty file name");
    expect_error("[1, 2]", ST_EINVAL, "top level must be an object");
    expect_error("{\"patient\": \"x\",}", ST_EFORMAT, "not valid JSON");
    expect_error("", ST_EFORMAT, "not valid JSON");
}

/* A symlink inside the folder that points out of it is refused. */
/* Issue 24: a repeated key at any level is an error naming its JSON path
 * (cJSON keeps both members; the second "sessions" list used to replace the
 * first and leak it). */
static void test_duplicate_keys(void)
{
    const char *s1 = "{\"date\": \"2026-01-05\", \"files\": [\"a.jpg\"]}";
    char json[512];
    snprintf(json, sizeof json, "{\"sessions\": [%s], \"patient\": \"P\", \"sessions\": [%s]}", s1, s1);
    expect_error(json, ST_EINVAL, "key 'sessions' is given more than once");
    expect_error("{\"sessions\": [{\"date\": \"2026-01-05\", \"label\": \"a\", \"files\": [\"a.jpg\"],"
                 " \"label\": \"b\"}]}",
                 ST_EINVAL, "key 'sessions[0].label' is given more than once");
    expect_error("{\"chart\": {\"patch_pitch_mm\": 11, \"patch_pitch_mm\": 12}}", ST_EINVAL,
                 "key 'chart.patch_pitch_mm' is given more than once");
    expect_error("{\"x\": [1, {\"k\": 1, \"k\": 2}]}", ST_EINVAL, "key 'x[1].k' is given more than once");
    /* the same name in different objects is no repeat */
    st_manifest m;
    st_err err = {0};
    CHECK_EQ_INT(parse("{\"sessions\": [{\"date\": \"2026-01-05\", \"files\": [\"a.jpg\"]},"
                       " {\"date\": \"2026-02-05\", \"files\": [\"b.jpg\"]}]}", &m, &err), ST_OK);
    CHECK_EQ_INT(m.n_sessions, 2);
    st_manifest_free(&m);
}

static void test_symlink_out(void)
{
    char dir[1100], out[1100], link[1200], file[1200];
    snprintf(dir, sizeof dir, "%s/series_link", test_tmpdir("manifest"));
    snprintf(out, sizeof out, "%s/outside.jpg", test_tmpdir("manifest"));
    mkdir(dir, 0755);
    FILE *fp = fopen(out, "wb");
    if (fp)
        fclose(fp);
    snprintf(link, sizeof link, "%s/escape.jpg", dir);
    unlink(link);
    CHECK(symlink(out, link) == 0);
    snprintf(file, sizeof file, "%s/inside.jpg", dir);
    fp = fopen(file, "wb");
    if (fp)
        fclose(fp);
    st_err err = {0};
    CHECK_EQ_INT(st_check_inside(dir, "escape.jpg", "series.json", &err), ST_EINVAL);
    CHECK(strstr(err.msg, "points outside the series folder") != NULL);
    CHECK_EQ_INT(st_check_inside(dir, "inside.jpg", "series.json", &err), ST_OK);
    CHECK_EQ_INT(st_check_inside(dir, "missing.jpg", "series.json", &err), ST_OK);

    /* The same through a manifest file on disk. */
    char path[1200];
    snprintf(path, sizeof path, "%s/series.json", dir);
    fp = fopen(path, "wb");
    if (fp) {
        fputs("{\"sessions\": [{\"files\": [\"escape.jpg\"]}]}", fp);
        fclose(fp);
    }
    st_manifest m;
    CHECK_EQ_INT(st_manifest_load(dir, &m, &err), ST_EINVAL);
    CHECK(strstr(err.msg, "series.json") && strstr(err.msg, "'sessions[0].files'"));
    unlink(path);
    CHECK_EQ_INT(st_manifest_load(dir, &m, &err), ST_OK);
    CHECK(!m.present);
}

/* null = not given (the placeholders `skintrack init` writes), for these
 * three keys only: no warning, nothing set; elsewhere null is a wrong type. */
static void test_null_placeholders(void)
{
    st_manifest m;
    st_err err = {0};
    CHECK_EQ_INT(parse("{\"patient\": \"\", \"pixel_mm\": null, \"roi\": null, "
                       "\"height_um_per_unit\": null}", &m, &err), ST_OK);
    CHECK(!m.has_pixel_mm && !m.has_roi && !m.has_height_scale);
    CHECK_EQ_INT((int)m.warnings.count, 0);
    st_manifest_free(&m);
    expect_error("{\"patient\": null}", ST_EINVAL, "patient");
    expect_error("{\"modality\": null}", ST_EINVAL, "modality");
    expect_error("{\"roi\": [1, 2, null, 4]}", ST_EINVAL, "roi");
}

int main(void)
{
    test_full_example();
    test_null_placeholders();
    test_unknown_keys_warn();
    test_errors();
    test_symlink_out();
    test_duplicate_keys();
    return test_summary();
}
