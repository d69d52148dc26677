// Recognised words regrouped for reading fields: lines of tokens, across all pages, in reading order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/box.h"
#include "core/recognised_text.h"

namespace casenote {

// One word as extraction reads it. OCR sometimes glues a label to its value ("DOB:04/03/1950");
// such a word becomes two tokens, each with its share of the word's box.
struct Token {
  std::string text;        // as read
  std::string key;         // lower-case ASCII letters and digits of `text`, for matching words
  Box box;
  float confidence = 0;    // 0..100
};

struct Line {
  size_t page_index = 0;   // position of the page in the document
  int page_number = 1;
  int page_height = 0;     // of the line's page, in pixels
  int block = 0;
  Box box;                 // union of the tokens' boxes
  std::vector<Token> tokens;
};

// The pages' words as lines of tokens, in reading order. Empty words are dropped.
std::vector<Line> split_into_lines(const std::vector<RecognisedPage>& pages);

// Lower-case ASCII letters and digits of `text`; everything else is dropped.
std::string token_key(std::string_view text);

// True when the space before token `i` is wide enough to separate two columns of a form,
// so the words either side do not belong to one value.
bool column_gap_before(const Line& line, size_t i);

// `text` with each "rn" read as "m", which OCR often takes for it and the reverse ("Sumame",
// "Novernber"); compare words folded so on both sides.
std::string with_rn_as_m(std::string_view text);

// `text` without the punctuation that sentences and lists put around a value.
std::string_view strip_punctuation(std::string_view text);

}  // namespace casenote
