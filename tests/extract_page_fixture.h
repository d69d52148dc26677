// Builds recognised pages from plain text for extraction tests, so fixtures read like the letters
// they stand for. Every character is 10 px wide and words 20 px high; lines are 30 px apart.
// Three or more spaces make a form-column gap; a blank line starts a new block.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/recognised_text.h"
#include "extract/extractor.h"

namespace casenote::fixture {

constexpr int kCharWidth = 10;
constexpr int kWordHeight = 20;
constexpr int kLinePitch = 30;
constexpr float kConfidence = 90;

class PageBuilder {
 public:
  explicit PageBuilder(int number = 1, int height = 1500) {
    page_.number = number;
    page_.width = 2000;
    page_.height = height;
  }

  // Lays out `text` as one block per paragraph from (x, y) downwards.
  PageBuilder& text(int x, int y, std::string_view text) {
    size_t start = 0;
    ++block_;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view row = text.substr(start, end - start);
      if (row.empty()) {
        ++block_;
      } else {
        add_line(x, y, row);
      }
      y += kLinePitch;
      start = end + 1;
    }
    return *this;
  }

  // Sets the OCR confidence of every word reading `word`.
  PageBuilder& confidence(std::string_view word, float confidence) {
    for (auto& w : page_.words)
      if (w.text == word) w.confidence = confidence;
    return *this;
  }

  RecognisedPage page() const { return page_; }

 private:
  void add_line(int x, int y, std::string_view row) {
    ++line_;
    size_t i = 0;
    while (i < row.size()) {
      if (row[i] == ' ') {
        x += kCharWidth;
        ++i;
        continue;
      }
      size_t end = row.find(' ', i);
      if (end == std::string_view::npos) end = row.size();
      int width = static_cast<int>(end - i) * kCharWidth;
      page_.words.push_back({std::string(row.substr(i, end - i)), {x, y, width, kWordHeight}, kConfidence, block_,
                             block_, line_});
      x += width;
      i = end;
    }
  }

  RecognisedPage page_;
  int block_ = 0;
  int line_ = 0;
};

// A page holding `text` from the top-left margin down.
inline RecognisedPage page_from_text(std::string_view text, int number = 1) {
  return PageBuilder(number).text(100, 100, text).page();
}

// The word reading `text` on `page` (the first, if several do).
inline const RecognisedWord& word(const RecognisedPage& page, std::string_view text) {
  for (const auto& w : page.words)
    if (w.text == text) return w;
  throw std::invalid_argument("no word " + std::string(text));
}

// The day every extraction test is read on, so two-digit years and "not after today" are fixed.
constexpr Date kToday{2024, 6, 1};

inline DocumentFields extract(const std::vector<RecognisedPage>& pages) {
  ExtractionOptions options;
  options.today = kToday;
  return extract_fields(pages, options);
}

inline DocumentFields extract(std::string_view text) { return extract(std::vector{page_from_text(text)}); }

// The value of field `kind`, or "" when it was not extracted.
inline std::string value_of(const DocumentFields& fields, FieldKind kind) {
  const ExtractedField* field = fields.find(kind);
  return field ? field->value : "";
}

// True when a review reason is `reason`, or `reason` followed by ": " and the values it names
// ("conflicting NHS numbers: 999 000 0018 (page 1), 999 000 0026 (page 2)").
inline bool has_reason(const DocumentFields& fields, std::string_view reason) {
  for (const auto& r : fields.review_reasons)
    if (r == reason || (r.starts_with(reason) && r.substr(reason.size()).starts_with(": "))) return true;
  return false;
}

}  // namespace casenote::fixture
