// The OpenCV wrapper: the project's only C++ translation unit.
// Nothing outside this file includes an OpenCV header.
#include "cv/cv_wrap.h"

#include <cmath>
#include <cstdio>
#include <exception>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

// Runs f, turning any exception into status 7 (ST_EINTERNAL) and a message.
template <class F> int guarded(const char *what, char *err, size_t errlen, F f)
{
    try {
        return f();
    } catch (const cv::Exception &e) {
        if (err && errlen) std::snprintf(err, errlen, "%s: OpenCV: %s", what, e.what());
    } catch (const std::exception &e) {
        if (err && errlen) std::snprintf(err, errlen, "%s: %s", what, e.what());
    } catch (...) {
        if (err && errlen) std::snprintf(err, errlen, "%s: unknown C++ exception", what);
    }
    return 7;
}

cv::Mat wrap(const float *p, int w, int h, size_t stride)
{
    return cv::Mat(h, w, CV_32F, const_cast<float *>(p), stride * sizeof(float));
}

} // namespace

extern "C" int stcv_gaussian_blur(const float *src, float *dst, int w, int h, size_t stride,
                                  double sigma, char *err, size_t errlen)
{
    return guarded("gaussian blur", err, errlen, [&] {
        cv::Mat in = wrap(src, w, h, stride), out = wrap(dst, w, h, stride);
        // Kernel radius 3 sigma, as our own blur uses; BORDER_REFLECT = mirrored
        // with the edge sample repeated (fedcba|abcdef).
        int k = 2 * static_cast<int>(std::ceil(3.0 * sigma)) + 1;
        cv::GaussianBlur(in, out, cv::Size(k, k), sigma, sigma, cv::BORDER_REFLECT);
        return 0;
    });
}

extern "C" void stcv_set_threads(int n) { cv::setNumThreads(n <= 1 ? 0 : n); }
