#define _POSIX_C_SOURCE 200809L
#include "cli/progress_bar.h"

#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"

void cli_progress_init(cli_progress *p)
{
    p->enabled = isatty(STDERR_FILENO) && !cli_quiet;
    p->drawn = 0;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

/* "m:ss", or "h:mm:ss" from an hour on; "--:--" while nothing is done. */
static void format_eta(char buf[32], double fraction, double elapsed_s)
{
    if (fraction <= 0.0 || elapsed_s <= 0.0) {
        snprintf(buf, 32, "--:--");
        return;
    }
    double eta = elapsed_s * (1.0 - fraction) / fraction;
    long s = eta < 0 ? 0 : eta > 359999 ? 359999 : (long)(eta + 0.5);
    if (s >= 3600)
        snprintf(buf, 32, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, 32, "%ld:%02ld", s / 60, s % 60);
}

void cli_progress_draw(cli_progress *p, double fraction, const char *text)
{
    if (!p->enabled)
        return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double elapsed = (double)(t.tv_sec - p->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - p->t0.tv_nsec);
    fraction = fraction < 0.0 ? 0.0 : fraction > 1.0 ? 1.0 : fraction;
    enum { WIDTH = 24 };
    int filled = (int)(WIDTH * fraction);
    char bar[WIDTH + 1], eta[32];
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    format_eta(eta, fraction, elapsed);
    /* \033[K: the rest of a longer previous line is erased. */
    fprintf(stderr, "\r\033[K[%s] %3d%%  ETA %s  ", bar, (int)(100.0 * fraction), eta);
    cli_escape_to(stderr, text);
    fflush(stderr);
    p->drawn = 1;
}

void cli_progress_clear(cli_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}
