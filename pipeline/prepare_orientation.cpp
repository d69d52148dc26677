#include "pipeline/prepare_orientation.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>

namespace casenote {
namespace {

// Below this, half resolution leaves letters too small for their ascenders to be told apart.
constexpr int kMinHalvingDpi = 250;

}  // namespace

const char* orientation_method_name(OrientationMethod method) {
  switch (method) {
    case OrientationMethod::None: return "none";
    case OrientationMethod::TextShape: return "text_shape";
    case OrientationMethod::TesseractOsd: return "tesseract_osd";
    case OrientationMethod::ReadingComparison: return "reading_comparison";
  }
  return "none";
}

LineDirection find_line_direction(const PageImage& binary, int dpi, double max_skew_degrees) {
  LineDirection direction;
  direction.as_it_stands = measure_skew(binary, dpi, max_skew_degrees);
  direction.turned = measure_skew(PageImage(pixRotateOrth(binary.pix(), 1)), dpi, max_skew_degrees);
  const double across = direction.as_it_stands.alignment, down = direction.turned.alignment;
  direction.quarter_turns = down > across ? 1 : 0;
  const double weaker = std::min(across, down);
  direction.ratio = weaker > 0 ? std::max(across, down) / weaker : 1;
  return direction;
}

double upright_confidence(const PageImage& binary, double sure_at) {
  auto measure = [](Pix* pix) {
    float confidence = 0;
    return pixUpDownDetect(pix, &confidence, 0, 0, 0) == 0 ? static_cast<double>(confidence) : 0.0;
  };
  if (binary.dpi() >= kMinHalvingDpi) {
    Pix* half = pixReduceRankBinary2(binary.pix(), 1, nullptr);
    const double coarse = half ? measure(half) : 0;
    pixDestroy(&half);
    if (std::abs(coarse) >= sure_at) return coarse;
  }
  return measure(binary.pix());
}

}  // namespace casenote
