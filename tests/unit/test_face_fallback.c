/* Without facial landmarks the tool says so and measures the skin area
 * (issue 19, README "The measured area without a ROI"). The landmark model's
 * path is st_analyze_opts.face_model (NULL: Debian's
 * /usr/share/dlib/shape_predictor_68_face_landmarks.dat, cv/dlib_wrap.h);
 * there is no environment override. A path that does not exist stands for a
 * machine without libdlib-data:
 * - st_face_area gives no mask and names the missing model;
 * - a series of scikit-image's astronaut twice with "area": "left cheek"
 *   reads roi_source "auto", its notes say the landmarks are missing and the
 *   skin area is measured instead, and the same photo twice still reads 0.
 * Skips (exit 77) without the face photo (python3-skimage). Runs also in a
 * build without dlib (then the note names the build instead). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cv/dlib_wrap.h"
#include "series/roi.h"
#include "test_util.h"

#define ASTRONAUT "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
#define NO_MODEL "/nonexistent/shape_predictor_68_face_landmarks.dat"

static int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    int ok = a && b;
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, a)) > 0)
        ok = fwrite(buf, 1, n, b) == n;
    if (a)
        fclose(a);
    if (b && fclose(b))
        ok = 0;
    return ok;
}

static void test_area_without_model(const st_image *img)
{
    st_mask m;
    char why[400];
    st_err err;
    int rc = st_face_area(img, "left cheek", NO_MODEL, &m, NULL, why, sizeof why, &err);
    CHECK_EQ_INT(rc, ST_OK);
    CHECK(m.px == NULL);
    printf("st_face_area without the model: %s\n", why);
    if (stdl_available())
        CHECK_MSG(strstr(why, "landmark model not found") && strstr(why, NO_MODEL), "why: %s", why);
    else
        CHECK_MSG(strstr(why, "no dlib"), "why: %s", why);
    rc = st_face_skin_mask(img, NO_MODEL, &m, why, sizeof why, &err);
    CHECK_EQ_INT(rc, ST_OK);
    CHECK(m.px == NULL);
}

static void test_series_without_model(void)
{
    const char *dir = test_tmpdir("face_fallback");
    char series[1200], out[1200], path[1300];
    snprintf(series, sizeof series, "%s/series", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    mkdir(series, 0755);
    snprintf(path, sizeof path, "%s/2026-01-05.png", series);
    CHECK(copy_file(ASTRONAUT, path));
    snprintf(path, sizeof path, "%s/2026-02-09.png", series);
    CHECK(copy_file(ASTRONAUT, path));
    snprintf(path, sizeof path, "%s/series.json", series);
    FILE *f = fopen(path, "w");
    CHECK(f && fputs("{\"area\": \"left cheek\"}\n", f) >= 0);
    if (f)
        fclose(f);

    st_analyze_opts o;
    st_analyze_opts_init(&o);
    o.face_model = NO_MODEL;
    o.threads = 2;
    o.no_report = 1;
    st_analysis *a = NULL;
    st_err err;
    int rc = st_analyze_series(series, out, &o, &a, &err);
    CHECK_MSG(rc == ST_OK && a, "analyze: %s", rc ? err.msg : "");
    if (!a)
        return;
    int said = 0;
    for (int k = 0; st_analysis_note(a, k); k++) {
        const char *n = st_analysis_note(a, k);
        printf("note: %s\n", n);
        said |= strstr(n, "area 'left cheek'") && strstr(n, "no facial landmarks") &&
                strstr(n, "the automatic skin area is measured instead");
    }
    CHECK_MSG(said, "no note says the landmarks are missing and the skin area is measured instead");
    /* the same photo twice: every change exactly 0 on the fallback area too */
    int changes = 0;
    for (int k = 0; st_analysis_metric_name(a, 1, k); k++) {
        double pct;
        const char *name = st_analysis_metric_name(a, 1, k);
        if (st_analysis_change(a, 1, name, &pct) != ST_OK)
            continue;
        changes++;
        CHECK_MSG(pct == 0, "%s changes by %g %% between two copies of one photo", name, pct);
    }
    CHECK_MSG(changes >= 10, "only %d changes reported", changes);
    st_analysis_free(a);
    snprintf(path, sizeof path, "%s/metrics.json", out);
    size_t json_n;
    char *json = test_slurp(path, &json_n);
    const char *src = json ? strstr(json, "\"roi_source\":") : NULL;
    if (src)
        src += strspn(src + 13, " \t") + 13;
    CHECK_MSG(src && !strncmp(src, "\"auto\"", 6), "metrics.json: roi_source %.20s, want \"auto\"", src ? src : "missing");
    free(json);
}

int main(void)
{
    if (access(ASTRONAUT, R_OK)) {
        printf("SKIP: face photo %s not installed (apt-get install python3-skimage)\n", ASTRONAUT);
        return 77;
    }
    st_err err;
    st_image *img = NULL;
    int rc = st_image_load(ASTRONAUT, NULL, &img, NULL, &err);
    CHECK_MSG(rc == ST_OK, "%s: %s", ASTRONAUT, err.msg);
    if (img)
        test_area_without_model(img);
    st_image_free(img);
    test_series_without_model();
    return test_summary();
}
