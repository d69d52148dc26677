#include "ocr/text_columns.h"

#include <leptonica/allheaders.h>

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

// Marks: character-sized blobs, from a full stop's height to a heading's, no wider than a
// long word (as preparation counts text marks); words: no wider than a long phrase.
constexpr double kMinMarkInches = 0.04, kMaxMarkInches = 0.4, kMaxMarkWidthInches = 1.5, kMaxWordWidthInches = 3;
constexpr size_t kMinMarks = 8;
// Letters closer than two thirds of the median mark height are one word. Wider than a word
// space, so neighbouring words often join; at 0.3, gaps inside broken letters split words,
// and 5 of the 211 pages of two evaluation sets, all lab reports, passed for columns.
constexpr double kWordJoinHeights = 0.67;
// Words whose middles lie within half a mark height of a line's first word are on that line.
constexpr double kLineHeights = 0.5;
// Pages this fine are halved first: marks of 10-point text stay a dozen pixels tall.
constexpr int kHalvingDpi = 250;
constexpr int kDefaultDpi = 300;
// A grey page's ink: darker than this (paper is at white once prepared).
constexpr int kInkLevel = 160;

// The boxes of `pix`'s 8-connected blobs at most `max_h` tall and `max_w` wide, and at least
// `min_h` tall.
std::vector<Box> blob_boxes(Pix* pix, double min_h, double max_h, double max_w) {
  std::vector<Box> boxes;
  Boxa* found = pixConnCompBB(pix, 8);
  if (!found) return boxes;
  for (int i = 0; i < boxaGetCount(found); ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(found, i, &x, &y, &w, &h);
    if (h >= min_h && h <= max_h && w <= max_w) boxes.push_back({x, y, w, h});
  }
  boxaDestroy(&found);
  return boxes;
}

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

RecognisedPage marked_words(const PageImage& image) {
  RecognisedPage page;
  if (image.empty()) return page;
  const int image_dpi = image.dpi() > 0 ? image.dpi() : kDefaultDpi;
  PageImage ink(pixConvertTo1(image.pix(), kInkLevel));
  if (!ink.empty() && image_dpi >= kHalvingDpi) ink = PageImage(pixReduceRankBinary2(ink.pix(), 1, nullptr));
  if (ink.empty()) return page;
  const double dpi = image_dpi >= kHalvingDpi ? image_dpi / 2.0 : image_dpi;
  page.width = ink.width();
  page.height = ink.height();

  std::vector<Box> marks = blob_boxes(ink.pix(), kMinMarkInches * dpi, kMaxMarkInches * dpi, kMaxMarkWidthInches * dpi);
  if (marks.size() < kMinMarks) return page;
  auto middle = marks.begin() + static_cast<std::ptrdiff_t>(marks.size() / 2);
  std::nth_element(marks.begin(), middle, marks.end(), [](const Box& a, const Box& b) { return a.h < b.h; });
  const int mark_height = middle->h;

  const int join = std::max(2, static_cast<int>(kWordJoinHeights * mark_height));
  PageImage smeared(pixCloseBrick(nullptr, ink.pix(), join, 1));
  if (smeared.empty()) return page;
  std::vector<Box> words = blob_boxes(smeared.pix(), kMinMarkInches * dpi, kMaxMarkInches * dpi, kMaxWordWidthInches * dpi);
  std::sort(words.begin(), words.end(), [](const Box& a, const Box& b) { return a.y + a.h / 2 < b.y + b.h / 2; });
  int line = -1;
  double line_middle = 0;
  for (const Box& box : words) {
    const double word_middle = box.y + box.h / 2.0;
    if (line < 0 || word_middle - line_middle > kLineHeights * mark_height) {
      ++line;
      line_middle = word_middle;
    }
    RecognisedWord word;
    word.box = box;
    word.line = line;
    page.words.push_back(std::move(word));
  }
  return page;
}

}  // namespace casenote
