// CHI and H&C numbers, trust-specific hospital number shapes and the options a trust sets.
#include <catch2/catch.hpp>

#include "extract/chi_number.h"
#include "extract/hospital_number.h"
#include "extract/nhs_number.h"
#include "extract_page_fixture.h"

using namespace casenote;
using namespace casenote::fixture;

// --- CHI numbers ---

TEST_CASE("CHI numbers start with a real date of birth and end in a modulus-11 check digit", "[extract]") {
  CHECK(chi_number_valid("0403501202"));
  CHECK_FALSE(chi_number_valid("0403501203"));
  // 31 February: the checksum holds, the date does not.
  REQUIRE(nhs_number_valid("3102501001"));
  CHECK_FALSE(chi_number_valid("3102501001"));
  CHECK_FALSE(chi_number_valid("040350120"));
}

TEST_CASE("CHI numbers parse joined, as date and serial, or in threes", "[extract]") {
  CHECK(parse_chi_number("0403501202") == "0403501202");
  CHECK(parse_chi_number("040350 1202") == "0403501202");
  CHECK(parse_chi_number("040 350 1202") == "0403501202");
  CHECK_FALSE(parse_chi_number("040350  1202"));
  CHECK_FALSE(parse_chi_number(" 0403501202"));
  CHECK_FALSE(parse_chi_number("04035O1202"));
}

TEST_CASE("A labelled CHI number is its own field, never an NHS number", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "CHI No: 040350 1202", "CHI: 0403501202", "CHI Number 040350 1202");
  INFO(text);
  DocumentFields fields = extract(text);
  CHECK(value_of(fields, FieldKind::ChiNumber) == "0403501202");
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A CHI number without its label is not read", "[extract]") {
  DocumentFields fields = extract("Re: Mr John SMITH\n040350 1202");
  CHECK(fields.find(FieldKind::ChiNumber) == nullptr);
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
}

TEST_CASE("Two different CHI numbers are named in the review reason", "[extract]") {
  DocumentFields fields = extract("CHI No: 0403501202\nCHI No: 0403501008");
  CHECK(fields.find(FieldKind::ChiNumber) == nullptr);
  CHECK(has_reason(fields, "conflicting CHI numbers: 0403501202 (page 1), 0403501008 (page 1)"));
}

// --- H&C numbers ---

TEST_CASE("H&C numbers are modulus-11 numbers from 320 to 399 million", "[extract]") {
  CHECK(hc_number_valid("3201234508"));
  CHECK(hc_number_valid("3990000004"));
  REQUIRE(nhs_number_valid("3191234500"));
  CHECK_FALSE(hc_number_valid("3191234500"));
  CHECK_FALSE(hc_number_valid("3201234509"));
}

TEST_CASE("A labelled H&C number is its own field", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "H&C No: 320 123 4508", "H+C No 3201234508", "Health and Care Number: 320 123 4508");
  INFO(text);
  DocumentFields fields = extract(text);
  CHECK(value_of(fields, FieldKind::HcNumber) == "3201234508");
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
}

TEST_CASE("An H&C label before a number outside the H&C range reads nothing", "[extract]") {
  CHECK(extract("H&C No: 319 123 4500").find(FieldKind::HcNumber) == nullptr);
  CHECK(extract("H&C No: 999 000 0018").find(FieldKind::HcNumber) == nullptr);
}

// --- Hospital number shapes ---

namespace {

// The value `patterns` read from `text`, or "" when it has none of the shapes.
std::string read_value(const HospitalNumberPatterns& patterns, std::string_view text) {
  auto number = patterns.read(text);
  return number ? number->value : "";
}

}  // namespace

TEST_CASE("Hospital number shapes are a trust's regular expressions", "[extract]") {
  auto patterns = HospitalNumberPatterns::compile({"RX[0-9]{7}", "[0-9]{3}-[0-9]{4}"});
  REQUIRE(patterns);
  CHECK(read_value(*patterns, "RX1234567") == "RX1234567");
  CHECK(read_value(*patterns, "rx1234567,") == "RX1234567");
  CHECK(read_value(*patterns, "123-4567") == "123-4567");
  CHECK_FALSE(patterns->read("K1234567"));
  CHECK_FALSE(patterns->read("RX12345678"));

  ExtractionOptions options;
  options.today = kToday;
  options.hospital_number_patterns = *patterns;
  CHECK(value_of(extract_fields({page_from_text("MRN: RX1234567")}, options), FieldKind::HospitalNumber) == "RX1234567");
  CHECK(extract_fields({page_from_text("MRN: K1234567")}, options).find(FieldKind::HospitalNumber) == nullptr);
}

TEST_CASE("A hospital number shape that is not a regular expression is an error naming it", "[extract]") {
  auto patterns = HospitalNumberPatterns::compile({"K[0-9]{7}", "RX[0-9"});
  REQUIRE_FALSE(patterns);
  CHECK(patterns.error().message.find("'RX[0-9'") != std::string::npos);
}

TEST_CASE("The default hospital number shape is 5 to 12 letters and digits, 4 or more digits", "[extract]") {
  HospitalNumberPatterns patterns = HospitalNumberPatterns::defaults();
  CHECK(read_value(patterns, "K1234567") == "K1234567");
  CHECK(read_value(patterns, "12345") == "12345");
  CHECK_FALSE(patterns.read("K123"));
  CHECK_FALSE(patterns.read("ABCDEF1"));
  CHECK_FALSE(patterns.read("B82005X1234567"));
}

TEST_CASE("A look-alike letter touching a hospital number's digits is read as the digit", "[extract]") {
  HospitalNumberPatterns patterns = HospitalNumberPatterns::defaults();
  CHECK(patterns.read("KO640559") == HospitalNumberReading{"K0640559", true});
  CHECK(patterns.read("K064O559") == HospitalNumberReading{"K0640559", true});
  CHECK(patterns.read("KOO40559") == HospitalNumberReading{"K0040559", true});
  CHECK(patterns.read("K12345l7") == HospitalNumberReading{"K1234517", true});
  CHECK(patterns.read("K1234567") == HospitalNumberReading{"K1234567", false});
  // The first character is a prefix letter, even one that looks like a digit.
  CHECK(patterns.read("S1234567") == HospitalNumberReading{"S1234567", false});
  // A letter that touches no digit stays a letter.
  CHECK(patterns.read("RSX12345") == HospitalNumberReading{"RSX12345", false});

  // A trust whose numbers carry such a letter writes a shape without the digit there.
  auto trust = HospitalNumberPatterns::compile({"RS[0-9]{6}", "K[0-9]{7}"});
  REQUIRE(trust);
  CHECK(trust->read("RS123456") == HospitalNumberReading{"RS123456", false});
  CHECK(trust->read("KO640559") == HospitalNumberReading{"K0640559", true});
}

TEST_CASE("A hospital number read through look-alike letters is less sure than a clean one", "[extract]") {
  DocumentFields clean = extract("Hospital No: K0640559");
  DocumentFields misread = extract("Hospital No: KO640559");
  REQUIRE(value_of(misread, FieldKind::HospitalNumber) == "K0640559");
  CHECK(misread.find(FieldKind::HospitalNumber)->confidence < clean.find(FieldKind::HospitalNumber)->confidence);
  CHECK(misread.find(FieldKind::HospitalNumber)->source_text == "KO640559");
}

TEST_CASE("Hospital numbers that differ only by look-alike letters are likely one misread", "[extract]") {
  CHECK(differ_by_ocr_confusions("KO640559", "K0640559"));
  CHECK(differ_by_ocr_confusions("K0640559", "KO640559"));
  CHECK(differ_by_ocr_confusions("K1234S67", "K1234567"));
  CHECK(differ_by_ocr_confusions("KL234567", "K1234567"));
  CHECK_FALSE(differ_by_ocr_confusions("K0640559", "K0640559"));
  CHECK_FALSE(differ_by_ocr_confusions("K0640559", "K0640558"));
  CHECK_FALSE(differ_by_ocr_confusions("RX0640559", "K0640559"));
  CHECK_FALSE(differ_by_ocr_confusions("KA640559", "K0640559"));
}

TEST_CASE("A GP practice code is not a hospital number", "[extract]") {
  DocumentFields fields = extract("Practice code: B82005\nHospital No: K1234567");
  CHECK(value_of(fields, FieldKind::HospitalNumber) == "K1234567");
  CHECK(extract("Practice code: B82005").find(FieldKind::HospitalNumber) == nullptr);
}

// --- Options ---

TEST_CASE("A trust's extra labels are read like the defaults", "[extract]") {
  ExtractionOptions options;
  options.today = kToday;
  options.extra_labels = {{"Health No", LabelKind::NhsNumber}, {"Attended", LabelKind::ClinicDate}};
  DocumentFields fields =
      extract_fields({page_from_text("Health No: 999 000 0018\nAttended: 05/03/2024\nDOB: 04/03/1950")}, options);
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9990000018");
  CHECK(value_of(fields, FieldKind::ClinicDate) == "2024-03-05");
  CHECK(value_of(fields, FieldKind::DateOfBirth) == "1950-03-04");
}

TEST_CASE("Configured label kinds are named by their field keys", "[extract]") {
  CHECK(label_kind_named("nhs_number") == LabelKind::NhsNumber);
  CHECK(label_kind_named("date_of_birth") == LabelKind::DateOfBirth);
  CHECK(label_kind_named("clinic_date") == LabelKind::ClinicDate);
  CHECK(label_kind_named("other_party") == LabelKind::OtherParty);
  CHECK_FALSE(label_kind_named("shoe_size"));
}

TEST_CASE("Lines holding the trust's letterhead text are not read", "[extract]") {
  RecognisedPage page = page_from_text("Patient: Mr John SMITH\n12 High Street\nMoor Lane, Calderbridge, HX1 2YR");
  CHECK(value_of(extract({page}), FieldKind::Postcode) == "HX1 2YR");
  ExtractionOptions options;
  options.today = kToday;
  options.letterhead_text = {"Moor Lane Calderbridge HX1 2YR"};
  DocumentFields fields = extract_fields({page}, options);
  CHECK(fields.find(FieldKind::Postcode) == nullptr);
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John");
}
