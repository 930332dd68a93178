/* Internal state of one series analysis, shared by analyze.c (the order of
 * steps and the outputs) and analyze_shot.c (one photo: load, QC, register,
 * then measure). */
#ifndef ST_PIPELINE_ANALYZE_INT_H
#define ST_PIPELINE_ANALYZE_INT_H

#include <time.h>

#include "metrics/chromophores.h"
#include "metrics/lamp.h"
#include "register/colorchart.h"
#include "series/chart_light.h"
#include "pipeline/analyze.h"
#include "series/result.h"
#include "series/roi.h"
#include "series/run_folder.h"
#include "series/tiles.h"

/* One photo (or one stereo set) of a session. */
typedef struct shot_state {
    int ok;                    /* loaded, QC and registration passed */
    char reason[400];
    double matrix[9];          /* session -> baseline */
    int w, h;                  /* session image size */
    st_quality_info quality;
    st_metric_set qmetrics;    /* quality.* */
    st_registration_info reg;
    st_colorchart chart;       /* photos: the colour chart found in the full frame */
    int chart_fitted;          /* its correction is fitted and applied in pass 2 */
    st_light_grid light_grid;  /* the photo's luminance in cells, the chart left out */
    st_chart_light chart_light;/* its light field: the baseline's own, a session's
                                  relative to the baseline's */
    char colour_note[200];     /* why the photo is not calibrated */
    st_mask skin;              /* automatic ROI: the photo's skin at low resolution (st_skin_lowres) */
    int skin_f;                /* its block size in full-res pixels */
} shot_state;

typedef struct analyze_ctx {
    const st_pipeline_opts *opts;
    st_series series;
    st_series_result result;
    shot_state **shots;        /* [session][file or 0 for stereo] */
    size_t *n_shots;
    size_t n_shot_rows;        /* sessions the two above were made for (the series
                                  itself may move out to the caller first) */
    char out[4096];            /* where this run writes: OUT or its stage (series/run_folder.h) */
    st_run_folder folder;
    st_image *base;            /* the reference photo, full frame, kept throughout */
    size_t base_shot;          /* which photo of the baseline session it is */
    int frame_w, frame_h;      /* the baseline frame (kept after base is released) */
    double base_sharpness;     /* the reference photo's, for the blur check */
    st_image *held;            /* the last registered photo, kept to skip a second decode */
    size_t held_session, held_shot;
    st_mask mask;              /* measured patch, baseline frame */
    int roi_by_face;           /* the automatic patch was found with facial landmarks */
    int reg_box[4];            /* bare face photos: the face's box, what registration follows;
                                  reg_box[2] == 0: the whole frame */
    int box[4];                /* its bounding box */
    st_tile_sums tiles[2];     /* baseline, remodeling session */
    st_image *base_small;      /* the baseline patch as shown in images/ (luminance) */
    st_image *base_shading;    /* photos: the baseline's relief surface, for the lamp's turn */
    st_lamp base_lamp;         /* photos: the baseline's lamp (valid when base_shading is set) */
    size_t photos_done, photos_total;
    int remodel_session;       /* latest session that passed pass 1; -1 none */
    int fam_present[ST_FAM_COUNT]; /* the family was measured in both sessions */
    int output_failed;         /* an output could not be written: the run stops */
    st_pipeline_result *res;
} analyze_ctx;

/* A stage's start: wall clock and the process's CPU clock (all threads). */
typedef struct st_tick {
    double wall, cpu;
} st_tick;

static inline st_tick st_tick_now(void)
{
    struct timespec w, p;
    clock_gettime(CLOCK_MONOTONIC, &w);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p);
    return (st_tick){(double)w.tv_sec + 1e-9 * (double)w.tv_nsec, (double)p.tv_sec + 1e-9 * (double)p.tv_nsec};
}

static inline void st_stage_add(double *wall, double *cpu, st_tick t0)
{
    st_tick t1 = st_tick_now();
    *wall += t1.wall - t0.wall;
    *cpu += t1.cpu - t0.cpu;
}

/* Adds the time since t0 to stage `field` of c's result (wall and CPU). */
#define ST_STAGE_ADD(c, field, t0) st_stage_add(&(c)->res->times.field, &(c)->res->cpu.field, (t0))

/* Pass 1: load, QC and register every photo of session i. */
int shot_register_session(analyze_ctx *c, size_t i, st_err *err);
/* Pass 2: measure the registered photos of session i into the result. */
int shot_measure_session(analyze_ctx *c, size_t i, st_err *err);
/* Loads photo j of session i (honours the modality and --max-pixels). */
int shot_load(analyze_ctx *c, size_t i, size_t j, st_image **img, st_err *err);

/* Colour (colour_cal.c): pass 1 finds the chart in photo img of session i
 * (and pixel_mm from the baseline's when only the pitch is known); pass 2
 * corrects the patch (mask: its measured pixels) with it, for the light on
 * the patch rather than on the chart; the session's `colour` field; the charts cut
 * out of the measured patch. */
int shot_find_chart(analyze_ctx *c, size_t i, shot_state *sh, st_image *img, st_err *err);
/* After registration: the light on the photo's chart relative to the
 * baseline's (chart_light.c). */
int shot_relate_light(analyze_ctx *c, shot_state *sh, st_err *err);
int shot_correct_colour(const analyze_ctx *c, const shot_state *sh, st_image *patch, const unsigned char *mask,
                        st_err *err);
void shot_colour_info(const analyze_ctx *c, const shot_state *sh, st_colour_info *out);
int roi_cut_charts(analyze_ctx *c, st_err *err);

/* images/: the aligned patch, its detection overlay and, for photos, the
 * melanin and haemoglobin maps (chromo_small, from images_reduce_chromo;
 * either may be NULL) (analyze_images.c). */
/* images/session_00_area.jpg: the baseline photo, whole frame, with the
 * measured patch outlined (green when given by series.json or --roi, yellow
 * when found automatically). */
int images_write_area(analyze_ctx *c, st_err *err);
int images_write_session(analyze_ctx *c, size_t i, const st_image *rgb, const st_image *surface,
                         st_image *const chromo_small[2], const st_detections *det, st_err *err);
/* The melanin and haemoglobin maps of a photo patch (rgb) as images/ shows
 * them, reduced like the patch (mask: its measured pixels): made as soon as
 * the densities are when the factor is 2 or more (they are then smaller
 * than the two density planes, which are released before the patch is
 * measured). */
/* The reduction factor of the images of a patch: at most 1600 px a side. */
int image_factor(const st_image *src);
int images_reduce_chromo(const st_image *rgb, const st_chromo *chromo, const unsigned char *mask,
                         st_image *small[2], st_err *err);

#endif
