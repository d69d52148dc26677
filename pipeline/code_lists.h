// The clinical code lists a trust supplies (a CSV file per code system), read for the clinical
// codes' existence check and descriptions (extract/clinical_codes.h).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "extract/clinical_codes.h"

namespace casenote {

// Reads each "SYSTEM=FILE" in `specs` ("icd10=/data/icd10.csv"; systems icd10, opcs4, snomed_ct).
// A malformed spec, an unknown or repeated system, or an unreadable or malformed file is an
// Error naming it in one line.
Result<CodeLists> load_code_lists(const std::vector<std::string>& specs);

}  // namespace casenote
