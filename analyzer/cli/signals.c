/* SIGINT/SIGTERM end a run without leaving a hidden temporary
 * (.report.pdf.XXXXXX) in OUT: the handler removes the temporaries open at
 * that moment (st_afile_unlink_live: unlink only, async-signal-safe), puts
 * the default action back and raises the signal again, so the process ends
 * as killed by it (status 128 + signal for the shell). */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>

#include "cli/cli.h"
#include "core/atomic_file.h"

static void remove_and_reraise(int sig)
{
    st_afile_unlink_live();
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_signals_remove_temporaries(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = remove_and_reraise;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}
