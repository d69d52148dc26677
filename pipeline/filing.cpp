#include "pipeline/filing.h"

#include <algorithm>
#include <map>

#include "extract/hospital_number.h"
#include "pipeline/name_match.h"

namespace casenote {
namespace {

// An NHS number below this confidence was read without a label or from doubtful glyphs: it can
// point to a candidate but cannot file on its own.
constexpr double kMinNhsConfidence = 0.6;
constexpr size_t kMaxCandidates = 5;

struct Weighing {
  const PatientRecord* patient = nullptr;
  bool nhs = false, hospital = false, dob = false;
  NameComparison name;
  bool has_name = false;
  std::vector<std::string> agrees, differs;

  double score() const {
    double s = (nhs ? 0.5 : 0) + (hospital ? 0.2 : 0) + (dob ? 0.2 : 0) + (has_name ? 0.1 * name.score : 0);
    return std::max(0.0, s - 0.25 * static_cast<double>(differs.size()));
  }
  bool name_contradicts() const { return has_name && name.agreement == NameAgreement::Contradicts; }
  bool name_agrees() const { return has_name && name.agreement == NameAgreement::Agrees; }
};

const std::string* value_of(const DocumentFields& fields, FieldKind kind) {
  const ExtractedField* f = fields.find(kind);
  return f ? &f->value : nullptr;
}

// Weighs one patient against everything the document says.
Weighing weigh(const PatientRecord& patient, const DocumentFields& fields) {
  Weighing w;
  w.patient = &patient;
  if (const std::string* nhs = value_of(fields, FieldKind::NhsNumber); nhs && !patient.nhs_number.empty()) {
    w.nhs = *nhs == patient.nhs_number;
    (w.nhs ? w.agrees : w.differs).push_back("NHS number");
  }
  if (const std::string* hospital = value_of(fields, FieldKind::HospitalNumber);
      hospital && !patient.hospital_number.empty()) {
    // A letter from another trust carries that trust's number; only a number this index knows
    // for someone else contradicts (see the rule-4 check), so a mismatch is merely not evidence,
    // unless the two differ only by letters and digits OCR confuses: then one is a misreading of
    // the other, and filing would store the wrong one.
    w.hospital = *hospital == patient.hospital_number;
    if (w.hospital)
      w.agrees.push_back("hospital number");
    else if (differ_by_ocr_confusions(*hospital, patient.hospital_number))
      w.differs.push_back("hospital number");
  }
  if (const std::string* dob = value_of(fields, FieldKind::DateOfBirth); dob && !patient.date_of_birth.empty()) {
    w.dob = *dob == patient.date_of_birth;
    (w.dob ? w.agrees : w.differs).push_back("date of birth");
  }
  if (const std::string* name = value_of(fields, FieldKind::PatientName)) {
    w.has_name = true;
    w.name = compare_names(*name, patient.family_name, patient.given_names);
    if (w.name.agreement == NameAgreement::Contradicts)
      w.differs.push_back("name");
    else
      w.agrees.push_back(w.name.agreement == NameAgreement::Agrees ? "name" : "family name");
  }
  return w;
}

CandidateRecord candidate_of(const Weighing& w) {
  std::string evidence;
  for (const auto& a : w.agrees) evidence += (evidence.empty() ? "" : ", ") + a + " agrees";
  for (const auto& d : w.differs) evidence += (evidence.empty() ? "" : ", ") + d + " differs";
  return {w.patient->id, w.score(), evidence};
}

// Every patient the index returned, weighed once, best first.
std::vector<Weighing> weigh_all(const DocumentFields& fields, const IndexMatches& matches) {
  std::map<std::string, const PatientRecord*> patients;
  for (const auto* list : {&matches.by_nhs_number, &matches.by_hospital_number, &matches.by_date_of_birth})
    for (const auto& p : *list) patients.emplace(p.id, &p);
  std::vector<Weighing> out;
  for (const auto& [id, patient] : patients) out.push_back(weigh(*patient, fields));
  std::stable_sort(out.begin(), out.end(), [](const Weighing& a, const Weighing& b) { return a.score() > b.score(); });
  return out;
}

const Weighing* find_weighing(const std::vector<Weighing>& all, const std::string& id) {
  for (const auto& w : all)
    if (w.patient->id == id) return &w;
  return nullptr;
}

// Rule 4: an identifier on the document that the index holds for a patient other than `chosen`.
std::string identifier_pointing_elsewhere(const IndexMatches& matches, const std::string& chosen) {
  for (const auto& p : matches.by_nhs_number)
    if (p.id != chosen) return "the NHS number belongs to patient " + p.id;
  for (const auto& p : matches.by_hospital_number)
    if (p.id != chosen) return "the hospital number belongs to patient " + p.id;
  return "";
}

}  // namespace

Result<IndexMatches> find_index_matches(const DocumentFields& fields, PatientIndex& index) {
  IndexMatches matches;
  if (const std::string* nhs = value_of(fields, FieldKind::NhsNumber)) {
    auto found = index.with_nhs_number(*nhs);
    if (!found) return found.error();
    matches.by_nhs_number = std::move(*found);
  }
  if (const std::string* hospital = value_of(fields, FieldKind::HospitalNumber)) {
    auto found = index.with_hospital_number(*hospital);
    if (!found) return found.error();
    matches.by_hospital_number = std::move(*found);
  }
  if (const std::string* dob = value_of(fields, FieldKind::DateOfBirth)) {
    auto found = index.born_on(*dob);
    if (!found) return found.error();
    matches.by_date_of_birth = std::move(*found);
  }
  return matches;
}

FilingDecision decide_filing(const DocumentFields& fields, const IndexMatches& matches, const LinkingPolicy& policy) {
  FilingDecision decision;
  decision.reasons = fields.review_reasons;
  std::vector<Weighing> weighed = weigh_all(fields, matches);
  for (size_t i = 0; i < weighed.size() && i < kMaxCandidates; ++i) decision.candidates.push_back(candidate_of(weighed[i]));

  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  bool nhs_confident = nhs && nhs->confidence >= kMinNhsConfidence;
  if (nhs && !nhs_confident) decision.reasons.push_back("NHS number read with low confidence");

  auto file_to = [&](const Weighing& w, const std::string& rule) {
    if (auto elsewhere = identifier_pointing_elsewhere(matches, w.patient->id); !elsewhere.empty())
      decision.reasons.push_back("conflicting identifiers: " + elsewhere);
    for (const auto& d : w.differs) decision.reasons.push_back(d + " differs from patient " + w.patient->id);
    if (!decision.reasons.empty()) return;
    decision.filed = true;
    decision.patient_id = w.patient->id;
    decision.rule = rule;
  };

  // Rule 1.
  if (nhs_confident && matches.by_nhs_number.size() == 1) {
    file_to(*find_weighing(weighed, matches.by_nhs_number.front().id), "nhs_number");
    return decision;
  }
  if (matches.by_nhs_number.size() > 1) {
    decision.reasons.push_back("NHS number held by more than one patient");
    return decision;
  }

  // Rule 2: the hospital number alone is weaker, so the date of birth or the name must agree.
  if (matches.by_hospital_number.size() == 1) {
    const Weighing& w = *find_weighing(weighed, matches.by_hospital_number.front().id);
    if (w.dob || w.name_agrees()) {
      file_to(w, "hospital_number");
    } else {
      for (const auto& d : w.differs) decision.reasons.push_back(d + " differs from patient " + w.patient->id);
      decision.reasons.push_back("hospital number matches patient " + w.patient->id +
                                 " but neither date of birth nor name confirms it");
    }
    return decision;
  }
  if (matches.by_hospital_number.size() > 1) {
    decision.reasons.push_back("hospital number held by more than one patient");
    return decision;
  }

  // Rule 3: name and date of birth, with no identifier on the document contradicting.
  std::vector<const Weighing*> agreeing;
  for (const auto& w : weighed)
    if (w.dob && w.name_agrees() && w.differs.empty()) agreeing.push_back(&w);
  if (agreeing.size() == 1) {
    const Weighing& w = *agreeing.front();
    if (policy.file_on_name_and_date_of_birth) {
      file_to(w, "name_and_date_of_birth");
    } else {
      decision.rule = "name_and_date_of_birth";
      decision.reasons.push_back("name and date of birth match patient " + w.patient->id +
                                 "; filing on them needs a person to confirm");
    }
    return decision;
  }
  if (agreeing.size() > 1) {
    decision.reasons.push_back("name and date of birth match more than one patient");
    return decision;
  }

  // Rule 5.
  const std::string* name = value_of(fields, FieldKind::PatientName);
  const std::string* dob = value_of(fields, FieldKind::DateOfBirth);
  if (policy.create_patients && nhs_confident && name && dob && decision.reasons.empty()) {
    PatientRecord patient;
    patient.nhs_number = nhs->value;
    auto comma = name->find(',');
    patient.family_name = name->substr(0, comma);
    if (comma != std::string::npos) patient.given_names = name->substr(name->find_first_not_of(' ', comma + 1));
    patient.date_of_birth = *dob;
    if (const std::string* hospital = value_of(fields, FieldKind::HospitalNumber)) patient.hospital_number = *hospital;
    if (const std::string* postcode = value_of(fields, FieldKind::Postcode)) patient.postcode = *postcode;
    decision.filed = true;
    decision.new_patient = patient;
    decision.rule = "new_patient";
    return decision;
  }
  if (!nhs && !value_of(fields, FieldKind::HospitalNumber))
    decision.reasons.push_back("no NHS or hospital number found");
  else if (nhs && matches.by_nhs_number.empty())
    decision.reasons.push_back("NHS number not in the patient index");
  else if (!nhs)
    decision.reasons.push_back("hospital number not in the patient index");
  return decision;
}

}  // namespace casenote
