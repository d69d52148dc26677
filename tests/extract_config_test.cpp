// The extraction configuration file: what each key sets, and the one-line error for each mistake.
#include <catch2/catch.hpp>

#include "extract_page_fixture.h"
#include "pipeline/extraction_config.h"
#include "support/temp_dir.h"

using namespace casenote;
using namespace casenote::fixture;

namespace {

std::string error_of(std::string_view json) {
  auto options = parse_extraction_config(json);
  return options ? "" : options.error().message;
}

DocumentFields extract_with(const ExtractionOptions& configured, std::string_view text) {
  ExtractionOptions options = configured;
  options.today = kToday;
  return extract_fields({page_from_text(text)}, options);
}

}  // namespace

TEST_CASE("An empty configuration keeps every default", "[extract]") {
  auto options = parse_extraction_config("{}");
  REQUIRE(options);
  CHECK(options->extra_labels.empty());
  CHECK(options->hospital_number_labels == default_hospital_number_labels());
  CHECK(options->letterhead_text.empty());
  CHECK(options->nhs_number_ranges.size() == default_nhs_number_ranges().size());
  CHECK(value_of(extract_with(*options, "MRN: K1234567"), FieldKind::HospitalNumber) == "K1234567");
}

TEST_CASE("Configured labels add to the defaults for their field kind", "[extract]") {
  auto options = parse_extraction_config(R"({"labels": {"nhs_number": ["Health No"], "clinic_date": ["Attended"]}})");
  REQUIRE(options);
  DocumentFields fields = extract_with(*options, "Health No: 999 000 0018\nAttended: 05/03/2024\nNHS No: 999 000 0018");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9990000018");
  CHECK(value_of(fields, FieldKind::ClinicDate) == "2024-03-05");
}

TEST_CASE("Configured hospital number labels and patterns replace the defaults", "[extract]") {
  auto options = parse_extraction_config(
      R"({"hospital_number": {"labels": ["Case No"], "patterns": ["RX[0-9]{7}"]}})");
  REQUIRE(options);
  CHECK(value_of(extract_with(*options, "Case No: RX1234567"), FieldKind::HospitalNumber) == "RX1234567");
  CHECK(extract_with(*options, "Case No: K1234567").find(FieldKind::HospitalNumber) == nullptr);
  CHECK(extract_with(*options, "MRN: RX1234567").find(FieldKind::HospitalNumber) == nullptr);
}

TEST_CASE("Configured letterhead text and NHS number ranges are read", "[extract]") {
  auto options = parse_extraction_config(
      R"({"letterhead": ["Moor Lane, Calderbridge HX1 2YR"], "nhs_number_ranges": ["400-499", "600-799"]})");
  REQUIRE(options);
  CHECK(options->letterhead_text == std::vector<std::string>{"Moor Lane, Calderbridge HX1 2YR"});
  REQUIRE(options->nhs_number_ranges.size() == 2);
  CHECK(options->nhs_number_ranges[1].first == 600);
  CHECK(options->nhs_number_ranges[1].last == 799);
  DocumentFields fields = extract_with(*options, "Patient: Mr John SMITH\nMoor Lane, Calderbridge, HX1 2YR\n999 000 0018");
  CHECK(fields.find(FieldKind::Postcode) == nullptr);
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
}

TEST_CASE("Comments are allowed in the configuration", "[extract]") {
  CHECK(parse_extraction_config("// our trust\n{\"letterhead\": [\"Calderbridge\"]}"));
}

TEST_CASE("Each configuration mistake is one error naming it", "[extract]") {
  CHECK(error_of("{") == "not valid JSON");
  CHECK(error_of("[]") == "the configuration: expected an object");
  CHECK(error_of(R"({"letterheads": []})") == "unknown key 'letterheads'");
  CHECK(error_of(R"({"labels": {"shoe_size": ["Shoe"]}})") == "labels.shoe_size: unknown field kind");
  CHECK(error_of(R"({"labels": {"nhs_number": "Health No"}})") == "labels.nhs_number: expected a list of strings");
  CHECK(error_of(R"({"hospital_number": {"pattern": []}})") == "unknown key 'hospital_number.pattern'");
  CHECK(error_of(R"({"hospital_number": {"patterns": ["RX[0-9"]}})").starts_with(
      "hospital_number.patterns: hospital number pattern 'RX[0-9' is not a regular expression"));
  CHECK(error_of(R"({"nhs_number_ranges": ["4-5"]})") ==
        "nhs_number_ranges: '4-5' is not a range like \"400-499\" or \"999\"");
  CHECK(error_of(R"({"nhs_number_ranges": ["499-400"]})").starts_with("nhs_number_ranges: '499-400'"));
  CHECK(error_of(R"({"letterhead": [1]})") == "letterhead: expected a list of strings");
}

TEST_CASE("A configuration file that cannot be read or parsed is an error naming the file", "[extract]") {
  testing::TempDir dir;
  auto missing = load_extraction_config(dir.file("absent.json"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == dir.file("absent.json") + ": cannot be read");
  std::string bad = dir.write("bad.json", R"({"nhs_number_ranges": ["x"]})");
  auto parsed = load_extraction_config(bad);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().message.starts_with(bad + ": nhs_number_ranges: 'x'"));
}

TEST_CASE("The documented example configuration is valid", "[extract]") {
  auto options = load_extraction_config(CASENOTE_SOURCE_DIR "/docs/extraction-config.example.json");
  REQUIRE(options);
  CHECK_FALSE(options->extra_labels.empty());
}
