// dlib behind a C interface (see dlib_wrap.h). The shape predictor (a ~100 MB
// model) is loaded once per path, when the first face is found, and kept; loading and detection run under a
// mutex, as dlib's detector objects are not meant to be shared between threads.
#include "cv/dlib_wrap.h"

#include <cstdio>
#include <exception>
#include <fstream>
#include <mutex>
#include <string>

#ifdef ST_HAVE_DLIB
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#endif

namespace {
void set_err(char *err, size_t errlen, const char *what, const char *detail)
{
    if (err && errlen)
        std::snprintf(err, errlen, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}
} // namespace

#ifdef ST_HAVE_DLIB
namespace {
std::mutex g_mutex;
std::string g_model_path;
dlib::shape_predictor g_predictor;
bool g_detector_ready = false;
dlib::frontal_face_detector g_detector;
} // namespace

extern "C" int stdl_available(void) { return 1; }

extern "C" int stdl_face_landmarks(const unsigned char *gray, int w, int h, size_t stride, const char *model,
                                   double pts[2 * STDL_N_LANDMARKS], double box[4], char *err, size_t errlen)
{
    try {
        std::lock_guard<std::mutex> lock(g_mutex);
        if (!model)
            model = STDL_DEFAULT_MODEL;
        // The model is read (about 1 s of CPU for its 100 MB) only once a
        // face is found: most skin close-ups have none. A missing file is
        // still reported first, as before.
        std::ifstream f;
        if (g_model_path != model) {
            f.open(model, std::ios::binary);
            if (!f) {
                set_err(err, errlen, "landmark model not found", model);
                return 5;
            }
        }
        if (!g_detector_ready) {
            g_detector = dlib::get_frontal_face_detector();
            g_detector_ready = true;
        }
        dlib::array2d<unsigned char> img(h, w);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                img[y][x] = gray[(size_t)y * stride + x];
        std::vector<dlib::rect_detection> found;
        g_detector(img, found);
        if (found.empty()) {
            set_err(err, errlen, "no frontal face found", nullptr);
            return 6;
        }
        if (f.is_open()) {
            dlib::deserialize(g_predictor, f);
            g_model_path = model;
        }
        // The most confident detection, not the largest: on scikit-image's
        // astronaut turned by -6 deg a larger false face on the suit
        // (confidence below the real one's) took the landmarks off the face.
        // Ties (equal confidence) go to the larger box, then the first.
        size_t best = 0;
        for (size_t k = 1; k < found.size(); k++)
            if (found[k].detection_confidence > found[best].detection_confidence ||
                (found[k].detection_confidence == found[best].detection_confidence &&
                 found[k].rect.area() > found[best].rect.area()))
                best = k;
        std::vector<dlib::rectangle> faces(1, found[best].rect);
        best = 0;
        dlib::full_object_detection s = g_predictor(img, faces[best]);
        if (s.num_parts() != STDL_N_LANDMARKS) {
            set_err(err, errlen, "landmark model gives another number of points than 68", model);
            return 7;
        }
        for (int k = 0; k < STDL_N_LANDMARKS; k++) {
            pts[2 * k] = (double)s.part(k).x();
            pts[2 * k + 1] = (double)s.part(k).y();
        }
        box[0] = faces[best].left();
        box[1] = faces[best].top();
        box[2] = (double)faces[best].width();
        box[3] = (double)faces[best].height();
        return 0;
    } catch (const std::exception &e) {
        set_err(err, errlen, "dlib", e.what());
        return 7;
    } catch (...) {
        set_err(err, errlen, "dlib: unknown error", nullptr);
        return 7;
    }
}
#else
extern "C" int stdl_available(void) { return 0; }

extern "C" int stdl_face_landmarks(const unsigned char *, int, int, size_t, const char *, double *, double *,
                                   char *err, size_t errlen)
{
    set_err(err, errlen, "built without dlib", nullptr);
    return 8;
}
#endif
