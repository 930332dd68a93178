/* Options shared by the analysing commands (SPEC.md: --pixel-mm, --roi,
 * --modality, --height-scale, --max-pixels, -j): one parser for all of them. */
#ifndef ST_CLI_OPTIONS_H
#define ST_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "series/scan.h"

typedef struct cli_shared_opts {
    st_series_overrides ov;
    uint64_t max_pixels; /* 0: default */
    int threads;         /* 0: all cores */
} cli_shared_opts;

/* If argv[*i] is a shared option, consumes it (and its value), advances *i
 * and returns 1; returns 0 if it is not one; returns -1 after printing a
 * one-line error for a bad value. */
int cli_parse_shared(int argc, char **argv, int *i, cli_shared_opts *o);

/* A canonical text of the options that change results (for fingerprints and
 * the runs table): the same options always give the same text. */
void cli_shared_text(const cli_shared_opts *o, char *buf, size_t len);

#endif
