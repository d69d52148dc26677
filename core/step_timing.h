// How long one step of reading a page took: recorded per page so that slow pages and slow
// steps can be found afterwards.
#pragma once

#include <string>

namespace casenote {

struct StepTiming {
  std::string step;  // e.g. "analyse", "orientation", "skew", "binarise", "level", "ocr"
  double milliseconds = 0;

  bool operator==(const StepTiming&) const = default;
};

}  // namespace casenote
