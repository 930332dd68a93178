/* Rotation and scale by the Fourier-Mellin transform (Reddy & Chatterji 1996):
 * the magnitude spectrum ignores translation; in log-polar coordinates a
 * rotation and a scale become a shift, found by phase correlation. */
#ifndef ST_REGISTER_LOGPOLAR_H
#define ST_REGISTER_LOGPOLAR_H

#include <stddef.h>
#include "fft/fft.h"
#include "skintrack/skintrack.h"

typedef struct st_rotscale {
    double angle_rad; /* moving -> fixed rotation, in image coordinates (y down), mod pi */
    double scale;     /* moving -> fixed scale */
    double psr;       /* confidence of the log-polar correlation peak */
} st_rotscale;

/* a (fixed) and b (moving) are w x h, same size (zero-pad smaller images).
 * The angle is found modulo 180 degrees (the magnitude spectrum is
 * point-symmetric); the caller resolves the other half-turn. */
int st_logpolar_rotscale(st_fft *fft, const float *a, size_t astride, const float *b,
                         size_t bstride, int w, int h, st_rotscale *out, st_err *err);

#endif
