#include "pipeline/opencv_threads.h"

#include <opencv2/core/utility.hpp>

namespace casenote {

void hold_opencv_to_one_thread() { cv::setNumThreads(1); }

}  // namespace casenote
