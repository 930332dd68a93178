/* Session dates and grouping: dates from file names and EXIF, calendar
 * validity, same-date repeat shots, baseline = earliest, "dates unknown",
 * series.json precedence and command-line overrides. */
#define _DEFAULT_SOURCE
#include <libexif/exif-data.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "series/guidelines.h"
#include "series/scan.h"
#include "test_util.h"

static void test_dates(void)
{
    long d;
    CHECK_EQ_INT(st_date_parse("1970-01-01", &d), 0);
    CHECK_EQ_INT(d, 0);
    CHECK_EQ_INT(st_date_parse("2000-03-01", &d), 0);
    CHECK_EQ_INT(d, 11017);
    long a, b;
    st_date_parse("2026-01-05", &a);
    st_date_parse("2026-02-09", &b);
    CHECK_EQ_INT(b - a, 35);
    st_date_parse("2024-02-28", &a);
    st_date_parse("2024-03-01", &b);
    CHECK_EQ_INT(b - a, 2); /* leap year */
    CHECK_EQ_INT(st_date_parse("2024-02-29", &d), 0);
    CHECK_EQ_INT(st_date_parse("2025-02-29", &d), -1);
    CHECK_EQ_INT(st_date_parse("1900-02-29", &d), -1);
    CHECK_EQ_INT(st_date_parse("2000-02-29", &d), 0);
    CHECK_EQ_INT(st_date_parse("2026-13-01", &d), -1);
    CHECK_EQ_INT(st_date_parse("2026-1-05", &d), -1);
    CHECK_EQ_INT(st_date_parse("2026-01-05x", &d), -1);

    char out[ST_DATE_LEN];
    CHECK(!st_date_from_filename("2026-01-05.jpg", out) && !strcmp(out, "2026-01-05"));
    CHECK(!st_date_from_filename("IMG_20260209_1230.jpg", out) && !strcmp(out, "2026-02-09"));
    CHECK(!st_date_from_filename("cheek 2026-03-16 b.png", out) && !strcmp(out, "2026-03-16"));
    CHECK(st_date_from_filename("DSC0123456789.jpg", out) == -1);    /* a longer digit run */
    CHECK(st_date_from_filename("IMG_20261340.jpg", out) == -1);     /* month 13 */
    CHECK(st_date_from_filename("session1.jpg", out) == -1);
    CHECK(!st_date_from_filename("x_19991231.jpeg", out) && !strcmp(out, "1999-12-31"));
    /* More spellings (issue 21): underscores and the European DD.MM.YYYY. */
    CHECK(!st_date_from_filename("2026_01_05.jpg", out) && !strcmp(out, "2026-01-05"));
    CHECK(!st_date_from_filename("P7 05.01.2026.jpg", out) && !strcmp(out, "2026-01-05"));
    CHECK(st_date_from_filename("31.02.2026.jpg", out) == -1);      /* no such day */
    CHECK(st_date_from_filename("105.01.2026.jpg", out) == -1);     /* a longer digit run */
    /* Natural order of undated names: numbers by value, ties fixed. */
    CHECK(st_natural_cmp("visit9.jpg", "visit10.jpg") < 0);
    CHECK(st_natural_cmp("visit10.jpg", "visit9.jpg") > 0);
    CHECK(st_natural_cmp("a2b10", "a2b9") > 0);
    CHECK(st_natural_cmp("img01.jpg", "img1.jpg") != 0);
    CHECK(st_natural_cmp("b.jpg", "a.jpg") > 0);
    CHECK(st_natural_cmp("x", "x") == 0);
    CHECK(!st_date_from_exif("2026:01:05 10:11:12", out) && !strcmp(out, "2026-01-05"));
    CHECK(st_date_from_exif("0000:00:00 00:00:00", out) == -1);
    CHECK(st_date_from_exif("", out) == -1);
}

static void test_grouping(void)
{
    st_series s;
    memset(&s, 0, sizeof s);
    strcpy(s.dir, "D");
    const char *files[] = {"b.jpg", "a.jpg", "c.jpg", "d.jpg", "e.jpg"};
    const char *dates[] = {"2026-02-09", "2026-02-09", "2026-01-05", "", "2026-03-16"};
    st_date_source src[] = {ST_DATE_FILENAME, ST_DATE_FILENAME, ST_DATE_EXIF, ST_DATE_NONE, ST_DATE_FILENAME};
    st_err err = {0};
    CHECK_EQ_INT(st_series_group(&s, files, dates, src, 5, &err), ST_OK);
    CHECK_EQ_INT(s.n_sessions, 4);
    if (s.n_sessions == 4) {
        CHECK(!strcmp(s.sessions[0].date, "2026-01-05") && s.sessions[0].days == 0);
        CHECK(s.sessions[0].date_source == ST_DATE_EXIF);
        CHECK(!strcmp(s.sessions[0].label, "baseline"));
        CHECK_EQ_INT(s.sessions[1].files.count, 2); /* repeat shots, given order kept */
        CHECK(!strcmp(s.sessions[1].files.items[0], "b.jpg") && !strcmp(s.sessions[1].files.items[1], "a.jpg"));
        CHECK_EQ_INT(s.sessions[1].days, 35);
        CHECK(!strcmp(s.sessions[1].label, "session 1"));
        CHECK_EQ_INT(s.sessions[2].days, 70);
        CHECK(!s.sessions[3].date[0] && !strcmp(s.sessions[3].files.items[0], "d.jpg"));
        CHECK_EQ_INT(s.dates_unknown, 0);
    }
    st_strlist flags = {0};
    CHECK_EQ_INT(st_guideline_flags(&s, &flags, &err), ST_OK);
    CHECK_EQ_INT(flags.count, 1);
    if (flags.count)
        CHECK(strstr(flags.items[0], "session 3 (d.jpg) has no date") != NULL);
    st_strlist_free(&flags);
    st_series_free(&s);

    /* No dates at all: file-name order, one session per photo. */
    memset(&s, 0, sizeof s);
    const char *f2[] = {"a.jpg", "b.jpg"};
    const char *d2[] = {"", ""};
    st_date_source s2[] = {ST_DATE_NONE, ST_DATE_NONE};
    CHECK_EQ_INT(st_series_group(&s, f2, d2, s2, 2, &err), ST_OK);
    CHECK_EQ_INT(s.n_sessions, 2);
    CHECK_EQ_INT(s.dates_unknown, 1);
    CHECK_EQ_INT(st_guideline_flags(&s, &flags, &err), ST_OK);
    CHECK(flags.count == 1 && strstr(flags.items[0], "dates unknown"));
    st_strlist_free(&flags);
    st_series_free(&s);
    CHECK_EQ_INT(st_series_group(&s, f2, d2, s2, 0, &err), ST_EINVAL);
}

static void touch(const char *dir, const char *name, const char *text)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *fp = fopen(p, "wb");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

/* A JPEG header with only an EXIF DateTimeOriginal (libexif builds it). */
static void write_exif_jpeg(const char *dir, const char *name, const char *when)
{
    ExifData *ed = exif_data_new();
    exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
    ExifEntry *e = exif_entry_new();
    exif_content_add_entry(ed->ifd[EXIF_IFD_EXIF], e);
    exif_entry_initialize(e, EXIF_TAG_DATE_TIME_ORIGINAL);
    if (e->data && e->size >= 20)
        memcpy(e->data, when, 20);
    unsigned char *buf = NULL;
    unsigned int len = 0;
    exif_data_save_data(ed, &buf, &len);
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *fp = fopen(p, "wb");
    if (fp && buf) {
        unsigned char head[6] = {0xFF, 0xD8, 0xFF, 0xE1, (unsigned char)((len + 2) >> 8), (unsigned char)(len + 2)};
        fwrite(head, 1, 6, fp);
        fwrite(buf, 1, len, fp);
        fputc(0xFF, fp);
        fputc(0xD9, fp);
    }
    if (fp)
        fclose(fp);
    free(buf);
    exif_entry_unref(e);
    exif_data_unref(ed);
}

static void test_folder(void)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/P1-cheek", test_tmpdir("scan"));
    mkdir(dir, 0755);
    touch(dir, "2026-03-16.jpg", "");
    touch(dir, "IMG_20260105_0900.JPG", "");
    touch(dir, "notes.txt", "x");
    write_exif_jpeg(dir, "shot.jpg", "2026:02:09 10:00:00");
    st_series s;
    st_err err = {0};
    CHECK_EQ_INT(st_series_scan(dir, NULL, &s, &err), ST_OK);
    CHECK(!strcmp(s.name, "P1-cheek"));
    CHECK_EQ_INT(s.n_sessions, 3);
    if (s.n_sessions == 3) {
        CHECK(!strcmp(s.sessions[0].files.items[0], "IMG_20260105_0900.JPG"));
        CHECK(!strcmp(s.sessions[1].files.items[0], "shot.jpg") && s.sessions[1].date_source == ST_DATE_EXIF);
        CHECK(!strcmp(s.sessions[1].date, "2026-02-09") && s.sessions[1].days == 35);
        CHECK(!strcmp(s.sessions[2].date, "2026-03-16") && s.sessions[2].days == 70);
    }
    CHECK(s.notes.count == 1 && strstr(s.notes.items[0], "notes.txt: not an image"));
    CHECK(s.modality == ST_MODALITY_PHOTO && s.pixel_mm == 0 && !s.has_roi && s.height_um_per_unit == 1.0);
    st_series_free(&s);

    /* series.json takes precedence over names; options override it. */
    touch(dir, "series.json",
          "{\"patient\": \"P1\", \"pixel_mm\": 0.05, \"roi\": [1, 2, 30, 40], \"modality\": \"photo\","
          " \"sessions\": [{\"date\": \"2026-04-01\", \"files\": [\"2026-03-16.jpg\"],"
          "  \"treatment\": {\"setting\": \"professional\", \"needle_mm\": 1.5}},"
          " {\"date\": \"2026-03-20\", \"label\": \"start\", \"files\": [\"shot.jpg\"],"
          "  \"treatment\": {\"setting\": \"professional\", \"needle_mm\": 1.0}}]}");
    st_series_overrides ov = {0};
    ov.has_pixel_mm = 1;
    ov.pixel_mm = 0.02;
    ov.has_modality = 1;
    ov.modality = ST_MODALITY_HEIGHT;
    CHECK_EQ_INT(st_series_scan(dir, &ov, &s, &err), ST_OK);
    CHECK(s.pixel_mm == 0.02 && s.modality == ST_MODALITY_HEIGHT && s.has_roi && s.roi[3] == 40);
    CHECK(!strcmp(s.patient, "P1"));
    CHECK_EQ_INT(s.n_sessions, 2);
    if (s.n_sessions == 2) {
        CHECK(!strcmp(s.sessions[0].label, "start") && !strcmp(s.sessions[0].files.items[0], "shot.jpg"));
        CHECK(s.sessions[0].date_source == ST_DATE_MANIFEST);
        CHECK_EQ_INT(s.sessions[1].days, 12);
        CHECK(s.sessions[1].treatment.needle_mm == 1.5);
    }
    int noted = 0;
    for (size_t i = 0; i < s.notes.count; i++)
        noted += strstr(s.notes.items[i], "IMG_20260105_0900.JPG: not listed") != NULL;
    CHECK_EQ_INT(noted, 1);
    st_strlist flags = {0};
    CHECK_EQ_INT(st_guideline_flags(&s, &flags, &err), ST_OK);
    CHECK(flags.count == 1 && strstr(flags.items[0], "sessions 0 and 1 are 12 days apart"));
    st_strlist_free(&flags);
    st_series_free(&s);

    touch(dir, "series.json", "{\"modality\": \"xray\"}");
    CHECK_EQ_INT(st_series_scan(dir, NULL, &s, &err), ST_EINVAL);
    CHECK(strstr(err.msg, "series.json: key 'modality'") != NULL);
    char p[1200];
    snprintf(p, sizeof p, "%s/series.json", dir);
    unlink(p);

    CHECK_EQ_INT(st_series_scan("/nonexistent/folder", NULL, &s, &err), ST_EIO);
    CHECK(strstr(err.msg, "/nonexistent/folder") != NULL);
    char empty[1100];
    snprintf(empty, sizeof empty, "%s/empty", test_tmpdir("scan"));
    mkdir(empty, 0755);
    CHECK_EQ_INT(st_series_scan(empty, NULL, &s, &err), ST_EINVAL);
    CHECK(strstr(err.msg, "no images") != NULL);
}

static void test_home_flags(void)
{
    st_series s;
    memset(&s, 0, sizeof s);
    const char *files[] = {"a_2026-01-01.jpg", "b_2026-01-04.jpg", "c_2026-01-20.jpg"};
    const char *dates[] = {"2026-01-01", "2026-01-04", "2026-01-20"};
    st_date_source src[] = {ST_DATE_FILENAME, ST_DATE_FILENAME, ST_DATE_FILENAME};
    st_err err = {0};
    CHECK_EQ_INT(st_series_group(&s, files, dates, src, 3, &err), ST_OK);
    for (size_t i = 0; i < s.n_sessions; i++) {
        s.sessions[i].treatment.present = 1;
        strcpy(s.sessions[i].treatment.setting, "home");
        s.sessions[i].treatment.has_needle_mm = 1;
        s.sessions[i].treatment.needle_mm = i == 2 ? 1.0 : 0.25;
    }
    st_strlist flags = {0};
    CHECK_EQ_INT(st_guideline_flags(&s, &flags, &err), ST_OK);
    CHECK_EQ_INT(flags.count, 2);
    if (flags.count == 2) {
        CHECK(strstr(flags.items[0], "sessions 0 and 1 are 3 days apart; home") != NULL);
        CHECK(strstr(flags.items[1], "session 2: home device with 1 mm needles") != NULL);
    }
    st_strlist_free(&flags);
    st_series_free(&s);
}

/* The photo names a folder scan takes: HEIC/HEIF as iPhones name them. */
static void test_image_names(void)
{
    CHECK(st_is_image_name("IMG_0412.HEIC"));
    CHECK(st_is_image_name("week6.heif"));
    CHECK(st_is_image_name("a.JPeG") && st_is_image_name("b.png"));
    CHECK(!st_is_image_name("clip.mov") && !st_is_image_name("x.avif") && !st_is_image_name("heic"));
}

int main(void)
{
    test_image_names();
    test_dates();
    test_grouping();
    test_folder();
    test_home_flags();
    return test_summary();
}
