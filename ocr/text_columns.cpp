#include "ocr/text_columns.h"

#include <algorithm>
#include <map>
#include <vector>

namespace casenote {
namespace {

constexpr double kGutterHeights = 1.5;  // a gap this many text heights wide is no word space
constexpr size_t kProseWords = 3;       // words in a run of prose
constexpr long kColumnLines = 3;        // lines of prose across one gutter before it counts

struct Gap {
  int left = 0;   // x where the words before it end
  int right = 0;  // x where the words after it start
  int line = 0;
};

int median_word_height(const RecognisedPage& page) {
  std::vector<int> heights;
  for (const auto& word : page.words) heights.push_back(word.box.h);
  if (heights.empty()) return 0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

// The wide gaps of a line that joins prose from two columns: one with two or more runs of
// prose between its wide gaps. None for any other line.
std::vector<Gap> gaps_between_prose(std::vector<Box> words, int line, int min_gap) {
  std::sort(words.begin(), words.end(), [](const Box& a, const Box& b) { return a.x < b.x; });
  std::vector<Gap> gaps;
  int prose_runs = 0;
  size_t run_start = 0;
  for (size_t i = 1; i <= words.size(); ++i) {
    if (i < words.size() && words[i].x - words[i - 1].right() <= min_gap) continue;
    if (i - run_start >= kProseWords) ++prose_runs;
    if (i < words.size()) gaps.push_back({words[i - 1].right(), words[i].x, line});
    run_start = i;
  }
  if (prose_runs < 2) gaps.clear();
  return gaps;
}

}  // namespace

bool reads_across_columns(const RecognisedPage& page) {
  const int height = median_word_height(page);
  if (height <= 0) return false;
  std::map<int, std::vector<Box>> lines;
  for (const auto& word : page.words) lines[word.line].push_back(word.box);
  std::vector<Gap> gaps;
  for (const auto& [line, words] : lines)
    for (const Gap& gap : gaps_between_prose(words, line, static_cast<int>(kGutterHeights * height))) gaps.push_back(gap);

  for (const Gap& candidate : gaps) {
    // The lines whose gaps overlap this one, and the strip all their gaps leave clear.
    std::vector<int> across;
    Gap clear = candidate;
    for (const Gap& g : gaps) {
      if (std::max(g.left, candidate.left) >= std::min(g.right, candidate.right)) continue;
      if (across.empty() || across.back() != g.line) across.push_back(g.line);
      clear.left = std::max(clear.left, g.left);
      clear.right = std::min(clear.right, g.right);
    }
    if (static_cast<long>(across.size()) < kColumnLines || clear.left >= clear.right) continue;
    // A gutter stays clear from the first of those lines to the last: where faint print
    // leaves gaps in one place, the lines between run through it.
    Box span;
    for (int line : across)
      for (const Box& word : lines[line]) span = span.united(word);
    long crossing = 0;
    for (const auto& [line, words] : lines) {
      if (std::find(across.begin(), across.end(), line) != across.end()) continue;
      const bool crosses = std::any_of(words.begin(), words.end(), [&](const Box& word) {
        const int middle = word.y + word.h / 2;
        return middle > span.y && middle < span.bottom() && word.x < clear.right && word.right() > clear.left;
      });
      crossing += crosses;
    }
    if (2 * crossing < static_cast<long>(across.size())) return true;
  }
  return false;
}

}  // namespace casenote
