/* The options shared by the analysing commands (SPEC.md, "Command line"):
 * --pixel-mm, --roi, --modality, --height-scale, --max-pixels, -j. */
#ifndef ST_CLI_SHARED_OPTS_H
#define ST_CLI_SHARED_OPTS_H

#include "skintrack/skintrack.h"

struct cli_option;

/* If opt is one of CLI_SHARED_OPTIONS (cli/options.h), parses its value into
 * o and returns 1; returns 0 if it is not one; -1 after printing a usage
 * error. */
int cli_shared_apply(const struct cli_option *opt, const char *value, st_analyze_opts *o);

#endif
