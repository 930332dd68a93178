/* skintrack: dispatch to the commands of SPEC.md. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "cli/commands.h"

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

int cli_exit_for(int st_code)
{
    switch (st_code) {
    case ST_OK: return EXIT_ALL_DONE;
    case ST_EINTERNAL: return EXIT_INTERNAL;
    default: return EXIT_BAD_USAGE;
    }
}

static void print_overview(FILE *out)
{
    fprintf(out, "usage: skintrack COMMAND [options]\n\n"
                 "Measured progress from clinical skin photo series (microneedling).\n\n"
                 "commands:\n");
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-9s %s\n", c->name, c->synopsis);
    fprintf(out, "\n  skintrack COMMAND --help   options of one command\n"
                 "  skintrack --version        version\n");
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    st_allocator_keep_large_blocks();
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_BAD_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        print_overview(stdout);
        return EXIT_ALL_DONE;
    }
    if (!strcmp(name, "--version")) {
        printf("skintrack %s\n", st_version());
        return EXIT_ALL_DONE;
    }
    for (const cli_command *c = cli_commands; c->name; c++) {
        if (strcmp(c->name, name))
            continue;
        if (wants_help(argc - 1, argv + 1)) {
            fputs(c->help, stdout);
            return EXIT_ALL_DONE;
        }
        if (!c->run)
            return cli_fail(EXIT_BAD_USAGE, "%s: not built yet in this version", name);
        return c->run(argc - 1, argv + 1);
    }
    return cli_fail(EXIT_BAD_USAGE, "unknown command '%s' (try skintrack --help)", name);
}
