/* libFuzzer target: series.json parsing and validation (cJSON plus our
 * checks of every key, type, date, treatment and file name). The input is
 * written as DIR/series.json and loaded the way analyze loads it, so the
 * file-name checks against the folder run too. */
#include "fuzz_common.h"

#include "series/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = st_fuzz_write_file("series.json", data, size);
    if (!dir)
        return 0;
    st_manifest m;
    st_err err;
    memset(&m, 0, sizeof m);
    int rc = st_manifest_load(dir, &m, &err);
    if (rc != ST_OK && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
        __builtin_trap(); /* an error is one line that says something */
    if (rc == ST_OK)
        st_manifest_free(&m);
    char path[600];
    snprintf(path, sizeof path, "%s/series.json", dir);
    unlink(path);
    return 0;
}
