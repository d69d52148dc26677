#include "pipeline/filing.h"

#include <cctype>

namespace casenote {
namespace {

// An NHS number below this confidence was read without a label or from doubtful glyphs.
constexpr double kMinNhsConfidence = 0.6;

// Upper-case letters only, so "O'Brien" and "OBRIEN", "Doe-Smith" and "DOE SMITH" compare equal.
std::string name_key(const std::string& name) {
  std::string key;
  for (unsigned char c : name)
    if (std::isalpha(c)) key += static_cast<char>(std::toupper(c));
  return key;
}

std::string family_name_of(const std::string& normalised_name) {
  auto comma = normalised_name.find(',');
  return comma == std::string::npos ? normalised_name : normalised_name.substr(0, comma);
}

}  // namespace

FilingDecision decide_filing(const DocumentFields& fields, const std::vector<PatientRecord>& nhs_matches) {
  FilingDecision decision;
  decision.reasons = fields.review_reasons;

  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  if (!nhs) {
    decision.reasons.push_back("no NHS number found");
    return decision;
  }
  if (nhs->confidence < kMinNhsConfidence) decision.reasons.push_back("NHS number read with low confidence");
  if (nhs_matches.empty()) {
    decision.reasons.push_back("NHS number not in the patient index");
    return decision;
  }
  if (nhs_matches.size() > 1) {
    decision.reasons.push_back("NHS number held by more than one patient");
    return decision;
  }

  const PatientRecord& patient = nhs_matches.front();
  if (const ExtractedField* dob = fields.find(FieldKind::DateOfBirth);
      dob && dob->value != patient.date_of_birth)
    decision.reasons.push_back("date of birth differs from the patient index");
  if (const ExtractedField* name = fields.find(FieldKind::PatientName);
      name && name_key(family_name_of(name->value)) != name_key(patient.family_name))
    decision.reasons.push_back("family name differs from the patient index");

  if (!decision.reasons.empty()) return decision;
  decision.filed = true;
  decision.patient_id = patient.id;
  decision.rule = "nhs_number";
  return decision;
}

}  // namespace casenote
