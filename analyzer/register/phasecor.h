/* Windowed FFT phase correlation (Kuglin & Hines 1975) through analyzer/fft. */
#ifndef ST_REGISTER_PHASECOR_H
#define ST_REGISTER_PHASECOR_H

#include <stddef.h>
#include "fft/fft.h"
#include "skintrack/skintrack.h"

typedef struct st_phasecor_result {
    double dx, dy; /* b(x, y) ~ a(x - dx, y - dy) */
    double psr;    /* peak-to-sidelobe ratio: (peak - mean) / sd outside the peak */
} st_phasecor_result;

/* Window flags: a Hann window along an axis suppresses the wrap-around edge;
 * leave it off along a periodic axis (the angle of a log-polar image). */
enum { ST_PC_WINDOW_X = 1, ST_PC_WINDOW_Y = 2 };

/* a and b are w x h (own strides). The images are mean-removed, windowed and
 * zero-padded to a size FFTW likes when pad != 0 (else transformed as they
 * are, i.e. circularly). Sub-pixel peak: a parabola through the peak and its
 * two neighbours along each axis. */
int st_phasecor(st_fft *fft, const float *a, size_t astride, const float *b, size_t bstride,
                int w, int h, unsigned window, int pad, st_phasecor_result *out, st_err *err);

#endif
