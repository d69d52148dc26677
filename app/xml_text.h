// Text made safe to write into XML (and XHTML) documents.
#pragma once

#include <string>
#include <string_view>

namespace casenote {

// `text` as XML character data or an attribute value (either quote): & < > " ' become
// references, and what XML 1.0 cannot hold at all (control characters other than tab, line feed
// and carriage return, U+FFFE, U+FFFF, and bytes that are not UTF-8) becomes U+FFFD, so the
// document stays well-formed whatever OCR read.
std::string xml_escaped(std::string_view text);

}  // namespace casenote
