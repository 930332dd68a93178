/* The options shared by the analysing commands (SPEC.md, "Command line"):
 * --pixel-mm, --roi, --modality, --height-scale, --max-pixels, -j. */
#ifndef ST_CLI_SHARED_OPTS_H
#define ST_CLI_SHARED_OPTS_H

#include "series/analyze.h"

/* If argv[*i] is a shared option, parses it (and its value, advancing *i)
 * into o and returns 1; returns 0 if it is not one; -1 after printing a
 * usage error. */
int cli_shared_option(int argc, char **argv, int *i, st_analyze_opts *o);

#endif
