/* st_report_write and st_batch_index_write on copies of the fixtures:
 * report.pdf is a PDF with a summary page plus detail pages, carries the
 * analysis date of metrics.json as its metadata date, and is byte-identical
 * on a second run; the batch index lists every series (a missing one as
 * failed) and summary.csv carries the index and key changes of metrics.json,
 * quoted per RFC 4180. No temporary file is left behind. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "report/report.h"
#include "test_util.h"

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *d = test_slurp(from, &n);
    FILE *f = fopen(to, "wb");
    if (d && f)
        fwrite(d, 1, n, f);
    if (f)
        fclose(f);
    free(d);
}

/* tests/data/report/<name> -> tmp/<name> (metrics.json and images/). */
static void copy_series(const char *name, const char *tmp)
{
    char a[1024], b[1024];
    snprintf(b, sizeof b, "%s/%s", tmp, name);
    mkdir(b, 0755);
    snprintf(a, sizeof a, "data/report/%s/metrics.json", name);
    snprintf(b, sizeof b, "%s/%s/metrics.json", tmp, name);
    copy_file(a, b);
    snprintf(b, sizeof b, "%s/%s/images", tmp, name);
    mkdir(b, 0755);
    snprintf(a, sizeof a, "data/report/%s/images", name);
    DIR *d = opendir(a);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char fa[1300], fb[1300];
        snprintf(fa, sizeof fa, "%s/%s", a, e->d_name);
        snprintf(fb, sizeof fb, "%s/%s", b, e->d_name);
        copy_file(fa, fb);
    }
    if (d)
        closedir(d);
}

static size_t count(const char *hay, size_t n, const char *needle)
{
    size_t c = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        c += memcmp(hay + i, needle, k) == 0;
    return c;
}

static int no_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    int clean = d != NULL;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            clean = 0;
    if (d)
        closedir(d);
    return clean;
}

static void test_pdf(const char *tmp)
{
    char dir[1024], path[1100];
    st_err err = {0};
    snprintf(dir, sizeof dir, "%s/demo", tmp);
    CHECK_EQ_INT(st_report_write(dir, &err), ST_OK);
    snprintf(path, sizeof path, "%s/report.pdf", dir);
    size_t n1, n2;
    char *pdf = test_slurp(path, &n1);
    CHECK(pdf && n1 > 10000 && memcmp(pdf, "%PDF-", 5) == 0);
    if (!pdf)
        return;
    size_t pages = count(pdf, n1, "/Type /Page\n") + count(pdf, n1, "/Type /Page ") +
                   count(pdf, n1, "/Type /Page>");
    CHECK_MSG(pages >= 4 && pages <= 12, "%zu pages", pages);
    /* metadata dates are the run date of metrics.json, not the clock */
    CHECK(count(pdf, n1, "/CreationDate (") == 1 && count(pdf, n1, "20260407093000") >= 2);
    CHECK(count(pdf, n1, "/Subtype /Image") >= 3);
    /* deterministic: a second run gives the same bytes */
    CHECK_EQ_INT(st_report_write(dir, &err), ST_OK);
    char *again = test_slurp(path, &n2);
    CHECK(again && n1 == n2 && memcmp(pdf, again, n1) == 0);
    snprintf(path, sizeof path, "%s/report.html", dir);
    size_t nh;
    char *html = test_slurp(path, &nh);
    CHECK(html && nh > 1000 && strstr(html, "</html>") != NULL);
    CHECK(no_temporaries(dir));
    free(pdf);
    free(again);
    free(html);
    /* the other fixtures render too */
    const char *others[] = {"uncal", "height"};
    for (int i = 0; i < 2; i++) {
        snprintf(dir, sizeof dir, "%s/%s", tmp, others[i]);
        CHECK_EQ_INT(st_report_write(dir, &err), ST_OK);
        snprintf(path, sizeof path, "%s/report.pdf", dir);
        char *p = test_slurp(path, &n1);
        CHECK(p && memcmp(p, "%PDF-", 5) == 0);
        free(p);
    }
    /* a folder without metrics.json is an error naming the file */
    snprintf(dir, sizeof dir, "%s/empty", tmp);
    mkdir(dir, 0755);
    CHECK_EQ_INT(st_report_write(dir, &err), ST_EIO);
    CHECK(strstr(err.msg, "empty/metrics.json") != NULL);
}

/* The PDF's text as pdftotext reads it (poppler-utils, installed with the
 * test tools); NULL when pdftotext is not there. */
static char *pdf_text(const char *pdf)
{
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' - 2>/dev/null", pdf);
    FILE *f = access("/usr/bin/pdftotext", X_OK) == 0 ? popen(cmd, "r") : NULL;
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    while (buf && n < cap - 1) {
        size_t k = fread(buf + n, 1, cap - 1 - n, f);
        if (k == 0)
            break;
        n += k;
    }
    if (buf)
        buf[n] = 0;
    pclose(f);
    return buf;
}

/* The words of report.pdf for colour, lamp, withheld changes and the maps
 * are those of report.html (report_conditions.c, report_words.c). */
static void test_pdf_words(const char *tmp)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/demo/report.pdf", tmp);
    char *t = pdf_text(path);
    if (!t) {
        fprintf(stderr, "test_report_pdf: pdftotext not found, PDF words not checked\n");
        return;
    }
    CHECK(strstr(t, "Colour and light per photo") != NULL);
    CHECK(strstr(t, "Baseline: Colour calibrated on the chart (ΔE00 7.3 → 0.9)") != NULL);
    CHECK(strstr(t, "Session 1: Colour not calibrated: no colour chart found in the photo — colour "
                    "changes are not compared") != NULL);
    CHECK(strstr(t, "Session 1: Lamp moved 32° from the baseline's: relief, texture, scar and line "
                    "changes not compared") != NULL);
    CHECK(strstr(t, "Session 3: Lamp 4° from the baseline's") != NULL);
    CHECK(strstr(t, "Colour calibrated not calibrated — calibrated") != NULL); /* table row */
    CHECK(strstr(t, "Lamp reference moved 32° — 4°") != NULL);
    CHECK(count(t, strlen(t), "withheld 1") + count(t, strlen(t), "withheld 2") == 38);
    CHECK(strstr(t, "Not compared: colour not calibrated in this session (Session 1)") != NULL);
    CHECK(strstr(t, "Melanin and haemoglobin") != NULL);
    CHECK(strstr(t, "1.5 optical density") && strstr(t, "0.6 optical density"));
    free(t);
    snprintf(path, sizeof path, "%s/uncal/report.pdf", tmp);
    t = pdf_text(path);
    CHECK(t != NULL);
    if (t) { /* the cards of pigmentation and redness, never "unchanged" */
        CHECK_EQ_INT(count(t, strlen(t), "Not compared — colour not calibrated in the"), 2);
        CHECK(count(t, strlen(t), "not compared") >= 4);
        CHECK(strstr(t, "Melanin and haemoglobin maps not available") != NULL);
    }
    free(t);
    snprintf(path, sizeof path, "%s/height/report.pdf", tmp);
    t = pdf_text(path);
    if (t) {
        CHECK(strstr(t, "Colour and light") == NULL && strstr(t, "withheld") == NULL);
        CHECK(strstr(t, "Melanin and haemoglobin") == NULL);
    }
    free(t);
}

static void test_batch(const char *tmp)
{
    char dirs[4][1024];
    const char *list[4];
    const char *names[4] = {"demo", "uncal", "height", "missing"};
    for (int i = 0; i < 4; i++) {
        snprintf(dirs[i], sizeof dirs[i], "%s/%s", tmp, names[i]);
        list[i] = dirs[i];
    }
    st_err err = {0};
    CHECK_EQ_INT(st_batch_index_write(tmp, list, NULL, 4, &err), ST_OK);
    char path[1100];
    size_t n;
    snprintf(path, sizeof path, "%s/index.html", tmp);
    char *html = test_slurp(path, &n);
    CHECK(html != NULL);
    if (html) {
        CHECK_EQ_INT(count(html, n, "<tr><td class=\"t\"><a href="), 4);
        CHECK(strstr(html, "href=\"demo/report.html\"") != NULL);
        CHECK(strstr(html, "class=\"t fail\">failed: ") != NULL);
        CHECK(strstr(html, "<script>alert") == NULL);
        CHECK(strstr(html, "http") == NULL);
        /* each family's headline, as in the series report: the height
         * fixture's scars by their volume (-16.9778 %), not mean depth */
        const char *hrow = strstr(html, "href=\"height/report.html\"");
        const char *hend = hrow ? strstr(hrow, "</tr>") : NULL;
        const char *vol = hrow ? strstr(hrow, ">\xe2\x88\x92" "17.0") : NULL;
        const char *depth = hrow ? strstr(hrow, ">\xe2\x88\x92" "18.1") : NULL;
        CHECK(hend && vol && vol < hend && (!depth || depth > hend));
    }
    snprintf(path, sizeof path, "%s/summary.csv", tmp);
    char *csv = test_slurp(path, &n);
    CHECK(csv != NULL);
    if (csv) {
        CHECK_EQ_INT(count(csv, n, "\r\n"), 5); /* header + 4 series */
        CHECK(strncmp(csv, "series,patient,area,status,sessions,remodeling_index,", 53) == 0);
        /* demo row: index and latest roughness change equal metrics.json */
        const char *row = strstr(csv, "\r\ndemo,");
        double idx = NAN, lo = NAN, hi = NAN, rq = NAN;
        CHECK(row && sscanf(row, "\r\ndemo,P-0042,left cheek,1 session failed,4,%lf,%lf,%lf,%lf",
                            &idx, &lo, &hi, &rq) == 4);
        CHECK(idx == 14.2 && lo == 9.8 && hi == 18.1);
        size_t jn;
        char *js = test_slurp("data/report/demo/metrics.json", &jn);
        cJSON *doc = js ? cJSON_Parse(js) : NULL;
        const cJSON *s3 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "sessions"), 3);
        const cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(s3, "change"), "roughness.sq");
        CHECK(c && c->valuedouble == rq);
        cJSON_Delete(doc);
        free(js);
        /* RFC 4180 quoting of the hostile patient name */
        CHECK(strstr(csv, "\"Anna \"\"Ann\"\" O'Brien <script>alert(1)</script>\"") != NULL);
        CHECK(strstr(csv, "\r\nmissing,,,failed: ") != NULL);
    }
    CHECK(no_temporaries(tmp));
    free(html);
    free(csv);
}

/* See analyzer/cli/lsan_suppress.c: fontconfig's once-per-process cache. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

int main(void)
{
    const char *tmp = test_tmpdir("report_pdf");
    const char *names[] = {"demo", "uncal", "height"};
    for (int i = 0; i < 3; i++)
        copy_series(names[i], tmp);
    test_pdf(tmp);
    test_pdf_words(tmp);
    test_batch(tmp);
    return test_summary();
}
