/* A one-line progress bar on stderr, drawn only when stderr is a terminal. */
#ifndef ST_CLI_PROGRESS_BAR_H
#define ST_CLI_PROGRESS_BAR_H

#include <stddef.h>

typedef struct cli_progress {
    int enabled;     /* stderr is a TTY */
    int drawn;       /* a bar is on the current line */
} cli_progress;

void cli_progress_init(cli_progress *p);
/* done/total units, a rate in units per second, and a short label. */
void cli_progress_draw(cli_progress *p, size_t done, size_t total, double elapsed_s,
                       double photos_per_s, const char *what);
/* Clears the bar so that a message can be printed on a line of its own. */
void cli_progress_clear(cli_progress *p);

#endif
