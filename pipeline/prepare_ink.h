// Telling ink from paper: background flattening and binarisation for OCR and page analysis.
#pragma once

#include "ocr/page_image.h"

namespace casenote {

// A pixel is ink when it is at least this much darker than the paper around it. Low enough to
// keep faint text (pencil, a light stamp, a faded carbon copy); high enough that paper grain,
// shading and JPEG noise stay white. On the samples, 0.15 let through enough blurred dust to
// raise the character error rate by half (docs/preparation.md).
constexpr double kInkContrast = 0.2;

// Specks of dust: ink blobs no more than this across either way are dropped. A full stop in
// 8-point type is about 0.015 inch.
constexpr double kSpeckInches = 0.01;

// The page in 8 bpp grey, sharing its pixels when it is grey already.
PageImage grey_of(const PageImage& page);

// The grey page with its paper flattened: every pixel divided by the brightness of the paper
// around it, so shading, uneven lighting and tinted paper come out at one level and ink keeps
// its contrast to the paper it was printed on. `dpi` sets the size of "around it".
PageImage flatten_background(const PageImage& grey, int dpi);

// 8 bpp `grey` with each pixel multiplied by its tile's value in 16 bpp `inverse` (a value for
// each `tile` x `tile` square, in rows) and divided by 256, at most 255; pixels no tile covers
// are 0. Leptonica's pixApplyInvBackgroundGrayMap(grey, inverse, tile, tile), bit for bit, a
// row at a time (sixteen pixels at a time where the processor has SSE2) where Leptonica goes a
// pixel at a time. nullptr for any other image or map.
Pix* apply_inverse_map(Pix* grey, Pix* inverse, int tile);

// 1 bpp: the pixels of 8 bpp `grey` darker than `threshold` set. Leptonica's
// pixThresholdToBinary(grey, threshold), bit for bit, 32 pixels at a time where the processor
// has SSE2. nullptr for any other image.
Pix* threshold_ink(Pix* grey, int threshold);

// 1 bpp, ink set: every pixel at least kInkContrast darker than its surrounding paper, or, on
// grainy paper, far enough darker that the grain stays white; specks dropped. A page that is
// already bilevel keeps its pixels, less its specks. When `specks` is given, it receives a
// mask (1 bpp, the page's size) of the specks dropped. When `paper_white` is given and the page
// is grey, it receives the flattened page stretched so that its paper is white: what OCR
// thresholds itself. Paper at white matches the marks painted out of it and the corners
// levelling brings in, which a global threshold would otherwise take for a third shade.
PageImage binarise(const PageImage& page, int dpi, PageImage* specks = nullptr, PageImage* paper_white = nullptr);

}  // namespace casenote
