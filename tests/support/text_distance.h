// Character error rate for scoring OCR text against ground truth.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace casenote::testing {

// Whitespace runs become one space, so layout differences do not count as errors.
inline std::string collapse_whitespace(const std::string& text) {
  std::istringstream in(text);
  std::string word, out;
  while (in >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

// Levenshtein distance over bytes, in O(min) memory.
inline size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Edits needed per ground-truth character, after collapsing whitespace in both.
inline double character_error_rate(const std::string& recognised, const std::string& truth) {
  std::string r = collapse_whitespace(recognised), t = collapse_whitespace(truth);
  return t.empty() ? (r.empty() ? 0.0 : 1.0) : static_cast<double>(edit_distance(r, t)) / t.size();
}

}  // namespace casenote::testing
