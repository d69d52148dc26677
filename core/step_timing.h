// How long one step of reading a page took: recorded per page so that slow pages and slow
// steps can be found afterwards.
#pragma once

#include <chrono>
#include <string>
#include <utility>

namespace casenote {

struct StepTiming {
  std::string step;  // e.g. "analyse", "orientation", "skew", "binarise", "level", "ocr"
  double milliseconds = 0;

  bool operator==(const StepTiming&) const = default;
};

// `step`, timed from `start` to now.
inline StepTiming timed_since(std::string step, std::chrono::steady_clock::time_point start) {
  return {std::move(step), std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace casenote
