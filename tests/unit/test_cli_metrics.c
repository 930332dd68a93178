/* `skintrack metrics` end to end on images with known answers: the CLI is
 * run as a program and its JSON parsed. */
#define _GNU_SOURCE
#include "test_util.h"

#include <cjson/cJSON.h>
#include <sys/wait.h>

#include "skintrack/skintrack.h"

/* Runs the CLI with args; returns its parsed stdout (NULL if not JSON) and
 * its exit status. */
static cJSON *run_cli(const char *args, int *status)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s/skintrack %s 2>/dev/null", getenv("ST_BUILD_DIR"), args);
    FILE *p = popen(cmd, "r");
    static char out[1 << 22];
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    *status = st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return cJSON_Parse(out);
}

static double metric(const cJSON *doc, const char *name, const char **unit)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "metrics"), name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "value");
    if (unit) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(m, "unit");
        *unit = cJSON_IsString(u) ? u->valuestring : "?";
    }
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* A vertical-crest sinusoid z = c + A cos(2 pi (x - xc) / wavelength_px),
 * even about the image centre xc, so the least-squares plane that every
 * roughness metric removes first (ISO 25178-2) takes nothing from it. */
static void write_sinusoid(const char *path, int w, int h, double c, double amp, double wl_px,
                           int bit_depth)
{
    st_image *img;
    st_err err;
    st_image_new(w, h, 1, &img, &err);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            st_image_row(img, 0, y)[x] = (float)(c + amp * cos(2 * M_PI * (x - 0.5 * (w - 1)) / wl_px));
    int rc = st_image_save_png(img, path, bit_depth, &err);
    CHECK_MSG(rc == ST_OK, "%s", err.msg);
    st_image_free(img);
}

static void test_raw_photo_sinusoid(const char *dir)
{
    /* 8-bit gray: Y = value/255 under --raw (SPEC.md). Amplitude 50/255 about
     * mid-grey, wavelength 64 px = 0.8 mm at 0.0125 mm/px: the medium band.
     * 64 samples a period keep the sampled Sa within 0.1 % of 2A/pi. */
    char path[1200], args[1400];
    snprintf(path, sizeof path, "%s/sine8.png", dir);
    write_sinusoid(path, 256, 256, 128.0 / 255, 50.0 / 255, 64.0, 8);
    snprintf(args, sizeof args, "metrics '%s' --json --raw --pixel-mm 0.0125", path);
    int status;
    cJSON *doc = run_cli(args, &status);
    CHECK_EQ_INT(status, 0);
    CHECK(doc != NULL);
    const char *unit;
    double a = 50.0 / 255;
    CHECK_REL(metric(doc, "roughness.sq", &unit), a / sqrt(2.0), 0.01);
    CHECK(!strcmp(unit, "rel"));
    CHECK_REL(metric(doc, "roughness.sa", NULL), 2 * a / M_PI, 0.01);
    CHECK_NEAR(metric(doc, "roughness.ssk", NULL), 0.0, 0.02);
    CHECK_NEAR(metric(doc, "roughness.sku", NULL), 1.5, 0.02);
    CHECK_REL(metric(doc, "roughness.band_medium", NULL), a / sqrt(2.0), 0.03);
    CHECK(metric(doc, "roughness.band_fine", NULL) < 0.05 * a);
    CHECK(metric(doc, "quality.exposure", NULL) > 0.45 && metric(doc, "quality.exposure", NULL) < 0.55);
    CHECK_NEAR(metric(doc, "quality.clipped_pct", NULL), 0.0, 1e-9);
    CHECK(metric(doc, "quality.sharpness", NULL) > 0.0);
    CHECK(cJSON_GetObjectItemCaseSensitive(doc, "quality") != NULL);
    CHECK(cJSON_GetObjectItemCaseSensitive(doc, "detections") != NULL);
    cJSON_Delete(doc);
}

static void test_height_map(const char *dir)
{
    /* 16-bit height map: counts x 0.5 um; amplitude 2000 counts = 1000 um. */
    char path[1200], args[1400];
    snprintf(path, sizeof path, "%s/height16.png", dir);
    write_sinusoid(path, 256, 128, 0.5, 2000.0 / 65535, 32.0, 16);
    snprintf(args, sizeof args,
             "metrics '%s' --json --modality height --height-scale 0.5 --pixel-mm 0.02", path);
    int status;
    cJSON *doc = run_cli(args, &status);
    CHECK_EQ_INT(status, 0);
    const char *unit;
    CHECK_REL(metric(doc, "roughness.sq", &unit), 1000.0 / sqrt(2.0), 0.005);
    CHECK(doc && !strcmp(unit, "um"));
    /* A metric the modality cannot give is absent, not zero. */
    CHECK(isnan(metric(doc, "pigment.ita_deg", NULL)));
    CHECK(isnan(metric(doc, "redness.erythema_index", NULL)));
    cJSON_Delete(doc);
}

static void test_errors(const char *dir)
{
    char path[1200], args[1400];
    int status;
    snprintf(args, sizeof args, "metrics '%s/missing.png'", dir);
    cJSON_Delete(run_cli(args, &status));
    CHECK_EQ_INT(status, 2);
    snprintf(path, sizeof path, "%s/text.jpg", dir);
    FILE *f = fopen(path, "w");
    fputs("not a photo\n", f);
    fclose(f);
    snprintf(args, sizeof args, "metrics '%s'", path);
    cJSON_Delete(run_cli(args, &status));
    CHECK_EQ_INT(status, 2);
    snprintf(args, sizeof args, "metrics '%s/sine8.png' --max-pixels 1000", dir);
    cJSON_Delete(run_cli(args, &status));
    CHECK_EQ_INT(status, 2);
    snprintf(args, sizeof args, "metrics '%s/sine8.png' --modality stereo", dir);
    cJSON_Delete(run_cli(args, &status));
    CHECK_EQ_INT(status, 2);
    snprintf(args, sizeof args, "metrics '%s/sine8.png' --roi 200,200,100,100", dir);
    cJSON_Delete(run_cli(args, &status));
    CHECK_EQ_INT(status, 2);
}

int main(void)
{
    const char *dir = test_tmpdir("cli-metrics");
    test_raw_photo_sinusoid(dir);
    test_height_map(dir);
    test_errors(dir);
    return test_summary();
}
