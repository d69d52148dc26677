// Resolution: the file's when it is believable, else estimated from text height; fine scans are
// read at 300 dpi and their word boxes put back in the page's own pixels.
#include <catch2/catch.hpp>

#include "ocr/orientation.h"
#include "pipeline/prepare.h"
#include "pipeline/prepare_ink.h"
#include "support/page_fixtures.h"

using namespace casenote;
using namespace casenote::testing;

namespace {

OrientationDetector& detector() {
  static auto created = OrientationDetector::create("");
  REQUIRE(created);
  return **created;
}

// The page scanned at `scale` times its resolution, its file stating `tagged_dpi` (0: nothing).
PageImage scaled_page(const PageImage& page, float scale, int tagged_dpi) {
  PageImage scaled(scale == 1.0f ? pixCopy(nullptr, page.pix()) : pixScaleAreaMap(page.pix(), scale, scale));
  // pixSetResolution ignores zeros.
  pixSetXRes(scaled.pix(), tagged_dpi);
  pixSetYRes(scaled.pix(), tagged_dpi);
  return scaled;
}

}  // namespace

TEST_CASE("a file's resolution is used unless its text disagrees", "[prepare]") {
  CHECK(resolve_dpi(300, 0, 300).dpi == 300);
  CHECK(resolve_dpi(300, 0, 300).source == DpiSource::File);
  CHECK(resolve_dpi(300, 250, 280).source == DpiSource::File);
  // A 72 dpi tag on a 300 dpi scan, and a 2400 dpi tag on a 450 dpi one.
  CHECK(resolve_dpi(72, 290, 280).dpi == 290);
  CHECK(resolve_dpi(72, 290, 280).source == DpiSource::TextHeight);
  CHECK(resolve_dpi(2400, 450, 280).dpi == 450);
  CHECK(resolve_dpi(0, 310, 280).dpi == 310);
  CHECK(resolve_dpi(0, 0, 280).dpi == 280);
  CHECK(resolve_dpi(0, 0, 280).source == DpiSource::Assumed);
  CHECK(std::string(dpi_source_name(DpiSource::TextHeight)) == "text_height");
}

TEST_CASE("text height gives the resolution of an untagged scan", "[prepare]") {
  const PageImage page = text_page(12);
  for (auto [scale, dpi] : {std::pair{1.0f, 300}, std::pair{0.5f, 150}, std::pair{2.0f, 600}}) {
    INFO("scanned at " << dpi << " dpi");
    PreparedPage prepared = prepare_page(scaled_page(page, scale, 0), detector(), PrepareSettings{});
    CHECK(prepared.resolution.source == DpiSource::TextHeight);
    CHECK(prepared.resolution.dpi >= dpi * 3 / 4);
    CHECK(prepared.resolution.dpi <= dpi * 5 / 4);
  }
}

TEST_CASE("too few marks say nothing about resolution", "[prepare]") {
  TextMarks few{10, 20};
  CHECK(dpi_from_text_height(few) == 0);
  TextMarks none;
  CHECK(dpi_from_text_height(none) == 0);
  CHECK(is_blank(none));
  CHECK_FALSE(is_blank(TextMarks{40, 27}));
}

TEST_CASE("a 600 dpi scan is read at 300 dpi, its word boxes put back at 600", "[prepare]") {
  const PageImage fine = scaled_page(text_page(8), 2.0f, 600);
  PreparedPage prepared = prepare_page(fine, detector(), PrepareSettings{});
  CHECK(prepared.resolution.dpi == 600);
  CHECK(prepared.scale == Approx(0.5));
  CHECK(prepared.image.dpi() == 300);
  CHECK(prepared.image.width() == Approx(fine.width() / 2).margin(4));

  RecognisedPage read;
  read.width = prepared.image.width();
  read.height = prepared.image.height();
  read.words.push_back({"apixaban", {100, 200, 50, 20}, 90, 0, 0, 0});
  RecognisedPage loaded = at_loaded_resolution(read, prepared.scale);
  CHECK(loaded.width == 2 * read.width);
  CHECK(loaded.words[0].box.x == 200);
  CHECK(loaded.words[0].box.h == 40);
}

TEST_CASE("a 300 dpi scan is read as it is", "[prepare]") {
  PreparedPage prepared = prepare_page(text_page(8), detector(), PrepareSettings{});
  CHECK(prepared.scale == 1);
  CHECK(prepared.image.dpi() == 300);
  CHECK(pixGetDepth(prepared.image.pix()) == 8);  // OcrImage::Grey: Tesseract thresholds it
}

TEST_CASE("every step of preparation is timed", "[prepare]") {
  PreparedPage prepared = prepare_page(text_page(8), detector(), PrepareSettings{});
  std::vector<std::string> steps;
  for (const auto& timing : prepared.timings) {
    steps.push_back(timing.step);
    CHECK(timing.milliseconds >= 0);
  }
  // "level_grey": the grey page OCR reads (OcrImage::Grey) is turned and levelled last.
  CHECK(steps == std::vector<std::string>{"analyse", "skew", "binarise", "level", "orientation", "level_grey"});

  PrepareSettings ink;
  ink.ocr_image = OcrImage::Binarised;
  steps.clear();
  for (const auto& timing : prepare_page(text_page(8), detector(), ink).timings) steps.push_back(timing.step);
  CHECK(steps == std::vector<std::string>{"analyse", "skew", "binarise", "level", "orientation"});
}
