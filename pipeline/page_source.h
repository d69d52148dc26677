// Opening an input file as a sequence of page images, decoded one at a time.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "ocr/page_image.h"

namespace casenote {

class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual int page_count() const = 0;
  // Decodes page `index` (0-based) as a viewer would display it, with its resolution set
  // when the file states one. Each call decodes afresh, so a document never needs all its
  // pages in memory at once.
  virtual Result<PageImage> page(int index) = 0;
};

// Opens PNG, JPEG, TIFF (multi-page) or scanner PDF files, recognised by their first bytes,
// not their name. Fails with a one-line reason for unreadable, truncated or unsupported files.
Result<std::unique_ptr<PageSource>> open_page_source(const std::string& path);

// Opens a PDF whose every page shows one scanned image (JPEG, Flate or CCITT-encoded), drawn as
// the page is displayed: the page's /Rotate and the image's placement matrix are applied.
Result<std::unique_ptr<PageSource>> open_pdf_page_source(const std::string& path);

}  // namespace casenote
