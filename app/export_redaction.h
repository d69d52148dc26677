// `export --redact`: documents with their patients' identifiers taken out, for sharing beyond
// the people who may see them. Removed: NHS, hospital, CHI and H&C numbers, names, dates of
// birth and postcodes, from the fields, the text, the review reasons and the paths. Kept: the
// document id, type, status, other dates, and the store's own patient id (P000001, ...), which
// groups a patient's documents without saying who they are.
#pragma once

#include <string>
#include <vector>

#include "extract/dates.h"
#include "store/records.h"

namespace casenote {

// What stands in for a removed identifier.
inline const std::string kRedacted = "[REDACTED]";

// The identifiers to look for in one document's text.
struct PatientIdentifiers {
  std::vector<std::string> words;  // names, numbers and postcodes, matched as whole words in any case
  std::vector<Date> dates_of_birth;  // matched however the date is written
};

// The identifiers of the document's fields, of the values its review reasons say conflict, and
// of `patients` (those it is filed to or may belong to).
PatientIdentifiers identifiers_of(const DocumentRecord& document, const std::vector<PatientRecord>& patients);

// `text` with each of `identifiers`, every ten-digit number passing the NHS modulus-11 check
// (however its digits are grouped) and every UK postcode replaced by kRedacted.
std::string redact_text(const std::string& text, const PatientIdentifiers& identifiers);

// The document with every identifying field's value, and every identifier in its text, review
// reasons, source path and archive path, replaced by kRedacted, and without its pages' words.
// `patients` as for identifiers_of.
DocumentRecord redact_document(const DocumentRecord& document, const std::vector<PatientRecord>& patients);

}  // namespace casenote
