// Undoing a PDF stream's general-purpose filters, with a bound on how much it may expand.
#pragma once

#include <cstddef>
#include <string>

#include "core/result.h"

namespace PoDoFo {
class PdfObject;
class PdfVecObjects;
}  // namespace PoDoFo

namespace casenote {

// A stream after its general-purpose filters (Flate, LZW, ASCIIHex, ASCII85, RunLength, and
// PNG/TIFF predictors) are undone.
struct FilteredStream {
  std::string bytes;
  // The image codec still to apply ("DCTDecode", "CCITTFaxDecode" or "JBIG2Decode"); empty
  // when `bytes` are the final data.
  std::string codec;
  // That codec's /DecodeParms dictionary, null when it has none.
  const PoDoFo::PdfObject* codec_parms = nullptr;
  // A decoding step reached `max_bytes` and stopped, so `bytes` may be cut short.
  bool reached_limit = false;
};

// Undoes the general-purpose filters of `stream`'s filter chain. Each decoding step keeps at
// most `max_bytes` of output and stops early once it has them, so a decompression bomb costs
// neither memory nor time; callers size `max_bytes` from what the data should hold. Fails
// naming the filter for unsupported codecs (JPEG 2000, Crypt), unknown filters, a codec
// that is not last in the chain, and damaged data.
Result<FilteredStream> undo_general_filters(const PoDoFo::PdfObject& stream,
                                            const PoDoFo::PdfVecObjects& objects, size_t max_bytes);

// The fully decoded data of a stream that carries no image codec, such as a content stream;
// fails rather than returning data cut short at `max_bytes`.
Result<std::string> decode_plain_stream(const PoDoFo::PdfObject& stream,
                                        const PoDoFo::PdfVecObjects& objects, size_t max_bytes);

}  // namespace casenote
