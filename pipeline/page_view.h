// The page a reviewer sees: a stored document's page drawn again from its input the way OCR read
// it (turned upright and deskewed by the angles preparation recorded), at screen size, so that
// field boxes, which are in the prepared page's pixels, land on the words they were read from.
#pragma once

#include <string>

#include "core/result.h"
#include "ocr/page_image.h"
#include "store/records.h"

namespace casenote {

struct PageView {
  PageImage image;      // upright and deskewed, grey or colour as scanned
  double scale = 1;     // view pixels per prepared-page pixel
  int page_width = 0;   // the prepared page's size in its own pixels, which field boxes are in
  int page_height = 0;
};

// Turns `loaded` (the page as its input displays it) clockwise by `rotation_degrees`, then by
// `skew_degrees` about its centre onto a canvas grown to keep the corners, as preparation does;
// scaled down, never up, so that the result is at most about `max_width` pixels across.
PageView view_of_page(const PageImage& loaded, int rotation_degrees, double skew_degrees, int max_width);

// Page `number` of `document` drawn from its input file. Fails, naming the file, when the file
// cannot be read, no longer holds the bytes that were read (so a page of something else is
// never shown beside this document's fields), or has no such page.
Result<PageView> view_document_page(const DocumentRecord& document, int number, int max_width);

// The view as a baseline JPEG of this quality (1 to 100).
Result<std::string> jpeg_of(const PageImage& image, int quality);

}  // namespace casenote
