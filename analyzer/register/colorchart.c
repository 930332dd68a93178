/* Colour calibration with a ColorChecker Classic. The correction matrix is
 * the linear-RGB least-squares fit (Finlayson, Mackiewicz & Hurlbert 2015
 * call it LCC): sRGB decoding is undone first, because a camera's white
 * balance and colour mixing act on linear light. */
#include "register/colorchart.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/image_reduce.h"
#include "core/linsolve.h"
#include "core/parallel.h"
#include "cv/cv_wrap.h"
#include "register/deltae.h"
#include "simd/kernels.h"

const unsigned char st_colorchecker_srgb[24][3] = {
    {115, 82, 68},   {194, 150, 130}, {98, 122, 157},  {87, 108, 67},   {133, 128, 177},
    {103, 189, 170}, {214, 126, 44},  {80, 91, 166},   {193, 90, 99},   {94, 60, 108},
    {157, 188, 64},  {224, 163, 46},  {56, 61, 150},   {70, 148, 73},   {175, 54, 60},
    {231, 199, 31},  {187, 86, 149},  {8, 133, 161},   {243, 243, 242}, {200, 200, 200},
    {160, 160, 160}, {122, 122, 121}, {85, 85, 85},    {52, 52, 52}};

/* ---- detection ----------------------------------------------------------- */

int st_colorchart_detect(const st_image *img, st_colorchart *out, st_err *err)
{
    if (!img || !out || img->channels != 3)
        return st_err_set(err, ST_EINVAL, "colour chart: needs an RGB image");
    memset(out, 0, sizeof *out);
    int side = img->width > img->height ? img->width : img->height;
    int f = (side + ST_CHART_SEARCH_MAX_SIDE - 1) / ST_CHART_SEARCH_MAX_SIDE;
    st_image *small = NULL;
    const st_image *search = img;
    if (f > 1) {
        int rc = st_image_reduce_rgb(img, f, &small, err);
        if (rc)
            return rc;
        search = small;
    }
    char msg[256] = "";
    double cost = 0.0;
    int rc = stcv_detect_colorchecker(st_image_row(search, 0, 0), st_image_row(search, 1, 0),
                                      st_image_row(search, 2, 0), search->stride, search->width,
                                      search->height, out->measured, out->box, &cost, msg, sizeof msg);
    st_image_free(small);
    if (rc == ST_EREGISTER)
        return ST_OK; /* no chart: found stays 0 */
    if (rc)
        return st_err_set(err, ST_EINTERNAL, "%s", msg);
    /* block k of the search image covers pixels k f .. k f + f - 1 */
    for (int k = 0; k < 8; k++)
        out->box[k] = out->box[k] * f + 0.5 * (f - 1);
    out->found = 1;
    return ST_OK;
}

/* mcc's box around the ColorChecker Classic's 6 x 4 patches spans this many
 * patch pitches squared: 24 cells, each side about 1.6 % longer than the
 * pitch (measured on generated charts of three sizes, turned and scaled:
 * side/pitch 1.0115-1.0205; tests/unit/test_colour.c checks pixel_mm from
 * it within 2 %). */
#define CHART_BOX_AREA_PITCH2 (24.0 * 1.0163 * 1.0163)

double st_colorchart_pitch_px(const st_colorchart *c)
{
    double a = 0;
    for (int k = 0; k < 4; k++) {
        int j = (k + 1) % 4;
        a += c->box[2 * k] * c->box[2 * j + 1] - c->box[2 * j] * c->box[2 * k + 1];
    }
    return sqrt(fabs(0.5 * a) / CHART_BOX_AREA_PITCH2);
}

/* ---- fitting ------------------------------------------------------------- */

static void apply_ccm(const double ccm[3][4], const double lin[3], double out[3])
{
    for (int k = 0; k < 3; k++)
        out[k] = ccm[k][0] * lin[0] + ccm[k][1] * lin[1] + ccm[k][2] * lin[2] + ccm[k][3];
}

/* Delta E00 of patch i against its published value, as measured or
 * (corrected) through the CCM. */
static double patch_de00(const st_colorchart *c, int i, int corrected)
{
    double ref[3], lin[3], cor[3], la[3], lb[3];
    for (int k = 0; k < 3; k++) {
        ref[k] = st_srgb_decode(st_colorchecker_srgb[i][k] / 255.0);
        lin[k] = st_srgb_decode(c->measured[i][k]);
    }
    if (corrected) {
        apply_ccm(c->ccm, lin, cor);
        memcpy(lin, cor, sizeof cor);
    }
    st_linear_to_lab(ref, la);
    st_linear_to_lab(lin, lb);
    return st_ciede2000(la, lb);
}

static double mean_de00(const st_colorchart *c, int corrected)
{
    double sum = 0.0;
    for (int i = 0; i < 24; i++)
        if (c->used[i])
            sum += patch_de00(c, i, corrected);
    return c->n_used ? sum / c->n_used : 0.0;
}

/* Least squares over the patches marked used, channel by channel. */
static int fit_used(st_colorchart *c, int affine, st_err *err)
{
    int n = affine ? 4 : 3;
    double x[24][4];
    for (int i = 0; i < 24; i++) {
        for (int k = 0; k < 3; k++)
            x[i][k] = st_srgb_decode(c->measured[i][k]);
        x[i][3] = 1.0;
    }
    memset(c->ccm, 0, sizeof c->ccm);
    for (int k = 0; k < 3; k++) {
        double a[4][4] = {{0}}, b[4] = {0};
        for (int i = 0; i < 24; i++) {
            if (!c->used[i])
                continue;
            double ref = st_srgb_decode(st_colorchecker_srgb[i][k] / 255.0);
            for (int r = 0; r < n; r++) {
                b[r] += x[i][r] * ref;
                for (int s = 0; s < n; s++)
                    a[r][s] += x[i][r] * x[i][s];
            }
        }
        if (st_linsolve(&a[0][0], 4, b, n))
            return st_err_set(err, ST_EINVAL, "colour chart: patches too alike to fit a matrix");
        for (int r = 0; r < n; r++)
            c->ccm[k][r] = b[r];
    }
    c->affine = affine;
    c->de00_before = mean_de00(c, 0);
    c->de00_after = mean_de00(c, 1);
    return ST_OK;
}

int st_colorchart_fit(st_colorchart *c, int affine, st_err *err)
{
    if (!c || !c->found)
        return st_err_set(err, ST_EINVAL, "colour chart: nothing to fit");
    for (int i = 0; i < 24; i++)
        c->used[i] = 1;
    c->n_used = 24;
    return fit_used(c, affine, err);
}

#define CHART_CLIP_LO 0.01
#define CHART_CLIP_HI 0.99
#define CHART_MIN_PATCHES 16
#define CHART_OUTLIER_X_MEDIAN 3.0 /* a patch this many times the median error */
#define CHART_OUTLIER_MIN_DE 2.0   /* and at least this many Delta E00 is dropped */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Drops the used patches whose error after the fit stands out, the worst
 * first, while more than CHART_MIN_PATCHES stay; 1 if any was dropped. */
static int drop_outliers(st_colorchart *c)
{
    double de[24], sorted[24];
    int m = 0;
    for (int i = 0; i < 24; i++)
        if (c->used[i])
            sorted[m++] = de[i] = patch_de00(c, i, 1);
    qsort(sorted, (size_t)m, sizeof *sorted, cmp_double);
    double limit = fmax(CHART_OUTLIER_X_MEDIAN * sorted[m / 2], CHART_OUTLIER_MIN_DE);
    int dropped = 0;
    for (int j = m - 1; j >= 0 && c->n_used > CHART_MIN_PATCHES && sorted[j] > limit; j--)
        for (int i = 0; i < 24; i++)
            if (c->used[i] && de[i] == sorted[j]) {
                c->used[i] = 0;
                c->n_used--;
                dropped = 1;
                break;
            }
    return dropped;
}

int st_colorchart_fit_robust(st_colorchart *c, st_err *err)
{
    if (!c || !c->found)
        return st_err_set(err, ST_EINVAL, "colour chart: nothing to fit");
    c->n_used = 0;
    for (int i = 0; i < 24; i++) {
        int clipped = 0;
        for (int k = 0; k < 3; k++)
            clipped |= c->measured[i][k] <= CHART_CLIP_LO || c->measured[i][k] >= CHART_CLIP_HI;
        c->used[i] = !clipped;
        c->n_used += !clipped;
    }
    if (c->n_used < CHART_MIN_PATCHES)
        return st_err_set(err, ST_EINVAL, "colour chart: %d of 24 patches clipped (over- or under-exposed)",
                          24 - c->n_used);
    int rc = fit_used(c, 1, err);
    for (int round = 0; round < 2 && !rc && drop_outliers(c); round++)
        rc = fit_used(c, 1, err);
    return rc;
}

/* ---- applying ------------------------------------------------------------ */

/* sRGB encoding by table: linear [0, 1] in ENC_STEPS steps, interpolated
 * (error < 2e-5, far below 8-bit quantisation). */
#define ENC_STEPS 4096

typedef struct ccm_ctx {
    st_image *rgb;
    float m[3][4];
    float enc[ENC_STEPS + 2];
    atomic_int failed;
} ccm_ctx;

static inline float encode_lut(const float *enc, float v)
{
    if (!(v > 0.0f))
        return 0.0f;
    if (v >= 1.0f)
        return 1.0f;
    float p = v * ENC_STEPS;
    int i = (int)p;
    float t = p - (float)i;
    return enc[i] + t * (enc[i + 1] - enc[i]);
}

static void ccm_band(void *arg, int y0, int y1)
{
    ccm_ctx *cc = arg;
    st_image *img = cc->rgb;
    int w = img->width;
    float *lin = malloc(3 * (size_t)w * sizeof *lin);
    if (!lin) {
        atomic_store(&cc->failed, 1);
        return;
    }
    for (int y = y0; y < y1; y++) {
        float *p[3];
        for (int k = 0; k < 3; k++) {
            p[k] = st_image_row(img, k, y);
            st_srgb_to_linear(p[k], lin + (size_t)k * w, (size_t)w);
        }
        for (int x = 0; x < w; x++) {
            float r = lin[x], g = lin[w + x], b = lin[2 * (size_t)w + x];
            for (int k = 0; k < 3; k++)
                p[k][x] = encode_lut(cc->enc, cc->m[k][0] * r + cc->m[k][1] * g + cc->m[k][2] * b + cc->m[k][3]);
        }
    }
    free(lin);
}

int st_colorchart_apply_inplace(st_image *rgb, const st_colorchart *c, int threads, st_err *err)
{
    if (!rgb || !c || rgb->channels != 3)
        return st_err_set(err, ST_EINVAL, "colour chart: needs an RGB image");
    ccm_ctx *cc = malloc(sizeof *cc);
    if (!cc)
        return st_err_set(err, ST_ENOMEM, "colour correction: out of memory");
    cc->rgb = rgb;
    atomic_init(&cc->failed, 0);
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 4; j++)
            cc->m[k][j] = (float)c->ccm[k][j];
    for (int i = 0; i <= ENC_STEPS + 1; i++)
        cc->enc[i] = (float)st_srgb_encode(i > ENC_STEPS ? 1.0 : (double)i / ENC_STEPS);
    st_parallel_for(threads, rgb->height, 32, ccm_band, cc);
    int failed = atomic_load(&cc->failed);
    free(cc);
    return failed ? st_err_set(err, ST_ENOMEM, "colour correction: out of memory") : ST_OK;
}

int st_colorchart_apply(const st_image *in, const st_colorchart *c, st_image **out, st_err *err)
{
    if (!in || !c || in->channels != 3)
        return st_err_set(err, ST_EINVAL, "colour chart: needs an RGB image");
    int rc = st_image_clone(in, out, err);
    if (!rc)
        rc = st_colorchart_apply_inplace(*out, c, 1, err);
    return rc;
}
