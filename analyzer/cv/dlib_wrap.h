/* The only door to dlib: plain C types in and out, every C++ exception
 * caught inside and turned into a status code and a message in err/errlen. */
#ifndef ST_DLIB_WRAP_H
#define ST_DLIB_WRAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STDL_N_LANDMARKS 68

/* The 68-point model Debian's libdlib-data installs (CC0; trained on iBUG
 * 300-W, whose images carry a non-commercial condition: see README.md). */
#define STDL_DEFAULT_MODEL "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"

/* Whether this build has dlib at all (0: the functions below return 8). */
int stdl_available(void);

/* The largest frontal face in an 8-bit gray image (row stride in bytes) by
 * dlib's HOG face detector (get_frontal_face_detector, Dalal & Triggs 2005
 * features), and its 68 landmarks (iBUG 300-W order, Kazemi & Sullivan 2014
 * ensemble of regression trees) from the model file `model`: pts[2k], pts[2k+1]
 * = x, y of landmark k in image pixels; box = x, y, w, h of the detection.
 * Deterministic. Returns 0, 5 when the model file cannot be read, 6 when no
 * face was found, 7 on a dlib error, 8 when built without dlib. */
int stdl_face_landmarks(const unsigned char *gray, int w, int h, size_t stride, const char *model,
                        double pts[2 * STDL_N_LANDMARKS], double box[4], char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
