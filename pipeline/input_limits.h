// Bounds on what one input may demand, so a damaged or hostile file fails with a clear reason
// instead of exhausting memory or time.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace casenote {

// Each limit is checked from a file's headers before the data behind them is decoded.
struct InputLimits {
  // Widest or tallest page image, in pixels. A0 scanned at 1200 dpi is under 40,000.
  int max_image_side = 50'000;
  // Most pixels in one page image. A3 at 600 dpi is 70 million; 400 million 8-bit pixels
  // still fit in a worker's memory, and a page held at 32 bits takes 1.6 GB.
  long long max_image_pixels = 400'000'000;
  // Most pages in one input file; far beyond any real scanned record.
  int max_pages = 5'000;
  // Deepest nesting of PDF arrays and dictionaries while a PDF is parsed; scanner PDFs nest a
  // handful deep, and each level costs the parser stack.
  int max_pdf_nesting = 256;
  // Most objects a PDF's cross-reference table may declare; a scanner PDF has a few per page.
  long max_pdf_objects = 1'000'000;
  // Longest record in a patient index CSV, in bytes; a real row is a few hundred.
  size_t max_csv_record_bytes = 64 * 1024;
};

// Ok when a `width` x `height` image fits `limits`; otherwise an error naming `what` (such
// as "image" or "TIFF page 2"), its size and the limit it exceeds.
Status check_image_size(std::string_view what, long long width, long long height, const InputLimits& limits);

}  // namespace casenote
