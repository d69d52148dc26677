#include "pipeline/input_limits.h"

#include <fmt/format.h>

namespace casenote {

Status check_image_size(std::string_view what, long long width, long long height, const InputLimits& limits) {
  // Compared by division: a header may claim sides whose product overflows.
  if (height > 0 && width > limits.max_image_pixels / height)
    return Error{fmt::format("{} is {} x {} pixels, over the limit of {:g} megapixels", what, width, height,
                             static_cast<double>(limits.max_image_pixels) / 1e6)};
  if (width > limits.max_image_side || height > limits.max_image_side)
    return Error{fmt::format("{} is {} x {} pixels, over the limit of {} pixels a side", what, width, height,
                             limits.max_image_side)};
  return ok_status();
}

}  // namespace casenote
