// What kind of document a text is, from the words such documents use and where they stand.
#pragma once

#include <vector>

#include "extract/fields.h"
#include "extract/page_lines.h"

namespace casenote {

struct DocumentClass {
  DocumentType type = DocumentType::Other;
  double score = 0;  // 0..1: the share of the evidence that points at `type`; 0 for Other
};

// Discharge summary, lab report, referral or clinic letter, by weighing the phrases each kind
// uses ("discharge summary", "reference range", "two week wait", "seen in clinic"), a phrase
// that titles the first page ("DISCHARGE SUMMARY" on a line of its own near the top) weighing
// more; Other when no kind has enough of them.
DocumentClass classify_document(const std::vector<Line>& lines);

}  // namespace casenote
