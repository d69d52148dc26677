// Text recognition with Tesseract's LSTM engine: one engine per worker, initialised once.
#pragma once

#include <memory>
#include <string>

#include "core/recognised_text.h"
#include "core/result.h"
#include "core/step_timing.h"
#include "ocr/page_image.h"

namespace tesseract {
class TessBaseAPI;
}

namespace casenote {

// How Tesseract splits a page into lines before reading them.
enum class PageLayout {
  Adaptive,      // one column of lines, unless those lines run across columns: then Automatic
  SingleColumn,  // one column of lines of varying size (Tesseract's PSM 4)
  Automatic,     // its full layout analysis, columns and all (PSM 3)
  SingleBlock,   // one uniform block of text (PSM 6)
};

// The defaults are the combination that measured best; docs/ocr.md has the measurements.
struct OcrSettings {
  std::string language = "eng";
  std::string tessdata_dir;   // empty: Tesseract's default (or TESSDATA_PREFIX)
  int time_limit_ms = 0;      // per page; 0 means no limit
  PageLayout layout = PageLayout::Adaptive;
  bool read_inverted_lines = true;  // also try light-on-dark when a line reads badly
  bool use_dictionary = true;       // let the word lists steer the recogniser
  // The second pass: a number-like word (ocr/number_reread.h) read with less confidence than
  // this is read again alone, with digits and separators only; 0 turns the pass off.
  float reread_numbers_below = 90;
  // The postcode pass: a pair of words that looks like a misread postcode
  // (ocr/postcode_reread.h), one of them read with less confidence than this, is read again
  // together, with capitals, digits and the space only; 0 turns the pass off.
  float reread_postcodes_below = 90;
};

class OcrEngine {
 public:
  // Loads the language model; fails when the traineddata cannot be found.
  static Result<std::unique_ptr<OcrEngine>> create(const OcrSettings& settings);
  ~OcrEngine();

  // Recognises an upright page: words with boxes (in `image` pixels), confidences and their
  // block/paragraph/line grouping, in reading order. Fails when recognition is cut off by the
  // time limit, rather than returning part of a page as if it were all of it. When `timings` is
  // given, appends how long each step took: "layout" (finding the lines, to tell a page set in
  // columns), then the reading: "ocr" (as one column of lines) or "ocr_columns" (with full
  // layout analysis, when those lines ran across columns), "ocr_postcodes" (the postcode
  // pass), "ocr_numbers" (the second pass over numbers).
  Result<RecognisedPage> recognise(const PageImage& image, int page_number,
                                   std::vector<StepTiming>* timings = nullptr);

 private:
  OcrEngine(std::unique_ptr<tesseract::TessBaseAPI> api, OcrSettings settings);
  // Reads the image set on the engine with its current page segmentation mode.
  Result<RecognisedPage> read_page(const PageImage& image, int page_number);
  // The second pass: number-like words read with low confidence, read again alone.
  void reread_numbers(RecognisedPage& page);
  // The postcode pass: pairs of words that look like a misread postcode, read again alone.
  void reread_postcodes(RecognisedPage& page);
  std::unique_ptr<tesseract::TessBaseAPI> api_;
  OcrSettings settings_;
};

}  // namespace casenote
