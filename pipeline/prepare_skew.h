// Skew: how far a page's text lines lean from horizontal, measured two ways. docs/preparation.md
// compares them; preparation uses the projection profile.
#pragma once

#include "ocr/page_image.h"

namespace casenote {

struct SkewEstimate {
  double degrees = 0;     // positive when text lines rise to the right
  double confidence = 0;  // the method's own measure; see SkewMethod
  double alignment = 0;   // how sharply the ink lines up in rows at that angle (projection profile only)
  bool found = false;     // false when the page gave no reliable measurement; degrees is then 0
  // Not found, but nearly: the method's best angle, for preparation to check another way (by
  // how the page reads levelled by it). Projection profile only, at confidence 2 or more.
  bool worth_checking = false;
  double best_degrees = 0;
};

enum class SkewMethod {
  // Leptonica's sweep and binary search for the angle whose row projection is sharpest.
  // Confidence: Leptonica's own, the peak's score over the lowest score its search met within a
  // degree of it; found at 3 or more, worth checking from 2.
  ProjectionProfile,
  // OpenCV: characters smeared into line blobs, a straight line fitted to each long blob,
  // the length-weighted median of their angles. Confidence: the share of line length within
  // 0.2 degrees of that median; found with at least five lines.
  LineFit,
};

// Measures the skew of the text lines of a binary page (1 bpp, ink set, best at about 150 dpi)
// of at least ±max_degrees. `dpi` is the page's resolution.
SkewEstimate measure_skew(const PageImage& binary, int dpi, double max_degrees,
                          SkewMethod method = SkewMethod::ProjectionProfile);

// Levels a page (1 or 8 bpp): rotates it clockwise by `degrees` (undoing a skew of that many
// degrees) about its centre, onto a canvas grown so that no corner is cut off. A turn of less
// than 0.001 radian (0.057 degrees) leaves the page as it is.
PageImage level(const PageImage& page, double degrees);

// The page turned `quarter_turns` clockwise and then levelled by `degrees`: what
// level(page turned so) gives, but a grey page (8 bpp) is resampled once, straight from the
// page, without the quarter-turned copy in between. The grey result may differ from the
// two-step one by a few grey levels at edges, where OpenCV rounds a sample's position (to
// 1/32 pixel) differently for the two mappings.
PageImage turned_and_levelled(const PageImage& page, int quarter_turns, double degrees);

}  // namespace casenote
