/* truth.json: for every session the exact session→baseline matrix, every
 * feature as the skin had it then, the model's surface and colour statistics
 * in the ROI, and the true percent change of each family vs the baseline. */
#include "series_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const char *const scar_kinds[3] = {"icepick", "boxcar", "rolling"};

static void add_num(cJSON *o, const char *key, double v)
{
    cJSON_AddNumberToObject(o, key, sg_round(v, 7));
}

static int in_roi(const int r[4], double x, double y)
{
    return x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3];
}

/* Pores are many: one compact row each, fields as named by "pore_fields";
 * d_mm is SPEC.md's diameter (at half contrast), not the opening. */
static cJSON *pores_json(const skingen_skin *skin, const skingen_state *s, const int roi[4])
{
    int n;
    const skingen_pore *p = skingen_skin_pores(skin, &n);
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        double row[5] = {sg_round(p[i].x, 7), sg_round(p[i].y, 7), sg_round(skingen_pore_spec_d_mm(&p[i]) * s->pore_size, 5),
                         sg_round(p[i].depth_um * s->pore_size, 5), in_roi(roi, p[i].x, p[i].y)};
        cJSON_AddItemToArray(a, sg_json_numbers(row, 5, 0));
    }
    return a;
}

static cJSON *scars_json(const skingen_skin *skin, const skingen_state *s, const int roi[4])
{
    int n;
    const skingen_scar *p = skingen_skin_scars(skin, &n);
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        skingen_scar_truth g;
        skingen_scar_geometry(&p[i], s->scar_depth, &g);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", scar_kinds[p[i].kind]);
        add_num(o, "x", p[i].x);
        add_num(o, "y", p[i].y);
        add_num(o, "d_mm", p[i].d_mm);
        add_num(o, "aspect", p[i].aspect);
        add_num(o, "angle_deg", p[i].angle_deg);
        add_num(o, "area_mm2", g.area_mm2);
        add_num(o, "area_30um_mm2", g.area30_mm2);
        add_num(o, "max_depth_um", g.max_depth_um);
        add_num(o, "mean_depth_um", g.mean_depth_um);
        add_num(o, "volume_mm3", g.volume_mm3);
        cJSON_AddBoolToObject(o, "in_roi", in_roi(roi, p[i].x, p[i].y));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *wrinkles_json(const skingen_skin *skin, const skingen_state *s, const int roi[4])
{
    int n;
    const skingen_wrinkle *w = skingen_skin_wrinkles(skin, &n);
    double px = skingen_skin_params(skin)->pixel_mm;
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        double ends[4] = {w[i].x0, w[i].y0, w[i].x1, w[i].y1};
        cJSON_AddItemToObject(o, "ends", sg_json_numbers(ends, 4, 7));
        add_num(o, "length_mm", hypot(w[i].x1 - w[i].x0, w[i].y1 - w[i].y0) * px);
        add_num(o, "width_mm", w[i].width_mm);
        add_num(o, "depth_um", w[i].depth_um * s->wrinkle_depth);
        add_num(o, "angle_deg", atan2(w[i].y1 - w[i].y0, w[i].x1 - w[i].x0) * 180.0 / M_PI);
        cJSON_AddBoolToObject(o, "in_roi",
                              in_roi(roi, 0.5 * (w[i].x0 + w[i].x1), 0.5 * (w[i].y0 + w[i].y1)));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *patches_json(const skingen_patch *p, int n, double gain)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        add_num(o, "x", p[i].x);
        add_num(o, "y", p[i].y);
        add_num(o, "r_mm", p[i].r_mm);
        double d[3] = {p[i].dL * gain, p[i].da * gain, p[i].db * gain};
        cJSON_AddItemToObject(o, "dLab", sg_json_numbers(d, 3, 6));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* The families' headline values; change_pct compares them with the baseline. */
static void summary_values(const skingen_truth *t, double v[], const char **names, int *n)
{
    static const char *k[] = {"roughness.sq_um", "roughness.sa_um", "roughness.relief_sq_um",
                              "pores.count", "pores.mean_diameter_mm", "scars.count",
                              "scars.max_depth_um", "scars.mean_depth_um", "scars.area_mm2",
                              "scars.volume_mm3", "wrinkles.count", "wrinkles.mean_depth_um",
                              "wrinkles.length_mm", "pigment.ita_deg", "pigment.ita_sd",
                              "pigment.spot_strength", "redness.strength"};
    double x[] = {t->sq_um, t->sa_um, t->relief_sq_um, t->pores_in_roi, t->pore_mean_d_mm,
                  t->scars_in_roi, t->scar_max_depth_um, t->scar_mean_depth_um,
                  t->scar_area_mm2, t->scar_volume_mm3, t->wrinkles_in_roi,
                  t->wrinkle_mean_depth_um, t->wrinkle_length_mm, t->ita_mean_deg,
                  t->ita_sd_deg, t->spot_strength, t->redness_strength};
    *n = (int)(sizeof x / sizeof x[0]);
    for (int i = 0; i < *n; i++) {
        v[i] = x[i];
        names[i] = k[i];
    }
    if (t->has_colour) { /* chromophore model: what a calibrated camera reads */
        v[*n] = t->erythema_index;
        names[(*n)++] = "redness.erythema_index";
        v[*n] = t->melanin_index;
        names[(*n)++] = "pigment.melanin_index";
    }
}

static void add_matrix(cJSON *o, const double m[9])
{
    cJSON *a = cJSON_AddArrayToObject(o, "matrix");
    for (int r = 0; r < 3; r++)
        cJSON_AddItemToArray(a, sg_json_numbers(m + 3 * r, 3, 0));
}

static cJSON *camera_json(const skingen_camera *c, int ext)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "size", sg_json_numbers((double[]){c->width, c->height}, 2, 0));
    cJSON_AddItemToObject(o, "light", sg_json_numbers(c->light, 3, 7));
    if (ext) { /* azimuth: 0 = from the right, 90 = from below; elevation above the skin */
        double n = sqrt(c->light[0] * c->light[0] + c->light[1] * c->light[1] +
                        c->light[2] * c->light[2]);
        double az = atan2(c->light[1], c->light[0]) * 180.0 / M_PI;
        az = az < 0 ? az + 360.0 : az;
        add_num(o, "light_azimuth_deg", fabs(az) < 1e-9 || fabs(az - 360.0) < 1e-9 ? 0.0 : az);
        add_num(o, "light_elevation_deg", asin(c->light[2] / n) * 180.0 / M_PI);
    }
    add_num(o, "ambient", c->ambient);
    add_num(o, "exposure", c->exposure);
    cJSON_AddItemToObject(o, "white_balance", sg_json_numbers(c->wb, 3, 7));
    add_num(o, "vignetting", c->vignetting);
    cJSON_AddItemToObject(o, "gradient", sg_json_numbers(c->gradient, 2, 7));
    add_num(o, "blur_px", c->blur_px);
    return o;
}

static cJSON *state_json(const skingen_state *s, int ext)
{
    cJSON *o = cJSON_CreateObject();
    add_num(o, "relief", s->relief);
    add_num(o, "scar_depth", s->scar_depth);
    add_num(o, "pore_size", s->pore_size);
    add_num(o, "wrinkle_depth", s->wrinkle_depth);
    add_num(o, "spots", s->spots);
    add_num(o, "redness", s->redness);
    if (ext) {
        add_num(o, "melanin", s->melanin);
        add_num(o, "haemoglobin", s->haemoglobin);
    }
    return o;
}

/* The colour a perfectly calibrated camera reads on the albedo in the ROI. */
static cJSON *colour_json(const skingen_truth *t)
{
    cJSON *o = cJSON_CreateObject();
    add_num(o, "erythema_index", t->erythema_index);
    add_num(o, "melanin_index", t->melanin_index);
    add_num(o, "ita_deg", t->ita_mean_deg);
    add_num(o, "ita_sd_deg", t->ita_sd_deg);
    cJSON_AddItemToObject(o, "lab_mean", sg_json_numbers(t->lab_mean, 3, 7));
    cJSON_AddStringToObject(o, "definition",
                            "per-pixel means over the ROI of the albedo (no light), linear sRGB "
                            "D65: EI = 100 log10(R/G), MI = 100 log10(1/R), "
                            "ITA = atan2(L* - 50, b*)");
    return o;
}

static int session_truth(const skingen_series_spec *spec, const skingen_skin *skin, int i,
                         const sg_session_files *f, const double *base, cJSON *o, double *vals,
                         st_err *err)
{
    static const char *const defects[3] = {"none", "blurred", "other"};
    const skingen_session_spec *s = &spec->sessions[i];
    skingen_truth t;
    int rc = skingen_truth_compute(skin, &s->state, spec->roi, &t, err);
    if (rc)
        return rc;
    cJSON_AddNumberToObject(o, "index", i);
    cJSON_AddStringToObject(o, "date", f->date);
    cJSON_AddNumberToObject(o, "day", s->day);
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    for (int k = 0; k < f->n_files; k++)
        cJSON_AddItemToArray(files, cJSON_CreateString(f->files[k]));
    cJSON_AddStringToObject(o, "defect", defects[s->defect]);
    int ext = spec->skin.chromo.enabled;
    add_matrix(o, s->camera.matrix);
    cJSON_AddItemToObject(o, "camera", camera_json(&s->camera, ext));
    cJSON_AddItemToObject(o, "state", state_json(&s->state, ext));
    if (t.has_colour)
        cJSON_AddItemToObject(o, "colour", colour_json(&t));
    const char *names[32];
    int n;
    summary_values(&t, vals, names, &n);
    cJSON *sum = cJSON_AddObjectToObject(o, "summary");
    for (int k = 0; k < n; k++)
        add_num(sum, names[k], vals[k]);
    if (base) {
        cJSON *ch = cJSON_AddObjectToObject(o, "change_pct");
        for (int k = 0; k < n; k++)
            if (fabs(base[k]) > 0)
                add_num(ch, names[k], 100.0 * (vals[k] - base[k]) / fabs(base[k]));
    }
    cJSON_AddItemToObject(o, "pores", pores_json(skin, &s->state, spec->roi));
    cJSON_AddItemToObject(o, "scars", scars_json(skin, &s->state, spec->roi));
    cJSON_AddItemToObject(o, "wrinkles", wrinkles_json(skin, &s->state, spec->roi));
    int np;
    const skingen_patch *p = skingen_skin_spots(skin, &np);
    cJSON_AddItemToObject(o, "spots", patches_json(p, np, s->state.spots));
    p = skingen_skin_redness(skin, &np);
    cJSON_AddItemToObject(o, "redness", patches_json(p, np, s->state.redness));
    return ST_OK;
}

static cJSON *chart_json(const skingen_params *p, int ext)
{
    cJSON *o = cJSON_CreateObject();
    double w, h, box[4] = {p->chart.x, p->chart.y, 0, 0};
    skingen_chart_size(&p->chart, p->pixel_mm, &w, &h);
    box[2] = w, box[3] = h;
    cJSON_AddItemToObject(o, "box", sg_json_numbers(box, 4, 7));
    add_num(o, "patch_mm", p->chart.patch_mm);
    if (ext) {
        add_num(o, "patch_pitch_mm", p->chart.patch_mm * 7.0 / 6.0);
        cJSON_AddStringToObject(o, "box_units", "baseline px: x, y, w, h of the card");
    }
    cJSON *a = cJSON_AddArrayToObject(o, "patches");
    for (int i = 0; i < 24; i++) {
        cJSON *q = cJSON_CreateObject();
        double x, y, rgb[3], lab[3], srgb8[3];
        skingen_chart_patch_centre(&p->chart, p->pixel_mm, i, &x, &y);
        for (int k = 0; k < 3; k++) {
            srgb8[k] = skingen_checker_srgb[i][k];
            rgb[k] = srgb8[k] / 255.0;
        }
        skingen_srgb_to_lab(rgb, lab);
        cJSON_AddStringToObject(q, "name", skingen_checker_names[i]);
        add_num(q, "x", x);
        add_num(q, "y", y);
        cJSON_AddItemToObject(q, "srgb8", sg_json_numbers(srgb8, 3, 0));
        cJSON_AddItemToObject(q, "lab_d65", sg_json_numbers(lab, 3, 6));
        cJSON_AddItemToArray(a, q);
    }
    return o;
}

static cJSON *chromo_json(const skingen_skin *skin)
{
    const skingen_chromophore *c = &skingen_skin_params(skin)->chromo;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "model",
                            "two-layer spectral: epidermal melanin (Jacques 1998), dermal "
                            "oxy/deoxy-haemoglobin (Prahl) with diffusion reflectance "
                            "(Groenhuis 1983), CIE 1931 2 deg x D65, 400-700 nm / 10 nm");
    add_num(o, "melanin", skingen_skin_melanin(skin));
    add_num(o, "blood", c->blood);
    add_num(o, "oxygenation", c->oxygenation);
    add_num(o, "epidermis_mm", c->epidermis_mm);
    add_num(o, "melanin_sd", c->melanin_sd);
    add_num(o, "spot_melanin", c->spot_melanin);
    add_num(o, "redness_blood", c->redness_blood);
    return o;
}

static cJSON *header_json(const skingen_series_spec *spec, const skingen_skin *skin)
{
    const skingen_params *p = &spec->skin;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "skingen-truth/1");
    cJSON *g = cJSON_AddObjectToObject(root, "generator");
    cJSON_AddStringToObject(g, "name", "skingen");
    cJSON_AddStringToObject(g, "version", SKINGEN_VERSION);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
    cJSON_AddStringToObject(g, "seed", seed);
    cJSON_AddStringToObject(root, "modality", sg_modality_name(spec->modality));
    cJSON_AddStringToObject(root, "matrix_convention",
                            "[xb, yb, 1]^T ~ M [xs, ys, 1]^T, session px to baseline px, "
                            "pixel centres at integers");
    cJSON_AddNumberToObject(root, "pixel_mm", p->pixel_mm);
    cJSON_AddItemToObject(root, "size", sg_json_numbers((double[]){p->width, p->height}, 2, 0));
    double roi[4] = {spec->roi[0], spec->roi[1], spec->roi[2], spec->roi[3]};
    cJSON_AddItemToObject(root, "roi", sg_json_numbers(roi, 4, 0));
    if (spec->modality == SKINGEN_HEIGHT) {
        cJSON_AddNumberToObject(root, "height_um_per_unit", spec->height_um_per_unit);
        cJSON_AddNumberToObject(root, "height_offset_um", spec->height_offset_um);
    }
    if (spec->modality == SKINGEN_STEREO) {
        cJSON *l = cJSON_AddArrayToObject(root, "lights");
        for (int k = 0; k < spec->n_lights; k++)
            cJSON_AddItemToArray(l, sg_json_numbers(spec->lights[k], 3, 7));
        cJSON_AddStringToObject(root, "stereo_model",
                                "I = srgb_encode(albedo_Y * max(0, n.l)), 8-bit gray");
    }
    cJSON *sk = cJSON_AddObjectToObject(root, "skin");
    add_num(sk, "relief_sq_um", p->sq_um);
    add_num(sk, "hurst", p->hurst);
    add_num(sk, "anisotropy", p->anisotropy);
    add_num(sk, "angle_deg", p->angle_deg);
    add_num(sk, "furrow_mm", p->furrow_mm);
    add_num(sk, "ita_deg", p->ita_deg);
    if (p->chromo.enabled)
        cJSON_AddItemToObject(sk, "chromophore", chromo_json(skin));
    if (p->chart.enabled)
        cJSON_AddItemToObject(root, "chart", chart_json(p, p->chromo.enabled));
    cJSON *pf = cJSON_AddArrayToObject(root, "pore_fields");
    static const char *const fields[5] = {"x", "y", "d_mm", "depth_um", "in_roi"};
    for (int i = 0; i < 5; i++)
        cJSON_AddItemToArray(pf, cJSON_CreateString(fields[i]));
    return root;
}

int sg_truth_json(const skingen_series_spec *spec, const skingen_skin *skin,
                  const sg_session_files *sf, cJSON **out, st_err *err)
{
    cJSON *root = header_json(spec, skin);
    cJSON *ss = cJSON_AddArrayToObject(root, "sessions");
    double base[32], vals[32];
    for (int i = 0; i < spec->n_sessions; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(ss, o);
        int rc = session_truth(spec, skin, i, &sf[i], i ? base : NULL, o, i ? vals : base, err);
        if (rc) {
            cJSON_Delete(root);
            return rc;
        }
    }
    *out = root;
    return ST_OK;
}
