/* A one-line progress bar with an ETA on stderr, drawn only when stderr is a
 * terminal and --quiet is not given (SPEC "Command line"). */
#ifndef ST_CLI_PROGRESS_BAR_H
#define ST_CLI_PROGRESS_BAR_H

#include <stddef.h>
#include <time.h>

typedef struct cli_progress {
    int enabled;          /* stderr is a TTY and not --quiet */
    int drawn;            /* a bar is on the current line */
    struct timespec t0;   /* start of the work: the ETA's clock */
} cli_progress;

/* Decides whether to draw (call after the options are parsed) and starts the clock. */
void cli_progress_init(cli_progress *p);
/* The bar at `fraction` of the work (0..1), then text (its control
 * characters escaped) and the ETA: elapsed time x (1 - fraction) / fraction. */
void cli_progress_draw(cli_progress *p, double fraction, const char *text);
/* Clears the bar so that a message can be printed on a line of its own. */
void cli_progress_clear(cli_progress *p);

#endif
