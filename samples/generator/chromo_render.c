/* The chromophore model's fields on a session grid (see chromophore.c for
 * the optics): every pixel gets
 *   f_mel   = mel0 · melanin · [exp(melanin_sd · tone(u, v))
 *                               + spots · spot_melanin · Σ |dL_k| · spot_k(u, v)]
 *   f_blood = blood · haemoglobin · [1 + redness · redness_blood · Σ da_k · patch_k(u, v)]
 * (melanin, haemoglobin, spots, redness: the session's skingen_state), and
 * the relief features' marks (darker pores and wrinkles, pale scar floors,
 * cavity darkening) as a grey factor on the reflectance, so they change its
 * lightness but not its hue. */
#include "skingen_int.h"

#include <math.h>

#include "core/parallel.h"

typedef struct chromo_ctx {
    const skingen_skin *skin;
    const skingen_state *s;
    const skingen_camera *c;
    st_image *img; /* planes: melanin rel., blood rel., ΔL* -> linear R, G, B */
} chromo_ctx;

static void field_rows(void *vctx, int y0, int y1)
{
    const chromo_ctx *f = vctx;
    const skingen_skin *skin = f->skin;
    int colour = (f->s->features & SKINGEN_F_COLOUR) != 0;
    double sd = colour ? skin->p.chromo.melanin_sd : 0.0;
    unsigned both = SKINGEN_F_COLOUR | SKINGEN_F_RELIEF;
    double cavity = (f->s->features & both) == both ? 0.03 * f->s->relief : 0.0;
    for (int y = y0; y < y1; y++) {
        float *M = st_image_row(f->img, 0, y), *B = st_image_row(f->img, 1, y),
              *D = st_image_row(f->img, 2, y);
        for (int x = 0; x < f->c->width; x++) {
            double t = 0, dl = 0;
            if (colour) {
                double u, v;
                skingen_map(f->c->matrix, x, y, &u, &v);
                t = sg_tile_sample(skin->tone, skin->tw, skin->th, u, v);
                if (cavity > 0)
                    dl = cavity * sg_tile_sample(skin->relief, skin->tw, skin->th, u, v);
            }
            M[x] = (float)exp(sd * t);
            B[x] = 1.0f;
            D[x] = (float)dl;
        }
    }
}

static void splat_marks(const skingen_skin *skin, const skingen_state *s, const skingen_camera *c,
                        const double minv[9], st_image *img)
{
    const skingen_params *p = &skin->p;
    double px = p->pixel_mm, box[4];
    float *M = st_image_row(img, 0, 0), *B = st_image_row(img, 1, 0), *D = st_image_row(img, 2, 0);
    if (s->features & SKINGEN_F_COLOUR) {
        for (int i = 0; i < p->n_spots; i++) {
            sg_patch_box(&skin->spots[i], px, box);
            sg_splat(M, img->stride, c, minv, box, sg_eval_spot, &skin->spots[i], px,
                     s->spots * p->chromo.spot_melanin * fabs(skin->spots[i].dL));
        }
        for (int i = 0; i < p->n_redness; i++) {
            sg_patch_box(&skin->redness[i], px, box);
            sg_splat(B, img->stride, c, minv, box, sg_eval_patch, &skin->redness[i], px,
                     s->redness * p->chromo.redness_blood * skin->redness[i].da);
        }
    }
    if (s->features & SKINGEN_F_PORES)
        for (int i = 0; i < p->n_pores; i++) {
            skingen_pore q = skin->pores[i];
            q.d_mm *= s->pore_size;
            sg_pore_box(&q, 1.0, px, box);
            sg_splat(D, img->stride, c, minv, box, sg_eval_pore, &q, px, -p->pore_dL);
        }
    if (s->features & SKINGEN_F_SCARS)
        for (int i = 0; i < p->n_scars; i++) {
            sg_scar_box(&skin->scars[i], px, box);
            sg_splat(D, img->stride, c, minv, box, sg_eval_scar, &skin->scars[i], px,
                     2.5 * s->scar_depth);
        }
    if (s->features & SKINGEN_F_WRINKLES)
        for (int i = 0; i < p->n_wrinkles; i++) {
            sg_wrinkle_box(&skin->wrinkles[i], px, box);
            sg_splat(D, img->stride, c, minv, box, sg_eval_wrinkle, &skin->wrinkles[i], px,
                     -3.0 * s->wrinkle_depth);
        }
}

static void reflect_rows(void *vctx, int y0, int y1)
{
    const chromo_ctx *f = vctx;
    const skingen_skin *skin = f->skin;
    double mel = skin->mel0 * f->s->melanin, blood = skin->p.chromo.blood * f->s->haemoglobin;
    double l0 = skin->lab0[0] + 16.0; /* a lightness change ΔL* as a factor on Y */
    for (int y = y0; y < y1; y++) {
        float *P[3] = {st_image_row(f->img, 0, y), st_image_row(f->img, 1, y),
                       st_image_row(f->img, 2, y)};
        for (int x = 0; x < f->img->width; x++) {
            double rgb[3], g = (l0 + P[2][x]) / l0;
            g = g > 0 ? g * g * g : 0.0;
            sg_chromo_rgb(&skin->chromo, mel * P[0][x], blood * P[1][x], rgb);
            for (int k = 0; k < 3; k++)
                P[k][x] = (float)(g * rgb[k]);
        }
    }
}

int sg_render_chromo(const skingen_skin *skin, const skingen_state *s, const skingen_camera *c,
                     st_image **out, st_err *err)
{
    double minv[9];
    int rc = sg_check_camera(c, minv, err);
    if (rc || (rc = st_image_new(c->width, c->height, 3, out, err)))
        return rc;
    chromo_ctx f = {skin, s, c, *out};
    st_parallel_for(c->threads, c->height, 16, field_rows, &f);
    splat_marks(skin, s, c, minv, *out);
    st_parallel_for(c->threads, c->height, 16, reflect_rows, &f);
    (*out)->pixel_mm = sg_session_pixel_mm(skin, c);
    return ST_OK;
}
