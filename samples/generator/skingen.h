/* skingen — synthetic skin with exact ground truth.
 *
 * The skin is a continuous function of baseline pixel coordinates (u, v)
 * (pixel centres at integers, as SPEC.md's matrix convention):
 *   height(u, v) = relief (fBm + furrow network, a periodic FFT tile sampled
 *                  with Catmull-Rom) + pores + scars + wrinkles    [µm]
 *   albedo(u, v) = CIE L*a*b* from ITA° + tone field + brown spots + redness
 *                  + darker pores, converted to linear sRGB (D65)
 *                  or, with p.chromo.enabled, the chromophore model below
 * A session image is rendered by evaluating that function at M·(x, y, 1) for
 * every session pixel (x, y), M being the session→baseline matrix, so the
 * stated transform is exact: nothing is resampled from a rendered image.
 *
 * Randomness comes from a seeded xoshiro256** / splitmix64 (never rand());
 * per-pixel sensor noise is a counter-based hash of (seed, x, y), so the
 * bytes do not depend on the thread count.
 *
 * Coordinates: x right, y down, in pixels; lengths of features in mm;
 * depths in µm (positive = below the surrounding skin). Light directions are
 * unit vectors in the camera frame (x right, y down, z towards the camera).
 *
 * Typical use (a registration pair with a known matrix):
 *   skingen_params p;  skingen_params_default(&p, seed, 640, 480, 0.05);
 *   skingen_skin *skin;  skingen_skin_new(&p, &skin, &err);
 *   skingen_state s;  skingen_state_baseline(&s);
 *   skingen_camera c;  skingen_camera_default(&c, 640, 480, noise_seed);
 *   skingen_matrix_camera(c.matrix, 640, 480, dx, dy, rot_deg, scale, 0, 0);
 *   skingen_render_photo(skin, &s, &c, &img, &err);    // img: session view
 * Known pores/scars: set p.pores/p.n_pores (etc.) before skingen_skin_new;
 * s.features isolates families; skingen_truth_compute gives Sq/Sa/ITA and
 * the families' values in an ROI; c.lambert_exact = 1 renders photometric-
 * stereo images; p.chart adds a ColorChecker. skingen_series.h writes whole
 * series folders (images, series.json, truth.json). */
#ifndef SKINGEN_H
#define SKINGEN_H

#include <stddef.h>
#include <stdint.h>

#include "skintrack/skintrack.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKINGEN_VERSION "1.0"

typedef enum skingen_scar_kind {
    SKINGEN_ICEPICK = 0,  /* narrow, deep, conical */
    SKINGEN_BOXCAR = 1,   /* flat floor, steep walls */
    SKINGEN_ROLLING = 2   /* wide, shallow, smooth */
} skingen_scar_kind;

typedef struct skingen_pore {
    double x, y;       /* centre, baseline px */
    double d_mm;       /* opening: where the pit (and its dark blob) ends */
    double depth_um;   /* depth at the centre */
} skingen_pore;

/* A pore's profile (1 - rho^2)^2, rho = 2 r / d_mm, falls to half its
 * centre's depth and darkening at rho = sqrt(1 - 1/sqrt 2). SPEC.md's
 * pore diameter (the equal-area circle of the half-contrast region; on
 * height maps the opening at half depth) is that fraction of d_mm: the
 * truth reports it (truth.json's pore rows and pores.mean_diameter_mm). */
#define SKINGEN_PORE_HALF_RATIO 0.54119610014619701
static inline double skingen_pore_spec_d_mm(const skingen_pore *p)
{
    return SKINGEN_PORE_HALF_RATIO * p->d_mm;
}

typedef struct skingen_scar {
    skingen_scar_kind kind;
    double x, y;       /* centre, baseline px */
    double d_mm;       /* major diameter of the footprint */
    double aspect;     /* minor / major diameter, (0, 1] */
    double angle_deg;  /* direction of the major axis, from +x towards +y */
    double depth_um;   /* maximum depth (at the centre) */
} skingen_scar;

typedef struct skingen_wrinkle {
    double x0, y0, x1, y1;  /* end points, baseline px */
    double width_mm;        /* full width at half depth */
    double depth_um;        /* depth along the middle part (ends taper) */
} skingen_wrinkle;

/* A soft round patch of colour: brown spot (dL < 0, db > 0) or redness (da > 0). */
typedef struct skingen_patch {
    double x, y;       /* centre, baseline px */
    double r_mm;       /* radius at half strength */
    double dL, da, db; /* change of L*, a*, b* at the centre */
} skingen_patch;

/* ColorChecker Classic taped on the skin, axis-aligned in baseline pixels. */
typedef struct skingen_chart {
    int enabled;
    double x, y;       /* top-left corner of the card, baseline px */
    double patch_mm;   /* side of a patch (gaps are patch_mm / 6) */
} skingen_chart;

/* The chromophore skin model (opt-in: enabled = 0 keeps the L*a*b* albedo
 * above, and every byte of the series made with it). The albedo comes from
 * two densities per pixel through a spectral two-layer model, 400-700 nm in
 * 10 nm steps (chromophore.c has every equation and source):
 *   R(λ) = exp(-2 d_epi [f_mel μa_mel(λ) + (1 - f_mel) μa_base(λ)]) · R_derm(λ)
 *   R_derm = diffusion-theory reflectance of a semi-infinite dermis with
 *            μa = f_blood [S μa_HbO2 + (1 - S) μa_Hb] + (1 - f_blood) μa_base
 *            and μs' = 46 (λ/500 nm)^-1.421 cm⁻¹ (Groenhuis et al. 1983)
 *   μa_mel = 6.6e11 λ^-3.33 cm⁻¹ (Jacques 1998); haemoglobin: Prahl's table
 *   RGB = linear sRGB of ∫ R(λ) D65(λ) x̄ȳz̄(λ) dλ (CIE 1931 2°), white = 1
 * Fields (baseline coordinates; state = skingen_state of the session):
 *   f_mel   = mel0 · state.melanin · [exp(melanin_sd · tone) +
 *             state.spots · spot_melanin · Σ |dL_k| · spot_k]
 *   f_blood = blood · state.haemoglobin · [1 + state.redness · redness_blood ·
 *             Σ da_k · patch_k]
 * with mel0 = `melanin`, or (melanin <= 0) the fraction whose base tone has
 * the ITA° p.ita_deg; spots and redness patches are p.spots / p.redness
 * (their dL and da only scale the densities); pores, scars and wrinkles
 * darken or lighten the reflectance by a grey factor (no change of hue).
 * It is deliberately not the 3-vector log-RGB (Tsumura 2003) model that an
 * analyser fits. */
typedef struct skingen_chromophore {
    int enabled;
    double melanin;        /* epidermal melanosome volume fraction; <= 0: from ita_deg */
    double blood;          /* dermal blood volume fraction (0.01) */
    double oxygenation;    /* SO2 of dermal blood (0.75) */
    double epidermis_mm;   /* epidermal thickness (0.06) */
    double melanin_sd;     /* SD of the log-melanin unevenness (0.12) */
    double spot_melanin;   /* melanin added at a spot's centre per unit |dL|, × mel0 (0.15) */
    double redness_blood;  /* blood added at a redness centre per unit da, × blood (0.12) */
} skingen_chromophore;

/* Defaults as in the comments (enabled = 0). */
void skingen_chromophore_default(skingen_chromophore *c);
/* Linear sRGB (D65, white = 1) of skin with these fractions (no features). */
void skingen_chromophore_linear(const skingen_chromophore *c, double melanin, double blood,
                                double rgb[3]);

/* Everything that defines one patient's skin. Feature lists may be given
 * (pointer + count); a NULL list with a count > 0 is placed at random from
 * the seed by skingen_skin_new. */
typedef struct skingen_params {
    uint64_t seed;
    int width, height;       /* baseline frame, px */
    double pixel_mm;         /* baseline pixel size */
    /* micro-relief */
    double sq_um;            /* RMS of the relief tile (fBm + furrows), µm */
    double hurst;            /* fBm Hurst exponent H in (0, 1): PSD ∝ k^-(2H+2) */
    double anisotropy;       /* >= 1: wavelengths along angle_deg are this much longer */
    double angle_deg;        /* main direction of the furrows / lines of tension */
    double furrow_mm;        /* mean spacing of the furrow network (0: no furrows) */
    double furrow_weight;    /* share of the furrows in the relief RMS, [0, 1] */
    double fbm_max_mm;       /* longest fBm wavelength (roll-off above) */
    /* colour */
    double ita_deg;          /* base skin tone (ITA°); b* and a* below */
    double base_a, base_b;   /* a*, b* of the base tone */
    double tone_sd_L;        /* SD of the low-frequency tone unevenness in L* */
    /* features: explicit lists or random counts */
    const skingen_pore *pores; int n_pores;
    const skingen_scar *scars; int n_scars;
    const skingen_wrinkle *wrinkles; int n_wrinkles;
    const skingen_patch *spots; int n_spots;        /* brown spots */
    const skingen_patch *redness; int n_redness;    /* redness patches */
    double pore_dL;          /* L* drop at a pore centre (darker albedo), > 0 */
    skingen_chart chart;
    skingen_chromophore chromo;  /* opt-in spectral albedo (default off) */
} skingen_params;

/* Sensible cheek-like defaults for a w x h frame at pixel_mm, from seed. */
void skingen_params_default(skingen_params *p, uint64_t seed, int width, int height,
                            double pixel_mm);

typedef struct skingen_skin skingen_skin;  /* opaque: relief tiles + feature lists */

int skingen_skin_new(const skingen_params *p, skingen_skin **out, st_err *err);
void skingen_skin_free(skingen_skin *skin);

/* The skin's own feature lists (after random placement), for truth and tests. */
const skingen_params *skingen_skin_params(const skingen_skin *skin);
const skingen_pore *skingen_skin_pores(const skingen_skin *skin, int *n);
const skingen_scar *skingen_skin_scars(const skingen_skin *skin, int *n);
const skingen_wrinkle *skingen_skin_wrinkles(const skingen_skin *skin, int *n);
const skingen_patch *skingen_skin_spots(const skingen_skin *skin, int *n);
const skingen_patch *skingen_skin_redness(const skingen_skin *skin, int *n);
/* Base melanin fraction of the chromophore model (0 when it is off). */
double skingen_skin_melanin(const skingen_skin *skin);

/* The skin at one session: multipliers of the baseline (1 = unchanged).
 * Remodelling: scars shallower (scar_depth < 1), pores smaller, relief
 * smoother, redness transient, spots fading. */
typedef struct skingen_state {
    double relief;       /* relief amplitude */
    double scar_depth;   /* scar depth (footprint unchanged) */
    double pore_size;    /* pore diameter; pore depth scales with it too */
    double wrinkle_depth;
    double spots;        /* brown-spot strength */
    double redness;      /* redness strength */
    double melanin;      /* chromophore model: all melanin (pigment lightening < 1) */
    double haemoglobin;  /* chromophore model: all dermal blood (redness) */
    unsigned features;   /* SKINGEN_F_* bits to draw (tests isolate a family) */
} skingen_state;

#define SKINGEN_F_RELIEF 1u
#define SKINGEN_F_PORES 2u
#define SKINGEN_F_SCARS 4u
#define SKINGEN_F_WRINKLES 8u
#define SKINGEN_F_COLOUR 16u  /* tone unevenness, spots, redness */
#define SKINGEN_F_CHART 32u
#define SKINGEN_F_ALL 63u

void skingen_state_baseline(skingen_state *s);

/* The camera of one session. */
typedef struct skingen_camera {
    int width, height;      /* session image size, px */
    double matrix[9];       /* session px -> baseline px, row-major (SPEC.md) */
    double light[3];        /* direction towards the light, camera frame */
    double ambient;         /* share of diffuse ambient light, [0, 1) */
    int lambert_exact;      /* 1: I = albedo·max(0, n·l), no ambient, no
                               vignetting/gradient (photometric stereo) */
    double exposure;        /* linear gain */
    double wb[3];           /* white-balance gains R, G, B (colour cast) */
    double vignetting;      /* relative fall-off at the corners, [0, 1) */
    double gradient[2];     /* illumination slope across the frame (x, y) */
    double noise;           /* read-noise SD, linear units */
    double shot_noise;      /* shot-noise SD at value 1, linear units */
    double blur_px;         /* Gaussian optical blur SD, session px (0: none) */
    uint64_t noise_seed;
    int threads;            /* render threads (<= 0: all cores); the bytes
                               are the same for every value */
} skingen_camera;

/* Identity matrix, light from above-left at 45°, neutral gains, mild
 * vignetting and noise. */
void skingen_camera_default(skingen_camera *c, int width, int height, uint64_t noise_seed);

/* M = T(c + t) · S(scale) · R(rot) · P(persp) · T(-c): a camera move about the
 * frame centre c = ((w-1)/2, (h-1)/2), written as session -> baseline. */
void skingen_matrix_camera(double m[9], int width, int height, double dx_px, double dy_px,
                           double rot_deg, double scale, double persp_x, double persp_y);
/* (x, y) -> M·(x, y, 1), divided by the third coordinate. */
void skingen_map(const double m[9], double x, double y, double *ox, double *oy);
/* Inverse of a 3x3 matrix, normalised so inv[8] = 1; -1 if singular. */
int skingen_matrix_invert(const double m[9], double inv[9]);

/* Height map (µm) of the skin in state s seen by camera c: 1 channel,
 * unit ST_UNIT_UM, pixel_mm of the session image. */
int skingen_render_height(const skingen_skin *skin, const skingen_state *s,
                          const skingen_camera *c, st_image **out, st_err *err);
/* Albedo as sRGB-encoded values in [0, 1] (3 channels), no light. */
int skingen_render_albedo(const skingen_skin *skin, const skingen_state *s,
                          const skingen_camera *c, st_image **out, st_err *err);
/* The photo: albedo × Lambertian shading × light field × exposure × white
 * balance + noise, sRGB-encoded in [0, 1] (3 channels). */
int skingen_render_photo(const skingen_skin *skin, const skingen_state *s,
                         const skingen_camera *c, st_image **out, st_err *err);
/* A photo of something else (a desk and a wall), for QC tests. */
int skingen_render_other(uint64_t seed, const skingen_camera *c, st_image **out, st_err *err);
/* Separable Gaussian blur of every channel in place (sigma in px). */
int skingen_blur(st_image *img, double sigma, st_err *err);

/* ---- ground truth ------------------------------------------------------------ */

/* Geometry of a scar from its profile: footprint area, area deeper than
 * 30 µm (SPEC.md's detection floor), volume, area-weighted mean depth. */
typedef struct skingen_scar_truth {
    double area_mm2, area30_mm2, volume_mm3, mean_depth_um, max_depth_um;
} skingen_scar_truth;
void skingen_scar_geometry(const skingen_scar *scar, double depth_scale, skingen_scar_truth *t);

/* Truth of one session state inside an ROI of baseline pixels: surface
 * statistics of the height field sampled on the baseline grid (least-squares
 * plane removed, ISO 25178-2 §4.1.1/§4.1.2), and colour of the albedo. */
typedef struct skingen_truth {
    double sq_um, sa_um;          /* the whole rendered height field */
    double relief_sq_um;          /* relief only (fBm + furrows) */
    double ita_deg;               /* base tone, from the parameters */
    double ita_mean_deg, ita_sd_deg;  /* per-pixel ITA° of the albedo in the ROI */
    int pores_in_roi;
    double pore_mean_d_mm;        /* SPEC's diameter (skingen_pore_spec_d_mm), over
                                   * pores whose centre is in the ROI */
    int scars_in_roi;
    double scar_max_depth_um, scar_mean_depth_um, scar_area_mm2, scar_volume_mm3;
    int wrinkles_in_roi;
    double wrinkle_mean_depth_um, wrinkle_length_mm;
    double redness_strength;      /* Σ da·area over redness patches in the ROI */
    double spot_strength;         /* Σ |dL|·area over brown spots in the ROI */
    /* chromophore model only: means over the ROI of the per-pixel values of
     * the albedo (linear sRGB, no light): EI = 100 log10(R/G), MI = 100
     * log10(1/R), L*a*b* (D65); ita_mean_deg/ita_sd_deg come from it too */
    int has_colour;
    double erythema_index, melanin_index, lab_mean[3];
} skingen_truth;

/* roi = x, y, w, h in baseline px (NULL: whole baseline frame). */
int skingen_truth_compute(const skingen_skin *skin, const skingen_state *s, const int roi[4],
                          skingen_truth *t, st_err *err);

/* ISO 25178 Sq and Sa of a 1-channel image inside roi, least-squares plane
 * removed (the reference the truth uses; tests call it on rendered maps). */
int skingen_sq_sa(const st_image *img, const int roi[4], double *sq, double *sa, st_err *err);

/* ColorChecker Classic 24 patches, sRGB 8-bit as X-Rite publishes them
 * (#735244 "dark skin" ... #343434 "black"), row-major. */
extern const unsigned char skingen_checker_srgb[24][3];
extern const char *const skingen_checker_names[24];
/* Centre of patch i (0..23) in baseline px. */
void skingen_chart_patch_centre(const skingen_chart *chart, double pixel_mm, int i, double *x,
                                double *y);
/* Card size in baseline px. */
void skingen_chart_size(const skingen_chart *chart, double pixel_mm, double *w, double *h);

/* CIE L*a*b* (D65) of sRGB-encoded values in [0, 1], and the ITA° of it. */
void skingen_srgb_to_lab(const double rgb[3], double lab[3]);
void skingen_lab_to_linear(const double lab[3], double lin[3]);
double skingen_ita_deg(double L, double b);

#ifdef __cplusplus
}
#endif
#endif
