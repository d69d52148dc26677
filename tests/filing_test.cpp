#include <catch2/catch.hpp>

#include "pipeline/filing.h"

using namespace casenote;

namespace {

DocumentFields fields_with(std::initializer_list<std::pair<FieldKind, std::string>> values, double nhs_confidence = 0.95) {
  DocumentFields f;
  for (const auto& [kind, value] : values) {
    ExtractedField field{kind, value, kind == FieldKind::NhsNumber ? nhs_confidence : 0.9, 1, {}, value};
    f.fields.emplace(kind, field);
  }
  return f;
}

PatientRecord smith() {
  PatientRecord p;
  p.id = "P000001";
  p.nhs_number = "9434765919";
  p.family_name = "O'Brien-Smith";
  p.given_names = "John";
  p.date_of_birth = "1950-03-04";
  return p;
}

}  // namespace

TEST_CASE("an NHS number matching one patient, with agreeing date of birth and name, files", "[filing]") {
  auto decision = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"},
                                             {FieldKind::DateOfBirth, "1950-03-04"},
                                             {FieldKind::PatientName, "OBRIEN SMITH, John"}}),
                                {smith()});
  CHECK(decision.filed);
  CHECK(decision.patient_id == "P000001");
  CHECK(decision.rule == "nhs_number");
  CHECK(decision.reasons.empty());
}

TEST_CASE("a contradicting date of birth or family name sends the document to review", "[filing]") {
  auto dob = decide_filing(
      fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::DateOfBirth, "1950-04-03"}}), {smith()});
  CHECK_FALSE(dob.filed);
  CHECK_FALSE(dob.patient_id);
  CHECK(dob.reasons == std::vector<std::string>{"date of birth differs from the patient index"});

  auto name = decide_filing(
      fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::PatientName, "JONES, John"}}), {smith()});
  CHECK_FALSE(name.filed);
  CHECK(name.reasons == std::vector<std::string>{"family name differs from the patient index"});
}

TEST_CASE("no NHS number, an unknown one, or a weakly read one never files", "[filing]") {
  auto none = decide_filing(fields_with({{FieldKind::DateOfBirth, "1950-03-04"}}), {});
  CHECK_FALSE(none.filed);
  CHECK(none.reasons == std::vector<std::string>{"no NHS number found"});

  auto unknown = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}}), {});
  CHECK_FALSE(unknown.filed);
  CHECK(unknown.reasons == std::vector<std::string>{"NHS number not in the patient index"});

  auto weak = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}}, 0.4), {smith()});
  CHECK_FALSE(weak.filed);
  CHECK(weak.reasons == std::vector<std::string>{"NHS number read with low confidence"});

  auto twice = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}}), {smith(), smith()});
  CHECK_FALSE(twice.filed);
}

TEST_CASE("extraction's own review reasons keep a matching document out of the patient's notes", "[filing]") {
  auto f = fields_with({{FieldKind::NhsNumber, "9434765919"}});
  f.review_reasons.push_back("conflicting NHS numbers");
  auto decision = decide_filing(f, {smith()});
  CHECK_FALSE(decision.filed);
  CHECK(decision.reasons.front() == "conflicting NHS numbers");
}
