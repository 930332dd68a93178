/* Progress statistics of a series (SPEC.md, "Progress"): pure maths on
 * numbers, no images. Percent change against the baseline, the least-squares
 * trend per 30 days, the direction of improvement of each metric, repeat-shot
 * means and spreads, and the remodeling index with its bootstrap interval. */
#ifndef ST_SERIES_PROGRESS_H
#define ST_SERIES_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* -1: lower is better; +1: higher is better; 0: shown but neutral. */
int st_metric_direction(const char *name);

/* change = 100·(session − baseline)/|baseline|. Returns 0, or -1 when the
 * baseline is 0 (no relative change exists) or a value is not finite. */
int st_percent_change(double session, double baseline, double *change);

/* Least-squares slope of y against x, times 30 (x in days, y in percent):
 * percent per 30 days. Needs n >= 2 and x not all equal; else -1. */
int st_trend_per_30d(const double *days, const double *pct, size_t n, double *slope30);

/* Mean and sample standard deviation (n − 1; 0 for n == 1). n >= 1. */
void st_mean_sd(const double *v, size_t n, double *mean, double *sd);

/* ---- remodeling index ------------------------------------------------------
 * RI = mean over the families f available of clamp(−C_f, −100, 100), where
 * C_f = 100·(V_f,session − V_f,baseline)/|V_f,baseline| is the percent change
 * of the family's key value (all four are lower-is-better):
 *   roughness  V = Sq                  = sqrt(Σ_t Σz² / Σ_t n_pixels)
 *   pores      V = mean pore diameter  = Σ_t Σd / Σ_t count
 *   scars      V = scar volume         = Σ_t volume / n_tiles   (∝ total)
 *   wrinkles   V = line length density = Σ_t length / Σ_t area
 * Each V is a ratio of sums over the ROI tiles (num_t, den_t), so the same
 * formula gives the index for any multiset of tiles; the 95 % interval is
 * the 2.5 / 97.5 percentile of the index over B paired bootstrap resamples
 * of the tiles (the same tile indices for baseline and session) drawn by a
 * fixed-seed SplitMix64 generator, so it is reproducible bit for bit.
 * A family is left out when its baseline value is 0 or has no tiles with
 * den > 0. RI is bounded to [−100, 100]: 100 means every family's key value
 * vanished, 0 no change, negative a worsening. */
enum {
    ST_FAM_ROUGHNESS = 0,
    ST_FAM_PORES = 1,
    ST_FAM_SCARS = 2,
    ST_FAM_WRINKLES = 3,
    ST_FAM_COUNT = 4
};

typedef struct st_family_tiles {
    int present;              /* 0: family not measured in this series */
    const double *num[2];     /* [0] baseline, [1] session; n_tiles values each */
    const double *den[2];
    int take_sqrt;            /* V = sqrt(Σnum/Σden) (Sq), else Σnum/Σden */
} st_family_tiles;

typedef struct st_remodel_input {
    size_t n_tiles;
    st_family_tiles fam[ST_FAM_COUNT];
    int n_boot;               /* resamples; 0 = 2000 */
    uint64_t seed;            /* 0 = the documented default seed */
} st_remodel_input;

typedef struct st_remodel_result {
    int valid;                /* at least one family contributed */
    double value;             /* RI over all tiles, percent */
    double ci95[2];
    double change[ST_FAM_COUNT]; /* C_f, percent (when used[f]) */
    double change_ci95[ST_FAM_COUNT][2]; /* its 95 % interval over the same resamples */
    int used[ST_FAM_COUNT];
} st_remodel_result;

/* The index from known family changes (percent, lower-is-better families):
 * the same formula, for checking against ground truth. used[f] = 0 skips f. */
double st_remodel_from_changes(const double change[ST_FAM_COUNT], const int used[ST_FAM_COUNT]);

/* Returns 0; -1 on allocation failure (result then invalid). */
int st_remodel_index(const st_remodel_input *in, st_remodel_result *out);

/* SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, fixed sequence per seed. */
static inline uint64_t st_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#define ST_REMODEL_DEFAULT_SEED 0x5EED5EEDull
#define ST_REMODEL_DEFAULT_BOOT 2000

#endif
