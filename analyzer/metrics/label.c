/* Connected components, 8-connectivity, by runs: each row's runs of set
 * pixels get provisional labels from the overlapping runs of the row above
 * (a union-find table records the equivalences), then every run is filled
 * with its final label (run-based labelling: He, Chao & Suzuki, "A run-based
 * two-scan labeling algorithm", IEEE TIP 17(5), 2008; Rosenfeld & Pfaltz
 * 1966 for the two-pass scheme). The masks here are sparse, so the cost
 * follows the runs, not the pixels: zero bytes are skipped eight at a time.
 *
 * Final labels number the components in the raster order of their first
 * pixel: a component's first run opens the smallest provisional label of
 * its set, and unions keep the smaller label as the root. */
#include "metrics/detect_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

typedef struct run {
    int x0, x1; /* [x0, x1) */
    int32_t lab;
} run;

typedef struct run_list {
    run *v;
    size_t n, cap;
} run_list;

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

/* First x >= x with b[x] != 0 (w if none): zero words skipped whole. */
int st_det_next_set(const unsigned char *b, int x, int w)
{
    while (x < w && ((uintptr_t)(b + x) & 7u))
        if (b[x])
            return x;
        else
            x++;
    for (; x + 8 <= w; x += 8) {
        uint64_t v;
        memcpy(&v, b + x, sizeof v);
        if (v)
            break;
    }
    while (x < w && !b[x])
        x++;
    return x;
}

static int next_clear(const unsigned char *b, int x, int w)
{
    while (x < w && b[x])
        x++;
    return x;
}

static int push_run(run_list *l, int x0, int x1)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        run *g = realloc(l->v, cap * sizeof *g);
        if (!g)
            return ST_ENOMEM;
        l->v = g;
        l->cap = cap;
    }
    l->v[l->n++] = (run){x0, x1, 0};
    return ST_OK;
}

/* Runs of every row into l (row y's runs are l->v[row[y] .. row[y + 1])). */
static int find_runs(const unsigned char *bin, int w, int h, run_list *l, size_t *row)
{
    for (int y = 0; y < h; y++) {
        const unsigned char *b = bin + (size_t)y * w;
        row[y] = l->n;
        for (int x = st_det_next_set(b, 0, w); x < w; x = st_det_next_set(b, x, w)) {
            int e = next_clear(b, x, w);
            if (push_run(l, x, e))
                return ST_ENOMEM;
            x = e;
        }
    }
    row[h] = l->n;
    return ST_OK;
}

/* Provisional labels: a run takes the smallest label of the runs above it
 * that touch it (8-connected: overlapping columns, or diagonal corners)
 * and unites the others; a run with none opens a new label. Returns the
 * number of provisional labels + 1. */
static int32_t provisional(run *r, const size_t *row, int h, int32_t *parent)
{
    int32_t next = 1;
    for (int y = 0; y < h; y++) {
        size_t p = y ? row[y - 1] : 0, pe = y ? row[y] : 0;
        for (size_t i = row[y]; i < row[y + 1]; i++) {
            /* skip the runs above that end left of x0 - 1 */
            while (p < pe && r[p].x1 < r[i].x0)
                p++;
            int32_t m = 0;
            for (size_t q = p; q < pe && r[q].x0 <= r[i].x1; q++)
                if (!m || r[q].lab < m)
                    m = r[q].lab;
            if (!m) {
                parent[next] = next;
                m = next++;
            } else {
                for (size_t q = p; q < pe && r[q].x0 <= r[i].x1; q++)
                    if (r[q].lab != m)
                        unite(parent, m, r[q].lab);
            }
            r[i].lab = m;
        }
    }
    return next;
}

/* Runs and their provisional labels; on success the caller frees
 * row, l->v and *parent. Returns ST_OK or ST_ENOMEM. */
static int scan(const unsigned char *bin, int w, int h, run_list *l, size_t **row,
                int32_t **parent, int32_t *next)
{
    *row = malloc(((size_t)h + 1) * sizeof **row);
    *parent = NULL;
    int rc = *row ? find_runs(bin, w, h, l, *row) : ST_ENOMEM;
    /* At most one provisional label per run. */
    if (!rc && !(*parent = malloc((l->n + 2) * sizeof **parent)))
        rc = ST_ENOMEM;
    if (rc) { /* nothing left for the caller to free */
        free(*row);
        free(l->v);
        free(*parent);
        *row = NULL;
        l->v = NULL;
        *parent = NULL;
        return rc;
    }
    *next = provisional(l->v, *row, h, *parent);
    return ST_OK;
}

int st_det_label8(const unsigned char *bin, int w, int h, int32_t *labels, int *count,
                  st_err *err)
{
    size_t n = (size_t)w * (size_t)h, *row;
    run_list l = {0};
    int32_t *parent, *final_of = NULL, next;
    if (scan(bin, w, h, &l, &row, &parent, &next) ||
        !(final_of = malloc(((size_t)next + 1) * sizeof *final_of))) {
        free(row);
        free(l.v);
        free(parent);
        return st_err_set(err, ST_ENOMEM, "labels: out of memory");
    }
    /* Consecutive final labels in provisional order, which is raster order
     * (roots precede their members, so a root's number is known first). */
    int32_t final = 0;
    for (int32_t i = 1; i < next; i++) {
        int32_t r = find_root(parent, i);
        final_of[i] = (r == i) ? ++final : final_of[r];
    }
    memset(labels, 0, n * sizeof *labels);
    for (int y = 0; y < h; y++) {
        int32_t *lr = labels + (size_t)y * w;
        for (size_t i = row[y]; i < row[y + 1]; i++)
            for (int x = l.v[i].x0; x < l.v[i].x1; x++)
                lr[x] = final_of[l.v[i].lab];
    }
    free(row);
    free(l.v);
    free(parent);
    free(final_of);
    *count = (int)final;
    return ST_OK;
}

int st_det_hysteresis8(unsigned char *mask, int w, int h, st_err *err)
{
    size_t *row;
    run_list l = {0};
    int32_t *parent, next;
    unsigned char *strong = NULL;
    if (scan(mask, w, h, &l, &row, &parent, &next) || !(strong = calloc((size_t)next + 1, 1))) {
        free(row);
        free(l.v);
        free(parent);
        return st_err_set(err, ST_ENOMEM, "hysteresis: out of memory");
    }
    for (int y = 0; y < h; y++) {
        const unsigned char *b = mask + (size_t)y * w;
        for (size_t i = row[y]; i < row[y + 1]; i++)
            for (int x = l.v[i].x0; x < l.v[i].x1; x++)
                if (b[x] >= 2) {
                    strong[find_root(parent, l.v[i].lab)] = 1;
                    break;
                }
    }
    for (int y = 0; y < h; y++) {
        unsigned char *b = mask + (size_t)y * w;
        for (size_t i = row[y]; i < row[y + 1]; i++)
            memset(b + l.v[i].x0, strong[find_root(parent, l.v[i].lab)],
                   (size_t)(l.v[i].x1 - l.v[i].x0));
    }
    free(row);
    free(l.v);
    free(parent);
    free(strong);
    return ST_OK;
}

int st_det_large_area8(const unsigned char *bin, int w, int h, double min_px, size_t *area,
                       st_err *err)
{
    size_t *row, *size = NULL;
    run_list l = {0};
    int32_t *parent, next;
    if (scan(bin, w, h, &l, &row, &parent, &next) ||
        !(size = calloc((size_t)next + 1, sizeof *size))) {
        free(row);
        free(l.v);
        free(parent);
        return st_err_set(err, ST_ENOMEM, "labels: out of memory");
    }
    for (size_t i = 0; i < l.n; i++)
        size[find_root(parent, l.v[i].lab)] += (size_t)(l.v[i].x1 - l.v[i].x0);
    *area = 0;
    for (int32_t k = 1; k < next; k++)
        if (parent[k] == k && (double)size[k] >= min_px)
            *area += size[k];
    free(row);
    free(l.v);
    free(parent);
    free(size);
    return ST_OK;
}
