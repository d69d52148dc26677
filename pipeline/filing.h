// The filing decision: whether a document can be linked to a patient without a person looking.
// The rules are evaluated in order; the first that decides is recorded with its evidence.
//   1. nhs_number: a confidently read NHS number matches one patient, and neither the date of
//      birth, the name nor the hospital number on the document says otherwise -> filed.
//   2. hospital_number: the hospital number matches one patient, the date of birth or the name
//      agrees, and nothing contradicts -> filed.
//   3. name_and_date_of_birth: name and date of birth agree with exactly one patient and no
//      identifier contradicts -> filed only when the policy allows it, else review with that
//      patient suggested.
//   4. An identifier says patient A and another identifier or the date of birth says B, or two
//      candidates tie -> needs review, never filed.
//   5. No patient matches -> needs review with the best candidates, or, when the policy creates
//      patients (archive migration), a new patient from a valid NHS number, name and date of birth.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "extract/fields.h"
#include "store/records.h"

namespace casenote {

// What linking asks of the patient master index.
class PatientIndex {
 public:
  virtual ~PatientIndex() = default;
  virtual Result<std::vector<PatientRecord>> with_nhs_number(const std::string& nhs_number) = 0;
  virtual Result<std::vector<PatientRecord>> with_hospital_number(const std::string& hospital_number) = 0;
  virtual Result<std::vector<PatientRecord>> born_on(const std::string& date_of_birth) = 0;
};

// The index's patients that share an identifier or the date of birth with the document.
struct IndexMatches {
  std::vector<PatientRecord> by_nhs_number;
  std::vector<PatientRecord> by_hospital_number;
  std::vector<PatientRecord> by_date_of_birth;
};

struct LinkingPolicy {
  bool file_on_name_and_date_of_birth = false;  // rule 3 files instead of suggesting
  bool create_patients = false;                 // rule 5 creates a patient (archive migration)
};

struct FilingDecision {
  bool filed = false;                       // false: needs review
  std::optional<std::string> patient_id;    // set only when filed to an existing patient
  std::optional<PatientRecord> new_patient; // set when filed to a patient rule 5 creates
  std::string rule;                         // which rule decided; empty when none did
  std::vector<std::string> reasons;         // why review is needed; empty when filed
  std::vector<CandidateRecord> candidates;  // patients weighed, best first
};

// Looks up the patients that share the document's NHS number, hospital number or date of birth.
Result<IndexMatches> find_index_matches(const DocumentFields& fields, PatientIndex& index);

// Applies the rules above. Pure: the same fields and matches always give the same decision.
FilingDecision decide_filing(const DocumentFields& fields, const IndexMatches& matches, const LinkingPolicy& policy);

}  // namespace casenote
