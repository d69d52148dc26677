// Marks the scanner leaves that are not part of the document: dark borders where the lid or
// the backing showed around the paper, and the shadows of punched holes.
#pragma once

#include "ocr/page_image.h"

namespace casenote {

// A 1 bpp mask, the size of `grey`, set over dark scanner borders (solid dark areas touching the
// image edge) and punched-hole shadows (solid dark discs near an edge), widened a little to take
// in their blurred edges. Text, even text touching a border, is not in it: only areas solid
// over several millimetres are. Empty when there are none.
PageImage find_scanner_marks(const PageImage& grey, int dpi);

// Paints the mask's pixels as paper (white) in `page` (1 bpp, or 8 bpp grey without a colour
// map), scaling the mask to its size.
void erase_marks(PageImage& page, const PageImage& marks);

}  // namespace casenote
