// A 2-D affine map between pixel or point frames: (x, y) -> (a x + c y + e, b x + d y + f),
// the same layout as a PDF matrix, so it can be written into a content stream as it is.
#pragma once

#include <cmath>

namespace casenote {

struct Affine {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;

  double x_of(double x, double y) const { return a * x + c * y + e; }
  double y_of(double x, double y) const { return b * x + d * y + f; }

  // This map followed by `next`, which is how PDF composes `cm` with the current matrix:
  // CTM' = cm.then(CTM).
  Affine then(const Affine& next) const {
    return {a * next.a + b * next.c,          a * next.b + b * next.d,
            c * next.a + d * next.c,          c * next.b + d * next.d,
            e * next.a + f * next.c + next.e, e * next.b + f * next.d + next.f};
  }

  double determinant() const { return a * d - b * c; }

  // True when every entry is a finite number, so arithmetic on the map stays meaningful.
  bool finite() const {
    return std::isfinite(a) && std::isfinite(b) && std::isfinite(c) && std::isfinite(d) && std::isfinite(e) &&
           std::isfinite(f);
  }

  // The map undoing this one; only meaningful when the map is not degenerate.
  Affine inverse() const {
    const double det = a * d - b * c;
    return {d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det};
  }

  static Affine scale(double sx, double sy) { return {sx, 0, 0, sy, 0, 0}; }
  static Affine translate(double dx, double dy) { return {1, 0, 0, 1, dx, dy}; }
};

}  // namespace casenote
