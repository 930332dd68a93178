#include "report/report_catalog.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define L -1
#define N 0
static const st_rp_metric_info catalog[] = {
    {"roughness.sa", ST_FAM_ROUGHNESS, "Mean roughness Sa", L, 0},
    {"roughness.sq", ST_FAM_ROUGHNESS, "RMS roughness Sq", L, 0},
    {"roughness.sp", ST_FAM_ROUGHNESS, "Highest peak Sp", L, 0},
    {"roughness.sv", ST_FAM_ROUGHNESS, "Deepest valley Sv", L, 0},
    {"roughness.sz", ST_FAM_ROUGHNESS, "Maximum height Sz", L, 0},
    {"roughness.ssk", ST_FAM_ROUGHNESS, "Skewness Ssk", N, 0},
    {"roughness.sku", ST_FAM_ROUGHNESS, "Kurtosis Sku", N, 0},
    {"roughness.sdq", ST_FAM_ROUGHNESS, "RMS gradient Sdq", L, ST_NEEDS_MM},
    {"roughness.sdr", ST_FAM_ROUGHNESS, "Developed area ratio Sdr", L, ST_NEEDS_MM},
    {"roughness.sal", ST_FAM_ROUGHNESS, "Autocorrelation length Sal", N, ST_NEEDS_MM},
    {"roughness.str", ST_FAM_ROUGHNESS, "Texture aspect ratio Str", N, 0},
    {"roughness.std", ST_FAM_ROUGHNESS, "Texture direction Std", N, 0},
    {"roughness.band_fine", ST_FAM_ROUGHNESS, "Fine-scale roughness (0.1–0.5 mm)", L, ST_NEEDS_MM},
    {"roughness.band_medium", ST_FAM_ROUGHNESS, "Medium-scale roughness (0.5–2 mm)", L, ST_NEEDS_MM},
    {"roughness.band_coarse", ST_FAM_ROUGHNESS, "Coarse-scale roughness (2–8 mm)", L, ST_NEEDS_MM},
    {"roughness.psd_slope", ST_FAM_ROUGHNESS, "Spectrum slope", N, 0},
    {"roughness.fractal_dim", ST_FAM_ROUGHNESS, "Fractal dimension", N, 0},
    {"pores.count", ST_FAM_PORES, "Pore count", L, 0},
    {"pores.density_cm2", ST_FAM_PORES, "Pore density", L, ST_NEEDS_MM},
    {"pores.mean_diameter_mm", ST_FAM_PORES, "Mean pore diameter", L, ST_NEEDS_MM},
    {"pores.area_fraction", ST_FAM_PORES, "Area covered by pores", L, 0},
    {"scars.count", ST_FAM_SCARS, "Scar count", L, 0},
    {"scars.area_mm2", ST_FAM_SCARS, "Scar area", L, ST_NEEDS_MM},
    {"scars.area_fraction", ST_FAM_SCARS, "Area covered by scars", L, 0},
    {"scars.mean_depth", ST_FAM_SCARS, "Mean scar depth", L, 0},
    {"scars.max_depth", ST_FAM_SCARS, "Deepest scar point", L, 0},
    {"scars.volume", ST_FAM_SCARS, "Scar volume", L, ST_NEEDS_MM | ST_NEEDS_HEIGHT},
    {"wrinkles.length_mm_cm2", ST_FAM_WRINKLES, "Line length per area", L, ST_NEEDS_MM},
    {"wrinkles.mean_width_mm", ST_FAM_WRINKLES, "Mean line width", L, ST_NEEDS_MM},
    {"wrinkles.depth_index", ST_FAM_WRINKLES, "Line depth index", L, 0},
    {"pigment.ita_deg", ST_FAM_PIGMENT, "Skin tone ITA°", N, ST_NEEDS_COLOUR},
    {"pigment.ita_sd", ST_FAM_PIGMENT, "Tone unevenness (ITA° SD)", L, ST_NEEDS_COLOUR},
    {"pigment.melanin_index", ST_FAM_PIGMENT, "Melanin index", N, ST_NEEDS_COLOUR},
    {"pigment.spot_area_fraction", ST_FAM_PIGMENT, "Area of brown spots", L, ST_NEEDS_COLOUR},
    {"redness.erythema_index", ST_FAM_REDNESS, "Erythema index", L, ST_NEEDS_COLOUR},
    {"redness.area_fraction", ST_FAM_REDNESS, "Red area", L, ST_NEEDS_COLOUR},
    {"texture.glcm.contrast", ST_FAM_TEXTURE, "GLCM contrast", N, 0},
    {"texture.glcm.dissimilarity", ST_FAM_TEXTURE, "GLCM dissimilarity", N, 0},
    {"texture.glcm.homogeneity", ST_FAM_TEXTURE, "GLCM homogeneity", N, 0},
    {"texture.glcm.asm", ST_FAM_TEXTURE, "GLCM angular second moment", N, 0},
    {"texture.glcm.entropy", ST_FAM_TEXTURE, "GLCM entropy", N, 0},
    {"texture.glcm.correlation", ST_FAM_TEXTURE, "GLCM correlation", N, 0},
    {"texture.lbp.entropy", ST_FAM_TEXTURE, "LBP entropy", N, 0},
    {"quality.sharpness", ST_FAM_QUALITY, "Sharpness", N, 0},
    {"quality.clipped_pct", ST_FAM_QUALITY, "Clipped pixels", N, 0},
    {"quality.exposure", ST_FAM_QUALITY, "Exposure (mean luminance)", N, 0},
};
#undef L
#undef N

const st_rp_metric_info *st_rp_catalog(size_t *count)
{
    *count = sizeof catalog / sizeof catalog[0];
    return catalog;
}

const st_rp_metric_info *st_rp_metric_info_find(const char *name)
{
    for (size_t i = 0; i < sizeof catalog / sizeof catalog[0]; i++)
        if (strcmp(catalog[i].name, name) == 0)
            return &catalog[i];
    return NULL;
}

st_rp_family st_rp_family_of(const char *name)
{
    const st_rp_metric_info *m = st_rp_metric_info_find(name);
    return m ? m->family : ST_FAM_OTHER;
}

int st_rp_better(const char *name)
{
    const st_rp_metric_info *m = st_rp_metric_info_find(name);
    return m ? m->better : 0;
}

const char *st_rp_family_title(st_rp_family f)
{
    static const char *const t[ST_FAM_COUNT] = {"Roughness", "Pores", "Scars", "Fine lines",
                                                "Pigmentation", "Redness", "Texture",
                                                "Photo quality", "Other"};
    return (unsigned)f < ST_FAM_COUNT ? t[f] : "Other";
}

/* The metric list of family f from a table indexed by family (families
 * without a list, and out-of-range values, get the empty list). */
static const char *const *family_list(const char *const *const *table, st_rp_family f)
{
    static const char *const none[] = {NULL};
    return (unsigned)f < ST_FAM_COUNT && table[f] ? table[f] : none;
}

const char *const *st_rp_family_primary(st_rp_family f)
{
    static const char *const r[] = {"roughness.sq", "roughness.sa", NULL};
    /* pore size first: what "pores look smaller" means, the remodeling
     * index's key, and followed pore by pore on height maps; how many pores
     * a session shows depends on how many are large enough to be found */
    static const char *const p[] = {"pores.mean_diameter_mm", "pores.density_cm2",
                                    "pores.area_fraction", "pores.count", NULL};
    /* scar volume first where there are heights: what a filler would fill,
     * the remodeling index's key; a mean depth over the part deeper than a
     * threshold falls more slowly than the scar, whose shallow rim leaves
     * the region as it fills (README, "How scars are measured") */
    static const char *const s[] = {"scars.volume", "scars.mean_depth", "scars.area_fraction",
                                    "scars.count", NULL};
    static const char *const w[] = {"wrinkles.length_mm_cm2", "wrinkles.depth_index", NULL};
    static const char *const g[] = {"pigment.spot_area_fraction", "pigment.ita_sd", NULL};
    static const char *const e[] = {"redness.erythema_index", "redness.area_fraction", NULL};
    static const char *const *const table[ST_FAM_COUNT] = {
        [ST_FAM_ROUGHNESS] = r, [ST_FAM_PORES] = p,   [ST_FAM_SCARS] = s,
        [ST_FAM_WRINKLES] = w,  [ST_FAM_PIGMENT] = g, [ST_FAM_REDNESS] = e};
    return family_list(table, f);
}

const char *const *st_rp_family_chart(st_rp_family f)
{
    static const char *const r[] = {"roughness.sq", "roughness.sa", "roughness.band_fine",
                                    "roughness.band_medium", NULL};
    static const char *const p[] = {"pores.mean_diameter_mm", "pores.density_cm2",
                                    "pores.area_fraction", NULL};
    static const char *const s[] = {"scars.mean_depth", "scars.max_depth", "scars.area_fraction",
                                    NULL};
    static const char *const w[] = {"wrinkles.length_mm_cm2", "wrinkles.mean_width_mm",
                                    "wrinkles.depth_index", NULL};
    static const char *const g[] = {"pigment.ita_sd", "pigment.spot_area_fraction", NULL};
    static const char *const e[] = {"redness.erythema_index", "redness.area_fraction", NULL};
    static const char *const *const table[ST_FAM_COUNT] = {
        [ST_FAM_ROUGHNESS] = r, [ST_FAM_PORES] = p,   [ST_FAM_SCARS] = s,
        [ST_FAM_WRINKLES] = w,  [ST_FAM_PIGMENT] = g, [ST_FAM_REDNESS] = e};
    return family_list(table, f);
}

const char *st_rp_tile_label(const char *name)
{
    if (strcmp(name, "scars.depth_volume") == 0)
        return "Scar depth × area";
    const st_rp_metric_info *m = st_rp_metric_info_find(name);
    return m ? m->label : name;
}

const char *st_rp_unit_text(const char *u)
{
    static const struct { const char *json, *text; } map[] = {
        {"rel", "rel. units"}, {"um", "µm"}, {"mm", "mm"}, {"mm2", "mm²"}, {"mm3", "mm³"},
        {"1/cm2", "per cm²"}, {"mm/cm2", "mm/cm²"}, {"%", "%"}, {"deg", "°"},
        {"bits", "bits"}, {"rel/mm", "rel. units/mm"}, {"px", "pixels"}, {"", "—"},
    };
    if (!u)
        return "—";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].json, u) == 0)
            return map[i].text;
    return u;
}

int st_rp_is_photo(const char *modality)
{
    return strcmp(modality, "photo") == 0 || modality[0] == '\0';
}

int st_rp_fits_modality(const st_rp_metric_info *m, const char *modality)
{
    return !(m && (m->needs & ST_NEEDS_HEIGHT) && st_rp_is_photo(modality));
}

const char *st_rp_missing_reason(const st_rp_metric_info *m, const char *modality,
                                 int calibrated)
{
    int photo = st_rp_is_photo(modality);
    if ((m->needs & ST_NEEDS_COLOUR) && !photo)
        return "height maps carry no colour";
    if ((m->needs & ST_NEEDS_HEIGHT) && photo)
        return "needs height data (3-D imaging); photographs give relative depth only";
    if ((m->needs & ST_NEEDS_MM) && !calibrated)
        return "needs the pixel size in mm; this series is uncalibrated";
    return "";
}

void st_rp_fmt_value(char *out, size_t n, double v)
{
    char tmp[64];
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(tmp, sizeof tmp, "—");
    else if (a != 0.0 && (a < 1e-3 || a >= 1e6))
        snprintf(tmp, sizeof tmp, "%.3e", v);
    else if (a >= 1000)
        snprintf(tmp, sizeof tmp, "%.0f", v);
    else
        snprintf(tmp, sizeof tmp, "%.4g", v);
    if (tmp[0] == '-')
        snprintf(out, n, "\xe2\x88\x92%s", tmp + 1);
    else
        snprintf(out, n, "%s", tmp);
}

void st_rp_fmt_pct(char *out, size_t n, double pct)
{
    if (!isfinite(pct))
        snprintf(out, n, "—");
    else if (pct < 0 && fabs(pct) >= 0.05)
        snprintf(out, n, "\xe2\x88\x92%.1f\xc2\xa0%%", fabs(pct));
    else
        snprintf(out, n, "+%.1f\xc2\xa0%%", fabs(pct) < 0.05 ? 0.0 : pct);
}
