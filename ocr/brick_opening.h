// Morphological opening of a bilevel image by a rectangle, for Tesseract's line finder.
#pragma once

#include <leptonica/allheaders.h>

namespace casenote {

// The pixels of 1 bpp `source` that lie in some `width` x `height` rectangle of black pixels
// wholly inside the image: Leptonica's pixOpenBrick(nullptr, source, width, height), bit for
// bit, with pixels outside the image white. Rows and columns are eroded and dilated by
// doubling (a pass per power of two in the brick's sides) where Leptonica makes a pass per
// pixel of them. nullptr unless `source` is 1 bpp and both sides are at least 1.
Pix* open_by_brick(Pix* source, int width, int height);

}  // namespace casenote
