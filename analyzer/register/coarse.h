/* Coarse registration on one pyramid level: Fourier-Mellin rotation and scale,
 * then phase-correlation translation for each rotation hypothesis. */
#ifndef ST_REGISTER_COARSE_H
#define ST_REGISTER_COARSE_H

#include "fft/fft.h"
#include "register/refine.h"

/* m (out): moving -> fixed in level pixels; *psr: peak-to-sidelobe ratio of
 * the winning translation correlation (the coarse step's confidence). */
int st_coarse_align(st_fft *fft, const st_plane *fixed, const st_plane *moving, int threads,
                    double m[9], double *psr, st_err *err);

#endif
