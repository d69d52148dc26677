// Limits for fuzzing: small enough that no input spends seconds decoding one huge image, so
// the fuzzer explores structure rather than size. The defaults are tested in input_limits_test.
#pragma once

#include "pipeline/input_limits.h"

namespace casenote::fuzzing {

inline InputLimits fuzz_limits() {
  InputLimits limits;
  limits.max_image_side = 4000;
  limits.max_image_pixels = 4'000'000;
  limits.max_pages = 8;
  return limits;
}

}  // namespace casenote::fuzzing
