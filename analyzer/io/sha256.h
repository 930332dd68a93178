/* SHA-256 of a file (FIPS 180-4, through libcrypto's EVP interface): the
 * results database keys images by content, so a renamed photo is not
 * analysed twice and a changed one is. */
#ifndef ST_IO_SHA256_H
#define ST_IO_SHA256_H

#include <stdint.h>

#include "skintrack/skintrack.h"

/* hex: 64 lowercase hex digits + NUL; size (may be NULL): bytes hashed.
 * Errors: ST_EIO (cannot open/read, or not a regular file), ST_EINTERNAL. */
int st_sha256_file(const char *path, char hex[65], uint64_t *size, st_err *err);

#endif
