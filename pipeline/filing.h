// The filing decision: whether a document can be linked to a patient without a person looking.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extract/fields.h"
#include "store/records.h"

namespace casenote {

struct FilingDecision {
  bool filed = false;                     // false: needs review
  std::optional<std::string> patient_id;  // set only when filed
  std::string rule;                       // which rule decided, e.g. "nhs_number"
  std::vector<std::string> reasons;       // why review is needed; empty when filed
};

// Files a document only when its NHS number, read with a label and a valid checksum, matches
// exactly one patient in `nhs_matches` and neither the date of birth nor the family name on the
// document contradicts that patient. Everything else goes to review, with the reasons.
FilingDecision decide_filing(const DocumentFields& fields,
                             const std::vector<PatientRecord>& nhs_matches);

}  // namespace casenote
