/* Adapters onto the other stages (see stages.h). */
#include "series/stages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"
#include "metrics/detect.h"
#include "metrics/surface.h"
#include "metrics/quality.h"

#include "register/flatten.h"
#include "register/register.h"

#define ST_REG_FINE_MAX_DIM 2048


/* A session's focus is judged against its baseline's as well as on its own:
 * how sharp skin looks depends on the skin and the camera, so the absolute
 * thresholds of metrics/quality.h only catch the worst cases, while a
 * follow-up photo far softer than the baseline cannot support a texture
 * claim. Sharpness is a variance (of the Laplacian), so these ratios are the
 * squares of 0.65 and 0.4 of the Laplacian's RMS. */
#define QC_SHARP_REL_WARN (0.65 * 0.65)
#define QC_SHARP_REL_FAIL (0.40 * 0.40)

int stg_quality(const st_image *img, st_modality mod, double base_sharpness, int threads,
                st_quality_info *q, st_metric_set *metrics, st_err *err)
{
    strcpy(q->status, "ok");
    q->sharpness = q->clipped_pct = NAN; /* printed as null: not measured */
    if (mod != ST_MODALITY_PHOTO)
        return ST_OK; /* height maps and stereo sets: no photo checks */
    st_quality pq;
    int rc = st_quality_measure(img, &pq, metrics, threads, err);
    if (rc)
        return rc;
    q->sharpness = pq.sharpness;
    q->clipped_pct = pq.clipped_pct;
    int status = pq.status; /* 0 ok, 1 warn, 2 fail */
    for (int k = 0; k < pq.n_messages && !rc; k++)
        rc = st_strlist_addf(&q->messages, err, "%s", pq.messages[k]);
    double rel = base_sharpness > 0 ? pq.sharpness / base_sharpness : 1.0;
    if (!rc && rel < QC_SHARP_REL_WARN) {
        status = rel < QC_SHARP_REL_FAIL ? 2 : (status > 1 ? status : 1);
        rc = st_strlist_addf(&q->messages, err, "blurred: sharpness %.0f %% of the baseline's",
                             100 * rel);
    }
    strcpy(q->status, status == 2 ? "fail" : status == 1 ? "warn" : "ok");
    return rc;
}

/* Registration of a photo onto itself (or onto an identical copy) gives a
 * matrix within rounding of the identity, not the identity itself; warping
 * with it would pass one session, not the other, through the bicubic kernel
 * (a low-pass of up to ~10 % at mid frequencies), and identical photos would
 * read as a change (issue 19: pore diameter -0.11 %). A matrix that moves no
 * pixel of the box by more than IDENTITY_PX is taken as the identity and the
 * session cropped exactly like the baseline. */
#define IDENTITY_PX 0.02

static int is_identity(const double m[9], const int box[4])
{
    for (int k = 0; k < 4; k++) {
        double x = box[0] + (k & 1 ? box[2] - 1 : 0), y = box[1] + (k & 2 ? box[3] - 1 : 0);
        double wz = m[6] * x + m[7] * y + m[8];
        if (!(fabs(wz) > 1e-12))
            return 0;
        double u = (m[0] * x + m[1] * y + m[2]) / wz, v = (m[3] * x + m[4] * y + m[5]) / wz;
        if (!(fabs(u - x) <= IDENTITY_PX && fabs(v - y) <= IDENTITY_PX))
            return 0;
    }
    return 1;
}

/* A copy of a 1-channel plane mapped linearly onto [0, 1] (min to max). */
static int unit_range(const st_image *in, st_image **out, st_err *err)
{
    int rc = st_image_clone(in, out, err);
    if (rc)
        return rc;
    float lo = INFINITY, hi = -INFINITY;
    for (int y = 0; y < in->height; y++) {
        const float *row = st_image_row(in, 0, y);
        for (int x = 0; x < in->width; x++) {
            lo = fminf(lo, row[x]);
            hi = fmaxf(hi, row[x]);
        }
    }
    float k = hi > lo ? 1.0f / (hi - lo) : 1.0f;
    for (int y = 0; y < in->height; y++) {
        float *row = st_image_row(*out, 0, y);
        for (int x = 0; x < in->width; x++)
            row[x] = (row[x] - lo) * k;
    }
    return ST_OK;
}

int stg_register(const st_image *fixed, const st_image *moving, st_modality mod, int threads,
                 st_registration_info *info, st_err *err)
{
    memset(info, 0, sizeof *info);
    st_register_opts o;
    st_register_opts_default(&o);
    o.threads = threads;
    /* The refinement's default 1024 px level left 0.5–0.8 px at the corners
     * of the 1600 px demo photo course, a 2048 px level 0.3–0.4 px; the cost
     * is a finer ECC level for 12 MP photos. */
    o.fine_max_dim = ST_REG_FINE_MAX_DIM;
    /* No FFTW wisdom: plans read from a wisdom file (made by a benchmark,
     * or another user's cache) compute the same transforms with other
     * rounding, which moved session matrices by ~1e-6 and the printed
     * metrics of photo-course (tests/e2e/determinism_slow.sh). The same
     * input must give the same bytes on every run (SPEC.md). */
    o.wisdom = "off";
    st_registration r;
    st_image *f01 = NULL, *m01 = NULL;
    int rc = ST_OK;
    if (mod != ST_MODALITY_PHOTO) {
        /* Height maps: the registration works on values in [0, 1]. */
        rc = unit_range(fixed, &f01, err);
        if (!rc)
            rc = unit_range(moving, &m01, err);
    }
    if (!rc)
        rc = st_register_pair(f01 ? f01 : fixed, m01 ? m01 : moving, &o, &r, err);
    st_image_free(f01);
    st_image_free(m01);
    if (rc)
        return rc;
    snprintf(info->status, sizeof info->status, "%s", st_reg_status_name(r.status));
    snprintf(info->model, sizeof info->model, "%s", st_reg_model_name(r.model));
    for (int k = 0; k < 9; k++)
        info->matrix[k / 3][k % 3] = r.matrix[k];
    info->ncc = r.ncc;
    info->overlap = r.overlap;
    snprintf(info->message, sizeof info->message, "%s", r.message);
    return ST_OK;
}

static int crop(const st_image *in, const int box[4], st_image **out, st_err *err)
{
    int rc = st_image_new(box[2], box[3], in->channels, out, err);
    if (rc)
        return rc;
    for (int c = 0; c < in->channels; c++)
        for (int y = 0; y < box[3]; y++)
            memcpy(st_image_row(*out, c, y), st_image_row(in, c, y + box[1]) + box[0],
                   (size_t)box[2] * sizeof(float));
    (*out)->pixel_mm = in->pixel_mm;
    (*out)->unit = in->unit;
    return ST_OK;
}

int stg_register_box(const st_image *fixed, const st_image *moving, const int box[4], st_modality mod, int threads,
                     st_registration_info *info, st_err *err)
{
    /* the same box of both photos (clipped to the smaller), so a point's
     * crop coordinates are its photo coordinates minus the box's corner in
     * both: M = T(o) M_crop T(-o) */
    int b[4] = {box[0], box[1], box[2], box[3]};
    int w = fixed->width < moving->width ? fixed->width : moving->width;
    int h = fixed->height < moving->height ? fixed->height : moving->height;
    if (b[0] < 0 || b[1] < 0 || b[0] >= w || b[1] >= h)
        return st_err_set(err, ST_EINVAL, "registration box %d,%d,%d,%d outside the photos", b[0], b[1], b[2], b[3]);
    b[2] = b[0] + b[2] > w ? w - b[0] : b[2];
    b[3] = b[1] + b[3] > h ? h - b[1] : b[3];
    st_image *f = NULL, *m = NULL;
    int rc = crop(fixed, b, &f, err);
    if (!rc)
        rc = crop(moving, b, &m, err);
    if (!rc)
        rc = stg_register(f, m, mod, threads, info, err);
    st_image_free(f);
    st_image_free(m);
    if (rc)
        return rc;
    double mc[9], to[9] = {1, 0, b[0], 0, 1, b[1], 0, 0, 1}, from[9] = {1, 0, -b[0], 0, 1, -b[1], 0, 0, 1}, t[9],
                  full[9];
    for (int k = 0; k < 9; k++)
        mc[k] = info->matrix[k / 3][k % 3];
    st_mat3_mul(to, mc, t);
    st_mat3_mul(t, from, full);
    for (int k = 0; k < 9; k++)
        info->matrix[k / 3][k % 3] = full[k];
    return ST_OK;
}

int stg_warp_box(const st_image *moving, const double m[9], const int box[4], int threads,
                 st_image **out, st_err *err)
{
    if (is_identity(m, box))
        return crop(moving, box, out, err);
    /* Into the box: first the session -> baseline matrix, then the shift
     * of the box's origin to (0, 0). */
    double shift[9] = {1, 0, -box[0], 0, 1, -box[1], 0, 0, 1}, mb[9];
    st_mat3_mul(shift, m, mb);
    size_t n = (size_t)box[2] * (size_t)box[3];
    unsigned char *valid = malloc(n);
    if (!valid)
        return st_err_set(err, ST_ENOMEM, "warp: out of memory");
    int rc = st_warp_to_baseline(moving, mb, box[2], box[3], 0.0f, out, valid, threads, err);
    /* The part of the box the session does not see (outside the measured
     * mask, but inside the box) takes each channel's mean over the part it
     * does see: a black corner would pull the illumination field down
     * around it and the flattening would light the skin next to it up (a
     * bare-folder run of photo-course read roughness.sq +530 %). */
    for (int c = 0; !rc && c < (*out)->channels; c++) {
        double s = 0;
        size_t k = 0;
        for (int y = 0; y < box[3]; y++) {
            const float *row = st_image_row(*out, c, y);
            const unsigned char *v = valid + (size_t)y * box[2];
            for (int x = 0; x < box[2]; x++)
                if (v[x]) {
                    s += row[x];
                    k++;
                }
        }
        float fill = k ? (float)(s / (double)k) : 0.0f;
        for (int y = 0; y < box[3] && k < n; y++) {
            float *row = st_image_row(*out, c, y);
            const unsigned char *v = valid + (size_t)y * box[2];
            for (int x = 0; x < box[2]; x++)
                if (!v[x])
                    row[x] = fill;
        }
    }
    free(valid);
    return rc;
}

/* Row bands of stg_flatten: the luminance of rgb into y, or (gain) each
 * channel scaled by flat / y. */
typedef struct flatten_ctx {
    st_image *rgb;
    float *y;
    const float *flat;
} flatten_ctx;

static void luminance_band(void *ctx, int begin, int end)
{
    flatten_ctx *c = ctx;
    int w = c->rgb->width;
    for (int r = begin; r < end; r++)
        st_luminance(st_image_row(c->rgb, 0, r), st_image_row(c->rgb, 1, r),
                     st_image_row(c->rgb, 2, r), c->y + (size_t)r * w, (size_t)w);
}

static void gain_band(void *ctx, int begin, int end)
{
    flatten_ctx *c = ctx;
    int w = c->rgb->width;
    for (int r = begin; r < end; r++) {
        const float *y = c->y + (size_t)r * w, *flat = c->flat + (size_t)r * w;
        float *p0 = st_image_row(c->rgb, 0, r), *p1 = st_image_row(c->rgb, 1, r);
        float *p2 = st_image_row(c->rgb, 2, r);
        for (int x = 0; x < w; x++) {
            float g = y[x] > 1e-6f ? flat[x] / y[x] : 1.0f;
            p0[x] *= g;
            p1[x] *= g;
            p2[x] *= g;
        }
    }
}

int stg_flatten(st_image *rgb, int frame_w, int frame_h, int threads, st_err *err)
{
    int w = rgb->width, h = rgb->height, rc = ST_OK;
    size_t n = (size_t)w * (size_t)h;
    float *y = st_alloc_floats(n), *flat = st_alloc_floats(n);
    flatten_ctx c = {rgb, y, flat};
    if (!y || !flat)
        rc = st_err_set(err, ST_ENOMEM, "flatten: out of memory (%dx%d)", w, h);
    if (!rc) {
        st_parallel_for(threads, h, 32, luminance_band, &c);
        rc = st_flatten_plane(y, (size_t)w, w, h, st_flatten_default_sigma(frame_w, frame_h), flat,
                              (size_t)w, threads, err);
    }
    if (!rc)
        st_parallel_for(threads, h, 32, gain_band, &c);
    st_aligned_free(y);
    st_aligned_free(flat);
    return rc;
}

int stg_surface(const st_image *surface, const unsigned char *mask, st_modality mod, int threads,
                st_metric_set *out, st_psd_curve *psd, st_err *err)
{
    (void)mod;
    st_surface_input in = {0};
    in.data = surface->data;
    in.stride = surface->stride;
    in.width = surface->width;
    in.height = surface->height;
    in.mask = mask;
    in.mask_stride = (size_t)surface->width;
    in.pixel_mm = surface->pixel_mm;
    in.unit = surface->unit;
    st_surface_opts o = {0};
    o.threads = threads;
    o.no_tiles = 1; /* the series keeps its own tile sums (series/tiles.h) */
    st_surface_extras x = {0};
    int rc = st_measure_surface(&in, &o, out, psd ? &x : NULL, err);
    if (!rc && psd && x.psd.n) {
        psd->freq_per_mm = x.psd.freq;
        psd->power = x.psd.psd;
        psd->n = x.psd.n;
        x.psd.freq = x.psd.psd = NULL; /* moved */
        x.psd.n = 0;
    }
    if (psd)
        st_surface_extras_free(&x);
    return rc;
}

int stg_detect(const st_image *rgb, const st_image *surface, const unsigned char *mask,
               st_modality mod, int threads, const st_detections *track, st_metric_set *out,
               st_detections *dets, double family_seconds[5], st_err *err)
{
    st_detect_input in = {0};
    in.rgb = rgb;
    in.surface = surface;
    in.mask = mask;
    in.mask_stride = (size_t)surface->width;
    in.pixel_mm = surface->pixel_mm;
    in.unit = surface->unit;
    in.modality = mod == ST_MODALITY_PHOTO ? ST_DETECT_PHOTO
                  : mod == ST_MODALITY_HEIGHT ? ST_DETECT_HEIGHT
                                              : ST_DETECT_STEREO;
    if (track) {
        in.track_pores = track->pores;
        in.n_track_pores = track->n_pores;
        in.track_floor_sigma = track->pore_floor_sigma;
        in.track_floor = track->pore_floor;
        in.n_track_floors = track->n_pore_floors;
    } else if (mask) {
        in.follow_own = 1; /* a series' baseline (see st_detect_input) */
    }
    st_detect_opts o = {0};
    o.threads = threads;
    int rc = st_detect_all(&in, &o, out, dets, err);
    for (int k = 0; k < 5; k++)
        family_seconds[k] += o.family_seconds[k];
    return rc;
}

int stg_photostereo(const st_image *const *images, const double (*lights)[3], int n,
                    double pixel_mm, int threads, st_image **height, st_err *err)
{
    st_photostereo_opts o = {0};
    o.threads = threads;
    return st_photostereo(images, lights, n, pixel_mm, &o, height, NULL, err);
}
