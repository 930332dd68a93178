/* skintrack metrics IMAGE: measure one image. (Placeholder until io lands.) */
#include "cli/commands.h"

int cmd_metrics(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail(EXIT_BAD_USAGE, "metrics: not built yet in this version");
}
