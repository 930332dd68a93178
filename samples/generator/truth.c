/* Ground truth from the generating model: scar geometry integrated from the
 * analytic profiles, and surface/colour statistics of the model evaluated on
 * the baseline pixel grid inside the ROI (no file is measured). */
#include "skingen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* ∫0^1 p(ρ) ρ dρ by Simpson's rule (the boxcar's wall is smooth, so 4096
 * intervals are exact to ~1e-12). */
static double profile_moment(skingen_scar_kind kind)
{
    const int n = 4096;
    double h = 1.0 / n, acc = 0;
    for (int i = 0; i <= n; i++) {
        double r = i * h, f = sg_scar_profile(kind, r) * r;
        acc += f * (i == 0 || i == n ? 1 : (i & 1 ? 4 : 2));
    }
    return acc * h / 3.0;
}

/* Largest ρ with p(ρ) >= level (profiles do not increase with ρ). */
static double profile_radius(skingen_scar_kind kind, double level)
{
    if (level <= 0)
        return 1.0;
    if (sg_scar_profile(kind, 0.0) < level)
        return 0.0;
    double lo = 0, hi = 1;
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi);
        if (sg_scar_profile(kind, mid) >= level)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void skingen_scar_geometry(const skingen_scar *scar, double depth_scale, skingen_scar_truth *t)
{
    double a = 0.5 * scar->d_mm, b = a * scar->aspect;
    double depth = scar->depth_um * depth_scale;
    t->area_mm2 = M_PI * a * b;
    t->max_depth_um = depth * sg_scar_profile(scar->kind, 0.0);
    double m = profile_moment(scar->kind);
    t->volume_mm3 = depth * 1e-3 * a * b * 2.0 * M_PI * m;
    t->mean_depth_um = depth * 2.0 * m;
    double rho = depth > 0 ? profile_radius(scar->kind, 30.0 / depth) : 0.0;
    t->area30_mm2 = depth > 30.0 ? M_PI * a * b * rho * rho : 0.0;
}

int skingen_sq_sa(const st_image *img, const int roi[4], double *sq, double *sa, st_err *err)
{
    int r[4] = {0, 0, img->width, img->height};
    if (roi)
        memcpy(r, roi, sizeof r);
    if (r[2] < 2 || r[3] < 2 || r[0] < 0 || r[1] < 0 || r[0] + r[2] > img->width ||
        r[1] + r[3] > img->height)
        return st_err_set(err, ST_EINVAL, "skingen: ROI outside the %dx%d image", img->width,
                          img->height);
    /* Least-squares plane: on a full rectangle the centred x and y are
     * orthogonal, so the slopes decouple. */
    double xm = 0.5 * (r[2] - 1), ym = 0.5 * (r[3] - 1), n = (double)r[2] * r[3];
    double sz = 0, sxz = 0, syz = 0, sxx = 0, syy = 0;
    for (int y = 0; y < r[3]; y++) {
        const float *row = st_image_row(img, 0, r[1] + y) + r[0];
        double dy = y - ym, rs = 0, rxs = 0;
        for (int x = 0; x < r[2]; x++) {
            rs += row[x];
            rxs += (x - xm) * row[x];
        }
        sz += rs;
        sxz += rxs;
        syz += dy * rs;
        syy += dy * dy * r[2];
    }
    for (int x = 0; x < r[2]; x++)
        sxx += (x - xm) * (x - xm) * r[3];
    double a0 = sz / n, bx = sxz / sxx, by = syz / syy;
    double s2 = 0, s1 = 0;
    for (int y = 0; y < r[3]; y++) {
        const float *row = st_image_row(img, 0, r[1] + y) + r[0];
        for (int x = 0; x < r[2]; x++) {
            double e = row[x] - (a0 + bx * (x - xm) + by * (y - ym));
            s2 += e * e;
            s1 += fabs(e);
        }
    }
    if (sq)
        *sq = sqrt(s2 / n);
    if (sa)
        *sa = s1 / n;
    return ST_OK;
}

void sg_camera_roi(skingen_camera *c, const int roi[4])
{
    skingen_camera_default(c, roi[2], roi[3], 0);
    c->matrix[2] = roi[0];
    c->matrix[5] = roi[1];
}

static int in_roi(const int r[4], double x, double y)
{
    return x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3];
}

static int surface_truth(const skingen_skin *skin, const skingen_state *s, const int r[4],
                         skingen_truth *t, st_err *err)
{
    skingen_camera c;
    sg_camera_roi(&c, r);
    skingen_state st = *s;
    st.features &= ~SKINGEN_F_CHART;
    st_image *h = NULL;
    int rc = skingen_render_height(skin, &st, &c, &h, err);
    if (!rc)
        rc = skingen_sq_sa(h, NULL, &t->sq_um, &t->sa_um, err);
    st_image_free(h);
    h = NULL;
    st.features = SKINGEN_F_RELIEF;
    if (!rc)
        rc = skingen_render_height(skin, &st, &c, &h, err);
    if (!rc)
        rc = skingen_sq_sa(h, NULL, &t->relief_sq_um, NULL, err);
    st_image_free(h);
    return rc;
}

/* The chromophore model: what a perfectly calibrated camera measures on the
 * albedo (no light), pixel by pixel on the baseline grid, averaged. */
static int chromo_truth(const skingen_skin *skin, const skingen_state *s, const int r[4],
                        skingen_truth *t, st_err *err)
{
    skingen_camera c;
    sg_camera_roi(&c, r);
    skingen_state st = *s;
    st.features &= ~SKINGEN_F_CHART;
    st_image *lin = NULL;
    int rc = sg_render_chromo(skin, &st, &c, &lin, err);
    if (rc)
        return rc;
    double s1 = 0, s2 = 0, ei = 0, mi = 0, lab_sum[3] = {0, 0, 0}, n = (double)r[2] * r[3];
    for (int y = 0; y < r[3]; y++) {
        const float *R = st_image_row(lin, 0, y), *G = st_image_row(lin, 1, y),
                    *B = st_image_row(lin, 2, y);
        for (int x = 0; x < r[2]; x++) {
            double rgb[3] = {R[x], G[x], B[x]}, lab[3];
            sg_linear_to_lab(rgb, lab);
            double ita = skingen_ita_deg(lab[0], lab[2]);
            s1 += ita;
            s2 += ita * ita;
            ei += 100.0 * log10(rgb[0] / rgb[1]);
            mi += 100.0 * log10(1.0 / rgb[0]);
            for (int k = 0; k < 3; k++)
                lab_sum[k] += lab[k];
        }
    }
    t->has_colour = 1;
    t->ita_mean_deg = s1 / n;
    t->ita_sd_deg = sqrt(fmax(0.0, s2 / n - t->ita_mean_deg * t->ita_mean_deg));
    t->ita_deg = skingen_ita_deg(skin->lab0[0], skin->lab0[2]);
    t->erythema_index = ei / n;
    t->melanin_index = mi / n;
    for (int k = 0; k < 3; k++)
        t->lab_mean[k] = lab_sum[k] / n;
    st_image_free(lin);
    return ST_OK;
}

static int colour_truth(const skingen_skin *skin, const skingen_state *s, const int r[4],
                        skingen_truth *t, st_err *err)
{
    if (skin->p.chromo.enabled)
        return chromo_truth(skin, s, r, t, err);
    skingen_camera c;
    sg_camera_roi(&c, r);
    skingen_state st = *s;
    st.features &= ~SKINGEN_F_CHART;
    st_image *lab = NULL;
    int rc = sg_render_lab(skin, &st, &c, &lab, err);
    if (rc)
        return rc;
    double s1 = 0, s2 = 0, n = (double)r[2] * r[3];
    for (int y = 0; y < r[3]; y++) {
        const float *L = st_image_row(lab, 0, y), *B = st_image_row(lab, 2, y);
        for (int x = 0; x < r[2]; x++) {
            double ita = skingen_ita_deg(L[x], B[x]);
            s1 += ita;
            s2 += ita * ita;
        }
    }
    t->ita_mean_deg = s1 / n;
    t->ita_sd_deg = sqrt(fmax(0.0, s2 / n - t->ita_mean_deg * t->ita_mean_deg));
    t->ita_deg = skingen_ita_deg(skin->lab0[0], skin->lab0[2]);
    st_image_free(lab);
    return ST_OK;
}

static void feature_truth(const skingen_skin *skin, const skingen_state *s, const int r[4],
                          skingen_truth *t)
{
    const skingen_params *p = &skin->p;
    double dsum = 0, vol = 0, area = 0;
    for (int i = 0; i < p->n_pores; i++)
        if (in_roi(r, p->pores[i].x, p->pores[i].y)) {
            t->pores_in_roi++;
            dsum += skingen_pore_spec_d_mm(&p->pores[i]) * s->pore_size;
        }
    t->pore_mean_d_mm = t->pores_in_roi ? dsum / t->pores_in_roi : 0.0;
    for (int i = 0; i < p->n_scars; i++) {
        if (!in_roi(r, p->scars[i].x, p->scars[i].y))
            continue;
        skingen_scar_truth g;
        skingen_scar_geometry(&p->scars[i], s->scar_depth, &g);
        t->scars_in_roi++;
        t->scar_max_depth_um = fmax(t->scar_max_depth_um, g.max_depth_um);
        vol += g.volume_mm3;
        area += g.area_mm2;
    }
    t->scar_area_mm2 = area;
    t->scar_volume_mm3 = vol;
    t->scar_mean_depth_um = area > 0 ? vol * 1e3 / area : 0.0;
    double depth = 0;
    for (int i = 0; i < p->n_wrinkles; i++) {
        const skingen_wrinkle *w = &p->wrinkles[i];
        if (!in_roi(r, 0.5 * (w->x0 + w->x1), 0.5 * (w->y0 + w->y1)))
            continue;
        t->wrinkles_in_roi++;
        depth += w->depth_um * s->wrinkle_depth;
        t->wrinkle_length_mm += hypot(w->x1 - w->x0, w->y1 - w->y0) * p->pixel_mm;
    }
    t->wrinkle_mean_depth_um = t->wrinkles_in_roi ? depth / t->wrinkles_in_roi : 0.0;
    /* ∫ 2^-(r/r0)² dA = π r0² / ln 2; spots: ∫ 2^-(r/r0)⁴ dA = π r0² ½√(π/ln 2) */
    for (int i = 0; i < p->n_redness; i++)
        if (in_roi(r, p->redness[i].x, p->redness[i].y))
            t->redness_strength += s->redness * p->redness[i].da * M_PI *
                                   p->redness[i].r_mm * p->redness[i].r_mm / M_LN2;
    for (int i = 0; i < p->n_spots; i++)
        if (in_roi(r, p->spots[i].x, p->spots[i].y))
            t->spot_strength += s->spots * fabs(p->spots[i].dL) * M_PI * p->spots[i].r_mm *
                                p->spots[i].r_mm * 0.5 * sqrt(M_PI / M_LN2);
}

int skingen_truth_compute(const skingen_skin *skin, const skingen_state *s, const int roi[4],
                          skingen_truth *t, st_err *err)
{
    memset(t, 0, sizeof *t);
    int r[4] = {0, 0, skin->p.width, skin->p.height};
    if (roi)
        memcpy(r, roi, sizeof r);
    if (r[2] < 2 || r[3] < 2 || r[0] < 0 || r[1] < 0 || r[0] + r[2] > skin->p.width ||
        r[1] + r[3] > skin->p.height)
        return st_err_set(err, ST_EINVAL, "skingen: ROI %d,%d,%d,%d outside the %dx%d frame", r[0],
                          r[1], r[2], r[3], skin->p.width, skin->p.height);
    int rc = surface_truth(skin, s, r, t, err);
    if (!rc)
        rc = colour_truth(skin, s, r, t, err);
    if (!rc)
        feature_truth(skin, s, r, t);
    return rc;
}
