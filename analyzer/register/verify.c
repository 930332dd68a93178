/* Verification: a registration is only trusted when the flattened images
 * agree where they overlap. Two photos of different skin have no common
 * texture, so their NCC stays near 0 whatever transform is proposed. */
#include "register/verify.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "simd/kernels.h"

int st_verify_overlap(const st_plane *fixed, const st_plane *moving, const double m[9],
                      int threads, double *ncc, double *overlap, st_err *err)
{
    size_t n = (size_t)fixed->w * fixed->h;
    float *wp = st_alloc_floats(n);
    unsigned char *valid = st_aligned_alloc(n);
    double inv[9];
    int rc = ST_OK;
    *ncc = 0.0;
    *overlap = 0.0;
    if (!wp || !valid) {
        rc = st_err_set(err, ST_ENOMEM, "verify: out of memory");
        goto done;
    }
    if (!st_mat3_inverse(m, inv))
        goto done; /* singular: no overlap */
    if ((rc = st_warp_perspective(moving->data, moving->stride, moving->w, moving->h, wp,
                                  (size_t)fixed->w, fixed->w, fixed->h, inv, 0.0f, valid,
                                  threads))) {
        rc = st_err_set(err, rc, "verify: warp failed");
        goto done;
    }
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    size_t cnt = 0;
    for (int y = 0; y < fixed->h; y++)
        for (int x = 0; x < fixed->w; x++) {
            size_t i = (size_t)y * fixed->w + x;
            if (!valid[i])
                continue;
            double a = fixed->data[(size_t)y * fixed->stride + x], b = wp[i];
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
            cnt++;
        }
    *overlap = (double)cnt / (double)n;
    if (cnt > 16) {
        double va = saa - sa * sa / cnt, vb = sbb - sb * sb / cnt, cab = sab - sa * sb / cnt;
        *ncc = (va > 0 && vb > 0) ? cab / sqrt(va * vb) : 0.0;
    }
done:
    st_aligned_free(wp);
    st_aligned_free(valid);
    return rc;
}

/* Max corner distance between m and its least-squares affine fit (the
 * affine map through corners 0, 1, 2 and 3 in the LS sense). */
static double affine_residual(const double m[9], int w, int h)
{
    const double cx[4] = {0, w - 1.0, 0, w - 1.0}, cy[4] = {0, 0, h - 1.0, h - 1.0};
    double u[4], v[4];
    for (int i = 0; i < 4; i++)
        st_mat3_apply(m, cx[i], cy[i], &u[i], &v[i]);
    /* For a rectangle the LS affine fit leaves the same residual e at every
     * corner with alternating signs: e = (p0 - p1 - p2 + p3) / 4. */
    double ex = (u[0] - u[1] - u[2] + u[3]) / 4, ey = (v[0] - v[1] - v[2] + v[3]) / 4;
    return sqrt(ex * ex + ey * ey);
}

st_reg_model st_classify_model(const double m[9], int w, int h, double tol_px)
{
    if (affine_residual(m, w, h) > tol_px)
        return ST_MODEL_HOMOGRAPHY;
    double sim[9];
    st_project_similarity(m, w, h, sim);
    if (st_mat3_corner_distance(m, sim, w, h) > tol_px)
        return ST_MODEL_AFFINE;
    double cx, cy;
    st_mat3_apply(m, (w - 1) / 2.0, (h - 1) / 2.0, &cx, &cy);
    double tr[9] = {1, 0, cx - (w - 1) / 2.0, 0, 1, cy - (h - 1) / 2.0, 0, 0, 1};
    if (st_mat3_corner_distance(m, tr, w, h) > tol_px)
        return ST_MODEL_SIMILARITY;
    const double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    return st_mat3_corner_distance(m, id, w, h) > tol_px ? ST_MODEL_TRANSLATION : ST_MODEL_IDENTITY;
}

const char *st_implausible(const double m[9], int w, int h)
{
    const double cx[4] = {0, w - 1.0, w - 1.0, 0}, cy[4] = {0, 0, h - 1.0, h - 1.0};
    double u[4], v[4];
    for (int i = 0; i < 4; i++) {
        double z = m[6] * cx[i] + m[7] * cy[i] + m[8];
        if (!(z > 0.0) || !isfinite(z))
            return "transform folds the image (corner behind the camera)";
        st_mat3_apply(m, cx[i], cy[i], &u[i], &v[i]);
    }
    /* Shoelace area and convexity of the mapped frame (corners in order). */
    double area = 0.0;
    int sign = 0;
    for (int i = 0; i < 4; i++) {
        int j = (i + 1) % 4, k = (i + 2) % 4;
        area += u[i] * v[j] - u[j] * v[i];
        double cr = (u[j] - u[i]) * (v[k] - v[j]) - (v[j] - v[i]) * (u[k] - u[j]);
        int s = cr > 0 ? 1 : -1;
        if (sign && s != sign)
            return "transform is not a plausible camera change (frame not convex)";
        sign = s;
    }
    double ratio = fabs(area) / 2.0 / ((double)(w - 1) * (h - 1));
    if (area < 0.0)
        return "transform mirrors the image";
    if (!(ratio > 0.25 && ratio < 4.0))
        return "transform is not a plausible camera change (scale beyond 2x)";
    return "";
}
