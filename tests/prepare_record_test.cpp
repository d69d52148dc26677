// What preparation decided about each page reaches the store and the export: rotation and skew
// with their confidences, the resolution and where it came from, and each step's time.
#include <algorithm>

#include <catch2/catch.hpp>

#include "app/export_json.h"
#include "ocr/ocr_engine.h"
#include "ocr/orientation.h"
#include "pipeline/stages.h"
#include "pipeline/worker_messages.h"
#include "store/store.h"
#include "support/page_fixtures.h"
#include "support/temp_dir.h"

using namespace casenote;
using namespace casenote::testing;

namespace {

PageRecord prepared_page_record() {
  PageRecord page;
  page.number = 1;
  page.rotation_degrees = 90;
  page.skew_degrees = -4.02;
  page.mean_confidence = 91.5;
  page.text = "Dear Dr Patel";
  page.rotation_confidence = 14.5;
  page.rotation_method = "text_shape";
  page.skew_confidence = 6.25;
  page.dpi = 300;
  page.dpi_source = "file";
  page.timings = {{"analyse", 21.5}, {"skew", 9.25}, {"binarise", 30}, {"level", 12}, {"orientation", 40}, {"ocr", 900}};
  return page;
}

DocumentRecord document_with(const PageRecord& page) {
  DocumentRecord document;
  document.id = "D00000000000000a1";
  document.source = "scans/letter.tif";
  document.sha256 = std::string(64, 'a');
  document.document_type = "clinic_letter";
  document.status = "needs_review";
  document.pages = {page};
  document.text = page.text;
  return document;
}

}  // namespace

TEST_CASE("a page's preparation is stored and read back as it was", "[prepare]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("casenote.db"));
  REQUIRE(store);
  const DocumentRecord document = document_with(prepared_page_record());
  REQUIRE((*store)->save_document(document));
  auto read = (*store)->document(document.id);
  REQUIRE(read);
  REQUIRE(read->has_value());
  REQUIRE((*read)->pages.size() == 1);
  CHECK((*read)->pages[0] == document.pages[0]);
}

TEST_CASE("the export carries each page's preparation", "[prepare]") {
  const nlohmann::json page = document_json(document_with(prepared_page_record()))["pages"][0];
  CHECK(page["rotation_degrees"] == 90);
  CHECK(page["rotation_confidence"] == 14.5);
  CHECK(page["rotation_method"] == "text_shape");
  CHECK(page["skew_degrees"] == -4.02);
  CHECK(page["skew_confidence"] == 6.25);
  CHECK(page["blank"] == false);
  CHECK(page["dpi"] == 300);
  CHECK(page["dpi_source"] == "file");
  CHECK(page["timings_ms"]["orientation"] == 40);
  CHECK(page["timings_ms"]["ocr"] == 900);

  // A page stored before preparation was recorded exports only what it has.
  PageRecord older;
  older.text = "Dear Dr Patel";
  const nlohmann::json old_page = document_json(document_with(older))["pages"][0];
  CHECK_FALSE(old_page.contains("rotation_method"));
  CHECK_FALSE(old_page.contains("dpi"));
  CHECK_FALSE(old_page.contains("timings_ms"));
}

TEST_CASE("a recognised page records how it was prepared and how long OCR took", "[prepare]") {
  auto orientation = OrientationDetector::create("");
  REQUIRE(orientation);
  auto ocr = OcrEngine::create({});
  REQUIRE(ocr);
  const PageOutcome text = recognise_page(turned_page(text_page(6), 2), 1, **orientation, **ocr, PrepareSettings{});
  REQUIRE(text.failure.empty());
  CHECK(text.rotation_degrees == 180);
  CHECK(text.rotation_method != "none");
  CHECK(text.rotation_confidence > 0);
  CHECK(text.dpi == 300);
  CHECK(text.dpi_source == "file");
  auto has_step = [](const PageOutcome& page, const std::string& step) {
    return std::any_of(page.timings.begin(), page.timings.end(), [&](const StepTiming& t) { return t.step == step; });
  };
  CHECK(has_step(text, "ocr"));
  CHECK(has_step(text, "ocr_numbers"));

  const PageOutcome blank = recognise_page(paper(2480, 3508, 300), 2, **orientation, **ocr, PrepareSettings{});
  CHECK(blank.blank);
  CHECK(blank.recognised.words.empty());
  for (const StepTiming& timing : blank.timings) CHECK(timing.step.rfind("ocr", 0) != 0);
}

TEST_CASE("a page worker's message carries the page's preparation", "[prepare]") {
  PageOutcome outcome;
  outcome.rotation_confidence = 14.5;
  outcome.rotation_method = "tesseract_osd";
  outcome.skew_confidence = 6.25;
  outcome.dpi = 200;
  outcome.dpi_source = "text_height";
  outcome.timings = {{"analyse", 21.5}, {"ocr", 900}};
  auto decoded = decode_outcome(encode_outcome(outcome));
  REQUIRE(decoded);
  CHECK(decoded->rotation_confidence == 14.5);
  CHECK(decoded->rotation_method == "tesseract_osd");
  CHECK(decoded->skew_confidence == 6.25);
  CHECK(decoded->dpi == 200);
  CHECK(decoded->dpi_source == "text_height");
  CHECK(decoded->timings == outcome.timings);
}
