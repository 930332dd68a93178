/* The only place that talks to FFTW (single precision).
 *
 * Plans are created under a mutex and cached by (kind, size) for the life of
 * an st_fft handle; executing a cached plan is thread-safe because we use the
 * new-array execute functions (FFTW manual §4.6, "Thread safety").
 * Wisdom: plans are FFTW_ESTIMATE until wisdom exists; st_fft_set_wisdom_file
 * names a file that is imported once and, when measure mode is on, extended
 * with FFTW_MEASURE plans and saved (atomically) on st_fft_free. The default
 * path is $SKINTRACK_FFTW_WISDOM, else $XDG_CACHE_HOME/skintrack/fftw-wisdom,
 * else ~/.cache/skintrack/fftw-wisdom; SKINTRACK_FFTW_WISDOM=off disables it.
 *
 * Buffers must come from st_fft_alloc_* (SIMD-aligned, as the plans assume).
 * Layout: real arrays are h rows of w floats (no padding); half-complex
 * spectra are h rows of (w/2+1) complex values, unnormalised (FFTW's sign
 * convention: forward uses e^{-i...}, c2r(r2c(x)) = w*h*x). */
#ifndef ST_FFT_H
#define ST_FFT_H

#include <stddef.h>
#include "skintrack/skintrack.h"

typedef float st_complex[2];

typedef struct st_fft st_fft;

/* threads: FFTW threads per transform (<= 0: all cores). */
int st_fft_new(int threads, st_fft **out, st_err *err);
void st_fft_free(st_fft *fft);

/* Wisdom file path ("" or "off": none). measure=1 plans with FFTW_MEASURE
 * once and keeps the result in the wisdom file. */
void st_fft_set_wisdom(st_fft *fft, const char *path, int measure);
/* The default wisdom path as described above, or "" when disabled. */
const char *st_fft_default_wisdom_path(char *buf, size_t len);

float *st_fft_alloc_real(size_t n);
st_complex *st_fft_alloc_complex(size_t n);
void st_fft_free_buf(void *p);

/* 2-D real-to-complex forward (in: h x w, out: h x (w/2+1)) and the inverse
 * complex-to-real (in is destroyed by FFTW). */
int st_fft_r2c(st_fft *fft, int w, int h, float *in, st_complex *out, st_err *err);
int st_fft_c2r(st_fft *fft, int w, int h, st_complex *in, float *out, st_err *err);
/* 2-D complex forward (sign -1) or inverse (sign +1), out-of-place. */
int st_fft_c2c(st_fft *fft, int w, int h, int sign, st_complex *in, st_complex *out, st_err *err);

/* Smallest n' >= n of the form 2^a 3^b 5^c 7^d (fast for FFTW). */
int st_fft_good_size(int n);

#endif
