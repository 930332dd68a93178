// The OpenCV wrapper: the project's only C++ translation unit.
// Nothing outside this file includes an OpenCV header.
#include "cv/cv_wrap.h"

#include <cmath>
#include <cstdio>
#include <exception>

#include <algorithm>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/mcc/checker_detector.hpp>

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

// 8-bit copy of a float image, stretched between its 0.5 % and 99.5 %
// percentiles so that exposure does not change what the detector sees.
cv::Mat to_u8_stretched(const float *p, int w, int h, size_t stride)
{
    cv::Mat in = wrap(p, w, h, stride);
    std::vector<float> v;
    v.reserve(static_cast<size_t>(w) * h / 16 + 1);
    for (int y = 0; y < h; y += 4)
        for (int x = 0; x < w; x += 4) v.push_back(in.at<float>(y, x));
    size_t lo_i = v.size() / 200, hi_i = v.size() - 1 - v.size() / 200;
    std::nth_element(v.begin(), v.begin() + lo_i, v.end());
    float lo = v[lo_i];
    std::nth_element(v.begin(), v.begin() + hi_i, v.end());
    float hi = v[hi_i];
    double scale = hi > lo ? 255.0 / (hi - lo) : 1.0;
    cv::Mat out;
    in.convertTo(out, CV_8U, scale, -lo * scale);
    return out;
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

extern "C" int stcv_match_features(const float *fixed, size_t fstride, int fw, int fh,
                                   const float *moving, size_t mstride, int mw, int mh,
                                   int max_features, double h[9], int *n_matches, int *n_inliers,
                                   char *err, size_t errlen)
{
    if (n_matches) *n_matches = 0;
    if (n_inliers) *n_inliers = 0;
    return guarded("feature matching", err, errlen, [&] {
        cv::Mat a = to_u8_stretched(fixed, fw, fh, fstride);
        cv::Mat b = to_u8_stretched(moving, mw, mh, mstride);
        cv::Ptr<cv::ORB> orb = cv::ORB::create(max_features > 0 ? max_features : 2000);
        std::vector<cv::KeyPoint> ka, kb;
        cv::Mat da, db;
        orb->detectAndCompute(a, cv::noArray(), ka, da);
        orb->detectAndCompute(b, cv::noArray(), kb, db);
        if (da.empty() || db.empty() || ka.size() < 8 || kb.size() < 8) {
            if (err && errlen) std::snprintf(err, errlen, "feature matching: too few key points");
            return 6;
        }
        cv::BFMatcher matcher(cv::NORM_HAMMING);
        std::vector<std::vector<cv::DMatch>> knn;
        matcher.knnMatch(db, da, knn, 2);
        std::vector<cv::Point2f> pm, pf;
        for (const auto &m : knn) {
            // Lowe's ratio test (Lowe 2004, §7.1).
            if (m.size() == 2 && m[0].distance < 0.8f * m[1].distance) {
                pm.push_back(kb[m[0].queryIdx].pt);
                pf.push_back(ka[m[0].trainIdx].pt);
            }
        }
        if (n_matches) *n_matches = static_cast<int>(pm.size());
        if (pm.size() < 8) {
            if (err && errlen) std::snprintf(err, errlen, "feature matching: too few matches (%zu)", pm.size());
            return 6;
        }
        std::vector<unsigned char> inl;
        cv::Mat H = cv::findHomography(pm, pf, cv::RANSAC, 3.0, inl, 2000, 0.995);
        if (H.empty()) {
            if (err && errlen) std::snprintf(err, errlen, "feature matching: no homography");
            return 6;
        }
        int ni = 0;
        for (unsigned char c : inl) ni += c != 0;
        if (n_inliers) *n_inliers = ni;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) h[r * 3 + c] = H.at<double>(r, c);
        return 0;
    });
}

extern "C" int stcv_detect_colorchecker(const float *r, const float *g, const float *b,
                                        size_t stride, int w, int h, double patch_rgb[24][3],
                                        double box[8], double *cost, char *err, size_t errlen)
{
    return guarded("colour chart", err, errlen, [&] {
        cv::Mat planes[3];
        const float *src[3] = {b, g, r}; // OpenCV images are BGR
        for (int c = 0; c < 3; c++)
            wrap(src[c], w, h, stride).convertTo(planes[c], CV_8U, 255.0);
        cv::Mat bgr;
        cv::merge(planes, 3, bgr);
        cv::Ptr<cv::mcc::CCheckerDetector> det = cv::mcc::CCheckerDetector::create();
        if (!det->process(bgr, cv::mcc::MCC24, 1)) {
            if (err && errlen) std::snprintf(err, errlen, "colour chart: no ColorChecker found");
            return 6;
        }
        cv::Ptr<cv::mcc::CChecker> best = det->getBestColorChecker();
        if (!best) {
            if (err && errlen) std::snprintf(err, errlen, "colour chart: no ColorChecker found");
            return 6;
        }
        // getChartsRGB(): 3 rows per patch (R, G, B), columns
        // (pixel count, mean, stddev, max, min), values 0..255.
        cv::Mat prof = best->getChartsRGB();
        if (prof.rows < 72 || prof.cols < 2) {
            if (err && errlen) std::snprintf(err, errlen, "colour chart: unexpected profile %dx%d", prof.rows, prof.cols);
            return 7;
        }
        cv::Mat p64;
        prof.convertTo(p64, CV_64F);
        for (int i = 0; i < 24; i++)
            for (int c = 0; c < 3; c++) patch_rgb[i][c] = p64.at<double>(3 * i + c, 1) / 255.0;
        std::vector<cv::Point2f> bx = best->getBox();
        for (size_t i = 0; i < 4; i++) {
            box[2 * i] = i < bx.size() ? bx[i].x : 0.0;
            box[2 * i + 1] = i < bx.size() ? bx[i].y : 0.0;
        }
        if (cost) *cost = best->getCost();
        return 0;
    });
}
