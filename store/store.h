// The record store. SQLite is the embedded default; PostgreSQL holds one store shared by many
// hosts (an archive migration). Every SQL statement lives behind this interface.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/records.h"

namespace casenote {

// A Store is used by one thread at a time (the pipeline files documents from a single writer
// thread); several processes may open the same database, which serialises their writes.
class Store {
 public:
  virtual ~Store() = default;

  // The id of the document made from an input with these bytes, if one was stored.
  virtual Result<std::optional<std::string>> document_for_sha256(const std::string& sha256) = 0;

  // Stores a document with its pages, fields and candidates, marks its input filed or
  // needs_review, and writes the filing decision to the audit trail, in one transaction:
  // either all of it is visible afterwards or none of it.
  // Fails without writing when a document with the same sha256 exists.
  virtual Status save_document(const DocumentRecord& document) = 0;

  // Records that an input could not be processed, and why.
  virtual Status record_failed_input(const std::string& path, const std::string& sha256,
                                     const std::string& reason) = 0;

  // Records `paths` as queued for ingest, in a few large transactions. A path not yet known is
  // added; one that failed, or whose processing was cut short, is queued again; one filed or in
  // review, or claimed by a worker whose claim holds (claim_input), keeps its state (its bytes
  // are checked again when it is reached).
  virtual Status queue_inputs(const std::vector<std::string>& paths) = 0;

  // Records that the input at `path`, with these bytes, is being processed.
  virtual Status mark_input_processing(const std::string& path, const std::string& sha256) = 0;

  // Stores the documents made from one input (several when separator sheets split it), each as
  // save_document() does, and marks the input needs_review if any of them is, else filed, all in
  // one transaction. The input's document_id is its first document's. Fails without writing when
  // a document made from the same bytes exists.
  virtual Status save_input_documents(const std::string& path, const std::string& sha256,
                                      const std::vector<DocumentRecord>& documents) = 0;

  // Records that the input at `path` holds bytes already stored as another input's documents:
  // it takes their state and their first document. Fails when no document has these bytes.
  virtual Status record_duplicate_input(const std::string& path, const std::string& sha256) = 0;

  // Claims an input for `worker`: one queued, or one whose claim has expired because its worker
  // stopped renewing it. It is marked processing by `worker` until `lease` from now. Workers on
  // many hosts may claim at once; each input goes to one of them. None when none is waiting.
  virtual Result<std::optional<std::string>> claim_input(const std::string& worker, std::chrono::seconds lease) = 0;

  // Extends to `lease` from now every claim `worker` holds on an input still processing.
  virtual Status renew_claims(const std::string& worker, std::chrono::seconds lease) = 0;

  // Puts every input `worker` still holds back in the queue, for a worker that stops cleanly
  // before it has finished them.
  virtual Status release_claims(const std::string& worker) = 0;

  // How the queue stands, with what each worker finished within the last `window`.
  virtual Result<QueueStatus> queue_status(std::chrono::minutes window) = 0;

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

  // Documents matching `query`, best match first for a text query, else newest (or oldest) first.
  // Plain words in a text query must all match. On SQLite the query is in FTS5 syntax and a
  // malformed one is an Error; on PostgreSQL it is in web-search syntax ("a phrase", -word, or).
  virtual Result<std::vector<SearchHit>> search(const DocumentQuery& query) = 0;

  // One document with its pages, fields, reasons and candidates.
  virtual Result<std::optional<DocumentRecord>> document(const std::string& id) = 0;

  // Applies a review decision: status, patient, rule, reasons, candidates and corrected
  // fields, with one audit entry for each value that changed, in one transaction.
  virtual Status change_filing(const FilingChange& change) = 0;

  // Patients whose hospital number is exactly `hospital_number`.
  virtual Result<std::vector<PatientRecord>> patients_by_hospital_number(const std::string& hospital_number) = 0;

  // Patients born on `date_of_birth` (ISO).
  virtual Result<std::vector<PatientRecord>> patients_born_on(const std::string& date_of_birth) = 0;

  // Patients whose name, NHS number, hospital number or date of birth matches `text`
  // (every word must match one of them), at most `limit`, by family name.
  virtual Result<std::vector<PatientRecord>> find_patients(const std::string& text, int limit) = 0;

  // Creates a patient, assigning its id, with an audit entry naming `user`. Fails when the NHS
  // number is already held.
  virtual Result<PatientRecord> create_patient(const PatientRecord& patient, const std::string& user) = 0;

  // The audit trail of a document, or of a patient (every entry naming them), oldest first.
  virtual Result<std::vector<AuditEntry>> audit_for_document(const std::string& document_id) = 0;
  virtual Result<std::vector<AuditEntry>> audit_for_patient(const std::string& patient_id) = 0;

  // Adds a user of the review workstation, with an audit entry naming `added_by`. Fails when a
  // user of that name exists.
  virtual Status add_user(const UserRecord& user, const std::string& added_by) = 0;

  // The user of that name, if there is one.
  virtual Result<std::optional<UserRecord>> user(const std::string& name) = 0;

  // Every user, by name.
  virtual Result<std::vector<UserRecord>> users() = 0;

  // Counts of documents by status and of failed inputs, with daily series from `since_day`
  // (ISO date, UTC) on and the last `recent_failures` failed inputs.
  virtual Result<ActivitySummary> activity(const std::string& since_day, int recent_failures) = 0;

  // Events matching `query` with their documents and patients, by date then document.
  virtual Result<std::vector<EventListing>> events(const EventQuery& query) = 0;

  // The department's figures over `query`'s dates (records.h EventStatistics). A period other
  // than day, week or month is an Error.
  virtual Result<EventStatistics> statistics(const StatisticsQuery& query) = 0;

};

// How a store is opened.
struct StoreOptions {
  // How long a statement waits for another process's lock on the database before it fails
  // with "database is locked".
  std::chrono::milliseconds busy_timeout{10'000};
};

// Opens (creating when absent) the SQLite store at `path`, migrating its schema to the current
// version. The file is created readable by its owner only.
// Refuses a file that is not a casenote database or whose schema is newer than this program's.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& options = {});

// Opens the store `db` names: a postgresql:// (or postgres://) URL opens that PostgreSQL
// database, creating casenote's schema in it when it holds none (store/postgres_schema.h);
// anything else is the path of a SQLite store, opened as open_sqlite_store() does. On
// PostgreSQL, `options.busy_timeout` is how long a statement waits for another session's lock.
Result<std::unique_ptr<Store>> open_store(const std::string& db, const StoreOptions& options = {});

// Whether `db` names a PostgreSQL database rather than a SQLite file.
bool is_postgresql_url(const std::string& db);

// The SQLite schema version this program creates and migrates to (the file's PRAGMA user_version).
int sqlite_store_schema_version();

}  // namespace casenote
