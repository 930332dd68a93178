/* Rendering a session: every session pixel (x, y) is mapped to the baseline
 * point M·(x, y, 1) and the skin is evaluated there, so the session→baseline
 * matrix in the truth is exact by construction. */
#include "skingen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/parallel.h"

typedef struct field_ctx {
    const skingen_skin *skin;
    const skingen_state *s;
    const skingen_camera *c;
    st_image *img;
} field_ctx;

int sg_check_camera(const skingen_camera *c, double minv[9], st_err *err)
{
    if (c->width < 1 || c->height < 1 || c->width > ST_MAX_DIMENSION || c->height > ST_MAX_DIMENSION)
        return st_err_set(err, ST_EINVAL, "skingen: bad session size %dx%d", c->width, c->height);
    if (skingen_matrix_invert(c->matrix, minv))
        return st_err_set(err, ST_EINVAL, "skingen: singular camera matrix");
    return ST_OK;
}

/* Session pixel size: the baseline pixel times the matrix's local scale. */
double sg_session_pixel_mm(const skingen_skin *skin, const skingen_camera *c)
{
    double cx = 0.5 * (c->width - 1), cy = 0.5 * (c->height - 1), x0, y0, x1, y1, x2, y2;
    skingen_map(c->matrix, cx, cy, &x0, &y0);
    skingen_map(c->matrix, cx + 1, cy, &x1, &y1);
    skingen_map(c->matrix, cx, cy + 1, &x2, &y2);
    double det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    return skin->p.pixel_mm * sqrt(fabs(det));
}

static void relief_rows(void *vctx, int y0, int y1)
{
    const field_ctx *f = vctx;
    const skingen_skin *skin = f->skin;
    double gain = f->s->relief;
    for (int y = y0; y < y1; y++) {
        float *row = st_image_row(f->img, 0, y);
        for (int x = 0; x < f->c->width; x++) {
            double u, v;
            skingen_map(f->c->matrix, x, y, &u, &v);
            row[x] = (float)(gain * sg_tile_sample(skin->relief, skin->tw, skin->th, u, v));
        }
    }
}

/* Calls fn(ctx, x, y) for every session pixel that sees the chart card. */
static void for_chart_pixels(const skingen_skin *skin, const skingen_camera *c,
                             const double minv[9],
                             void (*fn)(void *ctx, int x, int y, double u, double v), void *ctx)
{
    const skingen_chart *ch = &skin->p.chart;
    double cw, chh;
    skingen_chart_size(ch, skin->p.pixel_mm, &cw, &chh);
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int k = 0; k < 4; k++) {
        double x, y;
        skingen_map(minv, ch->x + (k & 1 ? cw : 0), ch->y + (k & 2 ? chh : 0), &x, &y);
        x0 = fmin(x0, x), y0 = fmin(y0, y), x1 = fmax(x1, x), y1 = fmax(y1, y);
    }
    int ix0 = (int)fmax(0, floor(x0)), iy0 = (int)fmax(0, floor(y0));
    int ix1 = (int)fmin(c->width - 1, ceil(x1)), iy1 = (int)fmin(c->height - 1, ceil(y1));
    for (int y = iy0; y <= iy1; y++)
        for (int x = ix0; x <= ix1; x++) {
            double u, v;
            skingen_map(c->matrix, x, y, &u, &v);
            if (u >= ch->x && u < ch->x + cw && v >= ch->y && v < ch->y + chh)
                fn(ctx, x, y, u, v);
        }
}

static void chart_flatten(void *ctx, int x, int y, double u, double v)
{
    st_image *img = ctx;
    st_image_row(img, 0, y)[x] = 0.0f;
}

int skingen_render_height(const skingen_skin *skin, const skingen_state *s,
                          const skingen_camera *c, st_image **out, st_err *err)
{
    double minv[9];
    int rc = sg_check_camera(c, minv, err);
    if (rc || (rc = st_image_new(c->width, c->height, 1, out, err)))
        return rc;
    st_image *img = *out;
    const skingen_params *p = &skin->p;
    double px = p->pixel_mm, box[4];
    if (s->features & SKINGEN_F_RELIEF) {
        field_ctx f = {skin, s, c, img};
        st_parallel_for(c->threads, c->height, 16, relief_rows, &f);
    }
    if (s->features & SKINGEN_F_PORES)
        for (int i = 0; i < p->n_pores; i++) {
            skingen_pore q = skin->pores[i];
            q.d_mm *= s->pore_size;
            sg_pore_box(&q, 1.0, px, box);
            sg_splat(img->data, img->stride, c, minv, box, sg_eval_pore, &q, px,
                     -q.depth_um * s->pore_size);
        }
    if (s->features & SKINGEN_F_SCARS)
        for (int i = 0; i < p->n_scars; i++) {
            sg_scar_box(&skin->scars[i], px, box);
            sg_splat(img->data, img->stride, c, minv, box, sg_eval_scar, &skin->scars[i], px,
                     -skin->scars[i].depth_um * s->scar_depth);
        }
    if (s->features & SKINGEN_F_WRINKLES)
        for (int i = 0; i < p->n_wrinkles; i++) {
            sg_wrinkle_box(&skin->wrinkles[i], px, box);
            sg_splat(img->data, img->stride, c, minv, box, sg_eval_wrinkle, &skin->wrinkles[i],
                     px, -skin->wrinkles[i].depth_um * s->wrinkle_depth);
        }
    if ((s->features & SKINGEN_F_CHART) && p->chart.enabled)
        for_chart_pixels(skin, c, minv, chart_flatten, img);
    img->unit = ST_UNIT_UM;
    img->pixel_mm = sg_session_pixel_mm(skin, c);
    return ST_OK;
}

/* Base tone + low-frequency unevenness (more melanin: darker and yellower)
 * + cavity darkening: furrows hold shadow and debris, so the albedo is a
 * little darker where the relief is low (0.03 L* per µm). */
static void tone_rows(void *vctx, int y0, int y1)
{
    const field_ctx *f = vctx;
    const skingen_skin *skin = f->skin;
    double sd = (f->s->features & SKINGEN_F_COLOUR) ? skin->p.tone_sd_L : 0.0;
    unsigned both = SKINGEN_F_COLOUR | SKINGEN_F_RELIEF;
    double cavity = (f->s->features & both) == both ? 0.03 * f->s->relief : 0.0;
    for (int y = y0; y < y1; y++) {
        float *L = st_image_row(f->img, 0, y), *A = st_image_row(f->img, 1, y),
              *B = st_image_row(f->img, 2, y);
        for (int x = 0; x < f->c->width; x++) {
            double t = 0, dl = 0;
            if (sd > 0) {
                double u, v;
                skingen_map(f->c->matrix, x, y, &u, &v);
                t = sd * sg_tile_sample(skin->tone, skin->tw, skin->th, u, v);
                if (cavity > 0)
                    dl = cavity * sg_tile_sample(skin->relief, skin->tw, skin->th, u, v);
            }
            L[x] = (float)(skin->lab0[0] + t + dl);
            A[x] = (float)(skin->lab0[1] - 0.1 * t);
            B[x] = (float)(skin->lab0[2] - 0.4 * t);
        }
    }
}

static void splat_patch_lab(st_image *lab, const skingen_camera *c, const double minv[9],
                            const skingen_patch *q, double px, double gain, sg_eval_fn fn)
{
    double box[4];
    sg_patch_box(q, px, box);
    const double d[3] = {q->dL, q->da, q->db};
    for (int k = 0; k < 3; k++)
        sg_splat(st_image_row(lab, k, 0), lab->stride, c, minv, box, fn, q, px,
                 gain * d[k]);
}

/* Features' marks on the colour: darker pores, pale scar floors, faint
 * shadows of wrinkles, brown spots and redness. */
static void splat_features_lab(const skingen_skin *skin, const skingen_state *s,
                               const skingen_camera *c, const double minv[9], st_image *lab)
{
    const skingen_params *p = &skin->p;
    double px = p->pixel_mm, box[4];
    float *L = lab->data, *A = st_image_row(lab, 1, 0);
    if (s->features & SKINGEN_F_COLOUR) {
        for (int i = 0; i < p->n_spots; i++)
            splat_patch_lab(lab, c, minv, &skin->spots[i], px, s->spots, sg_eval_spot);
        for (int i = 0; i < p->n_redness; i++)
            splat_patch_lab(lab, c, minv, &skin->redness[i], px, s->redness, sg_eval_patch);
    }
    if (s->features & SKINGEN_F_PORES)
        for (int i = 0; i < p->n_pores; i++) {
            skingen_pore q = skin->pores[i];
            q.d_mm *= s->pore_size;
            sg_pore_box(&q, 1.0, px, box);
            sg_splat(L, lab->stride, c, minv, box, sg_eval_pore, &q, px, -p->pore_dL);
            sg_splat(A, lab->stride, c, minv, box, sg_eval_pore, &q, px, 2.0);
        }
    if (s->features & SKINGEN_F_SCARS)
        for (int i = 0; i < p->n_scars; i++) {
            sg_scar_box(&skin->scars[i], px, box);
            sg_splat(L, lab->stride, c, minv, box, sg_eval_scar, &skin->scars[i], px,
                     2.5 * s->scar_depth);
        }
    if (s->features & SKINGEN_F_WRINKLES)
        for (int i = 0; i < p->n_wrinkles; i++) {
            sg_wrinkle_box(&skin->wrinkles[i], px, box);
            sg_splat(L, lab->stride, c, minv, box, sg_eval_wrinkle, &skin->wrinkles[i], px,
                     -3.0 * s->wrinkle_depth);
        }
}

static void linear_to_lab_rows(void *vctx, int y0, int y1)
{
    const field_ctx *f = vctx;
    for (int y = y0; y < y1; y++) {
        float *P[3] = {st_image_row(f->img, 0, y), st_image_row(f->img, 1, y),
                       st_image_row(f->img, 2, y)};
        for (int x = 0; x < f->img->width; x++) {
            double lin[3] = {P[0][x], P[1][x], P[2][x]}, lab[3];
            sg_linear_to_lab(lin, lab);
            for (int k = 0; k < 3; k++)
                P[k][x] = (float)lab[k];
        }
    }
}

int sg_render_lab(const skingen_skin *skin, const skingen_state *s, const skingen_camera *c,
                  st_image **out, st_err *err)
{
    if (skin->p.chromo.enabled) { /* the spectral model gives linear RGB first */
        int rc = sg_render_chromo(skin, s, c, out, err);
        if (rc)
            return rc;
        field_ctx f = {skin, s, c, *out};
        st_parallel_for(c->threads, c->height, 16, linear_to_lab_rows, &f);
        return ST_OK;
    }
    double minv[9];
    int rc = sg_check_camera(c, minv, err);
    if (rc || (rc = st_image_new(c->width, c->height, 3, out, err)))
        return rc;
    field_ctx f = {skin, s, c, *out};
    st_parallel_for(c->threads, c->height, 16, tone_rows, &f);
    splat_features_lab(skin, s, c, minv, *out);
    (*out)->pixel_mm = sg_session_pixel_mm(skin, c);
    return ST_OK;
}

static void lab_to_linear_rows(void *vctx, int y0, int y1)
{
    const field_ctx *f = vctx;
    for (int y = y0; y < y1; y++) {
        float *P[3] = {st_image_row(f->img, 0, y), st_image_row(f->img, 1, y),
                       st_image_row(f->img, 2, y)};
        for (int x = 0; x < f->img->width; x++) {
            double lab[3] = {P[0][x], P[1][x], P[2][x]}, lin[3];
            skingen_lab_to_linear(lab, lin);
            for (int k = 0; k < 3; k++)
                P[k][x] = (float)lin[k];
        }
    }
}

static void chart_paint(void *ctx, int x, int y, double u, double v)
{
    const void **a = ctx;
    st_image *img = (st_image *)a[0];
    const skingen_skin *skin = a[1];
    const skingen_chart *ch = &skin->p.chart;
    double pitch = ch->patch_mm * 7.0 / 6.0, gap = ch->patch_mm / 6.0;
    double mx = (u - ch->x) * skin->p.pixel_mm - gap, my = (v - ch->y) * skin->p.pixel_mm - gap;
    int col = (int)floor(mx / pitch), row = (int)floor(my / pitch);
    double lin[3] = {0.03, 0.03, 0.03}; /* the black card */
    if (col >= 0 && col < 6 && row >= 0 && row < 4 && mx - col * pitch < ch->patch_mm &&
        my - row * pitch < ch->patch_mm)
        for (int k = 0; k < 3; k++)
            lin[k] = sg_srgb_decode(skingen_checker_srgb[row * 6 + col][k] / 255.0);
    for (int k = 0; k < 3; k++)
        st_image_row(img, k, y)[x] = (float)lin[k];
}

/* Linear-light albedo (3 planes), the chart painted on top. */
int sg_render_linear_albedo(const skingen_skin *skin, const skingen_state *s,
                            const skingen_camera *c, st_image **out, st_err *err)
{
    int rc;
    if (skin->p.chromo.enabled) {
        if ((rc = sg_render_chromo(skin, s, c, out, err)))
            return rc;
    } else {
        if ((rc = sg_render_lab(skin, s, c, out, err)))
            return rc;
        field_ctx f = {skin, s, c, *out};
        st_parallel_for(c->threads, c->height, 16, lab_to_linear_rows, &f);
    }
    if ((s->features & SKINGEN_F_CHART) && skin->p.chart.enabled) {
        double minv[9];
        skingen_matrix_invert(c->matrix, minv);
        const void *ctx[2] = {*out, skin};
        for_chart_pixels(skin, c, minv, chart_paint, ctx);
    }
    return ST_OK;
}

static void encode_image(st_image *img)
{
    for (int k = 0; k < img->channels; k++)
        for (int y = 0; y < img->height; y++) {
            float *row = st_image_row(img, k, y);
            for (int x = 0; x < img->width; x++) {
                double v = sg_srgb_encode(row[x]);
                row[x] = (float)(v > 1.0 ? 1.0 : v);
            }
        }
}

int skingen_render_albedo(const skingen_skin *skin, const skingen_state *s,
                          const skingen_camera *c, st_image **out, st_err *err)
{
    int rc = sg_render_linear_albedo(skin, s, c, out, err);
    if (rc)
        return rc;
    encode_image(*out);
    return ST_OK;
}
