#include "series/skeleton.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "series/scan.h"

/* One session: date (when known), label, files. */
static cJSON *session_object(const st_scan_session *sc)
{
    cJSON *o = cJSON_CreateObject(), *files = cJSON_CreateArray();
    if (!o || !files) {
        cJSON_Delete(o);
        cJSON_Delete(files);
        return NULL;
    }
    int ok = (!sc->date[0] || cJSON_AddStringToObject(o, "date", sc->date)) &&
             cJSON_AddStringToObject(o, "label", sc->label);
    for (size_t k = 0; ok && k < sc->files.count; k++) {
        cJSON *f = cJSON_CreateString(sc->files.items[k]);
        ok = f && cJSON_AddItemToArray(files, f);
    }
    if (!ok || !cJSON_AddItemToObject(o, "files", files)) { /* files not attached */
        cJSON_Delete(files);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *skeleton_object(const st_series *s, int height)
{
    cJSON *root = cJSON_CreateObject(), *sessions = cJSON_CreateArray();
    int ok = root && sessions && cJSON_AddStringToObject(root, "patient", "") &&
             cJSON_AddStringToObject(root, "area", "") &&
             cJSON_AddStringToObject(root, "modality", height ? "height" : "photo") &&
             cJSON_AddNullToObject(root, "pixel_mm") && cJSON_AddNullToObject(root, "roi") &&
             (!height || cJSON_AddNullToObject(root, "height_um_per_unit"));
    for (size_t i = 0; ok && i < s->n_sessions; i++) {
        cJSON *o = session_object(&s->sessions[i]);
        ok = o && cJSON_AddItemToArray(sessions, o);
        if (!ok)
            cJSON_Delete(o);
    }
    if (!ok || !cJSON_AddItemToObject(root, "sessions", sessions)) { /* not attached */
        cJSON_Delete(sessions);
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

int st_skeleton_build(const char *dir, st_skeleton *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    st_series_overrides ov = {.ignore_manifest = 1};
    st_series s;
    int rc = st_series_scan(dir, &ov, &s, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < s.n_sessions; i++)
        out->n_photos += s.sessions[i].files.count;
    out->n_sessions = s.n_sessions;
    out->dates_unknown = s.dates_unknown;
    out->height = s.gray16_pngs > 0 && s.gray16_pngs == out->n_photos;
    cJSON *root = skeleton_object(&s, out->height);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    st_series_free(&s);
    size_t n = text ? strlen(text) : 0;
    out->json = text ? malloc(n + 2) : NULL;
    if (!out->json) {
        cJSON_free(text);
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", dir);
    }
    memcpy(out->json, text, n);
    memcpy(out->json + n, "\n", 2);
    cJSON_free(text);
    return ST_OK;
}

void st_skeleton_free(st_skeleton *s)
{
    free(s->json);
    memset(s, 0, sizeof *s);
}
