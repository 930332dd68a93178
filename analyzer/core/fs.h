/* Small file-system helpers shared by the stages. */
#ifndef ST_CORE_FS_H
#define ST_CORE_FS_H

#include "skintrack/skintrack.h"

/* mkdir -p: creates path and its missing parents (mode 0755). */
int st_mkdir_p(const char *path, st_err *err);

#endif
