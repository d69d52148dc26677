#include "pipeline/separator_sheets.h"

#include <utility>

namespace casenote {

std::vector<RecognisedDocument> split_at_separator_sheets(RecognisedDocument input) {
  std::vector<RecognisedDocument> parts;
  RecognisedDocument current;
  auto finish_current = [&] {
    if (current.pages.empty()) return;
    current.source = input.source;
    current.sha256 = input.sha256;
    current.part = static_cast<int>(parts.size()) + 1;
    parts.push_back(std::move(current));
    current = RecognisedDocument{};
  };
  for (auto& page : input.pages) {
    if (page.separator_sheet) {
      finish_current();
      current.cover_sheet = std::move(page);
    } else {
      current.pages.push_back(std::move(page));
    }
  }
  finish_current();
  return parts;
}

}  // namespace casenote
