// A PDF transformation matrix [a b c d e f]: maps (x, y) to (a x + c y + e, b x + d y + f).
#pragma once

#include <cmath>

namespace casenote {

struct PdfMatrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;

  double x_of(double x, double y) const { return a * x + c * y + e; }
  double y_of(double x, double y) const { return b * x + d * y + f; }

  // This transform followed by `next`, which is how PDF composes `cm` with the current matrix:
  // CTM' = cm.then(CTM).
  PdfMatrix then(const PdfMatrix& next) const {
    return {a * next.a + b * next.c,         a * next.b + b * next.d,
            c * next.a + d * next.c,         c * next.b + d * next.d,
            e * next.a + f * next.c + next.e, e * next.b + f * next.d + next.f};
  }

  double determinant() const { return a * d - b * c; }

  // True when every entry is a finite number, so arithmetic on the matrix stays meaningful.
  bool finite() const {
    return std::isfinite(a) && std::isfinite(b) && std::isfinite(c) && std::isfinite(d) &&
           std::isfinite(e) && std::isfinite(f);
  }
};

}  // namespace casenote
