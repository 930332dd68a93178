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

typedef struct cli_command {
    const char *name;
    const char *synopsis; /* one line for the overview */
    const char *help;     /* full text for COMMAND --help */
    int (*run)(int argc, char **argv); /* argv[0] is the command name; NULL: not built yet */
} cli_command;

/* Prints "skintrack: <message>" on stderr (control characters escaped, see
 * cli_print.c) and returns status. */
int cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "skintrack: <message>\n" on stderr, control characters escaped: the
 * one way a line reaches stderr. */
void cli_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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
