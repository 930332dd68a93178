#include "io/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

int st_sha256_file(const char *path, char hex[65], uint64_t *size, st_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(errno));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    unsigned char buf[1 << 16], digest[32];
    size_t n;
    *size = 0;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        ok = EVP_DigestUpdate(md, buf, n);
        *size += n;
    }
    int read_error = ferror(f);
    fclose(f);
    unsigned int len = 0;
    ok = ok && !read_error && EVP_DigestFinal_ex(md, digest, &len) && len == 32;
    EVP_MD_CTX_free(md);
    if (!ok)
        return st_err_set(err, ST_EIO, "%s: cannot read", path);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return ST_OK;
}
