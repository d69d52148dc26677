#include "extract/page_lines.h"

#include <algorithm>

namespace casenote {
namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Where a word glued as "Label:value" splits: just after the colon, when what precedes it is a
// word (letters and dots, as in "D.O.B:") and something follows. 0 when the word is not glued.
size_t glued_label_end(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return 0;
  bool has_letter = false;
  for (char c : text.substr(0, colon)) {
    if (is_ascii_letter(c)) has_letter = true;
    else if (c != '.') return 0;
  }
  return has_letter ? colon + 1 : 0;
}

Token make_token(std::string text, Box box, float confidence) {
  std::string key = token_key(text);
  return {std::move(text), std::move(key), box, confidence};
}

void append_tokens(const RecognisedWord& word, std::vector<Token>& tokens) {
  size_t split = glued_label_end(word.text);
  if (split == 0) {
    tokens.push_back(make_token(word.text, word.box, word.confidence));
    return;
  }
  // Characters are not all one width, but a share by count is close enough to point a reviewer.
  int label_width = static_cast<int>(word.box.w * static_cast<long>(split) / static_cast<long>(word.text.size()));
  Box label_box{word.box.x, word.box.y, label_width, word.box.h};
  Box value_box{word.box.x + label_width, word.box.y, word.box.w - label_width, word.box.h};
  tokens.push_back(make_token(word.text.substr(0, split), label_box, word.confidence));
  tokens.push_back(make_token(word.text.substr(split), value_box, word.confidence));
}

int page_height(const RecognisedPage& page) {
  if (page.height > 0) return page.height;
  int bottom = 0;
  for (const auto& word : page.words) bottom = std::max(bottom, word.box.bottom());
  return bottom;
}

}  // namespace

std::vector<Line> split_into_lines(const std::vector<RecognisedPage>& pages) {
  std::vector<Line> lines;
  for (size_t page_index = 0; page_index < pages.size(); ++page_index) {
    const RecognisedPage& page = pages[page_index];
    const RecognisedWord* previous = nullptr;
    for (const RecognisedWord& word : page.words) {
      if (word.text.find_first_not_of(" \t") == std::string::npos) continue;
      bool new_line = previous == nullptr || word.line != previous->line || word.paragraph != previous->paragraph ||
                      word.block != previous->block;
      if (new_line) {
        Line line;
        line.page_index = page_index;
        line.page_number = page.number;
        line.page_height = page_height(page);
        line.block = word.block;
        lines.push_back(std::move(line));
      }
      Line& line = lines.back();
      append_tokens(word, line.tokens);
      line.box = line.box.united(word.box);
      previous = &word;
    }
  }
  return lines;
}

std::string token_key(std::string_view text) {
  std::string key;
  for (char c : text) {
    if (is_ascii_letter(c)) key += static_cast<char>(c | 0x20);
    else if (c >= '0' && c <= '9') key += c;
  }
  return key;
}

bool column_gap_before(const Line& line, size_t i) {
  if (i == 0 || i >= line.tokens.size()) return false;
  const Box& left = line.tokens[i - 1].box;
  const Box& right = line.tokens[i].box;
  int gap = right.x - left.right();
  int height = std::max(left.h, right.h);
  // Words in running text sit about half a line height apart; form columns sit much further.
  return 2 * gap >= 3 * height;
}

std::string with_rn_as_m(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == 'r' && i + 1 < text.size() && text[i + 1] == 'n') {
      out += 'm';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string_view strip_punctuation(std::string_view text) {
  auto leading = [](char c) { return c == '(' || c == '[' || c == '"'; };
  auto trailing = [](char c) { return c == '.' || c == ',' || c == ';' || c == ':' || c == ')' || c == ']' || c == '"'; };
  while (!text.empty() && leading(text.front())) text.remove_prefix(1);
  while (!text.empty() && trailing(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace casenote
