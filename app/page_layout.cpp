#include "app/page_layout.h"

namespace casenote {

std::vector<LayoutBlock> page_layout(const PageRecord& page) {
  std::vector<LayoutBlock> blocks;
  const WordRecord* previous = nullptr;
  for (const WordRecord& word : page.words) {
    const bool new_block = !previous || word.block != previous->block;
    const bool new_paragraph = new_block || word.paragraph != previous->paragraph;
    const bool new_line = new_paragraph || word.line != previous->line;
    if (new_block) blocks.emplace_back();
    LayoutBlock& block = blocks.back();
    if (new_paragraph) block.paragraphs.emplace_back();
    LayoutParagraph& paragraph = block.paragraphs.back();
    if (new_line) paragraph.lines.emplace_back();
    LayoutLine& line = paragraph.lines.back();
    line.words.push_back(word);
    line.box = line.box.united(word.box);
    paragraph.box = paragraph.box.united(word.box);
    block.box = block.box.united(word.box);
    previous = &word;
  }
  return blocks;
}

}  // namespace casenote
