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


/* ---- registration (analyzer/register) ------------------------------------ */

/* Feature matching for the registration fallback: ORB key points (Rublee et
 * al. 2011) on both images (scaled to 8 bits by their own 0.5/99.5 %
 * percentiles), Hamming brute-force matching with Lowe's ratio test (0.8),
 * then a RANSAC homography (3 px reprojection threshold). h (3x3 row-major)
 * maps MOVING pixels to FIXED pixels. *n_matches / *n_inliers (may be NULL)
 * get the ratio-test matches and the RANSAC inliers. Returns 0, 6 when too
 * few matches (< 8) or no homography was found, 7 on an OpenCV error. */
int stcv_match_features(const float *fixed, size_t fstride, int fw, int fh, const float *moving,
                        size_t mstride, int mw, int mh, int max_features, double h[9],
                        int *n_matches, int *n_inliers, char *err, size_t errlen);

/* ColorChecker Classic (24 patches) detection with cv::mcc::CCheckerDetector.
 * Input: planar sRGB-encoded R, G, B in [0, 1] (stride in floats). Output:
 * patch_rgb[24][3], the mean encoded R, G, B of each patch in the chart's
 * standard order (1 = dark skin ... 24 = black), and box[8], the chart's four
 * corners (x, y). *cost (may be NULL) is the detector's fit cost (lower is
 * better). Returns 0, 6 when no chart was found, 7 on an OpenCV error. */
int stcv_detect_colorchecker(const float *r, const float *g, const float *b, size_t stride, int w,
                             int h, double patch_rgb[24][3], double box[8], double *cost,
                             char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
