// JBIG2 data for PDF image streams, built here so that tests need no JBIG2 encoder: a page
// holding one generic region coded with MMR, which is CCITT Group 4 data (T.88 6.2.6) and
// so comes from Leptonica's G4 encoder. Also the ISO 32000 JBIG2Decode example, whose page
// is a text region drawing symbols from its /JBIG2Globals stream.
#pragma once

#include <leptonica/allheaders.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "pdf_file.h"

namespace casenote::testing {

inline std::string big_endian32(uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

// Segment types (T.88 7.3).
constexpr unsigned kJbig2ImmediateLosslessGenericRegion = 38;
constexpr unsigned kJbig2PageInformation = 48;
constexpr unsigned kJbig2EndOfPage = 49;

// One segment (T.88 7.2): number, type, no referred-to segments, page 1 in a one-byte field,
// the data's length, then the data.
inline std::string jbig2_segment(uint32_t number, unsigned type, const std::string& data) {
  return big_endian32(number) + static_cast<char>(type) + std::string{'\0', '\1'} +
         big_endian32(static_cast<uint32_t>(data.size())) + data;
}

// Page information (T.88 7.4.8): size, unknown resolution, lossless, white by default, not striped.
inline std::string jbig2_page_information(uint32_t width, uint32_t height) {
  return jbig2_segment(0, kJbig2PageInformation,
                       big_endian32(width) + big_endian32(height) + big_endian32(0) + big_endian32(0) +
                           std::string{'\x01', '\0', '\0'});
}

// A 1 bpp image (1 = black, as both Leptonica and JBIG2 have it) as CCITT Group 4 data.
inline std::string g4_of(Pix* bilevel) {
  L_COMP_DATA* encoded = nullptr;
  if (pixGenerateCIData(bilevel, L_G4_ENCODE, 0, 0, &encoded) != 0) throw std::runtime_error("G4 encoding failed");
  std::string out(reinterpret_cast<char*>(encoded->datacomp), encoded->nbytescomp);
  l_CIDataDestroy(&encoded);
  return out;
}

// An immediate lossless generic region (T.88 7.4.6) at the page's origin, `region_width` x
// `region_height` as its region information says, combined with OR, coded with MMR.
inline std::string jbig2_mmr_region(uint32_t number, uint32_t region_width, uint32_t region_height,
                                    const std::string& g4) {
  return jbig2_segment(number, kJbig2ImmediateLosslessGenericRegion,
                       big_endian32(region_width) + big_endian32(region_height) + big_endian32(0) + big_endian32(0) +
                           std::string{'\0', '\x01'} + g4);
}

// The embedded JBIG2 segments of a page showing `bilevel` exactly; the end-of-page segment,
// which PDF writers usually drop, only when asked for.
inline std::string jbig2_page_of(Pix* bilevel, bool end_of_page = false) {
  const auto width = static_cast<uint32_t>(pixGetWidth(bilevel)), height = static_cast<uint32_t>(pixGetHeight(bilevel));
  std::string data = jbig2_page_information(width, height) + jbig2_mmr_region(1, width, height, g4_of(bilevel));
  if (end_of_page) data += jbig2_segment(2, kJbig2EndOfPage, "");
  return data;
}

// A one-page PDF showing `data` as a `width` x `height` JBIG2 image at `dpi`.
inline std::string jbig2_pdf(const std::string& data, int width, int height, int dpi = 300) {
  const double page_width = width * 72.0 / dpi, page_height = height * 72.0 / dpi;
  PdfFile file;
  file.add("<< /Type /Catalog /Pages 2 0 R >>");
  file.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  file.add(fmt::format("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /XObject << /Im0 4 0 R >> >> "
                       "/Contents 5 0 R >>",
                       page_width, page_height));
  file.add_stream(fmt::format("/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray "
                              "/BitsPerComponent 1 /Filter /JBIG2Decode",
                              width, height),
                  data);
  file.add_stream("", fmt::format("q {} 0 0 {} 0 0 cm /Im0 Do Q", page_width, page_height));
  return file.bytes(1);
}

inline std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// ISO 32000-1 7.4.7's example: a 52 x 66 page whose text region places symbols defined in
// the globals stream's symbol dictionary.
inline std::string iso_example_jbig2_page() {
  return from_hex(
      "00000001300001000000130000003400000042000000000000000040000000000002062000010000001e000000340000004200000000"
      "000000000200100000000231db51ce51ffac");
}
inline std::string iso_example_jbig2_globals() {
  return from_hex(
      "0000000000010000000032000003fffdff02fefefe00000001000000012ae225aea9a5a538b4d9999c5c8e56ef0f8727f2b53d4e37ef"
      "795cc5506dffac");
}

}  // namespace casenote::testing
