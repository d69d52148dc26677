// Decoding a PDF image XObject into displayable pixels.
#pragma once

#include <opencv2/core.hpp>

#include "core/result.h"
#include "pipeline/input_limits.h"

namespace PoDoFo {
class PdfObject;
class PdfVecObjects;
}  // namespace PoDoFo

namespace casenote {

// An image XObject's pixels as a viewer shows them, top row first: CV_8UC1 grey or CV_8UC3
// with channels in R, G, B order.
struct DecodedPdfImage {
  cv::Mat pixels;
  // The image is 1 bit deep and every pixel is 0 or 255, so it can be stored as 1 bpp.
  bool bilevel = false;
};

// Decodes image XObject `image` (JPEG, CCITT fax, JBIG2 with its /JBIG2Globals, or
// Flate/LZW/RunLength/ASCII samples with predictors; grey, RGB, CMYK, ICC-based, calibrated or
// indexed colour; /Decode arrays and /ImageMask). Soft masks and colour-key masks are ignored: scanned pages are opaque. Fails
// with a one-line reason for unsupported encodings or colour spaces, images whose /Width and
// /Height (or JPEG frame) exceed `limits` (checked before any data is decoded), and damaged
// or short data.
Result<DecodedPdfImage> decode_pdf_image(const PoDoFo::PdfObject& image, const PoDoFo::PdfVecObjects& objects,
                                         const InputLimits& limits);

}  // namespace casenote
