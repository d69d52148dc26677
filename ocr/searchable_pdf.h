// Searchable PDFs for the archive: each page shows the scanned image, with the recognised words
// as invisible text laid over the printed ones, so a viewer's search and selection land on them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/affine.h"
#include "core/recognised_text.h"
#include "core/result.h"
#include "ocr/page_image.h"

namespace casenote {

// An image as a PDF stores it: the stream bytes and what a reader needs to decode them.
struct EncodedImage {
  enum class Encoding { Jpeg, Flate, CcittG4 };
  Encoding encoding = Encoding::Flate;
  std::string bytes;
  int width = 0;
  int height = 0;
  int components = 1;          // 1 grey, 3 RGB
  int bits_per_component = 8;  // 1 for CCITT G4
};

// A JPEG to embed byte for byte. Fails when the bytes are not a JPEG a PDF can show unchanged
// (CMYK and YCCK JPEGs need colour handling a scan never does).
Result<EncodedImage> jpeg_image(std::string jpeg);

// A lossless encoding of `image`: CCITT G4 for a 1-bit page, Flate for grey or colour.
// Transparency is flattened onto white, as a scanned page is opaque.
Result<EncodedImage> lossless_image(const PageImage& image);

// One page. "Page space" is points from the page's top-left corner, y down.
struct SearchablePage {
  double width_points = 0;
  double height_points = 0;
  EncodedImage image;
  // Maps image pixel coordinates (x right, y down; pixel (i, j) covers [i, i+1] x [j, j+1])
  // to page space.
  Affine image_to_page;
  std::vector<RecognisedWord> words;
  // Maps the pixel frame of the words' boxes (x right, y down) to page space.
  Affine words_to_page;
  // Clockwise quarter turns a viewer applies to show the page upright (0, 90, 180 or 270);
  // the page itself stays as scanned.
  int display_rotation = 0;
};

// What the document's metadata says; no patient identifier belongs here.
struct PdfDescription {
  std::string title;
  std::string creation_time;  // UTC, ISO 8601 "YYYY-MM-DDTHH:MM:SSZ"
};

// The bytes of a PDF with one page per entry of `pages`, in order. Words are drawn in text
// rendering mode 3 (invisible) with a font defined inside the file, each word scaled to span its
// box and each line sitting on its box's bottom, with a space between words so that text
// extraction keeps them apart. Aims at PDF/A-2b: XMP metadata, an sRGB output intent, every
// font defined in the file. Fails when there are no pages or a page has no size.
Result<std::string> build_searchable_pdf(const std::vector<SearchablePage>& pages, const PdfDescription& description);

// The page at an index from 0, or why it cannot be had.
using SearchablePageSource = std::function<Result<SearchablePage>(int index)>;

// Writes to `path` the PDF build_searchable_pdf makes, of the pages `page_at` gives for 0 to
// `page_count` - 1, asking for each page only as it is written: a long document's images are
// never all in memory at once. A page `page_at` cannot give is left out; fails when none can
// be given, with the first page's reason, or when a page has no size. `path` may then hold
// part of a PDF.
Status write_searchable_pdf(const std::string& path, int page_count, const SearchablePageSource& page_at,
                            const PdfDescription& description);

}  // namespace casenote
