/* Fine registration on one level: ECC (register/ecc.c; the correlation
 * coefficient is invariant to gain and offset, and the callers feed it
 * illumination-flattened levels so a light gradient does not pull it either)
 * and the ORB + RANSAC fallback through the OpenCV wrapper. */
#include "register/refine.h"

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "cv/cv_wrap.h"
#include "register/ecc.h"

void st_project_similarity(const double m[9], int w, int h, double out[9])
{
    /* Normal equations of the 4-parameter fit (a, b, tx, ty). */
    const double cx[4] = {0, w - 1.0, 0, w - 1.0}, cy[4] = {0, 0, h - 1.0, h - 1.0};
    double sx = 0, sy = 0, su = 0, sv = 0, sxx = 0, sxu = 0, syv = 0, sxv = 0, syu = 0;
    for (int i = 0; i < 4; i++) {
        double u, v;
        st_mat3_apply(m, cx[i], cy[i], &u, &v);
        sx += cx[i];
        sy += cy[i];
        su += u;
        sv += v;
        sxx += cx[i] * cx[i] + cy[i] * cy[i];
        sxu += cx[i] * u;
        syv += cy[i] * v;
        sxv += cx[i] * v;
        syu += cy[i] * u;
    }
    /* Centred: a = sum(x u + y v) / sum(x^2 + y^2), b = sum(x v - y u) / ... */
    double mx = sx / 4, my = sy / 4, mu = su / 4, mv = sv / 4;
    double den = sxx - 4 * (mx * mx + my * my);
    double a = (sxu + syv - 4 * (mx * mu + my * mv)) / den;
    double b = (sxv - syu - 4 * (mx * mv - my * mu)) / den;
    double o[9] = {a, -b, mu - a * mx + b * my, b, a, mv - b * mx - a * my, 0, 0, 1};
    memcpy(out, o, sizeof o);
}

int st_refine_ecc(const st_ecc_level *lv, const st_ecc_opts *o, double m[9], double *cc,
                  st_err *err)
{
    /* ECC's warp maps template (fixed) pixels to image (moving) pixels. */
    double warp[9];
    if (!st_mat3_inverse(m, warp))
        return st_err_set(err, ST_EREGISTER, "ECC refinement: singular initial matrix");
    for (int i = 0; i < 9; i++)
        warp[i] /= warp[8];
    st_ecc_opts eo = *o;
    if (eo.model == ST_MODEL_IDENTITY)
        eo.model = ST_MODEL_TRANSLATION;
    if (eo.model != ST_MODEL_HOMOGRAPHY) {
        /* Affine start: drop what perspective the guess has (the
         * translation model keeps the linear part and moves the shift). */
        warp[6] = warp[7] = 0.0;
        if (eo.model != ST_MODEL_TRANSLATION)
            eo.model = ST_MODEL_AFFINE;
    }
    st_ecc_result r;
    int rc = st_ecc_align(lv, &eo, warp, &r, err);
    if (rc)
        return rc;
    double inv[9];
    if (!isfinite(r.rho) || !st_mat3_inverse(warp, inv))
        return st_err_set(err, ST_EREGISTER, "ECC refinement: degenerate result");
    if (o->model == ST_MODEL_SIMILARITY)
        st_project_similarity(inv, lv->iw, lv->ih, inv);
    memcpy(m, inv, sizeof inv);
    if (cc)
        *cc = r.rho;
    return ST_OK;
}

int st_refine_features(const st_plane *fixed, const st_plane *moving, double m[9], int *inliers,
                       st_err *err)
{
    char msg[256] = "";
    int nm = 0, ni = 0;
    double h[9];
    int rc = stcv_match_features(fixed->data, fixed->stride, fixed->w, fixed->h, moving->data,
                                 moving->stride, moving->w, moving->h, 3000, h, &nm, &ni, msg,
                                 sizeof msg);
    if (inliers)
        *inliers = ni;
    if (rc == ST_EREGISTER)
        return st_err_set(err, ST_EREGISTER, "%s", msg);
    if (rc)
        return st_err_set(err, ST_EINTERNAL, "%s", msg);
    memcpy(m, h, sizeof h);
    return ST_OK;
}
