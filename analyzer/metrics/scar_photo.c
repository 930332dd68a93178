/* Scars on photos: a depression under a directional light shows as a dark
 * wall on the side of the light and a bright wall opposite (Lambert: the
 * far wall faces the light); a brown spot (lentigo) is dark without the
 * bright wall. The light's axis is estimated from the photo itself: for a
 * relief lit from azimuth phi the shading is, to first order, the relief's
 * derivative along phi, so the luminance gradient's second moments have
 * their major axis along phi (Pentland 1982, "Finding the illuminant
 * direction"); the ratio of the two eigenvalues says how directional the
 * light is (1 for diffuse light). One definition with the lamp's estimate
 * (lamp.c: st_lamp_axis).
 *
 * A candidate (a region darker than the local skin, scars.c) is checked
 * for the bright wall on the side of it away from the light (either sign of
 * the axis: the azimuth's sign is not known); if it has one, the scar is the
 * dark and the bright wall together (its outline and centre then cover the
 * whole depression, not only its dark half). A candidate whose colour is
 * brown against its surroundings (b* higher, CIE 1976 L*a*b*, D65) and that
 * has no bright wall is pigment, not a scar, and is dropped.
 *
 * Whether the depth shows: a Lambertian wall's darkening grows with its
 * slope until the wall turns away from the lamp (slope beyond the lamp's
 * elevation: 1.19 at 50 deg); from there it lies in shadow at the ambient
 * level, whatever the depth, and the scar's depth index stops following
 * its depth (icepicks: slope about 1.35 D/R, boxcars 5 D/R). The sign on
 * the photo is a dark wall within reach of the shadow floor: its darkest
 * pixel more than SHADOW_DARKENING of the skin's level below it. Measured
 * on skingen's photos (lamp at 50 deg, ambient 0.25; the relief surface
 * compresses the contrast of a scar a few pixels wide): walls past the
 * lamp's elevation read 0.41-0.52 (one 0.34), walls up to a slope of 0.85,
 * whose index follows the depth within 5 points, 0.17-0.34. Such a scar
 * is kept (it is a scar) but marked depth_shadowed, and the series
 * withholds the depth changes it would corrupt (series/result.c). */
#define _DEFAULT_SOURCE /* M_PI */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/lamp.h"
#include "metrics/scar_photo.h"
#include "simd/kernels.h"

#define LOBE_K 0.25       /* bright wall: mean brighter than this x the local RMS */
#define LOBE_MIN -0.15    /* no bowl: far side darker than this x the local RMS */
#define BROWN_DB 1.0      /* brown: b* above the surrounding skin's by this */
#define SHADOW_DARKENING 0.38 /* dark wall at the shadow floor: this share of the level */

void scar_photo_light(const scar_maps *m, scar_light *l)
{
    /* Every 8th pixel of the lightly smoothed luminance is plenty for three
     * sums. */
    st_lamp_axis(m->hs, m->w, m->h, (size_t)m->w, NULL, 0, 8, &l->ux, &l->uy, &l->aniso);
    l->directional = l->aniso >= ST_LAMP_MIN_ANISO;
}

/* Mean depth (reference - luminance: negative = brighter than the skin)
 * over the disc (cx, cy, rad), ROI and image clipped; +INFINITY if empty. */
static double disc_mean(const st_detect_input *in, const scar_maps *m, double cx, double cy,
                        double rad)
{
    int x0 = (int)floor(cx - rad), x1 = (int)ceil(cx + rad);
    int y0 = (int)floor(cy - rad), y1 = (int)ceil(cy + rad);
    double s = 0, n = 0;
    int step = rad > 16 ? (int)(rad / 8) : 1; /* ~200 samples make the mean */
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < m->h; y += step)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < m->w; x += step)
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad && st_det_inside(in, x, y)) {
                s += m->depth[(size_t)y * m->w + x];
                n += 1;
            }
    return n > 0 ? s / n : INFINITY;
}

/* b* of the region (label id) minus b* of the skin around it (the box
 * widened by pad, pixels outside every region and not below the
 * reference by more than thr), from the photo; 0 without a photo. */
static double brown_excess(const st_detect_input *in, const scar_maps *m, const int32_t *lab,
                           int32_t id, const int box[4], int pad, double thr)
{
    const st_image *rgb = in->rgb;
    if (!rgb || rgb->channels < 3 || rgb->width != m->w || rgb->height != m->h)
        return 0.0;
    int x0 = box[0] - pad < 0 ? 0 : box[0] - pad, x1 = box[2] + pad >= m->w ? m->w - 1 : box[2] + pad;
    int y0 = box[1] - pad < 0 ? 0 : box[1] - pad, y1 = box[3] + pad >= m->h ? m->h - 1 : box[3] + pad;
    /* a few hundred samples make the means */
    int step = pad > 16 ? pad / 8 : 2;
    size_t n = (size_t)((x1 - x0) / step + 1);
    float *buf = malloc(6 * n * sizeof *buf);
    if (!buf)
        return 0.0;
    double sin_ = 0, nin = 0, sout = 0, nout = 0;
    for (int y = y0; y <= y1; y += step) {
        for (size_t k = 0; k < n; k++)
            for (int c = 0; c < 3; c++)
                buf[c * n + k] = st_image_row(rgb, c, y)[x0 + (int)k * step];
        st_srgb_to_lab(buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, n);
        for (size_t k = 0; k < n; k++) {
            int x = x0 + (int)k * step;
            size_t i = (size_t)y * m->w + x;
            if (!st_det_inside(in, x, y))
                continue;
            double b = buf[5 * n + k];
            if (lab[i] == id) {
                sin_ += b;
                nin += 1;
            } else if (!lab[i] && m->depth[i] < thr) {
                sout += b;
                nout += 1;
            }
        }
    }
    free(buf);
    return nin > 0 && nout > 0 ? sin_ / nin - sout / nout : 0.0;
}

/* The darkest pixel of region `id` (box {x0, y0, x1, y1}) below the
 * reference, as a share of the reference's level at the region's centre ci:
 * the surface as given, unsmoothed, where a shadow is darkest. */
static double darkest_share(const scar_maps *m, const int32_t *lab, int32_t id, const int box[4], size_t ci)
{
    double level = m->depth[ci] + m->hs[ci], dark = 0.0;
    if (!(level > 0))
        return 0.0;
    for (int y = box[1] < 0 ? 0 : box[1]; y <= box[3] && y < m->h; y++)
        for (int x = box[0] < 0 ? 0 : box[0]; x <= box[2] && x < m->w; x++) {
            size_t i = (size_t)y * m->w + x;
            if (lab[i] == id)
                dark = fmax(dark, m->depth[i] + m->hs[i] - m->raw[i]);
        }
    return dark / level;
}

int scar_photo_check(const st_detect_input *in, const scar_maps *m, const scar_light *l,
                     int32_t *lab, int32_t id, const int box[4], st_scar *s)
{
    double r = sqrt(s->area_mm2 / M_PI) / (m->pmm > 0 ? m->pmm : 1.0);
    size_t ci = (size_t)(s->y + 0.5) * m->w + (size_t)(s->x + 0.5);
    double rough = m->rough[ci];
    /* Bright wall: a disc of the region's radius beyond it along the axis. */
    double best = INFINITY, bx = 0, by = 0;
    for (int sg = -1; sg <= 1 && l->directional; sg += 2) {
        double cx = s->x + sg * l->ux * 1.5 * r, cy = s->y + sg * l->uy * 1.5 * r;
        double d = disc_mean(in, m, cx, cy, r);
        if (d < best) {
            best = d;
            bx = cx;
            by = cy;
        }
    }
    double lobe = l->directional && isfinite(best) ? -best / fmax(rough, 1e-12) : 0.0;
    int wall = l->directional && lobe >= LOBE_K;
    /* Under a directional light the far side of a depression is brighter
     * than the skin; a dark patch whose far side is not (a shadow in the
     * skin's furrows, a dark spot) is no bowl. */
    if (l->directional && lobe < LOBE_MIN)
        return 0;
    double dbx = wall ? 0.0 : brown_excess(in, m, lab, id, box, (int)ceil(2.0 * r) + 2, 3.0 * rough);
    if (dbx > BROWN_DB)
        return 0;
    s->depth_shadowed = darkest_share(m, lab, id, box, ci) > SHADOW_DARKENING;
    if (!wall)
        return 1;
    /* The depression: the dark region and the disc of the bright wall
     * (its pixels one by one would trace the texture's bright specks). */
    double sx = s->x * s->area_mm2, sy = s->y * s->area_mm2, px2 = m->pmm > 0 ? m->pmm * m->pmm : 1.0;
    double area = s->area_mm2;
    int x0 = (int)floor(bx - r), x1 = (int)ceil(bx + r), y0 = (int)floor(by - r), y1 = (int)ceil(by + r);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < m->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < m->w; x++) {
            size_t i = (size_t)y * m->w + x;
            if ((x - bx) * (x - bx) + (y - by) * (y - by) > r * r || lab[i] || !st_det_inside(in, x, y))
                continue;
            lab[i] = id;
            sx += x * px2;
            sy += y * px2;
            area += px2;
        }
    s->x = sx / area;
    s->y = sy / area;
    s->area_mm2 = area;
    return 1;
}
