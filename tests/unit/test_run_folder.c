/* The run folder (series/run_folder.h): where a run is written, what the
 * swap keeps and drops, messages naming OUT, and the signal-safe removal of
 * a folder two levels deep. */
#define _GNU_SOURCE
/* Paths in this test are short; fixed buffers cut them on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "series/run_folder.h"

static void put(const char *dir, const char *name, const char *text)
{
    char p[2048];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    CHECK_MSG(f != NULL, "%s", p);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *dir, const char *name)
{
    char p[2048];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return lstat(p, &st) == 0;
}

static void read_back(const char *dir, const char *name, char *buf, size_t cap)
{
    char p[2048];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    buf[0] = 0;
    FILE *f = fopen(p, "r");
    if (f) {
        size_t n = fread(buf, 1, cap - 1, f);
        buf[n] = 0;
        fclose(f);
    }
}

/* A minimal result: session 0 writes images/session_00_aligned.jpg. */
static void one_image_result(st_series_result *r, st_session_result *s)
{
    memset(r, 0, sizeof *r);
    memset(s, 0, sizeof *s);
    snprintf(s->image_aligned, sizeof s->image_aligned, "images/session_00_aligned.jpg");
    r->sessions = s;
    r->n_sessions = 1;
}

static void test_swap(const char *root)
{
    char out[1024], buf[64], parent_list[1200];
    snprintf(out, sizeof out, "%s/out", root);
    /* An earlier run of 2 sessions, a file of the clinic's, a killed run's temporary. */
    mkdir(out, 0750);
    char img[1100];
    snprintf(img, sizeof img, "%s/images", out);
    mkdir(img, 0755);
    put(out, "metrics.json", "old");
    put(out, "report.html", "old report");
    put(out, "notes.txt", "clinic");
    put(out, ".metrics.json.AbC123", "half");
    put(img, "session_00_aligned.jpg", "old0");
    put(img, "session_01_aligned.jpg", "old1");
    put(img, "mine.png", "own");

    st_run_folder f;
    st_err err = {0};
    CHECK_EQ_INT(st_run_folder_open(&f, out, &err), ST_OK);
    CHECK_MSG(!f.in_place && strstr(f.stage, "/.out.skintrack-") && f.slot > 0, "stage '%s'", f.stage);
    /* The run writes into the stage; OUT is untouched meanwhile. */
    char simg[2100];
    snprintf(simg, sizeof simg, "%s/images", f.stage);
    CHECK_EQ_INT(mkdir(simg, 0755), 0);
    put(f.stage, "metrics.json", "new");
    put(simg, "session_00_aligned.jpg", "new0");
    read_back(out, "metrics.json", buf, sizeof buf);
    CHECK_MSG(!strcmp(buf, "old"), "OUT changed during the run: '%s'", buf);
    /* A message about a stage file names OUT's file. */
    snprintf(err.msg, sizeof err.msg, "%s/images/x.jpg: cannot write (No space left on device)", f.stage);
    st_run_folder_name_out(&f, &err);
    char want[1200];
    snprintf(want, sizeof want, "%s/images/x.jpg: cannot write (No space left on device)", out);
    CHECK_MSG(!strcmp(err.msg, want), "'%s'", err.msg);

    st_series_result r;
    st_session_result s;
    one_image_result(&r, &s);
    st_strlist notes = {0};
    char stage[ST_PATH_MAX];
    snprintf(stage, sizeof stage, "%s", f.stage);
    CHECK_EQ_INT(st_run_folder_publish(&f, &r, 0, &notes, &err), ST_OK);
    read_back(out, "metrics.json", buf, sizeof buf);
    CHECK_MSG(!strcmp(buf, "new"), "metrics.json '%s'", buf);
    read_back(img, "session_00_aligned.jpg", buf, sizeof buf);
    CHECK_MSG(!strcmp(buf, "new0"), "session_00 '%s'", buf);
    CHECK(!exists(img, "session_01_aligned.jpg") && !exists(out, "report.html")); /* of the earlier run */
    read_back(out, "notes.txt", buf, sizeof buf);
    CHECK_MSG(!strcmp(buf, "clinic"), "notes.txt '%s'", buf);
    read_back(img, "mine.png", buf, sizeof buf);
    CHECK_MSG(!strcmp(buf, "own"), "mine.png '%s'", buf);
    CHECK(!exists(out, ".metrics.json.AbC123"));
    struct stat st;
    CHECK(stat(out, &st) == 0 && (st.st_mode & 07777) == 0750);
    CHECK_MSG(access(stage, F_OK) != 0, "%s left", stage);
    /* The dropped files are named: report.html and session_01 (2 notes). */
    CHECK_EQ_INT((int)notes.count, 2);
    snprintf(parent_list, sizeof parent_list, "%s/report.html: left by an earlier run, removed", out);
    CHECK(notes.count >= 1 && !strcmp(notes.items[0], parent_list));
    st_strlist_free(&notes);
}

static void test_abort_and_new(const char *root)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/fresh/sub/out", root);
    st_run_folder f;
    st_err err = {0};
    CHECK_EQ_INT(st_run_folder_open(&f, out, &err), ST_OK);
    CHECK(!f.in_place);
    put(f.stage, "metrics.json", "x");
    char stage[ST_PATH_MAX];
    snprintf(stage, sizeof stage, "%s", f.stage);
    st_run_folder_abort(&f);
    CHECK_MSG(access(stage, F_OK) != 0 && access(out, F_OK) != 0, "abort left %s or made OUT", stage);
    /* A new OUT appears whole, with the usual mode. */
    CHECK_EQ_INT(st_run_folder_open(&f, out, &err), ST_OK);
    put(f.stage, "metrics.json", "y");
    st_series_result r = {0};
    st_strlist notes = {0};
    CHECK_EQ_INT(st_run_folder_publish(&f, &r, 1, &notes, &err), ST_OK);
    CHECK(exists(out, "metrics.json") && notes.count == 0);
    struct stat st;
    mode_t um = st_current_umask();
    CHECK(stat(out, &st) == 0 && (st.st_mode & 0777) == (0755 & ~um));
    st_strlist_free(&notes);
}

/* In place, as before, where a swap would do harm. */
static void test_in_place(const char *root)
{
    char out[1024], link[1100], own[1100];
    st_run_folder f;
    st_err err = {0};
    snprintf(out, sizeof out, "%s/shared", root);
    mkdir(out, 0755);
    snprintf(own, sizeof own, "%s/own", out);
    mkdir(own, 0755);
    CHECK_EQ_INT(st_run_folder_open(&f, out, &err), ST_OK);
    CHECK_MSG(f.in_place && !strcmp(f.stage, out), "a folder of its own: '%s'", f.stage);
    snprintf(link, sizeof link, "%s/link", root);
    CHECK_EQ_INT(symlink("shared", link), 0);
    CHECK_EQ_INT(st_run_folder_open(&f, link, &err), ST_OK);
    CHECK_MSG(f.in_place, "a symbolic link");
    char cwd[1024];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_EQ_INT(chdir(own), 0);
    CHECK_EQ_INT(st_run_folder_open(&f, "..", &err), ST_OK);
    CHECK_MSG(f.in_place, "'..' of the working folder");
    CHECK_EQ_INT(chdir(cwd), 0);
}

static void test_remove_tree(const char *root)
{
    char dir[1024], sub[1100];
    snprintf(dir, sizeof dir, "%s/tree", root);
    snprintf(sub, sizeof sub, "%s/images", dir);
    mkdir(dir, 0700);
    mkdir(sub, 0700);
    for (int i = 0; i < 300; i++) { /* more entries than one getdents64 buffer */
        char name[64];
        snprintf(name, sizeof name, "file_with_a_longish_name_%03d.jpg", i);
        put(i % 2 ? sub : dir, name, "x");
    }
    CHECK_EQ_INT(st_remove_tree_signal_safe(dir), 0);
    CHECK(access(dir, F_OK) != 0 && errno == ENOENT);
    CHECK_EQ_INT(st_remove_tree_signal_safe(dir), 0); /* gone already */
}

int main(void)
{
    char root[1100]; /* a fresh folder each run (the cases create fixed names) */
    snprintf(root, sizeof root, "%s/XXXXXX", test_tmpdir("run_folder"));
    if (!mkdtemp(root))
        return 1;
    test_swap(root);
    test_abort_and_new(root);
    test_in_place(root);
    test_remove_tree(root);
    return test_summary();
}
