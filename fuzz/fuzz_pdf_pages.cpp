// PDF bytes through the scanner PDF page source: every page rendered and its stored JPEG
// looked up. Any outcome but a crash or sanitizer report is fine.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_limits.h"
#include "fuzz/memory_file.h"
#include "pipeline/page_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static casenote::fuzzing::MemoryFile file;
  auto source = casenote::open_pdf_page_source(file.hold(data, size), casenote::fuzzing::fuzz_limits());
  if (!source) return 0;
  for (int i = 0; i < (*source)->page_count(); ++i) {
    (void)(*source)->page(i);
    (void)(*source)->stored_jpeg(i);
  }
  return 0;
}
