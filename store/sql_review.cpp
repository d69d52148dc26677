// Linking, review and audit in the store: the queries the linking rules ask of the
// patient index, review decisions, search with filters, and the append-only audit trail.
#include <fmt/format.h>

#include <sstream>

#include "store/sql_document_reader.h"
#include "store/sql_store.h"

namespace casenote::sql {
namespace {

Result<std::vector<AuditEntry>> read_audit(Statement& query) {
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = query.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({query.integer(0), query.text(1), query.text(2), query.text(3), query.text(4), query.text(5),
                   query.text(6), query.text(7), query.text(8), query.text(9), query.text(10)});
  }
}

constexpr const char* kAuditColumns =
    "SELECT id, at, \"user\", action, document_id, patient_id, field, old_value, new_value, rule, detail FROM audit";

// SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE does.
const char* case_blind_like(Dialect dialect) { return dialect == Dialect::postgresql ? "ILIKE" : "LIKE"; }

}  // namespace

Status SqlStore::append_audit(const AuditEntry& entry) {
  auto insert = Statement::prepare(db_,
      "INSERT INTO audit (\"user\", action, document_id, patient_id, field, old_value, new_value, rule, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      fmt::format("recording '{}' in the audit trail", entry.action));
  if (!insert) return insert.error();
  return insert
      ->bind_all(entry.user, entry.action, entry.document_id, entry.patient_id, entry.field, entry.old_value,
                 entry.new_value, entry.rule, entry.detail)
      .run();
}

Status SqlStore::write_candidates(const std::string& document_id, const std::vector<CandidateRecord>& candidates) {
  std::string doing = fmt::format("recording candidates of document {}", document_id);
  auto clear = Statement::prepare(db_, "DELETE FROM candidates WHERE document_id = ?", doing);
  if (!clear) return clear.error();
  if (auto cleared = clear->bind(1, document_id).run(); !cleared) return cleared;
  auto insert = Statement::prepare(db_,
      "INSERT INTO candidates (document_id, position, patient_id, score, evidence) VALUES (?, ?, ?, ?, ?)", doing);
  if (!insert) return insert.error();
  for (size_t i = 0; i < candidates.size(); ++i) {
    insert->reset();
    insert->bind_all(document_id, static_cast<int>(i), candidates[i].patient_id, candidates[i].score,
                     candidates[i].evidence);
    if (auto inserted = insert->run(); !inserted) return inserted;
  }
  return ok_status();
}

Status SqlStore::write_reasons(const std::string& document_id, const std::vector<std::string>& reasons) {
  std::string doing = fmt::format("recording review reasons of document {}", document_id);
  auto clear = Statement::prepare(db_, "DELETE FROM review_reasons WHERE document_id = ?", doing);
  if (!clear) return clear.error();
  if (auto cleared = clear->bind(1, document_id).run(); !cleared) return cleared;
  auto insert = Statement::prepare(db_,
      "INSERT INTO review_reasons (document_id, position, reason) VALUES (?, ?, ?)", doing);
  if (!insert) return insert.error();
  for (size_t i = 0; i < reasons.size(); ++i) {
    insert->reset();
    insert->bind_all(document_id, static_cast<int>(i), reasons[i]);
    if (auto inserted = insert->run(); !inserted) return inserted;
  }
  return ok_status();
}

Result<std::optional<DocumentRecord>> SqlStore::document(const std::string& id) {
  auto reader = DocumentReader::one(db_, id);
  if (!reader) return reader.error();
  return reader->next();
}

Status SqlStore::change_filing(const FilingChange& change) {
  std::string doing = fmt::format("{} document {}", change.action, change.document_id);
  if (change.status != "filed" && change.status != "needs_review" && change.status != "rejected")
    return Error{fmt::format("{}: status '{}' is not filed, needs_review or rejected", doing, change.status)};
  if (change.status == "filed" && !change.patient_id)
    return Error{fmt::format("{}: a filed document needs a patient", doing)};

  auto transaction = Transaction::begin(db_, doing);
  if (!transaction) return transaction.error();
  auto current = document(change.document_id);
  if (!current) return current.error();
  if (!*current) return Error{fmt::format("{}: no such document", doing)};
  const DocumentRecord& before = **current;

  AuditEntry base{0, "", change.user, change.action, change.document_id,
                  change.patient_id.value_or(before.patient_id.value_or("")), "", "", "", change.rule, change.detail};
  bool audited = false;
  auto audit_change = [&](const std::string& field, const std::string& old_value, const std::string& new_value) {
    AuditEntry entry = base;
    entry.field = field;
    entry.old_value = old_value;
    entry.new_value = new_value;
    audited = true;
    return append_audit(entry);
  };

  for (const FieldRecord& field : change.fields) {
    std::string old_value;
    for (const auto& f : before.fields)
      if (f.name == field.name) old_value = f.value;
    auto upsert = Statement::prepare(db_,
        "INSERT INTO fields (document_id, position, name, value, confidence, page, x, y, w, h) "
        "SELECT ?1, coalesce((SELECT position FROM fields WHERE document_id = ?1 AND name = ?2), "
        "                    (SELECT coalesce(max(position), -1) + 1 FROM fields WHERE document_id = ?1)), "
        "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
        "ON CONFLICT (document_id, position) DO UPDATE SET value = excluded.value, confidence = excluded.confidence",
        doing);
    if (!upsert) return upsert.error();
    upsert->bind_all(change.document_id, field.name, field.value, field.confidence, field.page, field.box.x,
                     field.box.y, field.box.w, field.box.h);
    if (auto written = upsert->run(); !written) return written;
    if (auto logged = audit_change(field.name, old_value, field.value); !logged) return logged;
  }

  auto update = Statement::prepare(db_,
      "UPDATE documents SET status = ?, patient_id = ?, filing_rule = ? WHERE id = ?", doing);
  if (!update) return update.error();
  if (auto updated = update->bind_all(change.status, change.patient_id, change.rule, change.document_id).run();
      !updated)
    return updated;
  if (auto written = write_reasons(change.document_id, change.review_reasons); !written) return written;
  if (auto written = write_candidates(change.document_id, change.candidates); !written) return written;

  // The search index carries the patient's name, so re-linking must rename it there too.
  auto reindex = Statement::prepare(db_,
      "UPDATE documents_fts SET patient_name = coalesce((SELECT trim(p.family_name || ' ' || p.given_names) "
      "FROM patients p WHERE p.id = ?1), '') WHERE rowid = (SELECT rowid FROM documents WHERE id = ?2)",
      doing + ": updating the search index");
  if (!reindex) return reindex.error();
  if (auto done = reindex->bind_all(change.patient_id, change.document_id).run(); !done) return done;

  auto mark_input = Statement::prepare(db_,
      "UPDATE inputs SET state = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE document_id = ?",
      doing + ": recording its input");
  if (!mark_input) return mark_input.error();
  if (auto marked = mark_input->bind_all(change.status, change.document_id).run(); !marked) return marked;

  if (change.archive_path && *change.archive_path != before.archive_path) {
    auto moved = Statement::prepare(db_, "UPDATE documents SET archive_path = ? WHERE id = ?", doing + ": moving its PDF");
    if (!moved) return moved.error();
    if (auto updated = moved->bind_all(*change.archive_path, change.document_id).run(); !updated) return updated;
    if (auto logged = audit_change("archive_path", before.archive_path, *change.archive_path); !logged) return logged;
  }

  std::string old_patient = before.patient_id.value_or(""), new_patient = change.patient_id.value_or("");
  if (old_patient != new_patient)
    if (auto logged = audit_change("patient", old_patient, new_patient); !logged) return logged;
  if (before.status != change.status)
    if (auto logged = audit_change("status", before.status, change.status); !logged) return logged;
  if (!audited)  // an accept that changes nothing is still a decision someone took
    if (auto logged = audit_change("status", before.status, change.status); !logged) return logged;
  return transaction->commit();
}

Result<std::vector<PatientRecord>> SqlStore::patients_by_hospital_number(const std::string& hospital_number) {
  if (hospital_number.empty()) return std::vector<PatientRecord>();
  return patients_where("hospital_number = ?", hospital_number, "looking up a hospital number");
}

Result<std::vector<PatientRecord>> SqlStore::patients_born_on(const std::string& date_of_birth) {
  if (date_of_birth.empty()) return std::vector<PatientRecord>();
  return patients_where("date_of_birth = ?", date_of_birth, "looking up a date of birth");
}

Result<std::vector<PatientRecord>> SqlStore::find_patients(const std::string& text, int limit) {
  if (limit <= 0) return Error{fmt::format("finding patients: the limit must be positive, not {}", limit)};
  std::istringstream words(text);
  std::vector<std::string> terms;
  for (std::string word; words >> word;) terms.push_back(word);
  std::string sql = fmt::format("SELECT {} FROM patients WHERE 1 = 1", kPatientColumns);
  for (size_t i = 1; i <= terms.size(); ++i)
    sql += fmt::format(
        " AND (family_name {1} ?{0} || '%' ESCAPE '\\' OR given_names {1} '%' || ?{0} || '%' ESCAPE '\\' "
        "OR nhs_number = ?{0} OR hospital_number = ?{0} OR date_of_birth = ?{0})",
        i, case_blind_like(db_.dialect()));
  sql += fmt::format(" ORDER BY family_name, given_names, id LIMIT {}", limit);
  auto query = Statement::prepare(db_, sql.c_str(), "finding patients");
  if (!query) return query.error();
  for (size_t i = 0; i < terms.size(); ++i) {
    std::string escaped;
    for (char c : terms[i]) {
      if (c == '%' || c == '_' || c == '\\') escaped += '\\';
      escaped += c;
    }
    query->bind(static_cast<int>(i + 1), escaped);
  }
  std::vector<PatientRecord> out;
  for (;;) {
    auto row = query->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read_patient(*query));
  }
}

Result<PatientRecord> SqlStore::create_patient(const PatientRecord& patient, const std::string& user) {
  auto transaction = Transaction::begin(db_, "creating a patient");
  if (!transaction) return transaction.error();
  if (!patient.nhs_number.empty()) {
    auto holders = patients_by_nhs_number(patient.nhs_number);
    if (!holders) return holders.error();
    if (!holders->empty())
      return Error{fmt::format("creating a patient: the NHS number is already held by patient {}",
                               holders->front().id)};
  }
  PatientRecord created = patient;
  auto id = next_patient_id();
  if (!id) return id.error();
  created.id = *id;
  if (auto inserted = insert_patient(created); !inserted) return inserted.error();
  if (auto logged = append_audit({0, "", user, "new_patient", "", created.id, "patient", "", created.id, "", ""});
      !logged)
    return logged.error();
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return created;
}

Result<std::vector<AuditEntry>> SqlStore::audit_for_document(const std::string& document_id) {
  auto query = Statement::prepare(db_, (std::string(kAuditColumns) + " WHERE document_id = ? ORDER BY id").c_str(),
                                  "reading the audit trail");
  if (!query) return query.error();
  query->bind(1, document_id);
  return read_audit(*query);
}

Result<std::vector<AuditEntry>> SqlStore::audit_for_patient(const std::string& patient_id) {
  auto query = Statement::prepare(db_,
      (std::string(kAuditColumns) + " WHERE patient_id = ?1 OR old_value = ?1 OR new_value = ?1 ORDER BY id").c_str(),
      "reading the audit trail");
  if (!query) return query.error();
  query->bind(1, patient_id);
  return read_audit(*query);
}

Result<std::vector<SearchHit>> SqlStore::search(const DocumentQuery& q) {
  if (q.limit <= 0) return Error{fmt::format("search: the limit must be positive, not {}", q.limit)};
  bool text = q.text.find_first_not_of(" \t\r\n") != std::string::npos;
  std::string sql =
      "SELECT d.id, d.source, d.patient_id, p.family_name, p.given_names, {snippet}, d.document_type, d.status, "
      "coalesce((SELECT value FROM fields f WHERE f.document_id = d.id AND f.name = 'document_date'), ''), "
      "d.created_at, (SELECT patient_id FROM candidates c WHERE c.document_id = d.id ORDER BY position LIMIT 1) "
      "FROM documents d LEFT JOIN patients p ON p.id = d.patient_id ";
  const bool postgresql = db_.dialect() == Dialect::postgresql;
  constexpr const char* kTerms = "websearch_to_tsquery('simple', ?1)";
  std::string snippet = !text ? "''"
                        : postgresql ? fmt::format("casenote_snippet(documents_fts.text, {})", kTerms)
                                     : "snippet(documents_fts, -1, '[', ']', '…', 12)";
  sql.replace(sql.find("{snippet}"), 9, snippet);
  if (text && postgresql) sql += fmt::format("JOIN documents_fts ON documents_fts.rowid = d.rowid AND documents_fts.terms @@ {} ", kTerms);
  else if (text) sql += "JOIN documents_fts ON documents_fts.rowid = d.rowid AND documents_fts MATCH ?1 ";
  sql += "WHERE (?2 = '' OR d.patient_id = ?2) AND (?3 = '' OR d.document_type = ?3) AND (?4 = '' OR d.status = ?4) "
         "AND (?5 = '' OR EXISTS (SELECT 1 FROM review_reasons r WHERE r.document_id = d.id "
         "                        AND r.reason " + std::string(case_blind_like(db_.dialect())) + " '%' || ?5 || '%')) "
         "AND (?6 = '' OR EXISTS (SELECT 1 FROM fields f WHERE f.document_id = d.id AND f.name = 'document_date' "
         "                        AND f.value >= ?6)) "
         "AND (?7 = '' OR EXISTS (SELECT 1 FROM fields f WHERE f.document_id = d.id AND f.name = 'document_date' "
         "                        AND f.value <= ?7)) ";
  const std::string rank = postgresql ? fmt::format("ts_rank(documents_fts.terms, {}) DESC, d.rowid", kTerms) : "rank";
  sql += text ? "ORDER BY " + rank + " LIMIT ?8"
              : q.oldest_first ? "ORDER BY d.rowid LIMIT ?8" : "ORDER BY d.rowid DESC LIMIT ?8";
  auto query = Statement::prepare(db_, sql.c_str(), text ? fmt::format("searching for \"{}\"", q.text) : "listing documents");
  if (!query) return query.error();
  query->bind(1, q.text);
  query->bind_all_from(2, q.patient_id, q.document_type, q.status, q.reason, q.from_date, q.to_date, q.limit);
  std::vector<SearchHit> hits;
  for (;;) {
    auto row = query->step();
    if (!row) return row.error();
    if (!*row) break;
    SearchHit hit;
    hit.document_id = query->text(0);
    hit.source = query->text(1);
    hit.patient_id = query->optional_text(2);
    hit.patient_name = hit.patient_id ? display_name(query->text(3), query->text(4)) : "";
    hit.snippet = query->text(5);
    hit.document_type = query->text(6);
    hit.status = query->text(7);
    hit.document_date = query->text(8);
    hit.created_at = query->text(9);
    hit.suggested_patient_id = query->optional_text(10);
    hits.push_back(std::move(hit));
  }
  auto reasons = Statement::prepare(db_, "SELECT reason FROM review_reasons WHERE document_id = ? ORDER BY position",
                                    "listing documents");
  if (!reasons) return reasons.error();
  for (auto& hit : hits) {
    reasons->reset();
    reasons->bind(1, hit.document_id);
    for (;;) {
      auto row = reasons->step();
      if (!row) return row.error();
      if (!*row) break;
      hit.review_reasons.push_back(reasons->text(0));
    }
  }
  return hits;
}

}  // namespace casenote::sql
