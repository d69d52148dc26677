// What kind of document a text is, from the words such documents use.
#pragma once

#include <vector>

#include "extract/fields.h"
#include "extract/page_lines.h"

namespace casenote {

// Discharge summary, lab report, referral or clinic letter, by weighing the phrases each kind
// uses ("discharge summary", "reference range", "two week wait", "seen in clinic"); Other when
// no kind has enough of them.
DocumentType classify_document(const std::vector<Line>& lines);

}  // namespace casenote
