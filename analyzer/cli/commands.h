/* The table of commands; each command's code lives in cmd_<name>.c. */
#ifndef ST_CLI_COMMANDS_H
#define ST_CLI_COMMANDS_H

#include "cli/cli.h"

extern const cli_command cli_commands[]; /* ends with a zeroed entry */

/* The entry of that name, or NULL. */
const cli_command *cli_command_named(const char *name);

int cmd_metrics(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_register(int argc, char **argv);
int cmd_init(int argc, char **argv);

#endif
