// Barcodes on scanned pages: reading them, and what separator sheets and patient labels mean.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "pipeline/barcodes.h"
#include "pipeline/patient_labels.h"
#include "support/barcode_page.h"

using namespace casenote;
using casenote::testing::blank_page;
using casenote::testing::draw_barcode;
using casenote::testing::PixPtr;
using casenote::testing::read_page;
using casenote::testing::scanned_roughly;

namespace {

PageImage image_of(const PixPtr& page) { return PageImage(pixClone(page.get())); }

ExtractedField text_field(FieldKind kind, const std::string& value) {
  ExtractedField field;
  field.kind = kind;
  field.value = value;
  field.confidence = 0.9;
  return field;
}

PatientLabel label(const std::string& content, int page = 1) {
  auto read = read_patient_label({"QRCode", content, {10, 10, 100, 100}}, page);
  REQUIRE(read);
  return *read;
}

}  // namespace

TEST_CASE("a separator sheet's Code 128 and a patient label's QR code are read off a letter", "[barcodes]") {
  PixPtr page = read_page(CASENOTE_SOURCE_DIR "/samples/clinic_letter_smith.png");
  draw_barcode(page.get(), ZXing::BarcodeFormat::Code128, kSeparatorSheetContent, 300, 3200);
  draw_barcode(page.get(), ZXing::BarcodeFormat::QRCode, "NHS:9990516324", 2000, 150, 6);

  auto found = read_barcodes(image_of(page)).barcodes;
  REQUIRE(found.size() == 2);
  std::sort(found.begin(), found.end(), [](const Barcode& a, const Barcode& b) { return a.format < b.format; });
  CHECK(found[0].format == "Code128");
  CHECK(found[0].text == kSeparatorSheetContent);
  CHECK(found[0].box.x >= 290);
  CHECK(found[0].box.y >= 3190);
  CHECK(found[1].format == "QRCode");
  CHECK(found[1].text == "NHS:9990516324");
  CHECK(found[1].box.x >= 1990);
  CHECK(found[1].box.bottom() < 500);
}

TEST_CASE("a Data Matrix label is read wherever it is on a page, also scanned sideways", "[barcodes]") {
  // ZXing alone finds a Data Matrix symbol only near the page's centre lines.
  for (auto [x, y] : {std::pair{150, 470}, std::pair{2200, 3200}, std::pair{1100, 1600}}) {
    PixPtr page = blank_page();
    draw_barcode(page.get(), ZXing::BarcodeFormat::DataMatrix, "NHS:999 051 6324", x, y, 8);  // 13.5 mm square
    casenote::Box upright;
    for (int turns : {0, 1}) {
      INFO("at " << x << "," << y << ", turned " << turns);
      PixPtr scanned(turns ? pixRotateOrth(page.get(), 1) : pixClone(page.get()));
      auto found = read_barcodes(image_of(scanned)).barcodes;
      REQUIRE(found.size() == 1);
      CHECK(found[0].format == "DataMatrix");
      CHECK(found[0].text == "NHS:999 051 6324");
      if (turns == 0) {
        CHECK(std::abs(found[0].box.x - x) < 10);
        CHECK(std::abs(found[0].box.y - y) < 10);
        upright = found[0].box;
      } else {
        // Turning the page a quarter clockwise took its (x, y) to (height - 1 - y, x).
        const int height = pixGetHeight(page.get());
        CHECK(std::abs(found[0].box.x - (height - upright.bottom())) < 10);
        CHECK(std::abs(found[0].box.y - upright.x) < 10);
        CHECK(std::abs(found[0].box.w - upright.h) < 10);
        CHECK(std::abs(found[0].box.h - upright.w) < 10);
      }
    }
  }
}

TEST_CASE("a small Data Matrix label, scanned crooked, soft and speckled, is read anywhere on a letter", "[barcodes]") {
  // Cells of 0.34 mm, which reading the page at half resolution, as was once done for Data
  // Matrix, blurred away: 2 of these 12 scans were read so.
  for (auto [x, y] : {std::pair{300, 700}, std::pair{1800, 2950}, std::pair{1500, 1300}}) {
    PixPtr letter = read_page(CASENOTE_SOURCE_DIR "/samples/clinic_letter_smith.png");
    draw_barcode(letter.get(), ZXing::BarcodeFormat::DataMatrix, "NHS:9990516324", x, y, 4);
    for (float degrees : {-2.5f, 1.5f}) {
      PixPtr scanned = scanned_roughly(letter.get(), degrees, 20);
      for (int turns : {0, 1}) {
        INFO("at " << x << "," << y << ", turned " << degrees << " degrees and " << turns << " quarters");
        PixPtr fed(pixRotateOrth(scanned.get(), turns));
        auto reading = read_barcodes(image_of(fed));
        CHECK(reading.problem.empty());
        REQUIRE(reading.barcodes.size() == 1);
        CHECK(reading.barcodes[0].text == "NHS:9990516324");
        if (turns == 0) {
          CHECK(std::abs(reading.barcodes[0].box.x - x) < 80);
          CHECK(std::abs(reading.barcodes[0].box.y - y) < 80);
        }
      }
    }
  }
}

TEST_CASE("a Data Matrix label is read at the page's real resolution whatever its file says", "[barcodes]") {
  // Scanning software writes 72 dpi or nothing at all into files scanned at 300 or 600 dpi;
  // dense areas and their margins sized by such a tag would be a quarter of what a symbol needs.
  struct Case {
    int width, height, tagged_dpi, module, x, y;
  };
  for (const Case& c : {Case{2480, 3508, 72, 8, 150, 470},         // 300 dpi, tagged 72
                        Case{4960, 7016, 0, 12, 300, 940},         // 600 dpi, no tag, 0.5 mm cells
                        Case{4960, 7016, 600, 12, 4300, 6300}}) {  // 600 dpi, tagged
    PixPtr page = blank_page(c.width, c.height);
    pixSetXRes(page.get(), c.tagged_dpi);  // pixSetResolution would keep 300 for 0
    pixSetYRes(page.get(), c.tagged_dpi);
    draw_barcode(page.get(), ZXing::BarcodeFormat::DataMatrix, "NHS:999 051 6324", c.x, c.y, c.module);
    for (int turns : {0, 1}) {
      INFO(c.width << "x" << c.height << " tagged " << c.tagged_dpi << " dpi, turned " << turns);
      PixPtr scanned(turns ? pixRotateOrth(page.get(), 1) : pixClone(page.get()));
      auto found = read_barcodes(image_of(scanned)).barcodes;
      REQUIRE(found.size() == 1);
      CHECK(found[0].text == "NHS:999 051 6324");
      if (turns == 0) {
        CHECK(std::abs(found[0].box.x - c.x) < 20);
        CHECK(std::abs(found[0].box.y - c.y) < 20);
      }
    }
  }
}

TEST_CASE("a page without barcodes, and an empty image, give none", "[barcodes]") {
  auto letter = read_barcodes(image_of(read_page(CASENOTE_SOURCE_DIR "/samples/clinic_letter_nowak.jpg")));
  CHECK(letter.barcodes.empty());
  CHECK(letter.problem.empty());
  CHECK(read_barcodes(PageImage()).barcodes.empty());
}

TEST_CASE("only the exact separator content marks a separator sheet", "[barcodes]") {
  CHECK(is_separator_sheet({{"Code128", "CASENOTE-SEPARATOR", {}}}));
  CHECK(is_separator_sheet({{"QRCode", "NHS:9990516324", {}}, {"DataMatrix", "CASENOTE-SEPARATOR", {}}}));
  CHECK_FALSE(is_separator_sheet({}));
  CHECK_FALSE(is_separator_sheet({{"Code128", "casenote-separator", {}}}));
  CHECK_FALSE(is_separator_sheet({{"Code128", "CASENOTE-SEPARATOR-2", {}}}));
}

TEST_CASE("patient labels carry an NHS number or a hospital number", "[barcodes]") {
  PatientLabel nhs = label("NHS: 999 051 6324", 3);
  CHECK(nhs.problem.empty());
  CHECK(nhs.field.kind == FieldKind::NhsNumber);
  CHECK(nhs.field.value == "9990516324");
  CHECK(nhs.field.confidence == 1.0);
  CHECK(nhs.field.page == 3);
  CHECK(nhs.field.box == casenote::Box{10, 10, 100, 100});

  CHECK(label("nhs:9990516324").field.value == "9990516324");

  PatientLabel bad_check_digit = label("NHS:9990516325");
  CHECK_FALSE(bad_check_digit.problem.empty());

  PatientLabel mrn = label("MRN:K2004841");
  CHECK(mrn.problem.empty());
  CHECK(mrn.field.kind == FieldKind::HospitalNumber);
  CHECK(mrn.field.value == "K2004841");
  CHECK_FALSE(label("MRN:<script>").problem.empty());

  CHECK_FALSE(read_patient_label({"Code128", "9990516324", {}}, 1));  // digits alone could be anything
  CHECK_FALSE(read_patient_label({"Code128", "LAB-123456", {}}, 1));
  CHECK_FALSE(read_patient_label({"Code128", "CASENOTE-SEPARATOR", {}}, 1));
}

TEST_CASE("a patient label's identifier becomes the document's, read with full confidence", "[barcodes]") {
  SECTION("no number in the text: the label's is taken") {
    DocumentFields fields;
    apply_patient_labels(fields, {label("NHS:9990516324")});
    REQUIRE(fields.find(FieldKind::NhsNumber));
    CHECK(fields.find(FieldKind::NhsNumber)->value == "9990516324");
    CHECK(fields.find(FieldKind::NhsNumber)->confidence == 1.0);
    CHECK(fields.review_reasons.empty());
  }
  SECTION("the same number in the text: agreed, no review") {
    DocumentFields fields;
    fields.fields.emplace(FieldKind::NhsNumber, text_field(FieldKind::NhsNumber, "9990516324"));
    apply_patient_labels(fields, {label("NHS:9990516324"), label("NHS:999 051 6324", 2)});
    CHECK(fields.find(FieldKind::NhsNumber)->confidence == 1.0);
    CHECK(fields.review_reasons.empty());
  }
  SECTION("another number in the text: review") {
    DocumentFields fields;
    fields.fields.emplace(FieldKind::NhsNumber, text_field(FieldKind::NhsNumber, "9996694380"));
    apply_patient_labels(fields, {label("NHS:9990516324")});
    CHECK(fields.review_reasons == std::vector<std::string>{"the NHS number in the text differs from the patient label"});
  }
  SECTION("two labels that disagree: review, and no number is chosen") {
    DocumentFields fields;
    fields.fields.emplace(FieldKind::NhsNumber, text_field(FieldKind::NhsNumber, "9990516324"));
    apply_patient_labels(fields, {label("NHS:9990516324"), label("NHS:9996694380", 2)});
    CHECK_FALSE(fields.find(FieldKind::NhsNumber));
    CHECK(fields.review_reasons == std::vector<std::string>{"patient labels carry different NHS numbers"});
  }
  SECTION("an unusable label: review, and the text's number stays") {
    DocumentFields fields;
    fields.fields.emplace(FieldKind::NhsNumber, text_field(FieldKind::NhsNumber, "9990516324"));
    apply_patient_labels(fields, {label("NHS:9990516325"), label("NHS:9990516325")});
    CHECK(fields.find(FieldKind::NhsNumber)->confidence == 0.9);
    CHECK(fields.review_reasons.size() == 1);
  }
  SECTION("a hospital number label fills the hospital number") {
    DocumentFields fields;
    apply_patient_labels(fields, {label("MRN:K2004841")});
    CHECK(fields.find(FieldKind::HospitalNumber)->value == "K2004841");
    CHECK_FALSE(fields.find(FieldKind::NhsNumber));
  }
}
