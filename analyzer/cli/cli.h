/* The command-line tool: the only code that prints or chooses an exit status. */
#ifndef ST_CLI_H
#define ST_CLI_H

#include <stdio.h>

/* Exit statuses of SPEC.md. */
enum {
    EXIT_ALL_DONE = 0,
    EXIT_SOME_FAILED = 1,
    EXIT_BAD_USAGE = 2,
    EXIT_INTERNAL = 3
};

struct cli_option;

typedef struct cli_command {
    const char *name;
    const char *usage;       /* operands and key options after "skintrack NAME " */
    const char *synopsis;    /* one line for the overview */
    const char *description; /* paragraph(s) for --help and the man page */
    const struct cli_option *options; /* ends with a zeroed entry */
    const char *operand;     /* operand completion: "@dir", "@file" */
    const char *exit_some;   /* what exit status 1 means here; NULL: the common text */
    const char *examples[2]; /* "COMMAND LINE  # what it does" */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command;

/* --quiet: no notes, summaries or progress, only errors. */
extern int cli_quiet;

/* Prints "skintrack: <message>" on stderr (control characters escaped, see
 * cli_print.c) and returns status. */
int cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "skintrack: <message>\n" on stderr, control characters escaped: the
 * one way a line reaches stderr. */
void cli_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cli_line unless --quiet: notes and summaries. */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes text to out with control characters shown as \xNN (for the parts of
 * a progress line that come from files). */
void cli_escape_to(FILE *out, const char *text);

/* The date of analysis for reports: now, or SOURCE_DATE_EPOCH when set
 * (reproducible-builds.org), as "YYYY-MM-DDTHH:MM:SSZ" in UTC. The library
 * never reads the clock; the CLI decides. Returns buf, or NULL if unknown. */
const char *cli_run_date(char *buf, unsigned long len);

/* The exit status for a library status code: input problems are 2, bugs 3. */
int cli_exit_for(int st_code);

/* SIGINT and SIGTERM remove the temporaries being written, then end the
 * process as the signal would (cli/signals.c). */
void cli_signals_remove_temporaries(void);

#endif
