// What a trust can tell extraction about its own documents. Every member has a default that
// suits NHS documents in general; pipeline/extraction_config.h reads them from a file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extract/clinical_codes.h"
#include "extract/dates.h"
#include "extract/hospital_number.h"
#include "extract/labels.h"
#include "extract/nhs_number.h"

namespace casenote {

struct ExtractionOptions {
  // Labels a trust prints besides the defaults ("Hospital Ref" for a hospital number, "Seen" for
  // a clinic date); they add to default_labels().
  std::vector<LabelSpec> extra_labels;
  // Labels of hospital numbers; these replace the defaults, since local numbering schemes differ.
  std::vector<std::string> hospital_number_labels = default_hospital_number_labels();
  // Shapes a hospital number may take (hospital_number.h); these replace the defaults.
  HospitalNumberPatterns hospital_number_patterns = HospitalNumberPatterns::defaults();
  // Text of the trust's own letterhead and footers, compared ignoring case, spacing and
  // punctuation: a line containing one is not read, so its address, phone numbers and
  // postcode are never taken for the patient's.
  std::vector<std::string> letterhead_text;
  // NHS numbers found without a label count only in these ranges; a labelled number outside
  // them goes to review.
  std::vector<NhsNumberRange> nhs_number_ranges = default_nhs_number_ranges();
  // The day the document is read: no date on it may be later. The machine's local date when unset.
  std::optional<Date> today;
  // The clinical codes that exist, per system, with their descriptions; a system without a list
  // is checked for format and check digit only.
  CodeLists code_lists;
};

}  // namespace casenote
