// Text through the field extractors, laid out as OCR words: one page per form feed, one
// recognised line per text line, a new paragraph after a blank line, words split at spaces
// and boxed left to right.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extractor.h"

namespace {

std::vector<casenote::RecognisedPage> pages_of(const std::string& text) {
  std::vector<casenote::RecognisedPage> pages(1);
  int line = 0, paragraph = 0;
  std::istringstream lines(text);
  for (std::string row; std::getline(lines, row);) {
    if (row.starts_with('\f')) {
      pages.push_back({.number = static_cast<int>(pages.size()) + 1});
      row.erase(0, 1);
    }
    casenote::RecognisedPage& page = pages.back();
    page.width = 2480;
    page.height = 3508;
    if (row.empty()) {
      ++paragraph;
      continue;
    }
    std::istringstream words(row);
    int x = 100;
    for (std::string word; words >> word;) {
      const int width = 20 * static_cast<int>(word.size());
      page.words.push_back({.text = word, .box = {x, 100 + 40 * line, width, 30}, .confidence = 90,
                            .block = 0, .paragraph = paragraph, .line = line});
      x += width + 20;
    }
    ++line;
  }
  return pages;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)casenote::extract_fields(pages_of(std::string(reinterpret_cast<const char*>(data), size)));
  return 0;
}
