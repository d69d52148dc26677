// Splitting a scanned stack into documents at its separator sheets (pipeline/patient_labels.h
// says what a separator sheet carries).
#pragma once

#include <vector>

#include "pipeline/stages.h"

namespace casenote {

// The documents `input` holds, in page order, numbered (`part`) from 1. Each separator sheet ends
// the document before it and becomes the cover sheet of the one after; of several sheets in a row,
// the last is the cover. Sheets with no pages after them start nothing, so an input of separator
// sheets only gives no documents, and an input without any is one document: itself.
std::vector<RecognisedDocument> split_at_separator_sheets(RecognisedDocument input);

}  // namespace casenote
