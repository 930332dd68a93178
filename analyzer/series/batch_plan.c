#define _POSIX_C_SOURCE 200809L
#include "series/batch_plan.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "io/sha256.h"
#include "series/scan.h"

uint64_t st_shard_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    return h;
}

int st_shard_owns(const char *name, int k, int n)
{
    return n <= 1 || (int)(st_shard_hash(name) % (uint64_t)n) == k - 1;
}

int st_shard_parse(const char *text, int *k, int *n)
{
    char tail;
    if (sscanf(text, "%d/%d%c", k, n, &tail) != 2)
        return -1;
    return (*n < 1 || *n > 100000 || *k < 1 || *k > *n) ? -1 : 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends a copy of s to a growing array. */
static int push_name(char ***names, size_t *count, size_t *cap, const char *s)
{
    if (*count == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        char **grown = realloc(*names, c * sizeof *grown);
        if (!grown)
            return -1;
        *names = grown;
        *cap = c;
    }
    return ((*names)[*count] = strdup(s)) ? (int)(++*count, 0) : -1;
}

/* Lists the entries of dir for which keep(dir, entry name) is true, sorted. */
static int list_dir(const char *dir, int (*keep)(const char *, const char *), char ***names,
                    size_t *count, st_err *err)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return st_err_set(err, ST_EIO, "%s: cannot read folder (%s)", dir, strerror(errno));
    size_t cap = 0;
    int rc = ST_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !keep(dir, e->d_name))
            continue;
        if (push_name(names, count, &cap, e->d_name)) {
            rc = st_err_set(err, ST_ENOMEM, "%s: out of memory", dir);
            break;
        }
    }
    closedir(d);
    if (rc) {
        st_db_free_names(*names, *count);
        *names = NULL;
        *count = 0;
        return rc;
    }
    if (*count > 1)
        qsort(*names, *count, sizeof **names, by_string);
    return ST_OK;
}

static int stat_in(const char *dir, const char *name, struct stat *sb)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return -1;
    return stat(path, sb);
}

/* skintrack's own output is never a series: the default output folder of
 * analyze (./skintrack-out) and any folder holding a metrics.json or a
 * results.db (the SERIES.out folders of earlier versions, a batch's OUT). */
static int is_output_dir(const char *root, const char *name)
{
    char path[4096];
    struct stat sb;
    if (!strcmp(name, ST_DEFAULT_OUT_DIR))
        return 1;
    if (snprintf(path, sizeof path, "%s/%s", root, name) >= (int)sizeof path)
        return 0;
    return stat_in(path, "metrics.json", &sb) == 0 || stat_in(path, "results.db", &sb) == 0;
}

static int is_series_dir(const char *root, const char *name)
{
    struct stat sb;
    return stat_in(root, name, &sb) == 0 && S_ISDIR(sb.st_mode) && !is_output_dir(root, name);
}

/* The files that define a series' results: images and the manifest. */
static int is_input_file(const char *dir, const char *name)
{
    int wanted = !strcmp(name, "series.json") || st_is_image_name(name);
    struct stat sb;
    return wanted && stat_in(dir, name, &sb) == 0 && S_ISREG(sb.st_mode);
}

int st_batch_list(const char *root, int k, int n, char ***names, size_t *count, st_err *err)
{
    int rc = list_dir(root, is_series_dir, names, count, err);
    if (rc || n <= 1)
        return rc;
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++) {
        if (st_shard_owns((*names)[i], k, n))
            (*names)[kept++] = (*names)[i];
        else
            free((*names)[i]);
    }
    *count = kept;
    return ST_OK;
}

static int is_image_file(const char *dir, const char *name)
{
    return strcmp(name, "series.json") && is_input_file(dir, name);
}

size_t st_series_image_count(const char *series_dir)
{
    char **names = NULL;
    size_t n = 0;
    st_err err;
    if (list_dir(series_dir, is_image_file, &names, &n, &err))
        return 0;
    st_db_free_names(names, n);
    return n;
}

void st_folder_survey(const char *dir, size_t *n_images, size_t *n_series)
{
    char **sub = NULL;
    size_t ns = 0;
    st_err err;
    *n_images = st_series_image_count(dir);
    *n_series = 0;
    if (list_dir(dir, is_series_dir, &sub, &ns, &err))
        return;
    for (size_t i = 0; i < ns; i++) {
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", dir, sub[i]) < (int)sizeof path)
            *n_series += st_series_image_count(path) > 0;
    }
    st_db_free_names(sub, ns);
}

void st_series_files_free(st_series_files *f)
{
    st_db_free_names(f->paths, f->count);
    free(f->files);
    memset(f, 0, sizeof *f);
}

/* SHA-256 of one file, always read in full: "unchanged" is decided by
 * content (SPEC "Results database"), never by size and mtime, which a copy
 * tool or a clock can restore on changed bytes. Size and mtime are kept in
 * the database for the record only. */
static int file_hash(const char *dir, const char *name, st_db_image *out, st_err *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return st_err_set(err, ST_EINVAL, "%s/%s: path too long", dir, name);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return st_err_set(err, ST_EIO, "%s: cannot stat (%s)", path, strerror(errno));
    out->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    uint64_t size;
    int rc = st_sha256_file(path, out->sha256, &size, err);
    out->size = size;
    return rc;
}

static int fold_fingerprint(const st_series_files *f, const char *options, char hex[65])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char digest[32];
    unsigned int len = 0;
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(md, ST_VERSION_STRING, strlen(ST_VERSION_STRING) + 1) &&
             EVP_DigestUpdate(md, options, strlen(options) + 1);
    for (size_t i = 0; ok && i < f->count; i++)
        ok = EVP_DigestUpdate(md, f->files[i].path, strlen(f->files[i].path) + 1) &&
             EVP_DigestUpdate(md, f->files[i].sha256, 65);
    ok = ok && EVP_DigestFinal_ex(md, digest, &len) && len == 32;
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; ok && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return ok ? 0 : -1;
}

int st_series_fingerprint(const char *series_dir, const char *series_name, const char *options,
                          st_db *db, st_series_files *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = list_dir(series_dir, is_input_file, &out->paths, &out->count, err);
    if (rc)
        return rc;
    out->files = calloc(out->count ? out->count : 1, sizeof *out->files);
    if (!out->files) {
        st_series_files_free(out);
        return st_err_set(err, ST_ENOMEM, "%s: out of memory", series_dir);
    }
    for (size_t i = 0; i < out->count && !rc; i++) {
        out->files[i].path = out->paths[i];
        rc = file_hash(series_dir, out->paths[i], &out->files[i], err);
    }
    if (!rc && fold_fingerprint(out, options, out->fingerprint))
        rc = st_err_set(err, ST_EINTERNAL, "%s: SHA-256 failed", series_dir);
    if (rc)
        st_series_files_free(out);
    return rc;
}
