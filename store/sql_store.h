// The implementation of Store over SQL, one for both databases (internal to store/): the
// connection (store/sql_db.h) is SQLite's or PostgreSQL's, and the few statements the two write
// differently ask it which it is. Its methods are spread over sql_store.cpp (documents, inputs,
// patients, search), sql_inputs.cpp (input states, inputs stored as several documents),
// sql_queue.cpp (inputs claimed by workers on many hosts), sql_review.cpp (linking, review and audit), sql_users.cpp (the review workstation's users
// and its dashboard's figures) and sql_events.cpp (events, clinical codes and the statistics
// over them).
#pragma once

#include <string>

#include "store/sql_db.h"
#include "store/store.h"

namespace casenote::sql {

inline constexpr const char* kPatientColumns =
    "id, nhs_number, hospital_number, family_name, given_names, date_of_birth, sex, postcode";

// A patient from a row whose first columns are kPatientColumns.
PatientRecord read_patient(const Statement& row);

// "SMITH, Jane": the family name in capitals, as patient lists in UK hospitals show it, so it
// cannot be mistaken for a given name.
std::string display_name(std::string family_name, const std::string& given_names);

class SqlStore final : public Store {
 public:
  explicit SqlStore(Connection db) : db_(std::move(db)) {}

  Result<std::optional<std::string>> document_for_sha256(const std::string& sha256) override;
  Status save_document(const DocumentRecord& document) override;
  Status record_failed_input(const std::string& path, const std::string& sha256,
                             const std::string& reason) override;
  Result<std::vector<InputRecord>> inputs() override;
  Result<std::optional<std::string>> claim_input(const std::string& worker, std::chrono::seconds lease) override;
  Status renew_claims(const std::string& worker, std::chrono::seconds lease) override;
  Status release_claims(const std::string& worker) override;
  Result<QueueStatus> queue_status(std::chrono::minutes window) override;
  Status queue_inputs(const std::vector<std::string>& paths) override;
  Status mark_input_processing(const std::string& path, const std::string& sha256) override;
  Status save_input_documents(const std::string& path, const std::string& sha256,
                              const std::vector<DocumentRecord>& documents) override;
  Status record_duplicate_input(const std::string& path, const std::string& sha256) override;
  Result<PatientImportSummary> import_patients(const std::vector<PatientRecord>& rows) override;
  Result<std::vector<PatientRecord>> patients_by_nhs_number(const std::string& nhs_number) override;
  Result<std::optional<PatientRecord>> patient(const std::string& id) override;
  Status for_each_document(const std::function<void(const DocumentRecord&)>& visit) override;
  Result<std::vector<SearchHit>> search(const DocumentQuery& query) override;
  Result<std::optional<DocumentRecord>> document(const std::string& id) override;
  Status change_filing(const FilingChange& change) override;
  Result<std::vector<PatientRecord>> patients_by_hospital_number(const std::string& hospital_number) override;
  Result<std::vector<PatientRecord>> patients_born_on(const std::string& date_of_birth) override;
  Result<std::vector<PatientRecord>> find_patients(const std::string& text, int limit) override;
  Result<PatientRecord> create_patient(const PatientRecord& patient, const std::string& user) override;
  Result<std::vector<AuditEntry>> audit_for_document(const std::string& document_id) override;
  Result<std::vector<AuditEntry>> audit_for_patient(const std::string& patient_id) override;
  Status add_user(const UserRecord& user, const std::string& added_by) override;
  Result<std::optional<UserRecord>> user(const std::string& name) override;
  Result<std::vector<UserRecord>> users() override;
  Result<ActivitySummary> activity(const std::string& since_day, int recent_failures) override;
  Result<std::vector<EventListing>> events(const EventQuery& query) override;
  Result<EventStatistics> statistics(const StatisticsQuery& query) override;

 private:
  Status insert_document_rows(const DocumentRecord& document);
  Status insert_words(const std::string& document_id, const PageRecord& page, const std::string& doing);
  Status insert_event_rows(const DocumentRecord& document);  // sql_events.cpp
  Status import_patient(const PatientRecord& row, size_t row_index, PatientImportSummary& summary);
  Result<std::vector<PatientRecord>> patients_where(const char* condition, const std::string& value,
                                                    const std::string& doing);
  Result<std::string> next_patient_id();
  Status insert_patient(const PatientRecord& patient);
  Status update_patient(const PatientRecord& patient);
  Status append_audit(const AuditEntry& entry);
  Status write_candidates(const std::string& document_id, const std::vector<CandidateRecord>& candidates);
  Status write_reasons(const std::string& document_id, const std::vector<std::string>& reasons);

  Connection db_;
};

}  // namespace casenote::sql
