#include "pipeline/prepare.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "ocr/orientation.h"
#include "pipeline/prepare_ink.h"
#include "pipeline/prepare_marks.h"

namespace casenote {
namespace {

using Clock = std::chrono::steady_clock;

// Page analysis (marks, blank, resolution, line direction, skew) runs at about this
// resolution: characters are still distinct, and there are a quarter of the pixels of 300 dpi.
constexpr int kAnalysisDpi = 150;
// A page too small to be A4 at this resolution is not taken for a coarser scan of one.
constexpr int kMinGuessedDpi = 50;
// Text lines run the way that lines up this much more sharply; below it the direction is open.
constexpr double kClearLineRatio = 1.5;
// Reading comparisons read at most this resolution; text reads as well and sooner.
constexpr int kReadingDpi = 300;
// A way round must read at least this many characters to be chosen by reading.
constexpr double kMinReadableCharacters = 20;
// A weakly measured skew smaller than this is not checked by reading: Tesseract follows such a
// slope itself, so the readings would differ too little to tell.
constexpr double kMinCheckedSkewDegrees = 1.0;

class StepClock {
 public:
  explicit StepClock(std::vector<StepTiming>& timings) : timings_(timings), start_(Clock::now()) {}
  // Records the time since the last lap (or the start) as `step`.
  void lap(const char* step) {
    timings_.push_back(timed_since(step, start_));
    start_ = Clock::now();
  }

 private:
  std::vector<StepTiming>& timings_;
  Clock::time_point start_;
};

PageImage shared(const PageImage& image) { return PageImage(pixClone(image.pix())); }

PageImage scaled(const PageImage& grey, double scale) {
  if (scale >= 1) return shared(grey);
  Pix* small = pixScaleAreaMap(grey.pix(), static_cast<float>(scale), static_cast<float>(scale));
  return small ? PageImage(small) : shared(grey);
}

// A bilevel page reduced straight to grey from its bits (Leptonica's scale-to-grey), four or
// five times quicker than making it grey at full size and area-mapping that; empty for any
// other page or scale.
PageImage bilevel_reduced(const PageImage& page, double scale) {
  if (pixGetDepth(page.pix()) != 1 || scale >= 1) return PageImage();
  return PageImage(pixScaleToGray(page.pix(), static_cast<float>(scale)));
}

PageImage turned(const PageImage& image, int quarter_turns) {
  if (quarter_turns % 4 == 0) return shared(image);
  return PageImage(pixRotateOrth(image.pix(), quarter_turns % 4));
}

int first_guess_dpi(const PageImage& page) {
  if (const int tagged = plausible_file_dpi(page.dpi())) return tagged;
  return std::max(kMinGuessedDpi, dpi_from_page_size(page));
}

// A band across the middle third of a page, at no more than 300 dpi: enough lines to judge how
// it reads, in a fraction of the time the whole page would take.
PageImage reading_sample(const PageImage& page) {
  ::Box* band = boxCreate(0, page.height() / 3, page.width(), page.height() / 3);
  PageImage sample(pixClipRectangle(page.pix(), band, nullptr));
  boxDestroy(&band);
  if (sample.empty()) return shared(page);
  pixCopyResolution(sample.pix(), page.pix());
  if (page.dpi() > kReadingDpi) {
    const float scale = static_cast<float>(kReadingDpi) / page.dpi();
    PageImage smaller(pixScaleToGray(sample.pix(), scale));
    if (!smaller.empty()) {
      pixSetResolution(smaller.pix(), kReadingDpi, kReadingDpi);
      return smaller;
    }
  }
  return sample;
}

// Everything known about one page while it is prepared.
class Preparation {
 public:
  Preparation(const PageImage& binary, const PageImage& analysis, int analysis_dpi, const PrepareSettings& settings)
      : binary_(binary), analysis_(analysis), analysis_dpi_(analysis_dpi), settings_(settings) {}

  // The skew of the page once turned `quarter_turns` clockwise; measured once per axis, since
  // a half turn leaves the slope of a line as it was.
  SkewEstimate skew(int quarter_turns) {
    SkewEstimate& known = skew_[quarter_turns % 2];
    if (!measured_[quarter_turns % 2]) {
      known = measure_skew(turned(analysis_, quarter_turns % 2), analysis_dpi_, settings_.max_skew_degrees,
                           settings_.skew_method);
      measured_[quarter_turns % 2] = true;
    }
    return known;
  }

  // Remembers a skew already measured, e.g. while finding the line direction.
  void know_skew(int quarter_turns, const SkewEstimate& estimate) {
    skew_[quarter_turns % 2] = estimate;
    measured_[quarter_turns % 2] = true;
  }

  // The binarised page turned and levelled.
  PageImage upright(int quarter_turns) { return level(turned(binary_, quarter_turns), skew(quarter_turns).degrees); }

  // Settles a skew measured too weakly to trust alone (SkewEstimate::worth_checking): it is
  // removed only if the page, turned `quarter_turns`, then reads clearly better, by the margin
  // orientation's reading comparison needs. Returns a note for the reviewer when it is removed.
  std::optional<std::string> check_weak_skew(int quarter_turns, OrientationDetector& orientation) {
    SkewEstimate estimate = skew(quarter_turns);
    if (!estimate.worth_checking || std::abs(estimate.best_degrees) < kMinCheckedSkewDegrees) return std::nullopt;
    const PageImage as_it_stands = turned(binary_, quarter_turns);
    const double levelled = orientation.readable_characters(reading_sample(level(as_it_stands, estimate.best_degrees)));
    const double unlevelled = orientation.readable_characters(reading_sample(as_it_stands));
    if (levelled < kMinReadableCharacters || (levelled - unlevelled) / levelled < settings_.min_reading_margin)
      return std::nullopt;
    estimate.degrees = estimate.best_degrees;
    estimate.found = true;
    know_skew(quarter_turns, estimate);
    return fmt::format("skew measured weakly (confidence {:.1f}); removed because the page reads clearly better without it",
                       estimate.confidence);
  }

 private:
  const PageImage& binary_;
  const PageImage& analysis_;
  int analysis_dpi_;
  const PrepareSettings& settings_;
  SkewEstimate skew_[2];
  bool measured_[2] = {false, false};
};

struct OrientationChoice {
  int quarter_turns = 0;
  double confidence = 0;
  OrientationMethod method = OrientationMethod::None;
};

// Reads a band of the page each candidate way round and keeps the one that reads best by a
// clear margin. Its confidence is the share of the best reading the runner-up fell short by.
OrientationChoice compare_readings(Preparation& preparation, const PageImage& levelled, int quarter_turns,
                                   bool direction_clear, OrientationDetector& orientation,
                                   const PrepareSettings& settings) {
  std::vector<int> candidates = {quarter_turns, quarter_turns + 2};
  if (!direction_clear) candidates = {quarter_turns, quarter_turns + 1, quarter_turns + 2, quarter_turns + 3};
  double best = 0, second = 0;
  int best_turns = quarter_turns;
  for (int candidate : candidates) {
    PageImage page = candidate == quarter_turns ? shared(levelled)
                     : (candidate - quarter_turns) % 2 == 0 ? turned(levelled, 2)
                                                            : preparation.upright(candidate);
    const double characters = orientation.readable_characters(reading_sample(page));
    if (characters > best) {
      second = best;
      best = characters;
      best_turns = candidate;
    } else if (characters > second) {
      second = characters;
    }
  }
  const double margin = best > 0 ? (best - second) / best : 0;
  if (best < kMinReadableCharacters || margin < settings.min_reading_margin)
    return {quarter_turns, margin, OrientationMethod::None};
  return {best_turns % 4, margin, OrientationMethod::ReadingComparison};
}

// Settles which way up the levelled page goes: by letter shapes, else by Tesseract's
// orientation detection, else by comparing readings.
OrientationChoice choose_orientation(Preparation& preparation, const PageImage& levelled, int quarter_turns,
                                     bool direction_clear, OrientationDetector& orientation,
                                     const PrepareSettings& settings) {
  const double shape = upright_confidence(levelled, settings.min_text_shape_confidence);
  if (direction_clear && std::abs(shape) >= settings.min_text_shape_confidence)
    return {shape > 0 ? quarter_turns : quarter_turns + 2, std::abs(shape), OrientationMethod::TextShape};

  auto osd = orientation.detect(levelled);
  if (osd && osd->confidence >= settings.min_osd_confidence)
    return {quarter_turns + osd->rotation_degrees / 90, osd->confidence, OrientationMethod::TesseractOsd};

  return compare_readings(preparation, levelled, quarter_turns, direction_clear, orientation, settings);
}

}  // namespace

PreparedPage prepare_page(const PageImage& original, OrientationDetector& orientation,
                          const PrepareSettings& settings) {
  PreparedPage out;
  StepClock clock(out.timings);

  // The page in grey, made only when needed: a bilevel scan is analysed without it.
  PageImage grey_page;
  auto grey = [&]() -> const PageImage& {
    if (grey_page.empty()) grey_page = grey_of(original);
    return grey_page;
  };

  // Analysis at low resolution: scanner marks, blank or not, the page's real resolution.
  const int guess_dpi = first_guess_dpi(original);
  const double analysis_scale = std::min(1.0, static_cast<double>(kAnalysisDpi) / guess_dpi);
  PageImage analysis_grey = bilevel_reduced(original, analysis_scale);
  if (analysis_grey.empty()) analysis_grey = scaled(grey(), analysis_scale);
  const int analysis_guess_dpi = static_cast<int>(std::lround(guess_dpi * analysis_scale));
  PageImage marks = find_scanner_marks(analysis_grey, analysis_guess_dpi);
  PageImage analysis = binarise(analysis_grey, analysis_guess_dpi);
  erase_marks(analysis, marks);
  const TextMarks text = survey_text_marks(analysis, analysis_guess_dpi);
  const int text_dpi = static_cast<int>(std::lround(dpi_from_text_height(text) / analysis_scale));
  out.resolution = resolve_dpi(original.dpi(), text_dpi, guess_dpi);
  out.blank = is_blank(text);
  clock.lap("analyse");
  if (out.blank) {
    out.image = PageImage(pixCopy(nullptr, grey().pix()));
    pixSetResolution(out.image.pix(), out.resolution.dpi, out.resolution.dpi);
    return out;
  }

  // Which way the lines run, and their skew.
  const int analysis_dpi = std::max(1, static_cast<int>(std::lround(out.resolution.dpi * analysis_scale)));
  LineDirection direction = find_line_direction(analysis, analysis_dpi, settings.max_skew_degrees);
  const bool direction_clear = direction.ratio >= kClearLineRatio;
  // Unless its lines clearly run down it, a page starts from the way it was scanned.
  const int first_turns = direction_clear ? direction.quarter_turns : 0;
  clock.lap("skew");

  // The page at the resolution OCR reads, binarised with its scanner marks erased.
  int ocr_dpi = out.resolution.dpi;
  if (ocr_dpi > settings.max_ocr_dpi) {
    out.scale = static_cast<double>(settings.ocr_dpi) / ocr_dpi;
    ocr_dpi = settings.ocr_dpi;
  }
  // A bilevel scan is used as it is; anything else is binarised from grey.
  const bool bilevel = pixGetDepth(original.pix()) == 1;
  const bool read_grey = settings.ocr_image == OcrImage::Grey && !bilevel;
  // The grey page OCR reads instead, unless told to read the ink, from the same flattening.
  PageImage specks, ocr_grey;
  PageImage binary = binarise(out.scale < 1 ? scaled(grey(), out.scale) : shared(bilevel ? original : grey()), ocr_dpi,
                              read_grey ? &specks : nullptr, read_grey ? &ocr_grey : nullptr);
  erase_marks(binary, marks);
  pixSetResolution(binary.pix(), ocr_dpi, ocr_dpi);
  if (read_grey) {
    erase_marks(ocr_grey, marks);
    erase_marks(ocr_grey, specks);
    pixSetResolution(ocr_grey.pix(), ocr_dpi, ocr_dpi);
  }
  clock.lap("binarise");

  Preparation preparation(binary, analysis, analysis_dpi, settings);
  if (settings.skew_method == SkewMethod::ProjectionProfile) {
    preparation.know_skew(0, direction.as_it_stands);
    preparation.know_skew(1, direction.turned);
  }
  if (auto note = preparation.check_weak_skew(first_turns, orientation)) out.notes.push_back(std::move(*note));
  PageImage levelled = preparation.upright(first_turns);
  clock.lap("level");

  OrientationChoice choice = choose_orientation(preparation, levelled, first_turns, direction_clear, orientation, settings);
  const int turns = choice.quarter_turns % 4;
  if (turns != first_turns) levelled = (turns - first_turns) % 2 == 0 ? turned(levelled, 2) : preparation.upright(turns);
  if (choice.method == OrientationMethod::None)
    out.notes.push_back(turns % 2 ? "orientation unsure: turned so that its text lines run across, but it may be upside down"
                                  : "orientation unsure: left as scanned");
  out.rotation_degrees = 90 * turns;
  out.rotation_confidence = choice.confidence;
  out.rotation_method = choice.method;
  const SkewEstimate skew = preparation.skew(turns);
  out.skew_degrees = skew.degrees;
  out.skew_confidence = skew.confidence;
  clock.lap("orientation");

  if (!ocr_grey.empty()) {
    out.image = turned_and_levelled(ocr_grey, turns, skew.degrees);
    clock.lap("level_grey");
  } else {
    out.image = std::move(levelled);
  }
  return out;
}

RecognisedPage at_loaded_resolution(RecognisedPage page, double scale) {
  if (scale == 1 || scale <= 0) return page;
  auto loaded = [scale](int pixels) { return static_cast<int>(std::lround(pixels / scale)); };
  page.width = loaded(page.width);
  page.height = loaded(page.height);
  for (RecognisedWord& word : page.words) word.box = {loaded(word.box.x), loaded(word.box.y), loaded(word.box.w), loaded(word.box.h)};
  return page;
}

}  // namespace casenote
