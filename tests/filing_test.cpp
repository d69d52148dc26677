// The linking rules, one by one, with the patient index given as plain lists.
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

PatientRecord smith() { return {"P1", "9434765919", "K100", "O'Brien-Smith", "John Paul", "1950-03-04", "M", ""}; }
PatientRecord jones() { return {"P2", "9434765870", "K200", "JONES", "William", "1961-07-01", "M", ""}; }
PatientRecord jones_twin() { return {"P3", "9990000018", "K300", "JONES", "Wendy", "1961-07-01", "F", ""}; }

const LinkingPolicy kDefault{};

}  // namespace

TEST_CASE("rule 1: an NHS number matching one patient, with nothing contradicting, files", "[filing]") {
  auto fields = fields_with({{FieldKind::NhsNumber, "9434765919"},
                             {FieldKind::DateOfBirth, "1950-03-04"},
                             {FieldKind::PatientName, "OBRIEN SMITH, John"}});
  auto decision = decide_filing(fields, {{smith()}, {}, {smith()}}, kDefault);
  CHECK(decision.filed);
  CHECK(decision.patient_id == "P1");
  CHECK(decision.rule == "nhs_number");
  CHECK(decision.reasons.empty());
  REQUIRE(decision.candidates.size() == 1);
  CHECK(decision.candidates[0].patient_id == "P1");
  CHECK(decision.candidates[0].evidence == "NHS number agrees, date of birth agrees, name agrees");
}

TEST_CASE("rule 1 with a contradicting date of birth or name goes to review", "[filing]") {
  auto dob = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::DateOfBirth, "1950-04-03"}}),
                           {{smith()}, {}, {}}, kDefault);
  CHECK_FALSE(dob.filed);
  CHECK_FALSE(dob.patient_id);
  CHECK(dob.reasons == std::vector<std::string>{"date of birth differs from patient P1"});
  REQUIRE_FALSE(dob.candidates.empty());
  CHECK(dob.candidates[0].patient_id == "P1");

  auto name = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::PatientName, "JONES, John"}}),
                            {{smith()}, {}, {}}, kDefault);
  CHECK_FALSE(name.filed);
  CHECK(name.reasons == std::vector<std::string>{"name differs from patient P1"});
}

TEST_CASE("rule 1 with a hospital number that looks like a misreading of the patient's goes to review", "[filing]") {
  // "KIOO" is how OCR may read K100: filing would store a number that is not the patient's.
  auto misread = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::HospitalNumber, "KIOO"}}),
                               {{smith()}, {}, {}}, kDefault);
  CHECK_FALSE(misread.filed);
  CHECK(misread.reasons == std::vector<std::string>{"hospital number differs from patient P1"});

  // Another trust's number on its own letter is no evidence either way.
  auto other_trust = decide_filing(
      fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::HospitalNumber, "RX12345"}}), {{smith()}, {}, {}},
      kDefault);
  CHECK(other_trust.filed);
  CHECK(other_trust.patient_id == "P1");
}

TEST_CASE("rule 4: identifiers that point at two patients never file", "[filing]") {
  auto fields = fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::HospitalNumber, "K200"}});
  auto decision = decide_filing(fields, {{smith()}, {jones()}, {}}, kDefault);
  CHECK_FALSE(decision.filed);
  CHECK(decision.reasons == std::vector<std::string>{"conflicting identifiers: the hospital number belongs to patient P2"});
  CHECK(decision.candidates.size() == 2);

  // A hospital number nobody in this index holds is another trust's number, not a contradiction.
  auto foreign = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}, {FieldKind::HospitalNumber, "RX999"}}),
                               {{smith()}, {}, {}}, kDefault);
  CHECK(foreign.filed);
}

TEST_CASE("rule 2: a hospital number files only when the date of birth or name confirms it", "[filing]") {
  auto confirmed = decide_filing(
      fields_with({{FieldKind::HospitalNumber, "K200"}, {FieldKind::PatientName, "JONES, Bill"}}), {{}, {jones()}, {}},
      kDefault);
  CHECK(confirmed.filed);
  CHECK(confirmed.patient_id == "P2");
  CHECK(confirmed.rule == "hospital_number");

  auto unconfirmed = decide_filing(fields_with({{FieldKind::HospitalNumber, "K200"}}), {{}, {jones()}, {}}, kDefault);
  CHECK_FALSE(unconfirmed.filed);
  CHECK(unconfirmed.reasons ==
        std::vector<std::string>{"hospital number matches patient P2 but neither date of birth nor name confirms it"});

  // The document's NHS number is not in the index but the hospital number's patient has another.
  auto other_nhs = decide_filing(fields_with({{FieldKind::NhsNumber, "9990000026"},
                                              {FieldKind::HospitalNumber, "K200"},
                                              {FieldKind::DateOfBirth, "1961-07-01"}}),
                                 {{}, {jones()}, {jones(), jones_twin()}}, kDefault);
  CHECK_FALSE(other_nhs.filed);
  CHECK(other_nhs.reasons == std::vector<std::string>{"NHS number differs from patient P2"});
}

TEST_CASE("rule 3: name and date of birth suggest by default and file only when the policy allows", "[filing]") {
  auto fields = fields_with({{FieldKind::PatientName, "JONES, Bill"}, {FieldKind::DateOfBirth, "1961-07-01"}});
  IndexMatches matches{{}, {}, {jones(), jones_twin()}};
  auto suggested = decide_filing(fields, matches, kDefault);
  CHECK_FALSE(suggested.filed);
  CHECK(suggested.rule == "name_and_date_of_birth");
  REQUIRE_FALSE(suggested.candidates.empty());
  CHECK(suggested.candidates[0].patient_id == "P2");
  CHECK(suggested.reasons ==
        std::vector<std::string>{"name and date of birth match patient P2; filing on them needs a person to confirm"});

  auto filed = decide_filing(fields, matches, LinkingPolicy{.file_on_name_and_date_of_birth = true});
  CHECK(filed.filed);
  CHECK(filed.patient_id == "P2");

  // Twins with the same initial: the name cannot tell them apart, so nothing is suggested as sure.
  auto twins = decide_filing(fields_with({{FieldKind::PatientName, "JONES, W"}, {FieldKind::DateOfBirth, "1961-07-01"}}),
                             matches, LinkingPolicy{.file_on_name_and_date_of_birth = true});
  CHECK_FALSE(twins.filed);
}

TEST_CASE("rule 3 never files over an identifier that says otherwise", "[filing]") {
  auto fields = fields_with({{FieldKind::NhsNumber, "9990000026"},
                             {FieldKind::PatientName, "JONES, William"},
                             {FieldKind::DateOfBirth, "1961-07-01"}});
  auto decision = decide_filing(fields, {{}, {}, {jones()}}, LinkingPolicy{.file_on_name_and_date_of_birth = true});
  CHECK_FALSE(decision.filed);
  CHECK(decision.reasons == std::vector<std::string>{"NHS number not in the patient index"});
}

TEST_CASE("rule 5: no match is review, or a new patient in archive-migration mode", "[filing]") {
  auto fields = fields_with({{FieldKind::NhsNumber, "9990000026"},
                             {FieldKind::PatientName, "NOWAK, Anna Maria"},
                             {FieldKind::DateOfBirth, "1980-02-29"},
                             {FieldKind::Postcode, "LS1 4AP"}});
  auto review = decide_filing(fields, {}, kDefault);
  CHECK_FALSE(review.filed);
  CHECK(review.reasons == std::vector<std::string>{"NHS number not in the patient index"});

  auto created = decide_filing(fields, {}, LinkingPolicy{.create_patients = true});
  CHECK(created.filed);
  CHECK(created.rule == "new_patient");
  REQUIRE(created.new_patient);
  CHECK(created.new_patient->nhs_number == "9990000026");
  CHECK(created.new_patient->family_name == "NOWAK");
  CHECK(created.new_patient->given_names == "Anna Maria");
  CHECK(created.new_patient->date_of_birth == "1980-02-29");
  CHECK(created.new_patient->postcode == "LS1 4AP");

  // Without a date of birth there is not enough to create a patient safely.
  auto thin = decide_filing(fields_with({{FieldKind::NhsNumber, "9990000026"}, {FieldKind::PatientName, "NOWAK, Anna"}}),
                            {}, LinkingPolicy{.create_patients = true});
  CHECK_FALSE(thin.filed);
  CHECK_FALSE(thin.new_patient);
}

TEST_CASE("weak or conflicting extraction never files", "[filing]") {
  auto weak = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}}, 0.4), {{smith()}, {}, {}}, kDefault);
  CHECK_FALSE(weak.filed);
  CHECK(weak.reasons == std::vector<std::string>{"NHS number read with low confidence"});

  auto f = fields_with({{FieldKind::NhsNumber, "9434765919"}});
  f.review_reasons.push_back("conflicting NHS numbers");
  auto conflicting = decide_filing(f, {{smith()}, {}, {}}, kDefault);
  CHECK_FALSE(conflicting.filed);
  CHECK(conflicting.reasons.front() == "conflicting NHS numbers");

  auto none = decide_filing(fields_with({{FieldKind::DateOfBirth, "1950-03-04"}}), {}, kDefault);
  CHECK(none.reasons == std::vector<std::string>{"no NHS or hospital number found"});

  auto shared = decide_filing(fields_with({{FieldKind::NhsNumber, "9434765919"}}), {{smith(), jones()}, {}, {}}, kDefault);
  CHECK_FALSE(shared.filed);
  CHECK(shared.reasons == std::vector<std::string>{"NHS number held by more than one patient"});
}
