/* The detection family's entry point: runs pores, scars, wrinkles,
 * pigmentation and redness on one measured image and times each. */
#include "metrics/detect.h"

#include "core/error.h"
#include "metrics/detect_internal.h"

int st_detect_all(const st_detect_input *in, st_detect_opts *opts, st_metric_set *out,
                  st_detections *dets, st_err *err)
{
    int rc = st_det_check_input(in, "detections", err);
    if (rc)
        return rc;
    unsigned fam = (opts && opts->families) ? opts->families : ST_DETECT_ALL;
    /* The families share one pool of planes (see st_det_get); without it
     * (out of memory for the table) each allocates its own. */
    st_detect_input local = *in;
    local.pool = st_det_pool_new();
    in = &local;
    /* pigment and redness read the same smoothed Lab: one conversion */
    if ((fam & ST_DETECT_PIGMENT) && (fam & ST_DETECT_REDNESS))
        st_det_pool_share_lab(local.pool, 7u);
    int threads = opts ? opts->threads : 0, keep = opts ? opts->keep_scar_labels : 0;
    for (int k = 0; k < 5 && opts; k++)
        opts->family_seconds[k] = opts->family_cpu_seconds[k] = 0.0;
    for (int k = 0; k < 5 && !rc; k++) {
        if (!(fam >> k & 1u))
            continue;
        double t0 = st_det_now(), c0 = st_det_cpu_now();
        switch (1u << k) {
        case ST_DETECT_PORES:
            rc = st_pores_detect(in, threads, out, dets, err);
            break;
        case ST_DETECT_SCARS:
            rc = st_scars_detect(in, threads, keep, out, dets, err);
            break;
        case ST_DETECT_WRINKLES:
            rc = st_wrinkles_detect(in, threads, out, dets, err);
            break;
        case ST_DETECT_PIGMENT:
            rc = st_pigment_measure(in, threads, out, err);
            break;
        default:
            rc = st_redness_measure(in, threads, out, err);
            break;
        }
        if (opts) {
            opts->family_seconds[k] = st_det_now() - t0;
            opts->family_cpu_seconds[k] = st_det_cpu_now() - c0;
        }
    }
    st_det_pool_free(local.pool);
    return rc;
}
