/* getopt_long over a command's option table (cli/options.h). */
#define _GNU_SOURCE
#include "cli/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum { LONG_ONLY_BASE = 256, MAX_OPTIONS = 64 };

const char *cli_option_label(const cli_option *opt, char buf[64])
{
    if (opt->short_name)
        snprintf(buf, 64, "-%c", opt->short_name);
    else
        snprintf(buf, 64, "--%s", opt->name);
    return buf;
}

/* The table entry getopt_long's return value stands for, or NULL. */
static const cli_option *option_of(const cli_option *opts, int c)
{
    for (int i = 0; opts[i].name; i++)
        if (c == (opts[i].short_name ? opts[i].short_name : LONG_ONLY_BASE + i))
            return &opts[i];
    return NULL;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_option_fn fn, void *ctx, int *first)
{
    struct option longs[MAX_OPTIONS + 1];
    char shorts[2 * MAX_OPTIONS + 2] = ":"; /* ':' first: a missing value returns ':' */
    size_t ns = 1;
    int n = 0;
    for (; cmd->options[n].name && n < MAX_OPTIONS; n++) {
        const cli_option *o = &cmd->options[n];
        int val = o->short_name ? o->short_name : LONG_ONLY_BASE + n;
        longs[n] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, val};
        if (o->short_name) {
            shorts[ns++] = o->short_name;
            if (o->arg)
                shorts[ns++] = ':';
        }
    }
    shorts[ns] = '\0';
    longs[n] = (struct option){0};
    opterr = 0;
    optind = 0; /* glibc: a full re-initialisation */
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const char *bad = argv[optind - 1];
        char label[64];
        if (c == '?') {
            if (optopt && optopt < LONG_ONLY_BASE && bad[0] == '-' && bad[1] != '-')
                snprintf(label, sizeof label, "-%c", optopt);
            else
                snprintf(label, sizeof label, "%.*s", (int)strcspn(bad, "="), bad);
            return cli_fail(-1, "%s: unknown option '%s' (try skintrack %s --help)", cmd->name,
                            label, cmd->name);
        }
        const cli_option *o = option_of(cmd->options, c == ':' ? optopt : c);
        if (!o)
            return cli_fail(-1, "%s: unknown option '%s' (try skintrack %s --help)", cmd->name, bad,
                            cmd->name);
        if (c == ':')
            return cli_fail(-1, "%s needs a value (%s)", cli_option_label(o, label), o->arg);
        if (fn(ctx, o, o->arg ? optarg : NULL))
            return -1;
    }
    *first = optind;
    return argc - optind;
}
