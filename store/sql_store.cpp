// The SQL Store: documents, inputs, patients and search over one connection.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "store/sql_document_reader.h"
#include "store/postgres_schema.h"
#include "store/sqlite_schema.h"
#include "store/sql_store.h"

namespace casenote::sql {
namespace {

Status check_document(const DocumentRecord& document) {
  if (document.id.empty()) return Error{"saving a document: it has no id"};
  if (document.sha256.empty()) return Error{fmt::format("saving document {}: it has no sha256", document.id)};
  if (document.status != "filed" && document.status != "needs_review")
    return Error{fmt::format("saving document {}: status '{}' is neither filed nor needs_review", document.id,
                             document.status)};
  return ok_status();
}

// An import row merged over the stored patient: a field the row leaves empty keeps its stored
// value, since an import fills in and corrects details but never blanks them.
PatientRecord merged(const PatientRecord& stored, const PatientRecord& row) {
  PatientRecord out = stored;
  auto take = [](std::string& field, const std::string& value) {
    if (!value.empty()) field = value;
  };
  take(out.nhs_number, row.nhs_number);
  take(out.hospital_number, row.hospital_number);
  take(out.family_name, row.family_name);
  take(out.given_names, row.given_names);
  take(out.date_of_birth, row.date_of_birth);
  take(out.sex, row.sex);
  take(out.postcode, row.postcode);
  return out;
}



}  // namespace

PatientRecord read_patient(const Statement& row) {
  return {row.text(0), row.text(1), row.text(2), row.text(3),
          row.text(4), row.text(5), row.text(6), row.text(7)};
}

std::string display_name(std::string family_name, const std::string& given_names) {
  for (char& c : family_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (given_names.empty()) return family_name;
  if (family_name.empty()) return given_names;
  return family_name + ", " + given_names;
}

Result<std::optional<std::string>> SqlStore::document_for_sha256(const std::string& sha256) {
  auto query = Statement::prepare(db_, "SELECT id FROM documents WHERE sha256 = ?",
                                  fmt::format("looking up sha256 {}", sha256));
  if (!query) return query.error();
  auto row = query->bind(1, sha256).step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(query->text(0));
}

Status SqlStore::save_document(const DocumentRecord& document) {
  if (auto valid = check_document(document); !valid) return valid;
  auto transaction = Transaction::begin(db_, fmt::format("saving document {}", document.id));
  if (!transaction) return transaction.error();

  // Checked here, under the write lock, for a message that names the document already held.
  auto existing = document_for_sha256(document.sha256);
  if (!existing) return existing.error();
  if (*existing)
    return Error{fmt::format("saving document {}: an input with sha256 {} is already stored as document {}",
                             document.id, document.sha256, **existing)};

  if (auto inserted = insert_document_rows(document); !inserted) return inserted;
  return transaction->commit();
}

// A page's words, many rows to a statement: a typed page has a few hundred, and a database
// server would otherwise take a round trip for each (measured: 50 ms to file a page of 250
// words on PostgreSQL over loopback, most of it these).
Status SqlStore::insert_words(const std::string& document_id, const PageRecord& page, const std::string& doing) {
  constexpr size_t kRowsPerStatement = 100;
  constexpr const char* kRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  for (size_t first = 0; first < page.words.size(); first += kRowsPerStatement) {
    const size_t rows = std::min(kRowsPerStatement, page.words.size() - first);
    std::string sql =
        "INSERT INTO page_words (document_id, page, position, text, x, y, w, h, confidence, block, paragraph, line) "
        "VALUES ";
    for (size_t row = 0; row < rows; ++row) sql += row ? std::string(", ") + kRow : kRow;
    auto insert = Statement::prepare(db_, sql.c_str(), doing);
    if (!insert) return insert.error();
    for (size_t row = 0; row < rows; ++row) {
      const size_t i = first + row;
      const WordRecord& word = page.words[i];
      insert->bind_all_from(static_cast<int>(row * 12 + 1), document_id, page.number, static_cast<int>(i), word.text,
                            word.box.x, word.box.y, word.box.w, word.box.h, word.confidence, word.block,
                            word.paragraph, word.line);
    }
    if (auto inserted = insert->run(); !inserted) return inserted;
  }
  return ok_status();
}

Status SqlStore::insert_document_rows(const DocumentRecord& document) {
  std::string doing = fmt::format("saving document {}", document.id);

  auto insert_document = Statement::prepare(db_,
      "INSERT INTO documents (id, source, sha256, document_type, status, patient_id, filing_rule, text, archive_path) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      document.patient_id ? fmt::format("{} for patient {}", doing, *document.patient_id) : doing);
  if (!insert_document) return insert_document.error();
  insert_document->bind_all(document.id, document.source, document.sha256, document.document_type,
                            document.status, document.patient_id, document.filing_rule, document.text,
                            document.archive_path);
  if (auto inserted = insert_document->run(); !inserted) return inserted;
  if (auto written = write_reasons(document.id, document.review_reasons); !written) return written;
  if (auto written = write_candidates(document.id, document.candidates); !written) return written;
  std::string reasons;
  for (const auto& r : document.review_reasons) reasons += (reasons.empty() ? "" : "; ") + r;
  AuditEntry decision{0, "", document.filed_by, "ingest", document.id, document.patient_id.value_or(""), "status",
                      "", document.status, document.filing_rule, reasons};
  if (auto logged = append_audit(decision); !logged) return logged;

  auto insert_page = Statement::prepare(db_,
      "INSERT INTO pages (document_id, number, rotation_degrees, skew_degrees, mean_confidence, blank, text, "
      "rotation_confidence, rotation_method, skew_confidence, dpi, dpi_source, width, height) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      doing);
  if (!insert_page) return insert_page.error();
  auto insert_note = Statement::prepare(db_,
      "INSERT INTO page_notes (document_id, page, position, note) VALUES (?, ?, ?, ?)", doing);
  if (!insert_note) return insert_note.error();
  auto insert_timing = Statement::prepare(db_,
      "INSERT INTO page_timings (document_id, page, position, step, milliseconds) VALUES (?, ?, ?, ?, ?)", doing);
  if (!insert_timing) return insert_timing.error();
  for (const PageRecord& page : document.pages) {
    insert_page->reset();
    insert_page->bind_all(document.id, page.number, page.rotation_degrees, page.skew_degrees,
                          page.mean_confidence, page.blank, page.text, page.rotation_confidence,
                          page.rotation_method, page.skew_confidence, page.dpi, page.dpi_source, page.width,
                          page.height);
    if (auto inserted = insert_page->run(); !inserted) return inserted;
    for (size_t i = 0; i < page.notes.size(); ++i) {
      insert_note->reset();
      insert_note->bind_all(document.id, page.number, static_cast<int>(i), page.notes[i]);
      if (auto inserted = insert_note->run(); !inserted) return inserted;
    }
    for (size_t i = 0; i < page.timings.size(); ++i) {
      insert_timing->reset();
      insert_timing->bind_all(document.id, page.number, static_cast<int>(i), page.timings[i].step,
                              page.timings[i].milliseconds);
      if (auto inserted = insert_timing->run(); !inserted) return inserted;
    }
    if (auto inserted = insert_words(document.id, page, doing); !inserted) return inserted;
  }

  auto insert_field = Statement::prepare(db_,
      "INSERT INTO fields (document_id, position, name, value, confidence, page, x, y, w, h) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      doing);
  if (!insert_field) return insert_field.error();
  for (size_t i = 0; i < document.fields.size(); ++i) {
    const FieldRecord& field = document.fields[i];
    insert_field->reset();
    insert_field->bind_all(document.id, static_cast<int>(i), field.name, field.value, field.confidence,
                           field.page, field.box.x, field.box.y, field.box.w, field.box.h);
    if (auto inserted = insert_field->run(); !inserted) return inserted;
  }
  if (auto inserted = insert_event_rows(document); !inserted) return inserted;

  auto index_text = Statement::prepare(db_,
      "INSERT INTO documents_fts (rowid, text, patient_name) "
      "SELECT d.rowid, d.text, coalesce(trim(p.family_name || ' ' || p.given_names), '') "
      "FROM documents d LEFT JOIN patients p ON p.id = d.patient_id WHERE d.id = ?",
      doing + ": indexing its text");
  if (!index_text) return index_text.error();
  if (auto indexed = index_text->bind(1, document.id).run(); !indexed) return indexed;

  auto mark_input = Statement::prepare(db_,
      "INSERT INTO inputs (path, sha256, state, reason, document_id) VALUES (?, ?, ?, '', ?) "
      "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, state = excluded.state, reason = '', "
      "document_id = excluded.document_id, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      doing + ": recording its input");
  if (!mark_input) return mark_input.error();
  mark_input->bind_all(document.source, document.sha256, document.status, document.id);
  return mark_input->run();
}

Status SqlStore::record_failed_input(const std::string& path, const std::string& sha256,
                                        const std::string& reason) {
  if (path.empty()) return Error{"recording a failed input: it has no path"};
  auto upsert = Statement::prepare(db_,
      "INSERT INTO inputs (path, sha256, state, reason, document_id) VALUES (?, ?, 'failed', ?, NULL) "
      "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, state = 'failed', reason = excluded.reason, "
      "document_id = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      fmt::format("recording failed input {}", path));
  if (!upsert) return upsert.error();
  return upsert->bind_all(path, sha256, reason).run();
}

Result<std::vector<InputRecord>> SqlStore::inputs() {
  auto query = Statement::prepare(db_,
      "SELECT path, sha256, state, reason, document_id FROM inputs ORDER BY path", "listing inputs");
  if (!query) return query.error();
  std::vector<InputRecord> out;
  for (;;) {
    auto row = query->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({query->text(0), query->text(1), query->text(2), query->text(3), query->optional_text(4)});
  }
}

Result<PatientImportSummary> SqlStore::import_patients(const std::vector<PatientRecord>& rows) {
  auto transaction = Transaction::begin(db_, "importing patients");
  if (!transaction) return transaction.error();
  PatientImportSummary summary;
  for (size_t i = 0; i < rows.size(); ++i)
    if (auto imported = import_patient(rows[i], i, summary); !imported) return imported.error();
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return summary;
}

// Conflicts name the kind of identifier that matched, never its value.
Status SqlStore::import_patient(const PatientRecord& row, size_t row_index, PatientImportSummary& summary) {
  std::string doing = fmt::format("importing patient row {}", row_index + 1);
  auto conflict = [&](std::string why) {
    summary.conflicts.push_back({row_index, std::move(why)});
    return ok_status();
  };

  std::string identifier;
  Result<std::vector<PatientRecord>> matches = std::vector<PatientRecord>();
  if (!row.nhs_number.empty()) {
    identifier = "the NHS number";
    matches = patients_where("nhs_number = ?", row.nhs_number, doing);
  } else if (!row.hospital_number.empty()) {
    identifier = "the hospital number";
    matches = patients_where("hospital_number = ?", row.hospital_number, doing);
  } else {
    return conflict("neither NHS number nor hospital number, so it could never be matched again");
  }
  if (!matches) return matches.error();
  if (matches->size() > 1)
    return conflict(fmt::format("{} is held by {} patients", identifier, matches->size()));

  if (matches->empty()) {
    PatientRecord patient = row;
    if (patient.id.empty()) {
      auto id = next_patient_id();
      if (!id) return id.error();
      patient.id = *id;
    } else {
      auto taken = patients_where("id = ?", patient.id, doing);
      if (!taken) return taken.error();
      if (!taken->empty()) return conflict(fmt::format("patient id {} is held by another patient", patient.id));
    }
    if (auto inserted = insert_patient(patient); !inserted) return inserted;
    ++summary.created;
    return ok_status();
  }

  const PatientRecord& stored = matches->front();
  if (!row.id.empty() && row.id != stored.id)
    return conflict(fmt::format("{} is held by patient {}, not {}", identifier, stored.id, row.id));
  if (!row.date_of_birth.empty() && !stored.date_of_birth.empty() && row.date_of_birth != stored.date_of_birth)
    return conflict(fmt::format("{} is held by patient {} with a different date of birth", identifier, stored.id));
  PatientRecord patient = merged(stored, row);
  if (patient == stored) {
    ++summary.unchanged;
    return ok_status();
  }
  if (auto updated = update_patient(patient); !updated) return updated;
  ++summary.updated;
  return ok_status();
}

Result<std::vector<PatientRecord>> SqlStore::patients_where(const char* condition, const std::string& value,
                                                               const std::string& doing) {
  auto sql = fmt::format("SELECT {} FROM patients WHERE {} ORDER BY id", kPatientColumns, condition);
  auto query = Statement::prepare(db_, sql.c_str(), doing);
  if (!query) return query.error();
  query->bind(1, value);
  std::vector<PatientRecord> out;
  for (;;) {
    auto row = query->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read_patient(*query));
  }
}

// Ids run P000001, P000002, ...; ids given by an import that happen to look alike are skipped past.
Result<std::string> SqlStore::next_patient_id() {
  const char* numbered = db_.dialect() == Dialect::postgresql ? "id ~ '^P[0-9]+$'" : "id GLOB 'P[0-9]*'";
  auto query = Statement::prepare(db_,
      fmt::format("SELECT coalesce(max(CAST(substr(id, 2) AS INTEGER)), 0) + 1 FROM patients WHERE {}", numbered).c_str(),
      "choosing a patient id");
  if (!query) return query.error();
  auto row = query->step();
  if (!row) return row.error();
  return fmt::format("P{:06d}", query->integer(0));
}

Status SqlStore::insert_patient(const PatientRecord& patient) {
  auto insert = Statement::prepare(db_,
      "INSERT INTO patients (id, nhs_number, hospital_number, family_name, given_names, date_of_birth, sex, "
      "postcode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      fmt::format("creating patient {}", patient.id));
  if (!insert) return insert.error();
  return insert
      ->bind_all(patient.id, patient.nhs_number, patient.hospital_number, patient.family_name, patient.given_names,
                 patient.date_of_birth, patient.sex, patient.postcode)
      .run();
}

// Also renames the patient in the search index of the documents already filed to them.
Status SqlStore::update_patient(const PatientRecord& patient) {
  std::string doing = fmt::format("updating patient {}", patient.id);
  auto update = Statement::prepare(db_,
      "UPDATE patients SET nhs_number = ?, hospital_number = ?, family_name = ?, given_names = ?, "
      "date_of_birth = ?, sex = ?, postcode = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
      "WHERE id = ?",
      doing);
  if (!update) return update.error();
  update->bind_all(patient.nhs_number, patient.hospital_number, patient.family_name, patient.given_names,
                   patient.date_of_birth, patient.sex, patient.postcode, patient.id);
  if (auto updated = update->run(); !updated) return updated;

  auto rename = Statement::prepare(db_,
      "UPDATE documents_fts SET patient_name = trim(?1) "
      "WHERE rowid IN (SELECT rowid FROM documents WHERE patient_id = ?2)",
      doing + ": renaming them in the search index");
  if (!rename) return rename.error();
  return rename->bind_all(patient.family_name + " " + patient.given_names, patient.id).run();
}

Result<std::vector<PatientRecord>> SqlStore::patients_by_nhs_number(const std::string& nhs_number) {
  // Patients without an NHS number hold an empty one; that is no number to match on.
  if (nhs_number.empty()) return std::vector<PatientRecord>();
  return patients_where("nhs_number = ?", nhs_number, fmt::format("looking up NHS number {}", nhs_number));
}

Result<std::optional<PatientRecord>> SqlStore::patient(const std::string& id) {
  auto found = patients_where("id = ?", id, fmt::format("looking up patient {}", id));
  if (!found) return found.error();
  if (found->empty()) return std::optional<PatientRecord>();
  return std::optional<PatientRecord>(found->front());
}

Status SqlStore::for_each_document(const std::function<void(const DocumentRecord&)>& visit) {
  auto reader = DocumentReader::all(db_);
  if (!reader) return reader.error();
  for (;;) {
    auto document = reader->next();
    if (!document) return document.error();
    if (!*document) return ok_status();
    visit(**document);
  }
}

}  // namespace casenote::sql

namespace casenote {

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& options) {
  auto db = sql::open_casenote_database(path, options.busy_timeout);
  if (!db) return db.error();
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(std::move(db).value()));
}

Result<std::unique_ptr<Store>> open_store(const std::string& db, const StoreOptions& options) {
  if (!is_postgresql_url(db)) return open_sqlite_store(db, options);
  auto connection = sql::open_postgresql_database(db, options.busy_timeout);
  if (!connection) return connection.error();
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(std::move(connection).value()));
}

bool is_postgresql_url(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

int sqlite_store_schema_version() { return sql::kSchemaVersion; }

}  // namespace casenote
