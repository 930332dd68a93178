/* A skin: its parameters, relief tiles and feature lists. */
#include "skingen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void skingen_params_default(skingen_params *p, uint64_t seed, int width, int height,
                            double pixel_mm)
{
    memset(p, 0, sizeof *p);
    p->seed = seed;
    p->width = width;
    p->height = height;
    p->pixel_mm = pixel_mm;
    p->sq_um = 22.0;
    p->hurst = 0.7;
    p->anisotropy = 1.6;
    p->angle_deg = 20.0;
    p->furrow_mm = 0.9;
    p->furrow_weight = 0.65;
    p->fbm_max_mm = 6.0;
    p->ita_deg = 38.0;
    p->base_a = 11.0;
    p->base_b = 17.0;
    p->tone_sd_L = 1.6;
    p->pore_dL = 14.0;
    /* counts scale with the skin area: ~ 60 pores / cm² on a cheek */
    double area_cm2 = width * pixel_mm * height * pixel_mm / 100.0;
    p->n_pores = (int)lround(60.0 * area_cm2);
    p->n_scars = (int)lround(fmax(1.0, 0.4 * area_cm2));
    p->n_wrinkles = (int)lround(fmax(1.0, 0.12 * area_cm2));
    p->n_spots = (int)lround(fmax(1.0, 0.25 * area_cm2));
    p->n_redness = (int)lround(fmax(1.0, 0.06 * area_cm2));
    skingen_chromophore_default(&p->chromo); /* off: enabled = 0 */
}

static int check_params(const skingen_params *p, st_err *err)
{
    if (p->width < 8 || p->height < 8 || p->width > ST_MAX_DIMENSION || p->height > ST_MAX_DIMENSION)
        return st_err_set(err, ST_EINVAL, "skingen: bad frame size %dx%d", p->width, p->height);
    if (!(p->pixel_mm > 0))
        return st_err_set(err, ST_EINVAL, "skingen: pixel_mm must be > 0");
    if (!(p->hurst > 0 && p->hurst < 1))
        return st_err_set(err, ST_EINVAL, "skingen: Hurst exponent %g not in (0, 1)", p->hurst);
    if (!(p->anisotropy >= 1))
        return st_err_set(err, ST_EINVAL, "skingen: anisotropy %g < 1", p->anisotropy);
    if (!(p->sq_um >= 0) || !(p->furrow_weight >= 0 && p->furrow_weight <= 1))
        return st_err_set(err, ST_EINVAL, "skingen: bad relief amplitude or furrow weight");
    if (!(p->ita_deg > -80 && p->ita_deg < 80) || !(p->base_b > 0))
        return st_err_set(err, ST_EINVAL, "skingen: ITA %g° or b* %g out of range", p->ita_deg,
                          p->base_b);
    return ST_OK;
}

int skingen_skin_new(const skingen_params *p, skingen_skin **out, st_err *err)
{
    *out = NULL;
    int rc = check_params(p, err);
    if (rc)
        return rc;
    skingen_skin *skin = calloc(1, sizeof *skin);
    if (!skin)
        return st_err_set(err, ST_ENOMEM, "skingen: out of memory");
    skin->p = *p;
    /* ITA° = atan((L* - 50) / b*): the base tone's L* for the given b*. */
    skin->lab0[0] = 50.0 + p->base_b * tan(p->ita_deg * M_PI / 180.0);
    skin->lab0[1] = p->base_a;
    skin->lab0[2] = p->base_b;
    if (skin->lab0[0] > 95 || skin->lab0[0] < 5) {
        skingen_skin_free(skin);
        return st_err_set(err, ST_EINVAL, "skingen: ITA %g° with b* %g gives L* %.1f", p->ita_deg,
                          p->base_b, skin->lab0[0]);
    }
    if ((rc = sg_features_place(skin, err)) || (rc = sg_relief_build(skin, err)) ||
        (p->chromo.enabled && (rc = sg_chromo_setup(skin, err)))) {
        skingen_skin_free(skin);
        return rc;
    }
    *out = skin;
    return ST_OK;
}

void skingen_skin_free(skingen_skin *skin)
{
    if (!skin)
        return;
    free(skin->pores);
    free(skin->scars);
    free(skin->wrinkles);
    free(skin->spots);
    free(skin->redness);
    st_aligned_free(skin->relief);
    st_aligned_free(skin->tone);
    free(skin);
}

const skingen_params *skingen_skin_params(const skingen_skin *skin) { return &skin->p; }

#define SG_GETTER(type, name, field, count)                                \
    const type *name(const skingen_skin *skin, int *n)                     \
    {                                                                      \
        *n = skin->p.count;                                                \
        return skin->field;                                                \
    }
SG_GETTER(skingen_pore, skingen_skin_pores, pores, n_pores)
SG_GETTER(skingen_scar, skingen_skin_scars, scars, n_scars)
SG_GETTER(skingen_wrinkle, skingen_skin_wrinkles, wrinkles, n_wrinkles)
SG_GETTER(skingen_patch, skingen_skin_spots, spots, n_spots)
SG_GETTER(skingen_patch, skingen_skin_redness, redness, n_redness)

void skingen_state_baseline(skingen_state *s)
{
    s->relief = s->scar_depth = s->pore_size = s->wrinkle_depth = 1.0;
    s->spots = s->redness = 1.0;
    s->melanin = s->haemoglobin = 1.0;
    s->features = SKINGEN_F_ALL;
}
