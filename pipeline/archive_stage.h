// The archive stage: a filed or reviewed document's searchable PDF, written into the archive
// folder under a name made from the patient and the document, never over another file.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "ocr/searchable_pdf.h"
#include "pipeline/page_source.h"
#include "pipeline/stages.h"
#include "store/records.h"

namespace casenote {

struct ArchiveSettings {
  std::string folder;  // where the PDFs go; empty: no archive copies are written
  // The file's path inside the folder. Placeholders: {document_id} {document_type} {status}
  // {patient_id} {nhs_number} {hospital_number} {family_name}; a patient's are "unfiled"
  // when the document is not filed to one.
  std::string name_template = "{patient_id}/{document_id}.pdf";
};

// Checks that `name_template` names a relative path inside the archive (no "..", not
// absolute), ending in a file name, using known placeholders only.
Status check_archive_template(const std::string& name_template);

// The template with its placeholders filled in. Values are reduced to letters, digits, '-',
// '_' and '.', so no value can add a folder or leave the archive.
std::string archive_name(const std::string& name_template, const DocumentRecord& record,
                         const std::optional<PatientRecord>& patient);

// The PDF pages of a recognised document: each page as `source` loads it (its JPEG unchanged
// when it is stored as one, else losslessly), its page size from the image's resolution
// (300 dpi when the file does not say), and its words carried back from the prepared page onto
// it. Pages that cannot be loaded again are left out; fails when none can be.
Result<std::vector<SearchablePage>> searchable_pages(const RecognisedDocument& document, PageSource& source);

// What write_new_file does when the name is already taken.
enum class NameTaken {
  kAddNumber,  // "-2", "-3"... is added before the extension; the existing file is kept
  kReplace,    // the existing file is replaced, in one step
};

// Writes `bytes` as `folder`/`name`, creating folders owner-only as needed. The file is written
// and synced under a temporary name and then put in place, so no half-written file is ever
// visible, even after a crash or power loss. The file is readable by its owner only. Returns
// the path written.
Result<std::string> write_new_file(const std::string& folder, const std::string& name, const std::string& bytes,
                                   NameTaken when_taken = NameTaken::kAddNumber);

// Writes a file's content into its temporary file, open as `fd` at `temp_path`, before it is
// synced and put in place.
using FileContent = std::function<Status(int fd, const std::string& temp_path)>;

// As above, with the content written by `content`, so that a large file need not be held in
// memory first.
Result<std::string> write_new_file(const std::string& folder, const std::string& name, const FileContent& content,
                                   NameTaken when_taken = NameTaken::kAddNumber);

// How old a temporary file of write_new_file's must be before sweep_abandoned_temp_files takes
// it for one a crash left: writing a PDF takes seconds, so an hour leaves a wide margin for a
// slow disk or a paused process.
inline constexpr std::chrono::seconds kAbandonedTempAge{3600};

// Removes, anywhere under `folder`, the temporary files a write_new_file interrupted by a crash
// left (".NAME.XXXXXX", as mkstemp makes them) that were last written more than `min_age` ago.
// Other files, and younger temporary files that a live process may still be writing, are
// left. Returns how many it removed; a folder that cannot be read is skipped.
int sweep_abandoned_temp_files(const std::string& folder, std::chrono::seconds min_age = kAbandonedTempAge);

using PatientById = std::function<std::optional<PatientRecord>(const std::string& patient_id)>;

// The stage: makes the document's searchable PDF from its input, writes it into the archive and
// records its path on `record`. When that fails the record goes to review with the reason, so
// a document without its archive copy is never silently filed. Does nothing when
// `settings.folder` is empty. When the name template holds {document_id}, a file already at
// the name is this document's, left by an ingest stopped before it saved the record (a document
// id is saved once), and is replaced rather than kept beside the new copy.
void archive_document(const RecognisedDocument& document, const ArchiveSettings& settings,
                      const PatientById& patient_by_id, DocumentRecord& record);

// Removes the searchable PDF archive_document wrote for `record` when the record itself could
// not be saved, so that no PDF stays in the archive that no stored document names. Does
// nothing when none was written; a PDF that cannot be removed is left (a rerun replaces it).
void discard_archive_copy(const DocumentRecord& record);

}  // namespace casenote
