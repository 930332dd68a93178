/* The patch of skin every session is measured on (SPEC.md, "Progress"):
 * a mask in baseline pixels, from the manifest's / --roi rectangle or an
 * automatic skin mask, cut to the part every registered session sees. */
#ifndef ST_SERIES_ROI_H
#define ST_SERIES_ROI_H

#include <stddef.h>

#include "skintrack/skintrack.h"

typedef struct st_mask {
    int w, h;
    unsigned char *px; /* w*h, 1 = inside */
} st_mask;

int st_mask_new(int w, int h, st_mask *m, st_err *err);
void st_mask_free(st_mask *m);
size_t st_mask_count(const st_mask *m);
/* Bounding box x, y, w, h of the set pixels; -1 if empty. */
int st_mask_bbox(const st_mask *m, int box[4]);

/* The rectangle clipped to the image; ST_EINVAL if nothing is left. */
int st_mask_from_rect(int w, int h, const int roi[4], st_mask *m, st_err *err);

/* Automatic skin mask of a photo (3 channels, sRGB in [0, 1]): pixels whose
 * colour is skin-like (Cb/Cr box of Chai & Ngan 1999, widened for uneven
 * light) and whose local texture is neither flat (background) nor edge-strong
 * (hair, eyelashes, lips' borders), cleaned by a majority filter and reduced
 * to its largest connected part with holes kept. Computed on a downsampled
 * copy. Returns ST_OK with m filled; *note is set to a sentence when the
 * mask found too little skin and the whole frame was used instead. */
int st_skin_mask(const st_image *rgb, st_mask *m, const char **note, int threads, st_err *err);

/* The same skin test without the reduction to one region: every pixel that
 * is skin (colour, texture; not dark brows/eyes/hair, glare or lips), the
 * mask eroded away from every non-skin border. ref (may be NULL): pixels
 * known to be skin (from facial landmarks), whose colour is the reference. */
int st_skin_pixels(const st_image *rgb, const st_mask *ref, st_mask *m, st_err *err);

/* The skin test at low resolution (f full-res pixels a side per mask pixel),
 * every region: what a session shows as skin, kept through pass 1. */
int st_skin_lowres(const st_image *rgb, st_mask *m, int *f, st_err *err);

/* Clears the pixels of m (baseline frame) that a session with matrix m_sb
 * (session -> baseline) shows as not skin in `skin` (its st_skin_lowres,
 * block factor f): glare, shadow or hair in that session only. */
void st_mask_cut_to_skin(st_mask *m, const double m_sb[9], const st_mask *skin, int f);

/* Keeps the largest 4-connected region of m. */
int st_mask_keep_largest(st_mask *m, st_err *err);

/* Erodes m by r px (Chebyshev distance; the image border counts as unset). */
int st_mask_erode(st_mask *m, int r, st_err *err);

/* A face photo's named area (SPEC.md series.json "area": forehead, left
 * cheek, right cheek, nose, chin, perioral; left/right are the patient's,
 * so "left cheek" lies on the image's right in a frontal photo) as a mask:
 * the polygon built from the 68 facial landmarks (dlib, analyzer/cv), cut to
 * the skin pixels and to its largest part. `model` NULL: the default model
 * path. Returns ST_OK; when the area is not a face area, or no face or no
 * landmarks are available, m->px is NULL and `why` says why (the caller
 * falls back to the skin area). pts (may be NULL) gets the 68 landmarks. */
int st_face_area_name(const char *area, char canon[32]);
/* How `why` starts when the photo gave no usable landmarks (no dlib, no
 * face, a degenerate face): both functions below then fail alike on that
 * photo, and a caller may skip the second detection. */
#define ST_FACE_NO_LANDMARKS "no facial landmarks"
/* The skin area of a face photo: the skin test with the face's own colour
 * (cheeks, nose, forehead by the landmarks) as reference, largest region;
 * m->px NULL and why set when no face is found. */
int st_face_skin_mask(const st_image *rgb, const char *model, st_mask *m, char *why, size_t whylen, st_err *err);
int st_face_area(const st_image *rgb, const char *area, const char *model, st_mask *m, double pts[136],
                 char *why, size_t whylen, st_err *err);
/* The face's box x, y, w, h in rgb's pixels: the 68 landmarks' bounding box
 * grown by a tenth of its size (twice that upwards, for the forehead),
 * clipped to the photo; what registration of face photos follows. Returns
 * ST_OK; box[2] == 0 and why set when no face or landmarks are found. */
int st_face_box(const st_image *rgb, const char *model, int box[4], char *why, size_t whylen, st_err *err);

/* Clears the pixels of m a session with matrix `m_sb` (session -> baseline,
 * row-major) and size sw x sh does not see; `margin` px of the session
 * border are treated as unseen (the interpolation kernel's reach). */
void st_mask_cut_to_view(st_mask *m, const double m_sb[9], int sw, int sh, double margin);

/* A convex quadrilateral (4 corners x, y in either turning order) grown by
 * margin px, prepared once for many point tests. */
typedef struct st_quad {
    double q[8], ex[4], ey[4], len[4];
    double sign, margin, lo_x, lo_y, hi_x, hi_y; /* hi/lo: the corners' bounding box */
    int empty; /* zero area: nothing is inside */
} st_quad;
void st_quad_prepare(st_quad *t, const double q[8], double margin);
int st_quad_inside(const st_quad *t, double x, double y);

/* Clears the pixels of m inside the quadrilateral q (4 corners x, y in
 * either turning order, convex) grown by `margin` px; returns how many set
 * pixels it cleared. */
size_t st_mask_clear_quad(st_mask *m, const double q[8], double margin);

#endif
