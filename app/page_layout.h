// A page's words grouped into the blocks, paragraphs and lines OCR found, each group with its
// box: the nesting that hOCR and ALTO write.
#pragma once

#include <vector>

#include "store/records.h"

namespace casenote {

struct LayoutLine {
  Box box;  // the smallest box holding its words
  std::vector<WordRecord> words;
};

struct LayoutParagraph {
  Box box;
  std::vector<LayoutLine> lines;
};

struct LayoutBlock {
  Box box;
  std::vector<LayoutParagraph> paragraphs;
};

// The page's words in their reading order, grouped: a word starts a new line, paragraph or block
// wherever its index differs from the word before it, as RecognisedPage::text() breaks lines and
// paragraphs, so every group is a run of consecutive words and no group is empty.
std::vector<LayoutBlock> page_layout(const PageRecord& page);

}  // namespace casenote
