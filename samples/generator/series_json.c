/* series.json as SPEC.md defines it, and the small JSON helpers. */
#include "series_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/error.h"

double sg_round(double v, int digits)
{
    if (!isfinite(v) || v == 0.0)
        return 0.0;
    char buf[64];
    snprintf(buf, sizeof buf, "%.*g", digits, v);
    return strtod(buf, NULL);
}

cJSON *sg_json_numbers(const double *v, int n, int digits)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(digits > 0 ? sg_round(v[i], digits) : v[i]));
    return a;
}

int sg_json_write(const cJSON *root, const char *path, st_err *err)
{
    char *text = cJSON_Print(root);
    if (!text)
        return st_err_set(err, ST_ENOMEM, "%s: cannot format JSON", path);
    size_t n = strlen(text);
    char *buf = malloc(n + 2);
    if (!buf) {
        free(text);
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", path);
    }
    memcpy(buf, text, n);
    buf[n] = '\n';
    int rc = st_atomic_write(path, buf, n + 1, err);
    free(buf);
    free(text);
    return rc;
}

const char *sg_modality_name(skingen_modality m)
{
    return m == SKINGEN_HEIGHT ? "height" : (m == SKINGEN_STEREO ? "stereo" : "photo");
}

static cJSON *session_json(const skingen_series_spec *spec, int i, const sg_session_files *f)
{
    const skingen_session_spec *s = &spec->sessions[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "date", f->date);
    cJSON_AddStringToObject(o, "label", f->label);
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    for (int k = 0; k < f->n_files; k++)
        cJSON_AddItemToArray(files, cJSON_CreateString(f->files[k]));
    if (s->setting) {
        cJSON *t = cJSON_AddObjectToObject(o, "treatment");
        cJSON_AddStringToObject(t, "setting", s->setting);
        cJSON_AddNumberToObject(t, "needle_mm", s->needle_mm);
    }
    if (spec->modality == SKINGEN_STEREO) {
        cJSON *l = cJSON_AddArrayToObject(o, "lights");
        for (int k = 0; k < spec->n_lights; k++)
            cJSON_AddItemToArray(l, sg_json_numbers(spec->lights[k], 3, 6));
    }
    return o;
}

cJSON *sg_series_json(const skingen_series_spec *spec, const sg_session_files *sf)
{
    cJSON *root = cJSON_CreateObject();
    if (spec->patient)
        cJSON_AddStringToObject(root, "patient", spec->patient);
    if (spec->area)
        cJSON_AddStringToObject(root, "area", spec->area);
    if (!spec->omit_pixel_mm)
        cJSON_AddNumberToObject(root, "pixel_mm", spec->skin.pixel_mm);
    if (spec->series_chart && spec->skin.chart.enabled) {
        cJSON *c = cJSON_AddObjectToObject(root, "chart");
        /* centre to centre: a patch and one gap of patch/6 (skingen_chart_size) */
        cJSON_AddNumberToObject(c, "patch_pitch_mm", sg_round(spec->skin.chart.patch_mm * 7.0 / 6.0, 9));
    }
    if (spec->roi[2] > 0) {
        double roi[4] = {spec->roi[0], spec->roi[1], spec->roi[2], spec->roi[3]};
        cJSON_AddItemToObject(root, "roi", sg_json_numbers(roi, 4, 0));
    }
    cJSON_AddStringToObject(root, "modality", sg_modality_name(spec->modality));
    if (spec->modality == SKINGEN_HEIGHT)
        cJSON_AddNumberToObject(root, "height_um_per_unit", spec->height_um_per_unit);
    cJSON *ss = cJSON_AddArrayToObject(root, "sessions");
    cJSON *last = NULL;
    for (int i = 0; i < spec->n_sessions; i++) {
        if (last && !strcmp(sf[i].date, sf[i - 1].date)) { /* a repeat shot of that session */
            cJSON *files = cJSON_GetObjectItem(last, "files");
            for (int k = 0; k < sf[i].n_files; k++)
                cJSON_AddItemToArray(files, cJSON_CreateString(sf[i].files[k]));
            continue;
        }
        last = session_json(spec, i, &sf[i]);
        cJSON_AddItemToArray(ss, last);
    }
    return root;
}
