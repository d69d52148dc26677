// Review decisions through the same functions the CLI and the web server call.
#include <catch2/catch.hpp>

#include "pipeline/review.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

struct ReviewFixture {
  TempDir dir;
  std::unique_ptr<Store> store;
  std::string smith, jones;

  ReviewFixture() {
    auto opened = open_sqlite_store(dir.file("c.db"));
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    REQUIRE(store->import_patients({{"", "9434765919", "K100", "SMITH", "John Paul", "1950-03-04", "M", ""},
                                    {"", "9434765870", "K200", "JONES", "Ann", "1961-07-01", "F", ""}})
                .ok());
    smith = store->patients_by_nhs_number("9434765919")->front().id;
    jones = store->patients_by_nhs_number("9434765870")->front().id;
  }

  // A letter whose NHS number was misread: checksum-valid, but nobody's.
  void save_misread_letter() {
    DocumentRecord d;
    d.id = "D1";
    d.source = "/scans/1.tif";
    d.sha256 = "aa";
    d.document_type = "clinic_letter";
    d.status = "needs_review";
    d.filed_by = "scanner";
    d.review_reasons = {"NHS number not in the patient index"};
    d.text = "Patient: Mr John Paul SMITH";
    d.pages = {{1, 0, 0, 90, false, d.text, {}}};
    d.fields = {{"nhs_number", "9434765927", 0.9, 1, {100, 200, 300, 40}},
                {"patient_name", "SMITH, John Paul", 0.9, 1, {100, 150, 400, 40}},
                {"date_of_birth", "1950-03-04", 0.9, 1, {100, 250, 200, 40}}};
    REQUIRE(store->save_document(d).ok());
  }
};

}  // namespace

TEST_CASE("a corrected NHS number is checked, then the document links by the rules", "[review]") {
  ReviewFixture f;
  f.save_misread_letter();

  auto refused = correct_field(*f.store, "D1", "nhs_number", "943 476 5918", "clerk", {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "'943 476 5918' is not a valid NHS number (ten digits with a modulus-11 check digit)");
  CHECK((*f.store->document("D1"))->status == "needs_review");

  auto corrected = correct_field(*f.store, "D1", "nhs_number", "943 476 5919", "clerk", {});
  REQUIRE(corrected.ok());
  CHECK(corrected->status == "filed");
  CHECK(corrected->patient_id == f.smith);
  CHECK(corrected->filing_rule == "nhs_number");
  CHECK(corrected->fields[0].value == "9434765919");
  CHECK(corrected->fields[0].box == Box{100, 200, 300, 40});

  auto trail = f.store->audit_for_document("D1");
  REQUIRE(trail.ok());
  REQUIRE(trail->size() == 4);
  CHECK((*trail)[1].field == "nhs_number");
  CHECK((*trail)[1].old_value == "9434765927");
  CHECK((*trail)[1].user == "clerk");
}

TEST_CASE("a correction that leaves a contradiction keeps the document in review", "[review]") {
  ReviewFixture f;
  f.save_misread_letter();
  // Jones's NHS number on Smith's letter: the name and date of birth say otherwise.
  auto corrected = correct_field(*f.store, "D1", "nhs_number", "9434765870", "clerk", {});
  REQUIRE(corrected.ok());
  CHECK(corrected->status == "needs_review");
  CHECK_FALSE(corrected->patient_id);
  CHECK(corrected->review_reasons ==
        std::vector<std::string>{"date of birth differs from patient " + f.jones, "name differs from patient " + f.jones});
}

TEST_CASE("typed values are validated per field", "[review]") {
  CHECK(*normalise_field_value("date_of_birth", "4th March 1950") == "1950-03-04");
  CHECK(*normalise_field_value("date_of_birth", "1950-03-04") == "1950-03-04");
  CHECK_FALSE(normalise_field_value("date_of_birth", "31/02/1950").ok());
  CHECK_FALSE(normalise_field_value("date_of_birth", "01/01/2999").ok());
  CHECK(*normalise_field_value("patient_name", "Mr John SMITH") == "SMITH, John");
  CHECK_FALSE(normalise_field_value("patient_name", "SMITH").ok());
  CHECK(*normalise_field_value("postcode", "ls14ap") == "LS1 4AP");
  CHECK_FALSE(normalise_field_value("postcode", "not a postcode").ok());
  CHECK(*normalise_field_value("hospital_number", "K123") == "K123");
  CHECK_FALSE(normalise_field_value("hospital_number", "K 123").ok());
  auto unknown = normalise_field_value("shoe_size", "9");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.rfind("unknown field 'shoe_size'", 0) == 0);
}

TEST_CASE("linking, re-linking, accepting and rejecting are audited decisions", "[review]") {
  ReviewFixture f;
  f.save_misread_letter();

  auto missing = link_document(*f.store, "D1", "P999999", "clerk");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "no patient P999999");

  REQUIRE(link_document(*f.store, "D1", f.jones, "clerk").ok());
  auto moved = link_document(*f.store, "D1", f.smith, "senior");
  REQUIRE(moved.ok());
  CHECK(moved->patient_id == f.smith);
  auto trail = f.store->audit_for_document("D1");
  REQUIRE(trail.ok());
  const AuditEntry& relink = (*trail)[trail->size() - 1];
  CHECK(relink.user == "senior");
  CHECK(relink.field == "patient");
  CHECK(relink.old_value == f.jones);
  CHECK(relink.new_value == f.smith);

  auto no_reason = reject_document(*f.store, "D1", "  ", "clerk");
  CHECK_FALSE(no_reason.ok());
  auto rejected = reject_document(*f.store, "D1", "duplicate scan", "clerk");
  REQUIRE(rejected.ok());
  CHECK(rejected->status == "rejected");
  CHECK_FALSE(rejected->patient_id);

  auto nothing_to_accept = accept_suggestion(*f.store, "D1", "clerk");
  CHECK_FALSE(nothing_to_accept.ok());
}

TEST_CASE("a new patient is created from the document's fields, once", "[review]") {
  ReviewFixture f;
  f.save_misread_letter();
  auto filed = file_to_new_patient(*f.store, "D1", "clerk");
  REQUIRE(filed.ok());
  CHECK(filed->status == "filed");
  auto patient = f.store->patient(*filed->patient_id);
  REQUIRE(patient.ok());
  CHECK((*patient)->nhs_number == "9434765927");
  CHECK((*patient)->family_name == "SMITH");
  CHECK((*patient)->given_names == "John Paul");
  auto again = file_to_new_patient(*f.store, "D1", "clerk");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message.find("already held") != std::string::npos);
}
