// Separator sheets split a scanned stack into documents; a patient label on one identifies the
// document it starts.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "pipeline/patient_labels.h"
#include "pipeline/separator_sheets.h"
#include "support/barcode_page.h"
#include "support/cli.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::blank_page;
using casenote::testing::draw_barcode;
using casenote::testing::PixPtr;
using casenote::testing::read_page;
using casenote::testing::run_cli;
using casenote::testing::TempDir;
using nlohmann::json;

namespace {

PageOutcome page(int number, bool separator = false) {
  PageOutcome out;
  out.number = number;
  out.separator_sheet = separator;
  return out;
}

RecognisedDocument stack(const std::vector<PageOutcome>& pages) {
  RecognisedDocument input;
  input.source = "/scans/stack.tif";
  input.sha256 = "ab12";
  input.pages = pages;
  return input;
}

std::vector<std::vector<int>> page_numbers(const std::vector<RecognisedDocument>& parts) {
  std::vector<std::vector<int>> out;
  for (const auto& part : parts) {
    out.emplace_back();
    for (const auto& p : part.pages) out.back().push_back(p.number);
  }
  return out;
}

const std::string kSamples = CASENOTE_SOURCE_DIR "/samples/";

// A separator sheet as scanning rooms print them: the separator symbol, and perhaps a patient label.
PixPtr separator_sheet(const std::string& label = "") {
  PixPtr sheet = blank_page();
  draw_barcode(sheet.get(), ZXing::BarcodeFormat::Code128, kSeparatorSheetContent, 600, 800);
  if (!label.empty()) draw_barcode(sheet.get(), ZXing::BarcodeFormat::QRCode, label, 900, 1400, 8);
  return sheet;
}

std::vector<json> exported(const std::string& db) {
  auto run = run_cli("export --db " + db + " --format jsonl");
  REQUIRE(run.status == 0);
  std::vector<json> documents;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);) documents.push_back(json::parse(line));
  return documents;
}

}  // namespace

TEST_CASE("separator sheets split an input into documents, in page order", "[separator]") {
  auto parts = split_at_separator_sheets(stack({page(1), page(2), page(3, true), page(4), page(5, true), page(6)}));
  CHECK(page_numbers(parts) == std::vector<std::vector<int>>{{1, 2}, {4}, {6}});
  REQUIRE(parts.size() == 3);
  for (size_t i = 0; i < parts.size(); ++i) {
    CHECK(parts[i].part == static_cast<int>(i) + 1);
    CHECK(parts[i].source == "/scans/stack.tif");
    CHECK(parts[i].sha256 == "ab12");
  }
  CHECK_FALSE(parts[0].cover_sheet);
  REQUIRE(parts[1].cover_sheet);
  CHECK(parts[1].cover_sheet->number == 3);
  CHECK(parts[2].cover_sheet->number == 5);
}

TEST_CASE("leading, repeated and trailing separator sheets start no empty documents", "[separator]") {
  auto parts = split_at_separator_sheets(stack({page(1, true), page(2, true), page(3), page(4, true)}));
  CHECK(page_numbers(parts) == std::vector<std::vector<int>>{{3}});
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].part == 1);
  CHECK(parts[0].cover_sheet->number == 2);  // the last of the run

  CHECK(split_at_separator_sheets(stack({page(1, true), page(2, true)})).empty());
  CHECK(page_numbers(split_at_separator_sheets(stack({page(1), page(2)}))) ==
        std::vector<std::vector<int>>{{1, 2}});
}

TEST_CASE("a scanned stack with a separator sheet is filed as two documents, the label naming the second",
          "[separator][e2e][slow]") {
  TempDir dir;
  std::string db = dir.file("casenote.db");
  REQUIRE(run_cli("patients import --db " + db + " " + kSamples + "patients.csv").status == 0);

  PixPtr smith = read_page(kSamples + "clinic_letter_smith.png");
  PixPtr sheet = separator_sheet("NHS:9994873598");
  PixPtr brown = read_page(kSamples + "lab_report_brown.tif");
  std::string stack_path = dir.file("stack.tif");
  casenote::testing::write_tiff(stack_path, {smith.get(), sheet.get(), brown.get()});

  auto ingested = run_cli("ingest --db " + db + " " + stack_path);
  INFO(ingested.output);
  REQUIRE(ingested.status == 0);

  auto documents = exported(db);
  REQUIRE(documents.size() == 2);
  CHECK(documents[0]["pages"].size() == 1);
  CHECK(documents[0]["pages"][0]["number"] == 1);
  CHECK(documents[0]["fields"]["nhs_number"]["value"] == "9990516324");
  CHECK(documents[0]["status"] == "filed");

  std::string first_id = documents[0]["document_id"];
  CHECK(documents[1]["document_id"] == first_id + "-2");
  CHECK(documents[1]["source"] == stack_path);
  CHECK(documents[1]["pages"].size() == 1);
  CHECK(documents[1]["pages"][0]["number"] == 3);  // the sheet, page 2, belongs to no document
  CHECK(documents[1]["fields"]["nhs_number"]["value"] == "9994873598");
  CHECK(documents[1]["fields"]["nhs_number"]["confidence"] == 1.0);
  CHECK(documents[1]["status"] == "filed");
  CHECK(documents[0]["patient_id"] != documents[1]["patient_id"]);
}

TEST_CASE("a patient label that disagrees with the letter it is on sends the letter to review",
          "[separator][e2e][slow]") {
  TempDir dir;
  std::string db = dir.file("casenote.db");
  REQUIRE(run_cli("patients import --db " + db + " " + kSamples + "patients.csv").status == 0);

  // John Smith's letter wearing Joan Smith's label: same family name, different patient.
  PixPtr letter = read_page(kSamples + "clinic_letter_smith.png");
  draw_barcode(letter.get(), ZXing::BarcodeFormat::QRCode, "NHS:9996694380", 1900, 3000, 6);
  std::string path = dir.file("labelled.tif");
  casenote::testing::write_tiff(path, {letter.get()});

  auto ingested = run_cli("ingest --db " + db + " " + path);
  INFO(ingested.output);
  REQUIRE(ingested.status == 0);
  auto documents = exported(db);
  REQUIRE(documents.size() == 1);
  CHECK(documents[0]["status"] == "needs_review");
  CHECK(documents[0]["patient_id"].is_null());
  auto reasons = documents[0]["review_reasons"].dump();
  CHECK(reasons.find("differs from the patient label") != std::string::npos);
}
