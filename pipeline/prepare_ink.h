// Telling ink from paper: background flattening and binarisation for OCR and page analysis.
#pragma once

#include "ocr/page_image.h"

namespace casenote {

// A pixel is ink when it is at least this much darker than the paper around it. Low enough to
// keep faint text (pencil, a light stamp, a faded carbon copy); high enough that paper grain,
// shading and JPEG noise stay white.
constexpr double kInkContrast = 0.15;

// The page in 8 bpp grey, sharing its pixels when it is grey already.
PageImage grey_of(const PageImage& page);

// The grey page with its paper flattened: every pixel divided by the brightness of the paper
// around it, so shading, uneven lighting and tinted paper come out at one level and ink keeps
// its contrast to the paper it was printed on. `dpi` sets the size of "around it".
PageImage flatten_background(const PageImage& grey, int dpi);

// 1 bpp, ink set: every pixel at least kInkContrast darker than its surrounding paper, or, on
// grainy paper, far enough darker that the grain stays white. A page that is already bilevel is
// returned as it is.
PageImage binarise(const PageImage& page, int dpi);

}  // namespace casenote
