// Patient identifiers stay out of what ingest prints unless --log-phi asks for them, and out of
// what export --redact writes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "app/export_redaction.h"
#include "support/barcode_page.h"
#include "support/cli.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::read_page;
using casenote::testing::run_cli;
using casenote::testing::TempDir;

namespace {

const std::string kSamples = CASENOTE_SOURCE_DIR "/samples/";

// What identifies John Smith and Adaeze Okafor (samples/patients.csv), as their letters write it
// and as extraction and the index store it.
const std::vector<std::string> kIdentifiers = {
    "9990516324", "999 051 6324", "9996111962", "999-611-1962", "K2004841", "K5817139", "SMITH",      "Smith",
    "John",       "Paul",         "OKAFOR",     "Okafor",       "Adaeze",   "Ngozi",    "1950-03-04", "04/03/1950",
    "1962-11-12", "12 Nov 1962",  "LS6 2QT",    "LS13 3DF"};

// The identifiers of `kIdentifiers` that `text` holds.
std::vector<std::string> identifiers_in(const std::string& text) {
  std::vector<std::string> found;
  for (const auto& identifier : kIdentifiers)
    if (text.find(identifier) != std::string::npos) found.push_back(identifier);
  return found;
}

// One input holding two patients' letters: extraction finds their names, NHS numbers, hospital
// numbers and dates of birth in conflict, and the review reasons quote each of them.
std::string two_patient_stack(const TempDir& dir) {
  auto smith = read_page(kSamples + "clinic_letter_smith.png");
  auto okafor = read_page(kSamples + "discharge_summary_okafor.tif");
  std::string path = dir.file("stack.tif");
  casenote::testing::write_tiff(path, {smith.get(), okafor.get()});
  return path;
}

}  // namespace

TEST_CASE("redact_text takes out the identifiers given, NHS-checked numbers and postcodes", "[redact]") {
  PatientIdentifiers ids;
  ids.words = {"K2004841", "SMITH", "John", "Paul"};
  ids.dates_of_birth = {Date{1950, 3, 4}};
  std::string text =
      "Mr John Paul SMITH, seen by Dr Smith, born 4th March 1950 (04/03/50), NHS 999 051 6324, also 9434765919; "
      "ref 9434765918; Hospital No K2004841 at LS6 2QT; seen 24 February 2021 and 04/03/2021; B12 5mg; Smithfield";
  CHECK(redact_text(text, ids) ==
        "Mr [REDACTED] [REDACTED] [REDACTED], seen by Dr [REDACTED], born [REDACTED] ([REDACTED]), NHS [REDACTED], "
        "also [REDACTED]; ref 9434765918; Hospital No [REDACTED] at [REDACTED]; seen 24 February 2021 and "
        "04/03/2021; B12 5mg; Smithfield");
}

TEST_CASE("a redacted document keeps its id, type, status and other dates, and loses its identifiers", "[redact]") {
  DocumentRecord document{.id = "D1",
                          .source = "/scans/letter_okafor.png",
                          .document_type = "discharge_summary",
                          .status = "needs_review",
                          .patient_id = "P000002",
                          .review_reasons = {"conflicting patient names: OKAFOR, Adaeze (page 1), OKAFOR, Ada (page 2)",
                                             "conflicting dates of birth: 1962-11-12 (page 1), 1962-11-21 (page 2)"},
                          .fields = {{.name = "nhs_number", .value = "9996111962"},
                                     {.name = "document_date", .value = "2022-05-09"}},
                          .text = "Name: OKAFOR, Ada DOB: 21 Nov 1962 MRN: K5817139 seen 09/05/2022"};
  PatientRecord okafor{.id = "P000002", .hospital_number = "K5817139", .family_name = "OKAFOR",
                       .given_names = "Adaeze Ngozi", .date_of_birth = "1962-11-12"};
  DocumentRecord redacted = redact_document(document, {okafor});
  CHECK(redacted.id == "D1");
  CHECK(redacted.document_type == "discharge_summary");
  CHECK(redacted.status == "needs_review");
  CHECK(redacted.patient_id == "P000002");
  CHECK(redacted.fields[0].value == kRedacted);
  CHECK(redacted.fields[1].value == "2022-05-09");
  CHECK(redacted.source == "/scans/letter_[REDACTED].png");
  CHECK(redacted.text == "Name: [REDACTED], [REDACTED] DOB: [REDACTED] MRN: [REDACTED] seen 09/05/2022");
  CHECK(redacted.review_reasons[0] ==
        "conflicting patient names: [REDACTED], [REDACTED] (page 1), [REDACTED], [REDACTED] (page 2)");
  CHECK(redacted.review_reasons[1] == "conflicting dates of birth: [REDACTED] (page 1), [REDACTED] (page 2)");
}

TEST_CASE("ingest and watch offer --log-phi, export offers --redact", "[log-phi][redact][cli]") {
  CHECK(run_cli("ingest --help").output.find("--log-phi") != std::string::npos);
  CHECK(run_cli("watch --help").output.find("--log-phi") != std::string::npos);
  CHECK(run_cli("export --help").output.find("--redact") != std::string::npos);
}

TEST_CASE("ingest prints review reasons naming patients only with --log-phi, and export --redact removes them",
          "[log-phi][redact][e2e][slow]") {
  TempDir dir;
  std::string stack = two_patient_stack(dir);
  std::filesystem::copy_file(kSamples + "clinic_letter_smith.png", dir.file("clinic_letter_smith.png"));
  std::string db = dir.file("casenote.db");
  REQUIRE(run_cli("patients import --db " + db + " " + kSamples + "patients.csv").status == 0);

  auto quiet = run_cli("ingest --db " + db + " " + stack + " " + dir.file("clinic_letter_smith.png"));
  INFO(quiet.output);
  REQUIRE(quiet.status == 0);
  CHECK(quiet.output.find("needs review") != std::string::npos);
  CHECK(quiet.output.find("reasons: casenote review show ") != std::string::npos);
  // The input's path stays, though the file is named after the patient: the operator needs it.
  CHECK(identifiers_in(quiet.output) == std::vector<std::string>{});

  auto plain = run_cli("export --db " + db);
  REQUIRE(plain.status == 0);
  for (const char* identifier : {"9990516324", "SMITH", "1950-03-04", "OKAFOR", "LS6 2QT"})
    CHECK(plain.output.find(identifier) != std::string::npos);

  auto redacted = run_cli("export --redact --db " + db);
  INFO(redacted.output);
  REQUIRE(redacted.status == 0);
  CHECK(identifiers_in(redacted.output) == std::vector<std::string>{});
  CHECK(redacted.output.find("\"value\":\"2021-03-03\"") != std::string::npos);  // the letter's date is kept
  CHECK(redacted.output.find("\"status\":\"filed\"") != std::string::npos);
  CHECK(redacted.output.find("\"patient_id\":\"P") != std::string::npos);

  std::string told_db = dir.file("told.db");
  REQUIRE(run_cli("patients import --db " + told_db + " " + kSamples + "patients.csv").status == 0);
  auto told = run_cli("ingest --log-phi --db " + told_db + " " + stack);
  INFO(told.output);
  REQUIRE(told.status == 0);
  CHECK(told.output.find("SMITH, John Paul") != std::string::npos);
  CHECK(told.output.find("999 051 6324") != std::string::npos);
}
