// What the store keeps: patients, documents with their pages and fields, and the state of
// every input. Plain values; the store knows nothing of images or OCR.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/box.h"
#include "core/step_timing.h"

namespace casenote {

struct PatientRecord {
  std::string id;               // assigned by the store when empty
  std::string nhs_number;       // 10 digits or empty
  std::string hospital_number;  // may be empty
  std::string family_name;
  std::string given_names;
  std::string date_of_birth;    // ISO YYYY-MM-DD
  std::string sex;              // as imported (M, F, U, ...)
  std::string postcode;

  bool operator==(const PatientRecord&) const = default;
};

struct FieldRecord {
  std::string name;   // export key: nhs_number, date_of_birth, ...
  std::string value;
  double confidence = 0;
  int page = 1;
  Box box;

  bool operator==(const FieldRecord&) const = default;
};

// A word as OCR read it, kept so that its page can be written as hOCR or ALTO.
struct WordRecord {
  std::string text;    // UTF-8
  Box box;             // in the upright, deskewed page's pixels
  int confidence = 0;  // 0..100 in whole percent: hOCR's x_wconf is whole, ALTO's WC two decimals
  int block = 0;       // as OCR grouped the words: equal index = same block, paragraph, line
  int paragraph = 0;
  int line = 0;

  bool operator==(const WordRecord&) const = default;
};

struct PageRecord {
  int number = 1;
  int rotation_degrees = 0;  // clockwise rotation applied to make the page upright
  double skew_degrees = 0;   // skew removed, positive when text lines rose to the right
  double mean_confidence = 0;
  bool blank = false;
  std::string text;
  std::vector<std::string> notes;  // what preparation could not settle, e.g. an unsure orientation
  // How preparation decided, for whoever checks a page afterwards (docs/preparation.md).
  double rotation_confidence = 0;  // on the scale of rotation_method's check
  std::string rotation_method;     // none, text_shape, tesseract_osd or reading_comparison
  double skew_confidence = 0;      // the skew measurement's own confidence
  int dpi = 0;                     // the page's resolution as scanned; 0 when not recorded
  std::string dpi_source;          // file, text_height or assumed
  std::vector<StepTiming> timings; // preparation's steps, then OCR, in order
  // The upright, deskewed page in the pixels its words' boxes are given in; 0 for pages stored
  // before words were kept, which have no words either.
  int width = 0;
  int height = 0;
  std::vector<WordRecord> words;   // reading order; none on a blank or unread page

  bool operator==(const PageRecord&) const = default;
};

// A patient the linking rules considered for a document, best first.
struct CandidateRecord {
  std::string patient_id;
  double score = 0;       // 0..1
  std::string evidence;   // what agreed and what did not, e.g. "NHS number, date of birth"

  bool operator==(const CandidateRecord&) const = default;
};

// An event of a patient's care a document records (extract/clinical_events.h), with the
// evidence a reviewer checks it against. Details the document does not state are empty.
struct EventRecord {
  std::string kind;         // admission, transfer, discharge, death, referral, waiting_list, clinic_attendance
  std::string date;         // ISO YYYY-MM-DD
  std::string ward;
  std::string specialty;
  std::string method;       // admission: elective or emergency
  std::string from;         // transfer
  std::string to;           // transfer
  std::string destination;  // discharge
  std::string priority;     // referral: urgent, routine or two_week_wait
  std::string procedure;    // waiting list
  std::string clinic;       // clinic attendance
  double confidence = 0;
  int page = 1;
  Box box;
  std::string text;         // the line it was read from

  bool operator==(const EventRecord&) const = default;
};

// A clinical code a document carries (extract/clinical_codes.h), with the phrase beside it.
struct ClinicalCodeRecord {
  std::string system;       // icd10, opcs4 or snomed_ct
  std::string code;
  std::string phrase;
  std::string description;  // from a code list; empty without one
  double confidence = 0;
  int page = 1;
  Box box;

  bool operator==(const ClinicalCodeRecord&) const = default;
};

struct DocumentRecord {
  std::string id;
  std::string source;         // input path
  std::string sha256;         // hex of the input's bytes
  std::string document_type;  // clinic_letter, discharge_summary, lab_report, referral, other
  std::string status;         // filed, needs_review or rejected
  std::optional<std::string> patient_id;
  std::string filing_rule;    // the linking rule that decided, e.g. "nhs_number"; empty when none did
  std::string filed_by;       // who ran the ingest, for the audit trail
  std::vector<std::string> review_reasons;
  std::vector<CandidateRecord> candidates;
  std::vector<PageRecord> pages;
  std::vector<FieldRecord> fields;
  std::string text;           // the document's text: its pages' text, separated by form feeds
  std::string archive_path;   // its searchable PDF in the archive; empty when none was written
  std::vector<EventRecord> events;
  std::vector<ClinicalCodeRecord> clinical_codes;

  bool operator==(const DocumentRecord&) const = default;
};

// The last recorded state of one input file.
struct InputRecord {
  std::string path;
  std::string sha256;
  std::string state;   // filed, needs_review or failed
  std::string reason;  // why it failed; empty otherwise
  std::optional<std::string> document_id;

  bool operator==(const InputRecord&) const = default;
};

// Which documents to list. Every criterion left empty matches everything.
struct DocumentQuery {
  std::string text;            // FTS5 query over document text and patient name
  std::string patient_id;
  std::string document_type;
  std::string status;          // filed, needs_review or rejected
  std::string reason;          // a review reason containing these words
  std::string from_date;       // document date on or after (ISO)
  std::string to_date;         // document date on or before (ISO)
  int limit = 50;
  bool oldest_first = false;   // without a text query: oldest first instead of newest first
};

struct SearchHit {
  std::string document_id;
  std::string source;
  std::optional<std::string> patient_id;
  std::string patient_name;  // "FAMILY, Given" or empty when unlinked
  std::string snippet;       // matched terms wrapped in [ ]; empty without a text query
  std::string document_type;
  std::string status;
  std::string document_date;  // ISO, empty when none was read
  std::string created_at;     // when it was ingested, ISO UTC
  std::vector<std::string> review_reasons;
  std::optional<std::string> suggested_patient_id;  // the best candidate, for review
};

// One line of the audit trail. Entries are only ever added.
struct AuditEntry {
  std::int64_t id = 0;
  std::string at;           // ISO UTC, set by the store
  std::string user;
  std::string action;       // ingest, accept, correct, link, new_patient, reject, import
  std::string document_id;  // may be empty for patient-only actions
  std::string patient_id;   // may be empty
  std::string field;        // what changed: a field name, "patient", "status"
  std::string old_value;
  std::string new_value;
  std::string rule;         // the linking rule, when one decided
  std::string detail;       // free text, e.g. a rejection reason

  bool operator==(const AuditEntry&) const = default;
};

// A review decision on one document, applied with its audit entries in one transaction.
struct FilingChange {
  std::string document_id;
  std::string user;
  std::string action;                      // accept, correct, link, new_patient, reject
  std::string status;                      // the new status
  std::optional<std::string> patient_id;   // the new patient, none to unlink
  std::string rule;
  std::vector<std::string> review_reasons;  // replaces the document's reasons
  std::vector<CandidateRecord> candidates;  // replaces the document's candidates
  std::vector<FieldRecord> fields;          // fields to set, matched by name
  std::string detail;
  // Where the document's searchable PDF now is, when the change moved it; none: where it was.
  std::optional<std::string> archive_path;
};

// An import row that was not written, e.g. same NHS number with a different date of birth.
struct ImportConflict {
  size_t row = 0;      // 0-based index into the rows given to the import
  std::string reason;  // names no identifier values, so it can go to a log
  bool operator==(const ImportConflict&) const = default;
};

// Someone who may sign in to the review workstation.
struct UserRecord {
  std::string name;
  std::string password_hash;  // libsodium's crypto_pwhash_str form (Argon2id), never the password
  std::string created_at;     // ISO UTC, set by the store

  bool operator==(const UserRecord&) const = default;
};

struct DailyCount {
  std::string day;  // ISO date, UTC
  int count = 0;

  bool operator==(const DailyCount&) const = default;
};

// One worker of a queue shared by several hosts (casenote worker), as casenote status shows it.
struct WorkerActivity {
  std::string worker;  // its name: host:pid unless given
  int processing = 0;  // inputs it holds now
  int finished = 0;    // inputs it finished (stored or failed) within the window asked about
  int pages = 0;       // the pages of those inputs

  bool operator==(const WorkerActivity&) const = default;
};

// How a queue of inputs stands.
struct QueueStatus {
  int queued = 0;
  int processing = 0;  // including those whose claim has expired
  int expired = 0;     // processing, but their worker stopped renewing its claim: claimed again next
  int filed = 0;
  int needs_review = 0;
  int rejected = 0;
  int failed = 0;
  std::vector<WorkerActivity> workers;  // by name
};

// How the work stands: what the review workstation's dashboard shows. Daily series hold only
// the days from the day asked for on that had something to count, oldest first.
struct ActivitySummary {
  int needs_review = 0;
  int filed = 0;
  int rejected = 0;
  int failed_inputs = 0;
  std::vector<DailyCount> review_queue_by_day;   // documents still in review, by the day they were stored (every day)
  std::vector<DailyCount> filed_on_ingest_by_day;  // documents the linking rules filed as they were stored
  std::vector<DailyCount> filed_in_review_by_day;  // documents a person filed from review
  std::vector<DailyCount> failures_by_day;       // inputs that failed, by the day they last failed
  std::vector<InputRecord> recent_failures;      // the last inputs to fail, newest first
};

// Which events to list. Every criterion left empty matches everything.
struct EventQuery {
  std::string patient_id;
  std::string kind;       // an EventRecord kind
  std::string from_date;  // event date on or after (ISO)
  std::string to_date;    // event date on or before (ISO)
};

// An event with the document it was read from and the patient that document is filed to.
struct EventListing {
  EventRecord event;
  std::string document_id;
  std::optional<std::string> patient_id;  // none while the document is in review
  std::string document_status;            // filed, needs_review or rejected
};

// What the statistics cover: event dates (and, for documents and failures, the day they were
// stored or failed) within [from_date, to_date], either end open when empty; the series in
// periods of one day, one week (starting Monday) or one calendar month.
struct StatisticsQuery {
  std::string from_date;
  std::string to_date;
  std::string period = "month";  // day, week or month
};

struct NamedCount {
  std::string name;
  int count = 0;

  bool operator==(const NamedCount&) const = default;
};

// The events of one period of the series; `period` is its first day (ISO).
struct PeriodCounts {
  std::string period;
  int admissions = 0;
  int discharges = 0;
  int transfers = 0;
  int deaths = 0;
  int referrals = 0;
  int waiting_list_additions = 0;

  bool operator==(const PeriodCounts&) const = default;
};

// The figures a health records department reports. Events count once per patient, kind and date
// however many documents record them, and only from filed documents: an event on a document in
// review may belong to someone else until a person has looked.
struct EventStatistics {
  int admissions = 0;
  int discharges = 0;
  int transfers = 0;
  int deaths = 0;
  int referrals = 0;
  int waiting_list_additions = 0;
  int clinic_attendances = 0;
  // Stays measured: discharges whose document also gives the admission.
  int stays = 0;
  double mean_length_of_stay_days = 0;    // 0 without stays
  double median_length_of_stay_days = 0;
  std::vector<NamedCount> referrals_by_priority;  // urgent, two_week_wait, routine, unstated
  // Patients added to a waiting list on or before the period's end and not admitted since.
  int waiting_list_size = 0;
  std::vector<NamedCount> filed_by_type;  // documents filed, by document type
  int review_backlog = 0;                 // documents in review now
  double oldest_review_days = 0;          // how long the oldest has waited
  double median_review_days = 0;
  int failures = 0;                       // inputs that failed
  int events_in_review = 0;               // events on documents in review, not counted above
  std::vector<PeriodCounts> series;       // oldest first, only periods with events
};

struct PatientImportSummary {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  std::vector<ImportConflict> conflicts;
};

}  // namespace casenote
