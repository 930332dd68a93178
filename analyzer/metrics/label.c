/* Connected components, 8-connectivity: the classic two-pass scan with a
 * union-find table (Rosenfeld & Pfaltz 1966; Wu, Otoo & Suzuki 2009). */
#include "metrics/detect_internal.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/error.h"

static int32_t find_root(int32_t *parent, int32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void unite(int32_t *parent, int32_t a, int32_t b)
{
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* First pass: provisional labels, equivalences recorded in parent. */
static int32_t first_pass(const unsigned char *bin, int w, int h, int32_t *labels,
                          int32_t *parent)
{
    int32_t next = 1;
    for (int y = 0; y < h; y++) {
        const unsigned char *b = bin + (size_t)y * w;
        int32_t *l = labels + (size_t)y * w, *up = y ? l - w : NULL;
        for (int x = 0; x < w; x++) {
            if (!b[x]) {
                l[x] = 0;
                continue;
            }
            int32_t nb[4] = {x ? l[x - 1] : 0, (up && x) ? up[x - 1] : 0, up ? up[x] : 0,
                             (up && x + 1 < w) ? up[x + 1] : 0};
            int32_t m = 0;
            for (int k = 0; k < 4; k++)
                if (nb[k] && (!m || nb[k] < m))
                    m = nb[k];
            if (!m) {
                parent[next] = next;
                m = next++;
            } else {
                for (int k = 0; k < 4; k++)
                    if (nb[k] && nb[k] != m)
                        unite(parent, m, nb[k]);
            }
            l[x] = m;
        }
    }
    return next;
}

int st_det_label8(const unsigned char *bin, int w, int h, int32_t *labels, int *count,
                  st_err *err)
{
    size_t n = (size_t)w * (size_t)h;
    /* At most one provisional label per pixel. */
    size_t bytes;
    if (st_mul_size(n + 2, sizeof(int32_t), &bytes))
        return st_err_set(err, ST_ETOOBIG, "labels: image too large");
    int32_t *parent = malloc(bytes);
    if (!parent)
        return st_err_set(err, ST_ENOMEM, "labels: out of memory");
    int32_t next = first_pass(bin, w, h, labels, parent);
    /* Resolve to consecutive final labels in scan order (deterministic). */
    int32_t *final_of = malloc(((size_t)next + 1) * sizeof *final_of);
    if (!final_of) {
        free(parent);
        return st_err_set(err, ST_ENOMEM, "labels: out of memory");
    }
    int32_t final = 0;
    for (int32_t i = 1; i < next; i++) {
        /* Roots precede their members, so a root's number is known first. */
        int32_t r = find_root(parent, i);
        final_of[i] = (r == i) ? ++final : final_of[r];
    }
    for (size_t i = 0; i < n; i++)
        if (labels[i])
            labels[i] = final_of[labels[i]];
    free(final_of);
    free(parent);
    *count = (int)final;
    return ST_OK;
}
