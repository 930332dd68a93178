#include "series/metrics_import.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Whole file into a NUL-terminated buffer (metrics.json is small). */
static char *read_text(const char *path, st_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *grown = cap < ((size_t)1 << 30) ? realloc(buf, cap *= 2) : NULL;
        if (!grown) {
            free(buf);
            buf = NULL;
        } else
            buf = grown;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        st_err_set(err, bad ? ST_EIO : ST_ENOMEM, "%s: cannot read", path);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static const char *text_of(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int failed_status(const cJSON *session, const char *part)
{
    const char *s = text_of(cJSON_GetObjectItemCaseSensitive(session, part), "status");
    return !strcmp(s, "fail") || !strcmp(s, "failed");
}

/* Session status for the database: "failed" if the session, its registration
 * or its quality failed, with the cause (the session's "error", which names
 * the photo); "warn" with the first quality or registration warning; else
 * "ok". */
static void import_session(const cJSON *s, st_db_session *row, int *failed)
{
    const cJSON *idx = cJSON_GetObjectItemCaseSensitive(s, "index");
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(s, "days");
    const cJSON *reg = cJSON_GetObjectItemCaseSensitive(s, "registration");
    const cJSON *qual = cJSON_GetObjectItemCaseSensitive(s, "quality");
    row->index = cJSON_IsNumber(idx) ? idx->valueint : 0;
    row->days = cJSON_IsNumber(days) ? days->valueint : 0;
    row->date = text_of(s, "date");
    row->label = text_of(s, "label");
    *failed = !strcmp(text_of(s, "status"), "failed") || failed_status(s, "registration") ||
              failed_status(s, "quality");
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(qual, "messages");
    const cJSON *first = cJSON_GetArrayItem(warnings, 0);
    const char *warning = cJSON_IsString(first) ? first->valuestring : text_of(reg, "message");
    int warn = !strcmp(text_of(qual, "status"), "warn") || !strcmp(text_of(reg, "status"), "warn");
    row->status = *failed ? "failed" : warn ? "warn" : "ok";
    if (*failed)
        row->message = *text_of(s, "error") ? text_of(s, "error")
                       : *text_of(reg, "message") ? text_of(reg, "message") : warning;
    else
        row->message = warn ? warning : "";
}

static size_t count_metrics(const cJSON *sessions)
{
    size_t n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, sessions) n += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "metrics"));
    return n;
}

static void import_metrics(const cJSON *s, int session, st_imported *out)
{
    const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(s, "metrics");
    const cJSON *change = cJSON_GetObjectItemCaseSensitive(s, "change");
    const cJSON *withheld = cJSON_GetObjectItemCaseSensitive(s, "withheld");
    const cJSON *m;
    cJSON_ArrayForEach(m, metrics)
    {
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(m, "value");
        if (!cJSON_IsNumber(value) || !m->string)
            continue;
        st_db_metric *row = &out->metrics[out->n_metrics++];
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(change, m->string);
        row->session = session;
        row->name = m->string;
        row->value = value->valuedouble;
        row->unit = text_of(m, "unit");
        row->has_change = cJSON_IsNumber(c);
        row->change_pct = row->has_change ? c->valuedouble : 0.0;
        row->withheld = text_of(withheld, m->string);
    }
}

static void import_index(const cJSON *root, st_imported *out)
{
    const cJSON *ri = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "progress"), "remodeling_index");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ri, "value");
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(ri, "ci95");
    if (!cJSON_IsNumber(v) || cJSON_GetArraySize(ci) != 2)
        return;
    out->has_index = 1;
    out->remodeling_index = v->valuedouble;
    out->ci_lo = cJSON_GetArrayItem(ci, 0)->valuedouble;
    out->ci_hi = cJSON_GetArrayItem(ci, 1)->valuedouble;
}

int st_metrics_import(const char *path, st_imported *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    char *text = read_text(path, err);
    if (!text)
        return err ? err->code : ST_EIO;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root)
        return st_err_set(err, ST_EFORMAT, "%s: not valid JSON", path);
    out->json = root;
    const cJSON *series = cJSON_GetObjectItemCaseSensitive(root, "series");
    out->name = text_of(series, "name");
    out->patient = text_of(series, "patient");
    out->area = text_of(series, "area");
    out->modality = text_of(series, "modality");
    const cJSON *sessions = cJSON_GetObjectItemCaseSensitive(root, "sessions");
    if (!cJSON_IsArray(sessions) ||
        strcmp(text_of(root, "schema"), "skintrack/1") != 0) {
        st_imported_free(out);
        return st_err_set(err, ST_EFORMAT, "%s: not a skintrack/1 metrics file", path);
    }
    size_t ns = (size_t)cJSON_GetArraySize(sessions), nm = count_metrics(sessions);
    out->sessions = calloc(ns ? ns : 1, sizeof *out->sessions);
    out->metrics = calloc(nm ? nm : 1, sizeof *out->metrics);
    if (!out->sessions || !out->metrics) {
        st_imported_free(out);
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", path);
    }
    const cJSON *s;
    cJSON_ArrayForEach(s, sessions)
    {
        int failed;
        st_db_session *row = &out->sessions[out->n_sessions++];
        import_session(s, row, &failed);
        out->n_failed_sessions += failed;
        import_metrics(s, row->index, out);
    }
    import_index(root, out);
    return ST_OK;
}

void st_imported_free(st_imported *imp)
{
    cJSON_Delete(imp->json);
    free(imp->sessions);
    free(imp->metrics);
    memset(imp, 0, sizeof *imp);
}
