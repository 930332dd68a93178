/* Redness: erythema index and red area.
 *
 * EI = 100 log10(R / G) on linear R and G (Diffey, Oliver & Farr, Br J
 * Dermatol 111, 1984; the ratio form of Dawson et al., Phys Med Biol 25,
 * 1980), the ROI's mean of per-pixel values. Red area: pixels whose a*
 * (CIE L*a*b*, D65, after a 0.05 mm Gaussian) exceeds the ROI's least red
 * fifth (its 20th percentile of a*) by 4 units, a clearly visible
 * difference; the index, not the area, follows diffuse redness that covers
 * the whole patch. Both run on the grid of the smoothed colour (every
 * other pixel of every other row once the Gaussian spans >= 1.5 px, see
 * st_det_smoothed_lab). */
#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "simd/kernels.h"

#define RED_DA 4.0
#define SMOOTH_MM 0.05
#define RG_FLOOR 1e-4f

typedef struct ei_ctx {
    const st_detect_input *in;
    int w, f; /* the colour grid (st_det_smoothed_lab): width, factor */
    double *sum;   /* per row: EI summed over the row's ROI pixels */
    size_t *n;     /* and their count ((size_t)-1: out of memory) */
} ei_ctx;

/* EI of grid rows [y0, y1) (full pixels (f x, f y): a regular sample of
 * the ROI when f = 2): the logarithms vectorised over the row
 * (detect_math.c), the sums in double, one per row so that the total does
 * not depend on how rows were banded. */
static void ei_rows(void *arg, int y0, int y1)
{
    const ei_ctx *c = arg;
    int w = c->w;
    /* linear R and G per row (no full planes: fresh 12 MP planes cost more
     * in page faults than the conversion itself) */
    float *q = malloc(4 * (size_t)w * sizeof *q), *lq = q ? q + w : NULL;
    float *lr = q ? q + 2 * (size_t)w : NULL, *lg = q ? q + 3 * (size_t)w : NULL;
    for (int y = y0; y < y1; y++) {
        size_t n = 0;
        double sum = 0.0;
        if (!q) {
            c->sum[y] = 0.0;
            c->n[y] = (size_t)-1;
            continue;
        }
        const int f = c->f;
        const float *sr = st_image_row(c->in->rgb, 0, f * y), *sg = st_image_row(c->in->rgb, 1, f * y);
        if (f == 1) {
            st_srgb_to_linear(sr, lr, (size_t)w);
            st_srgb_to_linear(sg, lg, (size_t)w);
        } else { /* gathered into q and lq, converted into lr and lg */
            for (int x = 0; x < w; x++) {
                q[x] = sr[f * x];
                lq[x] = sg[f * x];
            }
            st_srgb_to_linear(q, lr, (size_t)w);
            st_srgb_to_linear(lq, lg, (size_t)w);
        }
        for (int x = 0; x < w; x++) {
            float r = lr[x] > RG_FLOOR ? lr[x] : RG_FLOOR;
            float g = lg[x] > RG_FLOOR ? lg[x] : RG_FLOOR;
            q[x] = r / g;
        }
        st_det_log10_row(q, lq, (size_t)w);
        for (int x = 0; x < w; x++)
            if (st_det_inside(c->in, f * x, f * y)) {
                sum += 100.0 * (double)lq[x];
                n++;
            }
        c->sum[y] = sum;
        c->n[y] = n;
    }
    free(q);
}

/* Number of v[i] >= t (compared in double), vectorised. */
ST_DET_VEC static size_t count_at_least(const float *restrict v, size_t n, double t)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (double)v[i] >= t;
    return k;
}

int st_redness_measure(const st_detect_input *in0, int threads, st_metric_set *out, st_err *err)
{
    int rc = st_det_check_input(in0, "redness", err);
    if (rc || !in0->rgb)
        return rc;
    st_detect_input local;
    const st_detect_input *in = st_det_pool_begin(in0, &local);
    double pmm = st_det_pixel_mm(in);
    double smooth_px = pmm > 0 ? fmax(0.5, SMOOTH_MM / pmm) : 1.0;
    const int f = st_det_lab_grid(smooth_px); /* everything on the colour grid */
    const int w = (in->rgb->width + f - 1) / f, h = (in->rgb->height + f - 1) / f;
    const float *lab[3], *a = NULL;
    float *r = NULL;
    double *rsum = malloc((size_t)h * sizeof *rsum);
    size_t *rn = malloc((size_t)h * sizeof *rn);
    if (!rsum || !rn) {
        rc = st_err_set(err, ST_ENOMEM, "redness: out of memory for %d rows", h);
        goto done;
    }
    rc = st_det_smoothed_lab(in, smooth_px, 2u, threads, lab);
    if (rc) {
        rc = st_err_set(err, rc, "redness: Lab planes of %dx%d (%s)", w, h, st_status_name(rc));
        goto done;
    }
    a = lab[1];
    ei_ctx c = {in, w, f, rsum, rn};
    st_parallel_for(threads, h, 16, ei_rows, &c);
    double ei = 0.0;
    size_t n = 0;
    for (int y = 0; y < h; y++) {
        if (rn[y] == (size_t)-1) {
            rc = st_err_set(err, ST_ENOMEM, "redness: out of memory for row buffers");
            goto done;
        }
        ei += rsum[y];
        n += rn[y];
    }
    if (!n)
        goto done;
    /* The ROI's a* values, packed (the whole plane without a mask). */
    const float *roi_a = a;
    if (in->mask) {
        size_t k = 0;
        if (!(r = st_det_get(in, w, h))) {
            rc = st_err_set(err, ST_ENOMEM, "redness: out of memory for %dx%d", w, h);
            goto done;
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (st_det_inside(in, f * x, f * y))
                    r[k++] = a[(size_t)y * w + x];
        roi_a = r;
    }
    double ref = st_det_quantile(roi_a, n, 0.20);
    size_t red = count_at_least(roi_a, n, ref + RED_DA);
    rc = st_metric_set_put(out, "redness.erythema_index", ei / (double)n, "", err);
    if (!rc)
        rc = st_metric_set_put(out, "redness.area_fraction", 100.0 * (double)red / (double)n, "%", err);
done:
    st_det_put(in, r);
    st_det_pool_end(in, &local);
    free(rsum);
    free(rn);
    return rc;
}
