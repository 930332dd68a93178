#include "metrics/glcm.h"

#include <math.h>
#include <string.h>

void st_glcm_quantize_row(const float *y, const unsigned char *mask, int w, unsigned char *lev)
{
    for (int x = 0; x < w; x++) {
        float v = y[x];
        if ((mask && !mask[x]) || isnan(v)) {
            lev[x] = ST_LEVEL_NONE;
            continue;
        }
        /* Y = 1 falls in level 31 (SPEC.md), Y < 0 in level 0. */
        int l = v <= 0.0f ? 0 : (v >= 1.0f ? ST_GLCM_LEVELS - 1 : (int)(v * ST_GLCM_LEVELS));
        lev[x] = (unsigned char)(l > ST_GLCM_LEVELS - 1 ? ST_GLCM_LEVELS - 1 : l);
    }
}

void st_glcm_offsets(int d, int dx[ST_GLCM_DIRS], int dy[ST_GLCM_DIRS])
{
    dx[0] = d;  dy[0] = 0;
    dx[1] = d;  dy[1] = -d;
    dx[2] = 0;  dy[2] = -d;
    dx[3] = -d; dy[3] = -d;
}

void st_glcm_count(const unsigned char *lev, size_t lstride, int w, int h, int d,
                   st_glcm_counts c)
{
    int dx[ST_GLCM_DIRS], dy[ST_GLCM_DIRS];
    st_glcm_offsets(d, dx, dy);
    for (int y = 0; y < h; y++) {
        const unsigned char *row = lev + (size_t)y * lstride;
        for (int k = 0; k < ST_GLCM_DIRS; k++) {
            int qy = y + dy[k];
            if (qy < 0 || qy >= h)
                continue;
            const unsigned char *qrow = lev + (size_t)qy * lstride;
            int x0 = dx[k] < 0 ? -dx[k] : 0, x1 = dx[k] > 0 ? w - dx[k] : w;
            for (int x = x0; x < x1; x++) {
                unsigned a = row[x], b = qrow[x + dx[k]];
                if (a != ST_LEVEL_NONE && b != ST_LEVEL_NONE)
                    c[k][a * ST_GLCM_LEVELS + b]++;
            }
        }
    }
}

int st_glcm_level_range(const uint32_t counts[ST_GLCM_CELLS], int *lo, int *hi)
{
    uint32_t rows[ST_GLCM_LEVELS] = {0}, cols[ST_GLCM_LEVELS] = {0};
    for (int i = 0; i < ST_GLCM_LEVELS; i++)
        for (int j = 0; j < ST_GLCM_LEVELS; j++) {
            rows[i] |= counts[i * ST_GLCM_LEVELS + j];
            cols[j] |= counts[i * ST_GLCM_LEVELS + j];
        }
    *lo = ST_GLCM_LEVELS;
    *hi = -1;
    for (int i = 0; i < ST_GLCM_LEVELS; i++)
        if (rows[i] | cols[i]) {
            *lo = i < *lo ? i : *lo;
            *hi = i;
        }
    return *lo <= *hi ? 0 : -1;
}

int st_glcm_direction_features(const uint32_t counts[ST_GLCM_CELLS], double feat[ST_GLCM_NFEAT])
{
    for (int k = 0; k < ST_GLCM_NFEAT; k++)
        feat[k] = NAN;
    int lo, hi;
    if (st_glcm_level_range(counts, &lo, &hi))
        return -1;
    double n = 0;
    for (int i = lo; i <= hi; i++)
        for (int j = lo; j <= hi; j++)
            n += counts[i * ST_GLCM_LEVELS + j];
    /* Symmetric matrix P + Pᵀ, normalised by its total 2n. */
    const double inv = 1.0 / (2.0 * n);
    double marg[ST_GLCM_LEVELS] = {0};
    double con = 0, dis = 0, hom = 0, asm_ = 0, ent = 0;
    /* Only the occupied block [lo, hi]² can hold pairs. */
    for (int i = lo; i <= hi; i++) {
        for (int j = lo; j <= hi; j++) {
            uint32_t s = counts[i * ST_GLCM_LEVELS + j] + counts[j * ST_GLCM_LEVELS + i];
            if (!s)
                continue;
            double p = s * inv, d = i - j;
            marg[i] += p;
            con += d * d * p;
            dis += fabs(d) * p;
            hom += p / (1.0 + d * d);
            asm_ += p * p;
            ent -= p * log2(p);
        }
    }
    double mu = 0, var = 0;
    for (int i = 0; i < ST_GLCM_LEVELS; i++)
        mu += i * marg[i];
    for (int i = 0; i < ST_GLCM_LEVELS; i++)
        var += (i - mu) * (i - mu) * marg[i];
    feat[ST_GLCM_CONTRAST] = con;
    feat[ST_GLCM_DISSIMILARITY] = dis;
    feat[ST_GLCM_HOMOGENEITY] = hom;
    feat[ST_GLCM_ASM] = asm_;
    feat[ST_GLCM_ENTROPY] = ent + 0.0; /* no −0 for a one-cell matrix */
    if (!(var > 1e-15))
        return 0;
    double cov = 0;
    for (int i = lo; i <= hi; i++) {
        if (marg[i] == 0)
            continue;
        for (int j = lo; j <= hi; j++) {
            uint32_t s = counts[i * ST_GLCM_LEVELS + j] + counts[j * ST_GLCM_LEVELS + i];
            if (s)
                cov += (i - mu) * (j - mu) * s * inv;
        }
    }
    feat[ST_GLCM_CORRELATION] = cov / var;
    return 1;
}

int st_glcm_features(const st_glcm_counts c, double feat[ST_GLCM_NFEAT])
{
    double sum[ST_GLCM_NFEAT] = {0};
    int used = 0, corr_used = 0;
    for (int k = 0; k < ST_GLCM_DIRS; k++) {
        double f[ST_GLCM_NFEAT];
        int r = st_glcm_direction_features(c[k], f);
        if (r < 0)
            continue;
        used++;
        for (int m = 0; m < ST_GLCM_CORRELATION; m++)
            sum[m] += f[m];
        if (r > 0) {
            sum[ST_GLCM_CORRELATION] += f[ST_GLCM_CORRELATION];
            corr_used++;
        }
    }
    for (int m = 0; m < ST_GLCM_CORRELATION; m++)
        feat[m] = used ? sum[m] / used : NAN;
    feat[ST_GLCM_CORRELATION] = corr_used ? sum[ST_GLCM_CORRELATION] / corr_used : NAN;
    return used;
}
