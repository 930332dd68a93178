/* One option table per command: the single source of the parser
 * (getopt_long), every --help, the man page and the bash completion
 * (cli/help.c), so the four cannot drift apart. */
#ifndef ST_CLI_OPTIONS_H
#define ST_CLI_OPTIONS_H

#include <stdio.h>

typedef struct cli_option {
    const char *name;     /* long name without "--" (also the key handlers test) */
    char short_name;      /* 0 when there is none */
    const char *arg;      /* value placeholder ("MM"); NULL for a flag */
    const char *help;     /* one line */
    const char *complete; /* value completion: "@dir", "@file", words, or NULL */
} cli_option;

/* The options every analysing command shares (SPEC.md, "Command line"). */
#define CLI_SHARED_OPTIONS                                                                    \
    {"pixel-mm", 0, "MM", "size of a baseline pixel in mm (overrides series.json)", NULL},   \
    {"roi", 0, "X,Y,W,H", "region of interest in baseline pixels", NULL},                    \
    {"modality", 0, "M", "photo | height | stereo", "photo height stereo"},                  \
    {"height-scale", 0, "UM", "micrometres per height-map unit", NULL},                      \
    {"max-pixels", 0, "N", "refuse larger images before decoding (default 200000000)", NULL}, \
    {"max-memory", 0, "BYTES", "refuse images that would need more (K, M, G; default: a quarter of physical memory, at most 4G)", NULL}, \
    {"jobs", 'j', "N", "threads (default: all cores)", NULL}

/* Called once per option found, in command-line order; value is NULL for a
 * flag. Returns 0, or -1 after printing the error. */
typedef int (*cli_option_fn)(void *ctx, const cli_option *opt, const char *value);

struct cli_command;

/* Parses argv (argv[0] is the command name) with getopt_long conventions:
 * --opt=value, --opt value, -j4, -j 4, clustered flags, options after
 * operands, and "--" ending the options. Returns the number of operands,
 * moved to argv[*first ...], or -1 after printing a usage error. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, cli_option_fn fn, void *ctx,
              int *first);

/* "-j" for an option with a short name, else "--name": how errors name it. */
const char *cli_option_label(const cli_option *opt, char buf[64]);

/* The full --help of a command, the man page, the bash completion. */
void cli_print_help(FILE *out, const struct cli_command *cmd);
void cli_print_overview(FILE *out);
void cli_print_man(FILE *out);
void cli_print_bash_completion(FILE *out);

#endif
