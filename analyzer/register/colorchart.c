/* Colour calibration with a ColorChecker Classic. The correction matrix is
 * the linear-RGB least-squares fit (Finlayson, Mackiewicz & Hurlbert 2015
 * call it LCC): sRGB decoding is undone first, because a camera's white
 * balance and colour mixing act on linear light. */
#include "register/colorchart.h"

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "cv/cv_wrap.h"
#include "register/deltae.h"

const unsigned char st_colorchecker_srgb[24][3] = {
    {115, 82, 68},   {194, 150, 130}, {98, 122, 157},  {87, 108, 67},   {133, 128, 177},
    {103, 189, 170}, {214, 126, 44},  {80, 91, 166},   {193, 90, 99},   {94, 60, 108},
    {157, 188, 64},  {224, 163, 46},  {56, 61, 150},   {70, 148, 73},   {175, 54, 60},
    {231, 199, 31},  {187, 86, 149},  {8, 133, 161},   {243, 243, 242}, {200, 200, 200},
    {160, 160, 160}, {122, 122, 121}, {85, 85, 85},    {52, 52, 52}};

int st_colorchart_detect(const st_image *img, st_colorchart *out, st_err *err)
{
    if (!img || !out || img->channels != 3)
        return st_err_set(err, ST_EINVAL, "colour chart: needs an RGB image");
    memset(out, 0, sizeof *out);
    char msg[256] = "";
    double cost = 0.0;
    int rc = stcv_detect_colorchecker(st_image_row(img, 0, 0), st_image_row(img, 1, 0),
                                      st_image_row(img, 2, 0), img->stride, img->width,
                                      img->height, out->measured, out->box, &cost, msg, sizeof msg);
    if (rc == ST_EREGISTER)
        return ST_OK; /* no chart: found stays 0 */
    if (rc)
        return st_err_set(err, ST_EINTERNAL, "%s", msg);
    out->found = 1;
    return ST_OK;
}

/* Solves the n x n system a x = b (Gaussian elimination, partial pivoting). */
static int solve(double a[4][4], double b[4], int n)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(a[r][c]) > fabs(a[p][c]))
                p = r;
        if (fabs(a[p][c]) < 1e-15)
            return -1;
        for (int k = 0; k < n; k++) {
            double t = a[c][k];
            a[c][k] = a[p][k];
            a[p][k] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
        for (int r = c + 1; r < n; r++) {
            double f = a[r][c] / a[c][c];
            for (int k = c; k < n; k++)
                a[r][k] -= f * a[c][k];
            b[r] -= f * b[c];
        }
    }
    for (int c = n - 1; c >= 0; c--) {
        for (int k = c + 1; k < n; k++)
            b[c] -= a[c][k] * b[k];
        b[c] /= a[c][c];
    }
    return 0;
}

static void apply_ccm(const double ccm[3][4], const double lin[3], double out[3])
{
    for (int k = 0; k < 3; k++)
        out[k] = ccm[k][0] * lin[0] + ccm[k][1] * lin[1] + ccm[k][2] * lin[2] + ccm[k][3];
}

static double mean_de00(const st_colorchart *c, int corrected)
{
    double sum = 0.0;
    for (int i = 0; i < 24; i++) {
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
        sum += st_ciede2000(la, lb);
    }
    return sum / 24.0;
}

int st_colorchart_fit(st_colorchart *c, int affine, st_err *err)
{
    if (!c || !c->found)
        return st_err_set(err, ST_EINVAL, "colour chart: nothing to fit");
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
            double ref = st_srgb_decode(st_colorchecker_srgb[i][k] / 255.0);
            for (int r = 0; r < n; r++) {
                b[r] += x[i][r] * ref;
                for (int s = 0; s < n; s++)
                    a[r][s] += x[i][r] * x[i][s];
            }
        }
        if (solve(a, b, n))
            return st_err_set(err, ST_EINVAL, "colour chart: patches too alike to fit a matrix");
        for (int r = 0; r < n; r++)
            c->ccm[k][r] = b[r];
    }
    c->affine = affine;
    c->de00_before = mean_de00(c, 0);
    c->de00_after = mean_de00(c, 1);
    return ST_OK;
}

int st_colorchart_apply(const st_image *in, const st_colorchart *c, st_image **out, st_err *err)
{
    if (!in || !c || in->channels != 3)
        return st_err_set(err, ST_EINVAL, "colour chart: needs an RGB image");
    int rc = st_image_clone(in, out, err);
    if (rc)
        return rc;
    for (int y = 0; y < in->height; y++) {
        float *p[3] = {st_image_row(*out, 0, y), st_image_row(*out, 1, y), st_image_row(*out, 2, y)};
        for (int x = 0; x < in->width; x++) {
            double lin[3], cor[3];
            for (int k = 0; k < 3; k++)
                lin[k] = st_srgb_decode(p[k][x]);
            apply_ccm(c->ccm, lin, cor);
            for (int k = 0; k < 3; k++) {
                double v = st_srgb_encode(cor[k]);
                p[k][x] = (float)(v > 1.0 ? 1.0 : v);
            }
        }
    }
    return ST_OK;
}
