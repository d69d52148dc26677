#include "pipeline/prepare_text_marks.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace casenote {
namespace {

constexpr double kMinHeightInches = 0.04, kMaxHeightInches = 0.4, kMaxWidthInches = 1.5;
// Fewer character-sized marks than this is not text: a handwritten word or two already has more.
constexpr int kMinTextMarks = 8;
// Below this many marks a median height says little about the type size.
constexpr int kMinMarksForResolution = 40;
// The median mark height of body text (10 to 12 point, mixed case) is about 0.6 em: 0.09 inch.
constexpr double kBodyMarkInches = 0.09;
// How far a file's resolution may be from the text's before the file is not believed.
constexpr double kMaxResolutionDisagreement = 2.0;
// Resolution tags outside this range are not used even as a first guess.
constexpr int kMinPlausibleDpi = 100, kMaxPlausibleDpi = 1200;
// A page without a usable tag is first taken to be A4 or Letter across its shorter side.
constexpr double kPageShortSideInches = 8.3;

}  // namespace

TextMarks survey_text_marks(const PageImage& binary, int dpi) {
  TextMarks marks;
  Boxa* boxes = pixConnCompBB(binary.pix(), 8);
  if (!boxes) return marks;
  const double min_h = kMinHeightInches * dpi, max_h = kMaxHeightInches * dpi, max_w = kMaxWidthInches * dpi;
  std::vector<int> heights;
  for (int i = 0; i < boxaGetCount(boxes); ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
    if (h >= min_h && h <= max_h && w <= max_w) heights.push_back(h);
  }
  boxaDestroy(&boxes);
  marks.count = static_cast<int>(heights.size());
  if (!heights.empty()) {
    auto middle = heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2);
    std::nth_element(heights.begin(), middle, heights.end());
    marks.median_height = *middle;
  }
  return marks;
}

bool is_blank(const TextMarks& marks) { return marks.count < kMinTextMarks; }

int dpi_from_text_height(const TextMarks& marks) {
  if (marks.count < kMinMarksForResolution || marks.median_height <= 0) return 0;
  return static_cast<int>(std::lround(marks.median_height / kBodyMarkInches));
}

int plausible_file_dpi(int file_dpi) {
  return file_dpi >= kMinPlausibleDpi && file_dpi <= kMaxPlausibleDpi ? file_dpi : 0;
}

int dpi_from_page_size(const PageImage& page) {
  return static_cast<int>(std::lround(std::min(page.width(), page.height()) / kPageShortSideInches));
}

Resolution resolve_dpi(int file_dpi, int text_dpi, int fallback_dpi) {
  if (file_dpi > 0) {
    const double ratio = text_dpi > 0 ? static_cast<double>(file_dpi) / text_dpi : 1.0;
    if (ratio <= kMaxResolutionDisagreement && ratio >= 1.0 / kMaxResolutionDisagreement)
      return {file_dpi, DpiSource::File};
  }
  if (text_dpi > 0) return {text_dpi, DpiSource::TextHeight};
  if (file_dpi > 0) return {file_dpi, DpiSource::File};
  return {fallback_dpi, DpiSource::Assumed};
}

const char* dpi_source_name(DpiSource source) {
  switch (source) {
    case DpiSource::File: return "file";
    case DpiSource::TextHeight: return "text_height";
    case DpiSource::Assumed: return "assumed";
  }
  return "assumed";
}

}  // namespace casenote
