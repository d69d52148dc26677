// Reads patient identifiers and dates off a document's recognised words.
#pragma once

#include <vector>

#include "core/recognised_text.h"
#include "extract/fields.h"

namespace casenote {

// Extracts the NHS number, hospital number, patient name, date of birth, postcode and document
// date from the pages, and classifies the document type. Values are only returned when they
// parse (an NHS number only when its checksum holds); conflicting values for one field are not
// guessed between: the field is left out and a review reason says why.
DocumentFields extract_fields(const std::vector<RecognisedPage>& pages);

}  // namespace casenote
