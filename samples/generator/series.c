/* A series folder: one skin (one seed), every session rendered through its
 * own camera and remodelling state, written with series.json and truth.json. */
#include "series_int.h"
#include "skingen_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"

/* Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

int skingen_date_add(const char *start, int days, char out[11])
{
    int y, m, d;
    if (!start || sscanf(start, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    long z = days_from_civil(y, (unsigned)m, (unsigned)d) + days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    yy += mm <= 2;
    if (yy < 0 || yy > 9999)
        return -1;
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02u-%02u", (int)yy, mm, dd);
    memcpy(out, buf, 11);
    return 0;
}

static int join(char *buf, size_t len, const char *dir, const char *name, st_err *err)
{
    if ((size_t)snprintf(buf, len, "%s/%s", dir, name) >= len)
        return st_err_set(err, ST_EINVAL, "%s: path too long", dir);
    return ST_OK;
}

/* Height in µm -> 16-bit counts: value = (h + offset) / scale. */
static int save_height(const st_image *h, const skingen_series_spec *spec, const char *path,
                       st_err *err)
{
    st_image *q = NULL;
    int rc = st_image_new(h->width, h->height, 1, &q, err);
    if (rc)
        return rc;
    for (int y = 0; y < h->height; y++) {
        const float *src = st_image_row(h, 0, y);
        float *dst = st_image_row(q, 0, y);
        for (int x = 0; x < h->width; x++) {
            double v = floor((src[x] + spec->height_offset_um) / spec->height_um_per_unit + 0.5);
            v = v < 0 ? 0 : (v > 65535 ? 65535 : v);
            dst[x] = (float)(v / 65535.0);
        }
    }
    rc = st_image_save_png(q, path, 16, err);
    st_image_free(q);
    return rc;
}

/* Gray from linear luminance (Rec. 709 on linear light), sRGB-encoded, so
 * each image is exactly albedo_Y · max(0, n·l) before encoding. */
static int save_stereo(const st_image *rgb, const char *path, st_err *err)
{
    st_image *g = NULL;
    int rc = st_image_new(rgb->width, rgb->height, 1, &g, err);
    if (rc)
        return rc;
    for (int y = 0; y < rgb->height; y++) {
        float *dst = st_image_row(g, 0, y);
        const float *r = st_image_row(rgb, 0, y), *gg = st_image_row(rgb, 1, y),
                    *b = st_image_row(rgb, 2, y);
        for (int x = 0; x < rgb->width; x++) {
            double lin = 0.2126 * sg_srgb_decode(r[x]) + 0.7152 * sg_srgb_decode(gg[x]) +
                         0.0722 * sg_srgb_decode(b[x]);
            dst[x] = (float)sg_srgb_encode(lin);
        }
    }
    rc = st_image_save_png(g, path, 8, err);
    st_image_free(g);
    return rc;
}

static int render_session(const skingen_series_spec *spec, const skingen_skin *skin, int i,
                          const sg_session_files *f, const char *dir, st_err *err)
{
    const skingen_session_spec *s = &spec->sessions[i];
    skingen_camera cam = s->camera;
    if (s->defect == SKINGEN_BLURRED)
        cam.blur_px = fmax(cam.blur_px, 7.0);
    char path[4096];
    st_image *img = NULL;
    int rc = ST_OK;
    for (int k = 0; k < f->n_files && !rc; k++) {
        if ((rc = join(path, sizeof path, dir, f->files[k], err)))
            break;
        if (spec->modality == SKINGEN_HEIGHT) {
            if (!(rc = skingen_render_height(skin, &s->state, &cam, &img, err)))
                rc = save_height(img, spec, path, err);
        } else if (spec->modality == SKINGEN_STEREO) {
            skingen_camera lc = cam;
            memcpy(lc.light, spec->lights[k], sizeof lc.light);
            lc.lambert_exact = 1;
            lc.noise_seed = cam.noise_seed + 7919u * (uint64_t)k;
            if (!(rc = skingen_render_photo(skin, &s->state, &lc, &img, err)))
                rc = save_stereo(img, path, err);
        } else {
            if (s->defect == SKINGEN_OTHER)
                rc = skingen_render_other(cam.noise_seed, &cam, &img, err);
            else
                rc = skingen_render_photo(skin, &s->state, &cam, &img, err);
            if (!rc)
                rc = st_image_save_jpeg(img, path, spec->jpeg_quality, err);
        }
        st_image_free(img);
        img = NULL;
    }
    return rc;
}

static void name_files(const skingen_series_spec *spec, int i, sg_session_files *f)
{
    const skingen_session_spec *s = &spec->sessions[i];
    if (skingen_date_add(spec->start_date, s->day, f->date))
        skingen_date_add("2026-01-05", s->day, f->date);
    if (s->label)
        snprintf(f->label, sizeof f->label, "%s", s->label);
    else if (i == 0)
        snprintf(f->label, sizeof f->label, "baseline");
    else
        snprintf(f->label, sizeof f->label, "session %d", i);
    if (spec->modality == SKINGEN_STEREO) {
        f->n_files = spec->n_lights;
        for (int k = 0; k < spec->n_lights; k++)
            snprintf(f->files[k], SG_NAME_MAX, "%s_light%d.png", f->date, k + 1);
    } else {
        /* sessions on the same day are repeat shots of one session (SPEC.md):
         * DATE_1.jpg, DATE_2.jpg, ... */
        int shot = 0, shots = 0;
        for (int k = 0; k < spec->n_sessions; k++)
            if (spec->sessions[k].day == s->day) {
                shots++;
                shot += k < i;
            }
        const char *ext = spec->modality == SKINGEN_HEIGHT ? "png" : "jpg";
        f->n_files = 1;
        if (shots > 1)
            snprintf(f->files[0], SG_NAME_MAX, "%s_%d.%s", f->date, shot + 1, ext);
        else
            snprintf(f->files[0], SG_NAME_MAX, "%s.%s", f->date, ext);
    }
}

static int check_spec(const skingen_series_spec *spec, st_err *err)
{
    if (spec->n_sessions < 1 || spec->n_sessions > SKINGEN_MAX_SESSIONS)
        return st_err_set(err, ST_EINVAL, "skingen: %d sessions (1..%d)", spec->n_sessions,
                          SKINGEN_MAX_SESSIONS);
    if (spec->modality == SKINGEN_STEREO && (spec->n_lights < 3 || spec->n_lights > SKINGEN_MAX_LIGHTS))
        return st_err_set(err, ST_EINVAL, "skingen: stereo needs 3..%d lights", SKINGEN_MAX_LIGHTS);
    if (spec->modality == SKINGEN_HEIGHT && !(spec->height_um_per_unit > 0))
        return st_err_set(err, ST_EINVAL, "skingen: height_um_per_unit must be > 0");
    return ST_OK;
}

int skingen_write_series(const skingen_series_spec *in, const char *dir, st_err *err)
{
    int rc = check_spec(in, err);
    if (rc)
        return rc;
    skingen_series_spec *spec = malloc(sizeof *spec);
    sg_session_files *sf = calloc(SKINGEN_MAX_SESSIONS, sizeof *sf);
    skingen_skin *skin = NULL;
    cJSON *js = NULL, *truth = NULL;
    if (!spec || !sf) {
        rc = st_err_set(err, ST_ENOMEM, "skingen: out of memory");
        goto done;
    }
    *spec = *in;
    if (spec->roi[2] <= 0) {
        spec->roi[0] = spec->roi[1] = 0;
        spec->roi[2] = spec->skin.width;
        spec->roi[3] = spec->skin.height;
    }
    if (spec->jpeg_quality <= 0)
        spec->jpeg_quality = 90;
    if (mkdir(dir, 0755) && errno != EEXIST) {
        rc = st_err_set(err, ST_EIO, "%s: cannot create (%s)", dir, strerror(errno));
        goto done;
    }
    if ((rc = skingen_skin_new(&spec->skin, &skin, err)))
        goto done;
    char path[4096];
    for (int i = 0; i < spec->n_sessions && !rc; i++) {
        name_files(spec, i, &sf[i]);
        rc = render_session(spec, skin, i, &sf[i], dir, err);
    }
    if (!rc && spec->write_series_json) {
        js = sg_series_json(spec, sf);
        if (!(rc = join(path, sizeof path, dir, "series.json", err)))
            rc = sg_json_write(js, path, err);
    }
    if (!rc && !(rc = sg_truth_json(spec, skin, sf, &truth, err)) &&
        !(rc = join(path, sizeof path, dir, "truth.json", err)))
        rc = sg_json_write(truth, path, err);
done:
    cJSON_Delete(js);
    cJSON_Delete(truth);
    skingen_skin_free(skin);
    free(sf);
    free(spec);
    return rc;
}
