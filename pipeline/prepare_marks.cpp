#include "pipeline/prepare_marks.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>

namespace casenote {
namespace {

// Solid over this width in both directions: no text stroke is (a 72-point heading's is about
// 0.1 inch at its thickest, and is seldom also that tall and wide in one blob).
constexpr double kSolidInches = 0.12;
// Punched holes: 5 to 8 mm across, centred 8 to 15 mm in from the edge.
constexpr double kHoleMinInches = 0.15, kHoleMaxInches = 0.45, kHoleEdgeInches = 1.0;
// Widening of a mark: over its ragged dark edge, then over its blurred rim.
constexpr double kDarkEdgeInches = 0.06, kRimInches = 0.02;

int pixels(double inches, int dpi) { return std::max(1, static_cast<int>(std::lround(inches * dpi))); }

bool is_border(int x, int y, int w, int h, int width, int height) {
  return x <= 1 || y <= 1 || x + w >= width - 1 || y + h >= height - 1;
}

bool is_punched_hole(Pix* component, int x, int y, int w, int h, int width, int height, int dpi) {
  const double across_min = kHoleMinInches * dpi, across_max = kHoleMaxInches * dpi;
  if (w < across_min || h < across_min || w > across_max || h > across_max) return false;
  if (w > 1.4 * h || h > 1.4 * w) return false;
  const double to_edge = std::min({x + w / 2.0, y + h / 2.0, width - x - w / 2.0, height - y - h / 2.0});
  if (to_edge > kHoleEdgeInches * dpi) return false;
  l_int32 set = 0;
  pixCountPixels(component, &set, nullptr);
  return set >= 0.6 * w * h;  // a disc fills 79% of its box
}

}  // namespace

PageImage find_scanner_marks(const PageImage& grey, int dpi) {
  const int width = grey.width(), height = grey.height();
  // Scanner black is far below the paper; half the paper's brightness separates them.
  l_uint32 paper = 0;
  pixGetRankValue(grey.pix(), 2, 0.9f, &paper);
  Pix* dark = pixThresholdToBinary(grey.pix(), std::max(1, static_cast<int>(paper) / 2));
  const int solid = pixels(kSolidInches, dpi);
  Pix* cores = pixOpenBrick(nullptr, dark, solid, solid);

  Pixa* parts = nullptr;
  Boxa* boxes = pixConnComp(cores, &parts, 8);
  Pix* marks = pixCreateTemplate(cores);
  bool any = false;
  for (int i = 0; i < boxaGetCount(boxes); ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
    Pix* part = pixaGetPix(parts, i, L_CLONE);
    if (is_border(x, y, w, h, width, height) || is_punched_hole(part, x, y, w, h, width, height, dpi)) {
      pixRasterop(marks, x, y, w, h, PIX_SRC | PIX_DST, part, 0, 0);
      any = true;
    }
    pixDestroy(&part);
  }
  boxaDestroy(&boxes);
  pixaDestroy(&parts);
  pixDestroy(&cores);

  if (any) {
    // The solid core misses the mark's ragged edge and its grey rim; take in the dark pixels
    // next to it, then a little more.
    const int edge = 2 * pixels(kDarkEdgeInches, dpi) + 1, rim = 2 * pixels(kRimInches, dpi) + 1;
    pixDilateBrick(marks, marks, edge, edge);
    pixAnd(marks, marks, dark);
    pixDilateBrick(marks, marks, rim, rim);
  }
  pixDestroy(&dark);
  if (!any) {
    pixDestroy(&marks);
    return PageImage();
  }
  pixCopyResolution(marks, grey.pix());
  return PageImage(marks);
}

void erase_marks(PageImage& page, const PageImage& marks) {
  if (marks.empty() || page.empty()) return;
  const float sx = static_cast<float>(page.width()) / marks.width();
  const float sy = static_cast<float>(page.height()) / marks.height();
  Pix* scaled = pixScaleBinary(marks.pix(), sx, sy);
  if (!scaled) return;
  if (pixGetDepth(page.pix()) == 1)
    pixSubtract(page.pix(), page.pix(), scaled);
  else
    pixPaintThroughMask(page.pix(), scaled, 0, 0, 0xff);
  pixDestroy(&scaled);
}

}  // namespace casenote
