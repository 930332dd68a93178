/* Redness: erythema index and red area.
 *
 * EI = 100 log10(R / G) on linear R and G (Diffey, Oliver & Farr, Br J
 * Dermatol 111, 1984; the ratio form of Dawson et al., Phys Med Biol 25,
 * 1980), the ROI's mean of per-pixel values. Red area: pixels whose a*
 * (CIE L*a*b*, D65, after a 0.05 mm Gaussian) exceeds the ROI's least red
 * fifth (its 20th percentile of a*) by 4 units, a clearly visible
 * difference; the index, not the area, follows diffuse redness that covers
 * the whole patch. */
#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/error.h"
#include "metrics/detect_internal.h"
#include "simd/kernels.h"

#define RED_DA 4.0
#define SMOOTH_MM 0.05
#define RG_FLOOR 1e-4f

int st_redness_measure(const st_detect_input *in, int threads, st_metric_set *out, st_err *err)
{
    int rc = st_det_check_input(in, "redness", err);
    if (rc || !in->rgb)
        return rc;
    const int w = in->rgb->width, h = in->rgb->height;
    double pmm = st_det_pixel_mm(in);
    float *r = st_det_alloc(w, h), *g = st_det_alloc(w, h), *a = st_det_alloc(w, h);
    if (!r || !g || !a) {
        rc = st_err_set(err, ST_ENOMEM, "redness: out of memory for %dx%d", w, h);
        goto done;
    }
    st_det_linear_rg(in->rgb, r, g);
    st_det_lab_planes(in->rgb, NULL, a, NULL);
    rc = st_gaussian_blur(a, (size_t)w, a, (size_t)w, w, h, pmm > 0 ? fmax(0.5, SMOOTH_MM / pmm) : 1.0,
                          threads);
    if (rc) {
        rc = st_err_set(err, rc, "redness: smoothing failed");
        goto done;
    }
    /* EI first; r then collects the ROI's a* values (r[n], n <= i, has
     * been read already). */
    double ei = 0.0;
    size_t n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!st_det_inside(in, x, y))
                continue;
            size_t i = (size_t)y * w + x;
            ei += 100.0 * log10(fmaxf(r[i], RG_FLOOR) / fmaxf(g[i], RG_FLOOR));
            r[n++] = a[i];
        }
    if (!n)
        goto done;
    double ref = st_det_quantile(r, n, 0.20);
    size_t red = 0;
    for (size_t i = 0; i < n; i++)
        red += r[i] >= ref + RED_DA;
    rc = st_metric_set_put(out, "redness.erythema_index", ei / (double)n, "", err);
    if (!rc)
        rc = st_metric_set_put(out, "redness.area_fraction", 100.0 * (double)red / (double)n, "%", err);
done:
    st_aligned_free(r);
    st_aligned_free(g);
    st_aligned_free(a);
    return rc;
}
