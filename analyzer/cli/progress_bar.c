#define _POSIX_C_SOURCE 200809L
#include "cli/progress_bar.h"

#include <stdio.h>
#include <unistd.h>

void cli_progress_init(cli_progress *p)
{
    p->enabled = isatty(STDERR_FILENO);
    p->drawn = 0;
}

void cli_progress_draw(cli_progress *p, size_t done, size_t total, double elapsed_s,
                       double photos_per_s, const char *what)
{
    if (!p->enabled || total == 0)
        return;
    enum { WIDTH = 28 };
    int filled = (int)((double)WIDTH * (double)done / (double)total);
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    double eta = done ? elapsed_s * (double)(total - done) / (double)done : 0.0;
    fprintf(stderr, "\r[%s] %zu/%zu %s  %.1f photos/s  ETA %d:%02d ", bar, done, total, what,
            photos_per_s, (int)(eta / 60), (int)eta % 60);
    fflush(stderr);
    p->drawn = 1;
}

void cli_progress_clear(cli_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = 0;
    }
}
