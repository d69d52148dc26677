// Decoding the JBIG2 data of a PDF JBIG2Decode stream, with jbig2dec.
#pragma once

#include <string>

#include "core/result.h"

namespace casenote {

// Decodes `data`, the embedded-organisation JBIG2 segments (ITU T.88 Annex D.3) of one PDF
// image, after the segments of `globals` (its /JBIG2Globals stream; empty when it has none),
// into packed 1-bit samples, rows padded to whole bytes, as the PDF filter delivers them:
// 0 where JBIG2 says black, 1 where it says white.
// The decoded page must be exactly `width` x `height`, the image dictionary's size, which the
// caller has already checked against the input limits; decoding may use a few times that
// page's bytes of memory, and fails rather than take more. Fails with a one-line reason for
// truncated or damaged data, a page of another size, and a page that needs more memory.
Result<std::string> decode_jbig2(const std::string& data, const std::string& globals, int width, int height);

}  // namespace casenote
