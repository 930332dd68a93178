#include "series/measure_image.h"

#include <string.h>

#include "core/error.h"
#include "series/load_image.h"
#include "series/stages.h"
#include "simd/kernels.h"

/* The ROI cut out of the image; refused when it does not fit. */
static int crop_roi(const char *path, st_image **img, const int roi[4], st_err *err)
{
    st_image *src = *img, *dst;
    if (roi[0] + roi[2] > src->width || roi[1] + roi[3] > src->height)
        return st_err_set(err, ST_EINVAL, "%s: ROI %d,%d,%d,%d does not fit in the %dx%d image",
                          path, roi[0], roi[1], roi[2], roi[3], src->width, src->height);
    int rc = st_image_new(roi[2], roi[3], src->channels, &dst, err);
    if (rc)
        return rc;
    for (int c = 0; c < src->channels; c++)
        for (int y = 0; y < roi[3]; y++)
            memcpy(st_image_row(dst, c, y), st_image_row(src, c, y + roi[1]) + roi[0],
                   (size_t)roi[2] * sizeof(float));
    dst->pixel_mm = src->pixel_mm;
    dst->unit = src->unit;
    st_image_free(src);
    *img = dst;
    return ST_OK;
}

/* Photo: (rgb, surface) = flattened or, under --raw, as given. */
static int photo_surface(const st_measure_one_opts *o, st_image **rgb, st_image **surface,
                         st_err *err)
{
    if (!o->raw) {
        int rc = stg_flatten(*rgb, (*rgb)->width, (*rgb)->height, o->threads, err);
        if (rc)
            return rc;
    }
    return st_luminance_image(*rgb, surface, err);
}

int st_measure_one(const char *path, const st_measure_one_opts *o, st_session_result *out,
                     st_err *err)
{
    memset(out, 0, sizeof *out);
    st_modality mod = o->ov.has_modality ? o->ov.modality : ST_MODALITY_PHOTO;
    if (mod == ST_MODALITY_STEREO)
        return st_err_set(err, ST_EINVAL, "%s: photometric stereo needs a session of several "
                          "photos under known lights: use skintrack analyze", path);
    double um_per_unit = o->ov.has_height_scale ? o->ov.height_um_per_unit : 1.0;
    st_image *img = NULL, *surface = NULL;
    int rc = st_load_modality_image(path, mod, um_per_unit, o->max_pixels, o->max_memory, &img, err);
    if (rc)
        return rc;
    img->pixel_mm = o->ov.has_pixel_mm ? o->ov.pixel_mm : 0.0;
    if (o->ov.has_roi && !o->raw)
        rc = crop_roi(path, &img, o->ov.roi, err);
    if (!rc)
        rc = stg_quality(img, mod, 0.0 /* no baseline to compare with */, o->threads,
                         &out->quality, &out->metrics, err);
    if (!rc && mod == ST_MODALITY_PHOTO)
        rc = photo_surface(o, &img, &surface, err);
    else if (!rc) {
        surface = img; /* a height map is measured as it is, in µm */
        img = NULL;
    }
    if (!rc)
        rc = stg_surface(surface, NULL, mod, o->threads, &out->metrics, &out->psd, err);
    double family_seconds[5];
    if (!rc)
        rc = stg_detect(img, surface, NULL, mod, NULL, o->threads, NULL, &out->metrics, &out->det,
                        family_seconds, err);
    if (!rc && o->ov.has_roi && !o->raw)
        st_detections_offset(&out->det, o->ov.roi[0], o->ov.roi[1]);
    if (!rc)
        st_metric_set_sort(&out->metrics);
    st_image_free(img);
    st_image_free(surface);
    if (rc)
        st_session_result_free(out);
    return rc;
}
