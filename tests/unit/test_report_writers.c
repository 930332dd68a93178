/* metrics.json and metrics.csv: schema structure and key order, fixed
 * precision, CSV quoting, byte-identical reruns, atomic files. */
#define _DEFAULT_SOURCE
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "report/csv_writer.h"
#include "report/json_writer.h"
#include "report/numfmt.h"
#include "test_util.h"

static st_series series;
static st_series_result res;

static void put(st_metric_set *s, const char *n, double v, const char *u)
{
    st_err err;
    CHECK_EQ_INT(st_metric_set_put(s, n, v, u, &err), ST_OK);
}

static void build(void)
{
    st_err err;
    memset(&series, 0, sizeof series);
    strcpy(series.name, "P-0042-cheek");
    strcpy(series.patient, "P-0042");
    strcpy(series.area, "left cheek, \"upper\"");
    series.pixel_mm = 0.05;
    const char *files[] = {"2026-01-05.jpg", "2026-02-09_a.jpg", "2026-02-09_b.jpg"};
    const char *dates[] = {"2026-01-05", "2026-02-09", "2026-02-09"};
    st_date_source src[] = {ST_DATE_FILENAME, ST_DATE_FILENAME, ST_DATE_FILENAME};
    CHECK_EQ_INT(st_series_group(&series, files, dates, src, 3, &err), ST_OK);
    series.sessions[1].treatment = (st_treatment){1, "professional", 1, 1.5, 1, {"PRP"}};

    memset(&res, 0, sizeof res);
    res.series = &series;
    res.has_roi = 1;
    memcpy(res.roi, (int[]){400, 300, 1200, 900}, sizeof res.roi);
    res.n_sessions = 2;
    res.sessions = calloc(2, sizeof *res.sessions);
    for (int i = 0; i < 2; i++) {
        st_session_result *s = &res.sessions[i];
        s->scan = &series.sessions[i];
        strcpy(s->reg.status, "ok");
        strcpy(s->reg.model, i ? "similarity" : "identity");
        for (int k = 0; k < 3; k++)
            s->reg.matrix[k][k] = 1;
        s->reg.ncc = 1;
        s->reg.overlap = 1;
        strcpy(s->quality.status, "ok");
        s->quality.sharpness = 0.25;
    }
    res.sessions[1].reg.matrix[0][2] = 12.3456789012;
    res.sessions[1].reg.matrix[1][0] = -0.0;
    put(&res.sessions[0].metrics, "roughness.sq", 0.0123, "rel");
    put(&res.sessions[0].metrics, "pores.count", 120, "");
    put(&res.sessions[1].metrics, "roughness.sq", 0.01076, "rel");
    put(&res.sessions[1].metrics, "pores.count", 100, "");
    put(&res.sessions[0].metrics, "redness.erythema_index", 24.0, "");
    put(&res.sessions[1].metrics, "redness.erythema_index", 27.0, "");
    /* the baseline calibrated on its chart, session 1 without a chart: its
     * redness change is withheld; session 1's lamp is within tolerance */
    res.sessions[0].colour = (st_colour_info){"calibrated", "chart", 1, {1081, 843, 492, 328}, 1, 7.3, 0.9, ""};
    res.sessions[1].colour = (st_colour_info){"uncalibrated", "none", 0, {0}, 0, 0, 0, "no colour chart found in the photo"};
    res.sessions[1].light = (st_light_info){1, {0.5, 0, 0.866}, 4.2, 1};
    st_metric_set_sort(&res.sessions[0].metrics);
    st_metric_set_sort(&res.sessions[1].metrics);
    res.sessions[1].n_shots = 2;
    res.sessions[1].shots = calloc(2, sizeof *res.sessions[1].shots);
    strcpy(res.sessions[1].shots[0].file, "2026-02-09_a.jpg");
    strcpy(res.sessions[1].shots[1].file, "2026-02-09_b.jpg");
    put(&res.sessions[1].shots[0].metrics, "pores.count", 98, "");
    put(&res.sessions[1].shots[1].metrics, "pores.count", 102, "");
    put(&res.sessions[1].spread, "pores.count", 2.8284271247, "");
    /* a 2x1 tile map and a PSD on the baseline */
    st_tile_maps *g = &res.sessions[0].tiles;
    g->x0 = 400, g->y0 = 300, g->tile_px = 40, g->cols = 2, g->rows = 1, g->n_maps = 1;
    g->maps = calloc(1, sizeof *g->maps);
    strcpy(g->maps[0].name, "roughness.sq");
    strcpy(g->maps[0].unit, "rel");
    g->maps[0].values = malloc(2 * sizeof(double));
    g->maps[0].values[0] = 0.5;
    g->maps[0].values[1] = NAN;
    res.sessions[0].psd.n = 2;
    res.sessions[0].psd.freq_per_mm = malloc(2 * sizeof(double));
    res.sessions[0].psd.power = malloc(2 * sizeof(double));
    res.sessions[0].psd.freq_per_mm[0] = 0.125, res.sessions[0].psd.freq_per_mm[1] = 0.25;
    res.sessions[0].psd.power[0] = 1e-3, res.sessions[0].psd.power[1] = 2.5e-4;
    strcpy(res.sessions[0].image_aligned, "images/session_00_aligned.jpg");
    strcpy(res.sessions[0].image_overlay, "images/session_00_overlay.jpg");
    res.sessions[0].det.n_pores = 1;
    res.sessions[0].det.pores = calloc(1, sizeof(st_pore));
    res.sessions[0].det.pores[0] = (st_pore){10.5, 20.0, 0.21, 0, 0};
    CHECK_EQ_INT(st_series_progress(&res, &err), ST_OK);
    res.remodel.valid = 1;
    res.remodel.value = 14.2;
    res.remodel.ci95[0] = 9.8;
    res.remodel.ci95[1] = 18.1;
    res.remodel.used[0] = 1;
    res.remodel.change[0] = -12.5;
    st_strlist_add(&res.flags, "sessions 0 and 1 are 21 days apart", &err);
}

static const char *keys(const cJSON *o, char *buf, size_t cap)
{
    buf[0] = 0;
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next) {
        strncat(buf, c->string, cap - strlen(buf) - 2);
        strcat(buf, ",");
    }
    return buf;
}

static void test_json(void)
{
    st_err err;
    char *a = st_metrics_json_render(&res, &err), *b = st_metrics_json_render(&res, &err);
    CHECK(a && b && !strcmp(a, b));
    cJSON *root = cJSON_Parse(a);
    CHECK(root != NULL);
    char k[512];
    CHECK(!strcmp(keys(root, k, sizeof k), "schema,tool,series,sessions,progress,"));
    CHECK(!strcmp(cJSON_GetObjectItem(root, "schema")->valuestring, "skintrack/1"));
    const cJSON *ser = cJSON_GetObjectItem(root, "series");
    CHECK(!strcmp(keys(ser, k, sizeof k),
                  "name,patient,area,modality,pixel_mm,calibrated,roi,baseline,dates_unknown,notes,"
                  "chromophore_keys,"));
    const cJSON *mk = cJSON_GetObjectItem(cJSON_GetObjectItem(ser, "chromophore_keys"), "melanin");
    CHECK(!strcmp(keys(mk, k, sizeof k), "min,max,colour_min,colour_max,stops,unit,"));
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(mk, "stops")), 9);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(ser, "calibrated")));
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetObjectItem(ser, "roi"), 2)->valuedouble, 1200, 0);
    const cJSON *s0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "sessions"), 0);
    const cJSON *s1 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "sessions"), 1);
    CHECK(!strcmp(keys(s0, k, sizeof k),
                  "index,date,days,label,files,status,error,registration,quality,colour,metrics,detections,images,"
                  "psd,tiles,"));
    CHECK(!strcmp(keys(cJSON_GetObjectItem(s0, "colour"), k, sizeof k),
                  "status,method,delta_e00_before,delta_e00_after,chart_box,"));
    CHECK_NEAR(cJSON_GetObjectItem(cJSON_GetObjectItem(s0, "colour"), "delta_e00_after")->valuedouble, 0.9, 0);
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(s0, "colour"), "chart_box"), 2)->valuedouble,
               492, 0);
    const cJSON *tiles = cJSON_GetObjectItem(cJSON_GetObjectItem(s0, "tiles"), "roughness.sq");
    CHECK(!strcmp(keys(tiles, k, sizeof k), "unit,rows,cols,x0,y0,tile_px,values,"));
    CHECK(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetObjectItem(tiles, "values"), 1)));
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetObjectItem(tiles, "values"), 0)->valuedouble, 0.5, 0);
    CHECK(!strcmp(keys(cJSON_GetObjectItem(s0, "images"), k, sizeof k), "aligned,overlay,"));
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(s0, "psd"), "power"), 1)->valuedouble,
               2.5e-4, 0);
    CHECK(!strcmp(keys(s1, k, sizeof k), "index,date,days,label,files,treatment,status,error,registration,"
                                         "quality,colour,light,metrics,change,withheld,repeatability,shots,"
                                         "detections,"));
    const cJSON *wh = cJSON_GetObjectItem(s1, "withheld");
    CHECK(!strcmp(keys(wh, k, sizeof k), "redness.erythema_index,"));
    CHECK(!strcmp(cJSON_GetObjectItem(wh, "redness.erythema_index")->valuestring,
                  "colour not calibrated in this session"));
    CHECK(!cJSON_GetObjectItem(cJSON_GetObjectItem(s1, "change"), "redness.erythema_index"));
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(s1, "change"), "pores.count") != NULL);
    CHECK(!strcmp(keys(cJSON_GetObjectItem(s1, "light"), k, sizeof k),
                  "direction,angle_to_baseline_deg,relief_comparable,"));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(s1, "light"), "relief_comparable")));
    CHECK_NEAR(cJSON_GetObjectItem(s1, "days")->valuedouble, 35, 0);
    CHECK(!strcmp(keys(cJSON_GetObjectItem(s1, "registration"), k, sizeof k),
                  "status,model,matrix,ncc,overlap,message,"));
    const cJSON *m = cJSON_GetObjectItem(cJSON_GetObjectItem(s1, "registration"), "matrix");
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetArrayItem(m, 0), 2)->valuedouble, 12.3456789, 1e-12);
    const cJSON *sq = cJSON_GetObjectItem(cJSON_GetObjectItem(s1, "metrics"), "roughness.sq");
    CHECK_NEAR(cJSON_GetObjectItem(sq, "value")->valuedouble, 0.01076, 0);
    CHECK(!strcmp(cJSON_GetObjectItem(sq, "unit")->valuestring, "rel"));
    /* 100·(0.01076 − 0.0123)/0.0123 = −12.5203… printed with 6 digits */
    CHECK_NEAR(cJSON_GetObjectItem(cJSON_GetObjectItem(s1, "change"), "roughness.sq")->valuedouble, -12.5203,
               0);
    CHECK(strstr(a, "\"roughness.sq\":\t-12.5203") != NULL);
    CHECK(strstr(a, "[-0,") == NULL && strstr(a, " -0,") == NULL); /* no negative zero */
    const cJSON *tr = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "progress"), "trend_per_30d");
    CHECK_NEAR(cJSON_GetObjectItem(tr, "roughness.sq")->valuedouble, -10.7317, 1e-4);
    const cJSON *ri = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "progress"), "remodeling_index");
    CHECK_NEAR(cJSON_GetObjectItem(ri, "value")->valuedouble, 14.2, 0);
    CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetObjectItem(ri, "ci95"), 1)->valuedouble, 18.1, 0);
    const cJSON *pore = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(s0, "detections"), "pores"), 0);
    CHECK_NEAR(cJSON_GetObjectItem(pore, "d_mm")->valuedouble, 0.21, 0);
    cJSON_Delete(root);
    free(a);
    free(b);

    char path[1200];
    snprintf(path, sizeof path, "%s/metrics.json", test_tmpdir("writers"));
    CHECK_EQ_INT(st_metrics_json_write(&res, path, &err), ST_OK);
    FILE *fp = fopen(path, "rb");
    char buf[1 << 16];
    size_t n = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
    if (fp)
        fclose(fp);
    buf[n] = 0;
    cJSON *back = cJSON_Parse(buf);
    CHECK(n > 100 && buf[n - 1] == '\n' && back != NULL);
    cJSON_Delete(back);
}

static void test_csv(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    st_err err;
    CHECK_EQ_INT(st_metrics_csv_stream(&res, fp, &err), ST_OK);
    fclose(fp);
    const char *want =
        "series,session,date,label,file,metric,value,unit,change_pct\n"
        "P-0042-cheek,0,2026-01-05,baseline,2026-01-05.jpg,pores.count,120,,\n"
        "P-0042-cheek,0,2026-01-05,baseline,2026-01-05.jpg,redness.erythema_index,24,,\n"
        "P-0042-cheek,0,2026-01-05,baseline,2026-01-05.jpg,roughness.sq,0.0123,rel,\n"
        "P-0042-cheek,1,2026-02-09,session 1,2026-02-09_a.jpg,pores.count,98,,\n"
        "P-0042-cheek,1,2026-02-09,session 1,2026-02-09_b.jpg,pores.count,102,,\n"
        "P-0042-cheek,1,2026-02-09,session 1,mean,pores.count,100,,-16.6667\n"
        /* withheld: no change (metrics.json says why) */
        "P-0042-cheek,1,2026-02-09,session 1,mean,redness.erythema_index,27,,\n"
        "P-0042-cheek,1,2026-02-09,session 1,mean,roughness.sq,0.01076,rel,-12.5203\n";
    CHECK_MSG(text && !strcmp(text, want), "got:\n%s", text ? text : "(null)");
    free(text);

    text = NULL;
    fp = open_memstream(&text, &len);
    st_csv_field(fp, "plain");
    fputc('|', fp);
    st_csv_field(fp, "a,b");
    fputc('|', fp);
    st_csv_field(fp, "say \"hi\"");
    fputc('|', fp);
    st_csv_field(fp, "two\nlines");
    fputc('|', fp);
    st_csv_field(fp, " padded");
    fputc('|', fp);
    st_csv_field(fp, "");
    fclose(fp);
    CHECK_MSG(!strcmp(text, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\" padded\"|"), "got %s", text);
    free(text);
}

static void test_numfmt(void)
{
    char b[ST_NUM_BUF];
    CHECK(!strcmp(st_fmt_num(b, -0.0, 6), "0"));
    CHECK(!strcmp(st_fmt_num(b, -1e-9, 3), "-1e-09"));
    CHECK(!strcmp(st_fmt_num(b, 0.1 + 0.2, 6), "0.3"));
    CHECK(!strcmp(st_fmt_num(b, NAN, 6), "null"));
    CHECK(!strcmp(st_fmt_num(b, 1234567.0, 6), "1.23457e+06"));
}

int main(void)
{
    build();
    test_json();
    test_csv();
    test_numfmt();
    st_series_result_free(&res);
    st_series_free(&series);
    return test_summary();
}
