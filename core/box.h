// An axis-aligned rectangle in page pixels.
#pragma once

#include <algorithm>

namespace casenote {

struct Box {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;

  int right() const { return x + w; }
  int bottom() const { return y + h; }
  bool empty() const { return w <= 0 || h <= 0; }

  // The smallest box holding both; an empty box is the identity.
  Box united(const Box& o) const {
    if (empty()) return o;
    if (o.empty()) return *this;
    int l = std::min(x, o.x), t = std::min(y, o.y);
    return {l, t, std::max(right(), o.right()) - l, std::max(bottom(), o.bottom()) - t};
  }

  bool operator==(const Box&) const = default;
};

}  // namespace casenote
