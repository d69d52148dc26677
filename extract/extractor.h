// Reads patient identifiers and dates off a document's recognised words.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/recognised_text.h"
#include "extract/dates.h"
#include "extract/fields.h"
#include "extract/labels.h"

namespace casenote {

struct ExtractionOptions {
  // Labels that introduce a hospital number; extend for a trust's own numbering scheme.
  std::vector<std::string> hospital_number_labels = default_hospital_number_labels();
  // The day the document is read: no date on it may be later. The machine's local date when unset.
  std::optional<Date> today;
};

// Extracts the NHS number, hospital number, patient name, date of birth, postcode and document
// date from the pages, and classifies the document type. Values are only returned when they
// parse (an NHS number only when its checksum holds); conflicting values for one field are not
// guessed between: the field is left out and a review reason says why.
DocumentFields extract_fields(const std::vector<RecognisedPage>& pages);

// As above, with the hospital number labels and today's date given.
DocumentFields extract_fields(const std::vector<RecognisedPage>& pages, const ExtractionOptions& options);

}  // namespace casenote
