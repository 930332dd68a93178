/* skintrack: dispatch to the commands of SPEC.md. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"

#include <stdlib.h>
#include <time.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "skintrack/skintrack.h"

const char *cli_run_date(char *buf, unsigned long len)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return NULL;
    return buf;
}

/* SPEC "Exit status": 3 is the tool's own fault or limit, not the input's:
 * a bug, and memory that ran out (the input passed the --max-memory check). */
int cli_exit_for(int st_code)
{
    switch (st_code) {
    case ST_OK: return EXIT_ALL_DONE;
    case ST_EINTERNAL:
    case ST_ENOMEM: return EXIT_INTERNAL;
    default: return EXIT_BAD_USAGE;
    }
}

/* --help or -h before any "--". */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

/* Writes the man page or the completion to path (stdout when NULL). */
static int generated(void (*print)(FILE *), const char *path)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    if (!f)
        return cli_fail(EXIT_BAD_USAGE, "cannot write %s", path);
    print(f);
    if (path && fclose(f))
        return cli_fail(EXIT_INTERNAL, "cannot write %s", path);
    return EXIT_ALL_DONE;
}

/* skintrack help [COMMAND] */
static int help(int argc, char **argv)
{
    if (argc < 3) {
        cli_print_overview(stdout);
        return EXIT_ALL_DONE;
    }
    const cli_command *c = cli_command_named(argv[2]);
    if (!c)
        return cli_fail(EXIT_BAD_USAGE, "help: unknown command '%s' (try skintrack --help)", argv[2]);
    cli_print_help(stdout, c);
    return EXIT_ALL_DONE;
}

int main(int argc, char **argv)
{
    st_allocator_keep_large_blocks();
    if (argc < 2) {
        cli_print_overview(stderr);
        return EXIT_BAD_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        return cli_print_overview(stdout), EXIT_ALL_DONE;
    if (!strcmp(name, "help"))
        return help(argc, argv);
    if (!strcmp(name, "--version")) {
        printf("skintrack %s\n", st_version());
        return EXIT_ALL_DONE;
    }
    /* Build-time outputs (CMakeLists.txt): generated from the option tables. */
    if (!strcmp(name, "--man-page"))
        return generated(cli_print_man, argc > 2 ? argv[2] : NULL);
    if (!strcmp(name, "--bash-completion"))
        return generated(cli_print_bash_completion, argc > 2 ? argv[2] : NULL);
    const cli_command *c = cli_command_named(name);
    if (!c)
        return cli_fail(EXIT_BAD_USAGE, "unknown command '%s' (try skintrack --help)", name);
    /* Every command: SIGINT/SIGTERM remove what is being written, then end
     * the process (batch blocks them for its own watcher, cmd_batch.c, which
     * ends it within a second too). */
    cli_signals_remove_temporaries();
    if (wants_help(argc - 1, argv + 1)) {
        cli_print_help(stdout, c);
        return EXIT_ALL_DONE;
    }
    return c->run(argc - 1, argv + 1);
}
