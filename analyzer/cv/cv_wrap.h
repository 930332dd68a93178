/* The only door to OpenCV: plain C types in and out, every C++ exception
 * caught inside and turned into a status code and a message in err/errlen.
 * Images are single-channel float32 with a row stride in floats. */
#ifndef ST_CV_WRAP_H
#define ST_CV_WRAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Gaussian blur with OpenCV, the reference for our own blur in benchmarks and
 * tests: kernel radius ceil(3 sigma), mirrored borders (BORDER_REFLECT). */
int stcv_gaussian_blur(const float *src, float *dst, int w, int h, size_t stride, double sigma,
                       char *err, size_t errlen);

/* Number of threads OpenCV may use (0 or 1: single-threaded). */
void stcv_set_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
