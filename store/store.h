// The record store. SQLite is the embedded default; every SQL statement lives behind this
// interface so that another backend can follow.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/records.h"

namespace casenote {

// A Store is used by one thread at a time (the pipeline files documents from a single writer
// thread); several processes may open the same database, SQLite serialising their writes.
class Store {
 public:
  virtual ~Store() = default;

  // The id of the document made from an input with these bytes, if one was stored.
  virtual Result<std::optional<std::string>> document_for_sha256(const std::string& sha256) = 0;

  // Stores a document with its pages and fields, and marks its input filed or needs_review,
  // in one transaction: either all of it is visible afterwards or none of it.
  // Fails without writing when a document with the same sha256 exists.
  virtual Status save_document(const DocumentRecord& document) = 0;

  // Records that an input could not be processed, and why.
  virtual Status record_failed_input(const std::string& path, const std::string& sha256,
                                     const std::string& reason) = 0;

  // Every input's last state, in path order.
  virtual Result<std::vector<InputRecord>> inputs() = 0;

  // Creates or updates patients, matched on NHS number, else hospital number. A row that would
  // change a matched patient's date of birth is not written and is reported as a conflict, as is
  // a row with neither number. A field a row leaves empty keeps its stored value. Conflicts
  // begin "row N: ", N counting `rows` from 1.
  virtual Result<PatientImportSummary> import_patients(const std::vector<PatientRecord>& rows) = 0;

  // Patients whose NHS number is exactly `nhs_number`.
  virtual Result<std::vector<PatientRecord>> patients_by_nhs_number(const std::string& nhs_number) = 0;

  virtual Result<std::optional<PatientRecord>> patient(const std::string& id) = 0;

  // Calls `visit` with every document, oldest first, pages and fields included.
  virtual Status for_each_document(const std::function<void(const DocumentRecord&)>& visit) = 0;

  // Full-text search over document text; `query` uses FTS5 syntax, plain words match all.
  virtual Result<std::vector<SearchHit>> search(const std::string& query, int limit) = 0;
};

// Opens (creating when absent) the SQLite store at `path`, migrating its schema to the current
// version. The file is created readable by its owner only.
// Refuses a file that is not a casenote database or whose schema is newer than this program's.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

// The SQLite schema version this program creates and migrates to (the file's PRAGMA user_version).
int sqlite_store_schema_version();

}  // namespace casenote
