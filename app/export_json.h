// The export format: one JSON object per document, schema casenote.document/1.
#pragma once

#include <nlohmann/json.hpp>

#include "store/records.h"

namespace casenote {

// The document as a casenote.document/1 object. Keys may be added in later versions, never
// renamed; a field absent from the document is absent from "fields".
nlohmann::json document_json(const DocumentRecord& document);

}  // namespace casenote
