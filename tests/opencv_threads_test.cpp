// OpenCV's loops run on the calling thread once held (pipeline/opencv_threads.h).
#include <ctime>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <catch2/catch.hpp>

#include "pipeline/opencv_threads.h"

namespace {

double cpu_ms(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

}  // namespace

TEST_CASE("once held, OpenCV warps a page on the calling thread alone", "[prepare]") {
  casenote::hold_opencv_to_one_thread();
  CHECK(cv::getNumThreads() == 1);
  // An A4 page at 300 dpi turned as levelling turns it, a few times over: had OpenCV handed
  // stripes to other threads, the process would spend much more CPU than this thread does.
  const cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(200));
  cv::Mat turned;
  const double thread_start = cpu_ms(CLOCK_THREAD_CPUTIME_ID), process_start = cpu_ms(CLOCK_PROCESS_CPUTIME_ID);
  for (int i = 0; i < 5; ++i)
    cv::warpAffine(page, turned, cv::getRotationMatrix2D({1240, 1754}, 1.5 + i, 1.0), page.size(), cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT, cv::Scalar(255));
  const double on_this_thread = cpu_ms(CLOCK_THREAD_CPUTIME_ID) - thread_start;
  const double in_process = cpu_ms(CLOCK_PROCESS_CPUTIME_ID) - process_start;
  CHECK(on_this_thread >= 0.8 * in_process);
}
