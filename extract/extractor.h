// Reads patient identifiers and dates off a document's recognised words.
#pragma once

#include <vector>

#include "core/recognised_text.h"
#include "extract/extraction_options.h"
#include "extract/fields.h"

namespace casenote {

// Extracts the NHS number (or a CHI or H&C number), hospital number, patient name, date of
// birth, postcode and the document's dates by kind from the pages, and classifies the document
// type. Values are only returned when they parse and validate (an NHS number only when its
// checksum holds); conflicting values for a patient identifier or the date of birth are not
// guessed between: the field is left out and a review reason names both.
DocumentFields extract_fields(const std::vector<RecognisedPage>& pages, const ExtractionOptions& options = {});

}  // namespace casenote
