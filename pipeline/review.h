// What a clerk does with a document in the review queue. The CLI and the web server both call
// these, so a decision is checked, linked and audited the same way wherever it is taken.
#pragma once

#include <string>

#include "core/result.h"
#include "pipeline/archive_stage.h"
#include "pipeline/filing.h"
#include "store/store.h"

namespace casenote {

// Each decision below that changes the name `archive`'s template gives a document's searchable
// PDF (its patient or status) moves the PDF to that name: the new copy is written first, never
// over another file; the store records its path with the decision; the old copy is removed
// only then. With no archive folder, PDFs stay where they are.

// Checks and normalises a value typed for a field: an NHS number must pass the modulus-11
// check, dates must be real dates (British or ISO), a name must have a family and a given name,
// a postcode must be a UK postcode. The error says what is wrong with the value.
Result<std::string> normalise_field_value(const std::string& field, const std::string& value);

// Files the document to its best candidate, the patient the linking rules suggested.
Result<DocumentRecord> accept_suggestion(Store& store, const std::string& document_id, const std::string& user,
                                         const ArchiveSettings& archive = {});

// Sets one field to a corrected value, then runs the linking rules again on the document's
// fields: the document is filed when they now file it, and stays in review otherwise, with
// reasons and candidates brought up to date. Reasons that no correction resolves (a page that
// could not be read) keep it in review.
Result<DocumentRecord> correct_field(Store& store, const std::string& document_id, const std::string& field,
                                     const std::string& value, const std::string& user, const LinkingPolicy& policy,
                                     const ArchiveSettings& archive = {});

// Files the document to `patient_id`, moving it when it was filed to someone else.
Result<DocumentRecord> link_document(Store& store, const std::string& document_id, const std::string& patient_id,
                                     const std::string& user, const ArchiveSettings& archive = {});

// Creates a patient from the document's NHS or hospital number, name, date of birth and
// postcode, and files the document to them. Fails, creating nothing, when those are missing or
// the NHS number is already held.
Result<DocumentRecord> file_to_new_patient(Store& store, const std::string& document_id, const std::string& user,
                                           const ArchiveSettings& archive = {});

// Takes the document out of the queue without filing it, recording why.
Result<DocumentRecord> reject_document(Store& store, const std::string& document_id, const std::string& reason,
                                       const std::string& user, const ArchiveSettings& archive = {});

}  // namespace casenote
