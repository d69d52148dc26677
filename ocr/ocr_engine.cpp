#include "ocr/ocr_engine.h"

#include <leptonica/allheaders.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "ocr/number_reread.h"
#include "ocr/postcode_reread.h"
#include "ocr/tesseract_setup.h"
#include "ocr/text_columns.h"

namespace casenote {
namespace {

tesseract::PageSegMode first_mode(PageLayout layout) {
  switch (layout) {
    case PageLayout::Automatic: return tesseract::PSM_AUTO;
    case PageLayout::SingleBlock: return tesseract::PSM_SINGLE_BLOCK;
    case PageLayout::Adaptive:
    case PageLayout::SingleColumn: break;
  }
  return tesseract::PSM_SINGLE_COLUMN;
}

// The words of the page Tesseract has just read, in its reading order.
std::vector<RecognisedWord> words_read(tesseract::TessBaseAPI& api) {
  std::vector<RecognisedWord> words;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return words;
  int block = -1, paragraph = -1, line = -1;
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) ++block;
    if (it->IsAtBeginningOf(tesseract::RIL_PARA)) ++paragraph;
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
    std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
    if (!text || text[0] == 0) continue;
    int left, top, right, bottom;
    it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom);
    RecognisedWord word;
    word.text = text.get();
    word.box = {left, top, right - left, bottom - top};
    word.confidence = it->Confidence(tesseract::RIL_WORD);
    word.block = block;
    word.paragraph = paragraph;
    word.line = line;
    words.push_back(std::move(word));
  } while (it->Next(tesseract::RIL_WORD));
  return words;
}

// The words the engine's layout analysis finds on its image in its current page segmentation
// mode, boxes and lines only: nothing is recognised. A reading that follows in the same mode
// reuses this layout.
RecognisedPage layout_words(tesseract::TessBaseAPI& api, const PageImage& image) {
  RecognisedPage page;
  page.width = image.width();
  page.height = image.height();
  std::unique_ptr<tesseract::PageIterator> it(api.AnalyseLayout());
  if (!it) return page;
  int line = -1;
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
    int left, top, right, bottom;
    if (!it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) continue;
    RecognisedWord word;
    word.box = {left, top, right - left, bottom - top};
    word.line = line;
    page.words.push_back(std::move(word));
  } while (it->Next(tesseract::RIL_WORD));
  return page;
}

// Appends how long `step` has taken since `start`, and restarts the clock.
void time_step(std::vector<StepTiming>* timings, const char* step, std::chrono::steady_clock::time_point& start) {
  if (timings) timings->push_back(timed_since(step, start));
  start = std::chrono::steady_clock::now();
}

// Sets the engine's image rectangle around `box` for a second reading, with `margin` pixels of
// white above and below and `side` pixels to the left and right.
void set_rectangle_around(tesseract::TessBaseAPI& api, const Box& box, const RecognisedPage& page, int margin, int side) {
  const int left = std::max(0, box.x - side), top = std::max(0, box.y - margin);
  const int right = std::min(page.width, box.right() + side);
  const int bottom = std::min(page.height, box.bottom() + margin);
  api.SetRectangle(left, top, right - left, bottom - top);
}

}  // namespace

OcrEngine::OcrEngine(std::unique_ptr<tesseract::TessBaseAPI> api, OcrSettings settings)
    : api_(std::move(api)), settings_(std::move(settings)) {}

OcrEngine::~OcrEngine() = default;

Result<std::unique_ptr<OcrEngine>> OcrEngine::create(const OcrSettings& settings) {
  // The word lists are loaded at initialisation or not at all.
  std::vector<std::pair<std::string, std::string>> init_variables;
  if (!settings.use_dictionary) init_variables = {{"load_system_dawg", "0"}, {"load_freq_dawg", "0"}};
  auto api = init_tesseract(settings.tessdata_dir, settings.language, tesseract::OEM_LSTM_ONLY, init_variables);
  if (!api) return api.error();
  (*api)->SetPageSegMode(first_mode(settings.layout));
  (*api)->SetVariable("tessedit_do_invert", settings.read_inverted_lines ? "1" : "0");
  return std::unique_ptr<OcrEngine>(new OcrEngine(std::move(*api), settings));
}

Result<RecognisedPage> OcrEngine::read_page(const PageImage& image, int page_number) {
  tesseract::ETEXT_DESC monitor;
  monitor.set_deadline_msecs(settings_.time_limit_ms);
  int status = api_->Recognize(&monitor);
  if (monitor.deadline_exceeded())
    return Error{"page " + std::to_string(page_number) + ": OCR exceeded the time limit of " +
                 std::to_string(settings_.time_limit_ms) + " ms"};
  if (status != 0) return Error{"page " + std::to_string(page_number) + ": OCR failed"};
  RecognisedPage page;
  page.number = page_number;
  page.width = image.width();
  page.height = image.height();
  page.words = words_read(*api_);
  return page;
}

void OcrEngine::reread_numbers(RecognisedPage& page) {
  bool whitelisted = false;
  for (RecognisedWord& word : page.words) {
    if (word.confidence >= settings_.reread_numbers_below || !is_number_like(word.text)) continue;
    if (!whitelisted) {
      api_->SetPageSegMode(tesseract::PSM_SINGLE_WORD);
      api_->SetVariable("tessedit_char_whitelist", kNumberCharacters);
      whitelisted = true;
    }
    // Some white above and below keeps the glyphs whole; little to the sides, where the
    // neighbouring words are.
    set_rectangle_around(*api_, word.box, page, std::max(2, word.box.h / 4), std::max(2, word.box.h / 8));
    if (api_->Recognize(nullptr) != 0) continue;
    std::unique_ptr<char[]> text(api_->GetUTF8Text());
    RecognisedWord again = word;
    again.text = text ? text.get() : "";
    again.text.erase(std::remove_if(again.text.begin(), again.text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
                     again.text.end());
    again.confidence = static_cast<float>(api_->MeanTextConf());
    if (second_reading_wins(word, again)) word = std::move(again);
  }
  if (whitelisted) {
    api_->SetVariable("tessedit_char_whitelist", "");
    api_->SetPageSegMode(first_mode(settings_.layout));
  }
}

void OcrEngine::reread_postcodes(RecognisedPage& page) {
  const std::vector<size_t> pairs = postcode_pairs_to_reread(page, settings_.reread_postcodes_below);
  if (pairs.empty()) return;
  api_->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  api_->SetVariable("tessedit_char_whitelist", kPostcodeCharacters);
  for (size_t i : pairs) {
    RecognisedWord &outward = page.words[i], &inward = page.words[i + 1];
    // Half a text height of white above and below: the first reading's boxes can cut a
    // misread glyph short (a J read as 3 loses its descender). On seed 7's 12 misread
    // postcodes (docs/extraction.md) this read 5 right, a quarter height 3.
    const Box pair = outward.box.united(inward.box);
    set_rectangle_around(*api_, pair, page, std::max(2, pair.h / 2), std::max(2, pair.h / 4));
    if (api_->Recognize(nullptr) != 0) continue;
    RecognisedWord second{"", {}, 100};
    for (const RecognisedWord& word : words_read(*api_)) {
      second.text += (second.text.empty() ? "" : " ") + word.text;
      second.confidence = std::min(second.confidence, word.confidence);
    }
    keep_surer_postcode_reading(outward, inward, second);
  }
  api_->SetVariable("tessedit_char_whitelist", "");
  api_->SetPageSegMode(first_mode(settings_.layout));
}

Result<RecognisedPage> OcrEngine::recognise(const PageImage& image, int page_number,
                                            std::vector<StepTiming>* timings) {
  if (image.empty()) return Error{"page " + std::to_string(page_number) + " has no image"};
  auto start = std::chrono::steady_clock::now();
  api_->SetImage(image.pix());
  // Tesseract guesses a resolution from text size when none is given; scanners state theirs.
  if (image.dpi() > 0) api_->SetSourceResolution(image.dpi());

  // Letters, forms and lab tables read best as one column of lines, which keeps a table row
  // together; a page set in columns needs the full layout analysis to keep its columns apart.
  // Which one a page needs shows in its lines before any recognition: a page that needs one
  // column reuses that layout for its reading, and one set in columns is read once, not twice.
  // Most pages set in columns already show it in their ink, which spares them the layout
  // analysis as one column that their reading would drop.
  bool in_columns = false;
  if (settings_.layout == PageLayout::Adaptive) {
    in_columns = reads_across_columns(marked_words(image)) || reads_across_columns(layout_words(*api_, image));
    time_step(timings, "layout", start);
    if (in_columns) {
      api_->SetPageSegMode(tesseract::PSM_AUTO);
      // Setting the rectangle drops the single-column layout, which the reading would reuse.
      api_->SetRectangle(0, 0, image.width(), image.height());
    }
  }
  auto page = read_page(image, page_number);
  if (in_columns) api_->SetPageSegMode(first_mode(settings_.layout));
  time_step(timings, in_columns ? "ocr_columns" : "ocr", start);
  // Postcodes first: the pass over numbers reads a misread inward code ("333") again with
  // digits only, and a surer digits-only reading would raise the bar the postcode's must clear.
  if (page && settings_.reread_postcodes_below > 0) {
    reread_postcodes(*page);
    time_step(timings, "ocr_postcodes", start);
  }
  if (page && settings_.reread_numbers_below > 0) {
    reread_numbers(*page);
    time_step(timings, "ocr_numbers", start);
  }
  api_->Clear();
  return page;
}

}  // namespace casenote
