#include "pipeline/page_geometry.h"

#include <cmath>

namespace casenote {

Affine prepared_to_loaded(const PreparationGeometry& g) {
  const double w = g.loaded_width, h = g.loaded_height;
  // Loaded to upright, turning clockwise by quarter turns; a pixel's corner (x, y) lands at
  // the listed position of the turned page.
  Affine loaded_to_upright;
  double upright_w = w, upright_h = h;
  switch (((g.rotation_degrees % 360) + 360) % 360) {
    case 90: loaded_to_upright = {0, 1, -1, 0, h, 0}, upright_w = h, upright_h = w; break;
    case 180: loaded_to_upright = {-1, 0, 0, -1, w, h}; break;
    case 270: loaded_to_upright = {0, -1, 1, 0, 0, w}, upright_w = h, upright_h = w; break;
    default: break;
  }
  // Upright to prepared: a clockwise turn by the skew (y down) about the centre, the centre
  // then moved to the prepared canvas's centre.
  const double radians = g.skew_degrees * 3.14159265358979323846 / 180.0;
  const double cos_a = std::cos(radians), sin_a = std::sin(radians);
  const Affine upright_to_prepared = Affine::translate(-upright_w / 2, -upright_h / 2)
                                         .then({cos_a, sin_a, -sin_a, cos_a, 0, 0})
                                         .then(Affine::translate(g.prepared_width / 2.0, g.prepared_height / 2.0));
  return loaded_to_upright.then(upright_to_prepared).inverse();
}

}  // namespace casenote
