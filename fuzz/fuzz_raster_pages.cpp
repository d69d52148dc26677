// PNG, JPEG and TIFF bytes through the raster page source, as ingest reads them: every page
// decoded and its stored JPEG looked up. Any outcome but a crash or sanitizer report is fine.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_limits.h"
#include "fuzz/memory_file.h"
#include "pipeline/page_source.h"

namespace {

// Mutations almost always break a PNG chunk's checksum, which the page source rejects before
// libpng runs; rewriting the checksums lets the fuzzer reach the decoder behind them.
std::string with_png_checksums_fixed(std::string bytes) {
  if (bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return bytes;
  auto* data = reinterpret_cast<unsigned char*>(bytes.data());
  for (size_t at = 8; at + 12 <= bytes.size();) {
    const uint32_t length = uint32_t{data[at]} << 24 | uint32_t{data[at + 1]} << 16 | uint32_t{data[at + 2]} << 8 | data[at + 3];
    if (length > bytes.size() - at - 12) break;
    const uLong crc = crc32(crc32(0, nullptr, 0), data + at + 4, length + 4);
    for (int i = 0; i < 4; ++i) data[at + 8 + length + i] = static_cast<unsigned char>(crc >> (24 - 8 * i));
    at += 12 + length;
  }
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static casenote::fuzzing::MemoryFile file;
  const std::string bytes = with_png_checksums_fixed(std::string(reinterpret_cast<const char*>(data), size));
  auto source = casenote::open_page_source(file.hold(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
                                           casenote::fuzzing::fuzz_limits());
  if (!source) return 0;
  for (int i = 0; i < (*source)->page_count(); ++i) {
    (void)(*source)->page(i);
    (void)(*source)->stored_jpeg(i);
  }
  return 0;
}
