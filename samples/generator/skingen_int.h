/* Internals shared by the generator's files (not part of skingen.h). */
#ifndef SKINGEN_INT_H
#define SKINGEN_INT_H

#include "skingen.h"
#include "rng.h"

/* RNG streams of one seed. */
enum { SG_STREAM_FBM = 1, SG_STREAM_FURROW, SG_STREAM_TONE, SG_STREAM_PORES, SG_STREAM_SCARS,
       SG_STREAM_WRINKLES, SG_STREAM_SPOTS, SG_STREAM_REDNESS };

/* The spectral chromophore model, tabulated for one skingen_chromophore
 * (chromophore.c): per wavelength 400, 410, ..., 700 nm. */
#define SG_NLAMBDA 31
typedef struct sg_chromo_model {
    double w[3][SG_NLAMBDA];      /* D65 x CMF -> linear sRGB weights, rows sum to 1 */
    double mel_d[SG_NLAMBDA];     /* d_epi · μa_mel */
    double base_d[SG_NLAMBDA];    /* d_epi · μa_base */
    double mua_blood[SG_NLAMBDA]; /* μa of whole blood at the given SO2, cm⁻¹ */
    double mua_base[SG_NLAMBDA];  /* μa of bloodless dermis, cm⁻¹ */
    double mus[SG_NLAMBDA];       /* reduced scattering μs' of the dermis, cm⁻¹ */
    double A;                     /* internal reflection parameter (1 + r_id)/(1 - r_id) */
} sg_chromo_model;

struct skingen_skin {
    skingen_params p;          /* list pointers point at the owned arrays below */
    skingen_pore *pores;
    skingen_scar *scars;
    skingen_wrinkle *wrinkles;
    skingen_patch *spots, *redness;
    int tw, th;                /* periodic tiles, spaced pixel_mm */
    float *relief;             /* µm, RMS = sq_um */
    float *tone;               /* unit RMS, wavelengths of several mm */
    double lab0[3];            /* base tone */
    sg_chromo_model chromo;    /* chromophore model (p.chromo.enabled) */
    double mel0;               /* base melanin fraction (chromophore model) */
};

/* relief.c */
int sg_relief_build(skingen_skin *skin, st_err *err);
/* Catmull-Rom sample of a periodic tile at real coordinates. */
float sg_tile_sample(const float *tile, int tw, int th, double u, double v);

/* features.c */
int sg_features_place(skingen_skin *skin, st_err *err);
double sg_pore_profile(double rho);
double sg_scar_profile(skingen_scar_kind kind, double rho);
/* Adds gain·f(u, v) to every session pixel whose baseline point (u, v) lies in
 * the baseline box [x0, x1] x [y0, y1]; f returns 0 outside its support. */
typedef double (*sg_eval_fn)(const void *feature, double u, double v, double pixel_mm);
void sg_splat(float *plane, size_t stride, const skingen_camera *c, const double minv[9],
              const double box[4], sg_eval_fn fn, const void *feature, double pixel_mm,
              double gain);
double sg_eval_pore(const void *f, double u, double v, double pixel_mm);
double sg_eval_scar(const void *f, double u, double v, double pixel_mm);
double sg_eval_wrinkle(const void *f, double u, double v, double pixel_mm);
double sg_eval_patch(const void *f, double u, double v, double pixel_mm);
double sg_eval_spot(const void *f, double u, double v, double pixel_mm);
void sg_pore_box(const skingen_pore *p, double scale, double pixel_mm, double box[4]);
void sg_scar_box(const skingen_scar *s, double pixel_mm, double box[4]);
void sg_wrinkle_box(const skingen_wrinkle *w, double pixel_mm, double box[4]);
void sg_patch_box(const skingen_patch *p, double pixel_mm, double box[4]);

/* render.c helpers used by truth.c */
int sg_render_lab(const skingen_skin *skin, const skingen_state *s, const skingen_camera *c,
                  st_image **lab, st_err *err);
/* Linear-light albedo (3 planes) with the chart painted on. */
int sg_render_linear_albedo(const skingen_skin *skin, const skingen_state *s,
                            const skingen_camera *c, st_image **out, st_err *err);
/* A camera that looks at the baseline frame's box roi (identity up to a shift). */
void sg_camera_roi(skingen_camera *c, const int roi[4]);

/* Camera checks and the session pixel size (render.c). */
int sg_check_camera(const skingen_camera *c, double minv[9], st_err *err);
double sg_session_pixel_mm(const skingen_skin *skin, const skingen_camera *c);

/* colour.c */
double sg_srgb_encode(double lin);
double sg_srgb_decode(double v);
void sg_linear_to_lab(const double lin[3], double lab[3]);

/* chromophore.c */
void sg_chromo_model_init(sg_chromo_model *m, const skingen_chromophore *c);
/* Reflectance at wavelength index i (400 + 10 i nm). */
double sg_chromo_spectrum(const sg_chromo_model *m, double f_mel, double f_blood, int i);
/* Linear sRGB (D65) of the skin with those fractions. */
void sg_chromo_rgb(const sg_chromo_model *m, double f_mel, double f_blood, double rgb[3]);
/* Tabulates the model and solves the base melanin for the skin tone. */
int sg_chromo_setup(skingen_skin *skin, st_err *err);
/* chromo_render.c: linear albedo (3 planes, no chart) of the chromophore model. */
int sg_render_chromo(const skingen_skin *skin, const skingen_state *s, const skingen_camera *c,
                     st_image **out, st_err *err);

#endif
