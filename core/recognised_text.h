// What OCR hands to extraction: words with boxes and confidences, in reading order,
// grouped into lines, paragraphs and blocks. Extraction needs nothing else from OCR.
#pragma once

#include <string>
#include <vector>

#include "core/box.h"

namespace casenote {

struct RecognisedWord {
  std::string text;          // UTF-8
  Box box;                   // in the upright, deskewed page's pixels
  float confidence = 0;      // 0..100, as Tesseract reports it
  int block = 0;             // indices grouping words; equal index = same block/paragraph/line
  int paragraph = 0;
  int line = 0;
};

struct RecognisedPage {
  int number = 1;            // 1-based page number in the document
  int width = 0;             // upright, deskewed page size in pixels
  int height = 0;
  std::vector<RecognisedWord> words;  // reading order

  // Page text: words joined by spaces, lines by '\n', paragraphs by a blank line.
  std::string text() const;
  // Mean word confidence (0..100), 0 when there are no words.
  float mean_confidence() const;
};

// Definitions are inline so every module can use them without a link dependency.
inline std::string RecognisedPage::text() const {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    const auto& w = words[i];
    if (i > 0) {
      const auto& p = words[i - 1];
      if (w.block != p.block || w.paragraph != p.paragraph)
        out += "\n\n";
      else if (w.line != p.line)
        out += '\n';
      else
        out += ' ';
    }
    out += w.text;
  }
  return out;
}

inline float RecognisedPage::mean_confidence() const {
  if (words.empty()) return 0;
  double sum = 0;
  for (const auto& w : words) sum += w.confidence;
  return static_cast<float>(sum / words.size());
}

}  // namespace casenote
