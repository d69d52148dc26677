// Opening an input file as a sequence of page images, decoded one at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/affine.h"
#include "core/result.h"
#include "ocr/page_image.h"
#include "pipeline/input_limits.h"

namespace casenote {

// A page's image as the input stores it, when that is a JPEG.
struct StoredJpeg {
  std::string bytes;  // a complete JPEG, exactly as in the input
  // Where page() draws it: maps JPEG pixel coordinates (x right, y down) to fractions of the
  // displayed page (0 to 1 across, 0 to 1 down).
  Affine placement;
};

class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual int page_count() const = 0;
  // Decodes page `index` (0-based) as a viewer would display it, with its resolution set
  // when the file states one. Each call decodes afresh, so a document never needs all its
  // pages in memory at once.
  virtual Result<PageImage> page(int index) = 0;
  // Page `index`'s image exactly as the input stores it, when that is a JPEG, so an archive
  // copy can keep it unchanged; nullopt for any other encoding.
  virtual Result<std::optional<StoredJpeg>> stored_jpeg([[maybe_unused]] int index) {
    return std::optional<StoredJpeg>{};
  }
};

// Opens PNG, JPEG, TIFF (multi-page) or scanner PDF files, recognised by their first bytes,
// not their name. Fails with a one-line reason for unreadable, truncated or unsupported files,
// and for files over `limits`: page count when opened, each page's size (from its header,
// before decoding) when it is read.
Result<std::unique_ptr<PageSource>> open_page_source(const std::string& path, const InputLimits& limits = {});

// Opens a PDF whose every page shows one scanned image (JPEG, Flate, CCITT or JBIG2), drawn as
// the page is displayed: the page's /Rotate and the image's placement matrix are applied.
// PoDoFo keeps its nesting and object-count limits per process, so the latest call's
// `limits` apply to every PDF parsed after it.
Result<std::unique_ptr<PageSource>> open_pdf_page_source(const std::string& path, const InputLimits& limits = {});

}  // namespace casenote
