#include "store/sqlite_schema.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>

#include <fmt/format.h>

namespace casenote::sql {
namespace {

struct Migration {
  int version;  // user_version once applied
  const char* sql;
};

// Append only: a released step never changes, because databases in the field already hold it.
constexpr Migration kMigrations[] = {
    {1, R"sql(
PRAGMA application_id = 1131630196;

CREATE TABLE patients (
  id TEXT PRIMARY KEY,
  nhs_number TEXT NOT NULL DEFAULT '',
  hospital_number TEXT NOT NULL DEFAULT '',
  family_name TEXT NOT NULL DEFAULT '',
  given_names TEXT NOT NULL DEFAULT '',
  date_of_birth TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX patients_by_nhs_number ON patients(nhs_number) WHERE nhs_number <> '';
CREATE INDEX patients_by_hospital_number ON patients(hospital_number) WHERE hospital_number <> '';

-- The implicit rowid orders documents by insertion and keys their documents_fts row.
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  document_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('filed', 'needs_review', 'rejected')),
  patient_id TEXT REFERENCES patients(id),
  filing_rule TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX documents_by_patient ON documents(patient_id);

CREATE TABLE review_reasons (
  document_id TEXT NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (document_id, position)
) STRICT, WITHOUT ROWID;

-- The patients the linking rules weighed for a document, best first.
CREATE TABLE candidates (
  document_id TEXT NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL,
  patient_id TEXT NOT NULL REFERENCES patients(id),
  score REAL NOT NULL,
  evidence TEXT NOT NULL,
  PRIMARY KEY (document_id, position)
) STRICT, WITHOUT ROWID;

-- Every filing decision and review action. Append-only: the triggers below refuse any change.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  document_id TEXT NOT NULL DEFAULT '',
  patient_id TEXT NOT NULL DEFAULT '',
  field TEXT NOT NULL DEFAULT '',
  old_value TEXT NOT NULL DEFAULT '',
  new_value TEXT NOT NULL DEFAULT '',
  rule TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_by_document ON audit(document_id) WHERE document_id <> '';
CREATE INDEX audit_by_patient ON audit(patient_id) WHERE patient_id <> '';
CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TABLE pages (
  document_id TEXT NOT NULL REFERENCES documents(id),
  number INTEGER NOT NULL CHECK (number >= 1),
  rotation_degrees INTEGER NOT NULL,
  skew_degrees REAL NOT NULL,
  mean_confidence REAL NOT NULL,
  blank INTEGER NOT NULL CHECK (blank IN (0, 1)),
  text TEXT NOT NULL,
  PRIMARY KEY (document_id, number)
) STRICT, WITHOUT ROWID;

CREATE TABLE page_notes (
  document_id TEXT NOT NULL,
  page INTEGER NOT NULL,
  position INTEGER NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (document_id, page, position),
  FOREIGN KEY (document_id, page) REFERENCES pages(document_id, number)
) STRICT, WITHOUT ROWID;

CREATE TABLE fields (
  document_id TEXT NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  confidence REAL NOT NULL,
  page INTEGER NOT NULL,
  x INTEGER NOT NULL,
  y INTEGER NOT NULL,
  w INTEGER NOT NULL,
  h INTEGER NOT NULL,
  PRIMARY KEY (document_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE inputs (
  path TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('filed', 'needs_review', 'rejected', 'failed')),
  reason TEXT NOT NULL DEFAULT '',
  document_id TEXT REFERENCES documents(id),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((state = 'failed') = (document_id IS NULL))
) STRICT;

-- rowid = documents.rowid. The patient's name is indexed too, so that a search for a name finds
-- letters that only mention the patient by NHS number.
CREATE VIRTUAL TABLE documents_fts USING fts5(
  text, patient_name, tokenize = 'unicode61 remove_diacritics 2');
)sql"},
    {2, R"sql(
-- An input may be stored as several documents (separator sheets split a scanned stack), so a
-- document's sha256 is no longer unique; and an input has a state from the moment it is queued.
-- SQLite cannot drop a UNIQUE or change a CHECK in place, so both tables are rebuilt; rowids are
-- kept, since documents_fts is keyed by them.
CREATE TABLE documents_v2 (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  document_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('filed', 'needs_review', 'rejected')),
  patient_id TEXT REFERENCES patients(id),
  filing_rule TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO documents_v2 (rowid, id, source, sha256, document_type, status, patient_id, filing_rule, text, created_at)
  SELECT rowid, id, source, sha256, document_type, status, patient_id, filing_rule, text, created_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_v2 RENAME TO documents;
CREATE INDEX documents_by_patient ON documents(patient_id);
CREATE INDEX documents_by_sha256 ON documents(sha256);

CREATE TABLE inputs_v2 (
  path TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL DEFAULT '',  -- '' while queued: an input is fingerprinted when it is reached
  state TEXT NOT NULL
    CHECK (state IN ('queued', 'processing', 'filed', 'needs_review', 'rejected', 'failed')),
  reason TEXT NOT NULL DEFAULT '',
  document_id TEXT REFERENCES documents(id),  -- its first document
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((state IN ('filed', 'needs_review', 'rejected')) = (document_id IS NOT NULL))
) STRICT;
INSERT INTO inputs_v2 (path, sha256, state, reason, document_id, updated_at)
  SELECT path, sha256, state, reason, document_id, updated_at FROM inputs;
DROP TABLE inputs;
ALTER TABLE inputs_v2 RENAME TO inputs;
CREATE INDEX inputs_unfinished ON inputs(state) WHERE state IN ('queued', 'processing');
)sql"},
    {3, R"sql(
-- The people who sign in to the review workstation (casenote serve). A password is kept only as
-- its Argon2id hash in libsodium's string form, which carries its own salt and costs.
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
-- The dashboard counts filings per day without reading the whole audit trail.
CREATE INDEX audit_filings ON audit(at) WHERE field = 'status' AND new_value = 'filed';
)sql"},
    {4, R"sql(
-- The events of patients' care and the clinical codes that documents record, each with the
-- evidence (page, box, words) a reviewer checks it against. The patient is the document's: a
-- review that links the document to another patient moves its events with it.
CREATE TABLE events (
  document_id TEXT NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('admission', 'transfer', 'discharge', 'death', 'referral',
                                     'waiting_list', 'clinic_attendance')),
  date TEXT NOT NULL,
  ward TEXT NOT NULL DEFAULT '',
  specialty TEXT NOT NULL DEFAULT '',
  method TEXT NOT NULL DEFAULT '',
  from_place TEXT NOT NULL DEFAULT '',
  to_place TEXT NOT NULL DEFAULT '',
  destination TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL DEFAULT '',
  procedure TEXT NOT NULL DEFAULT '',
  clinic TEXT NOT NULL DEFAULT '',
  confidence REAL NOT NULL,
  page INTEGER NOT NULL,
  x INTEGER NOT NULL,
  y INTEGER NOT NULL,
  w INTEGER NOT NULL,
  h INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (document_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX events_by_date ON events(date, kind);

CREATE TABLE clinical_codes (
  document_id TEXT NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL,
  system TEXT NOT NULL CHECK (system IN ('icd10', 'opcs4', 'snomed_ct')),
  code TEXT NOT NULL,
  phrase TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  confidence REAL NOT NULL,
  page INTEGER NOT NULL,
  x INTEGER NOT NULL,
  y INTEGER NOT NULL,
  w INTEGER NOT NULL,
  h INTEGER NOT NULL,
  PRIMARY KEY (document_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX clinical_codes_by_code ON clinical_codes(system, code);
)sql"},
    {5, R"sql(
-- How preparation decided each page and how long each step took (docs/preparation.md). Pages
-- stored before this keep the defaults: no method recorded, resolution 0, no timings.
ALTER TABLE pages ADD COLUMN rotation_confidence REAL NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN rotation_method TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN skew_confidence REAL NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN dpi INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN dpi_source TEXT NOT NULL DEFAULT '';
CREATE TABLE page_timings (
  document_id TEXT NOT NULL,
  page INTEGER NOT NULL,
  position INTEGER NOT NULL,
  step TEXT NOT NULL,
  milliseconds REAL NOT NULL,
  PRIMARY KEY (document_id, page, position),
  FOREIGN KEY (document_id, page) REFERENCES pages(document_id, number)
) STRICT, WITHOUT ROWID;
)sql"},
    {6, R"sql(
-- Where each document's searchable PDF is in the archive; '' when none was written. Documents
-- stored before this have theirs in the archive, but it is not known where.
ALTER TABLE documents ADD COLUMN archive_path TEXT NOT NULL DEFAULT '';
)sql"},
    {7, R"sql(
-- Each page's words as OCR read them, and the size of the page their boxes are in, so that a
-- page can be written as hOCR or ALTO (casenote export). One row per word, like the pages'
-- other children, so SQLite types and checks every value; whole-percent confidence and small
-- integers keep a row to about 47 bytes (64 on disk), a typed page of 200 words to about 12 KB
-- (docs/ocr.md). A packed blob per page would take about a third of that, unchecked. Pages
-- stored before this have no words and size 0.
ALTER TABLE pages ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
CREATE TABLE page_words (
  document_id TEXT NOT NULL,
  page INTEGER NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  x INTEGER NOT NULL,
  y INTEGER NOT NULL,
  w INTEGER NOT NULL,
  h INTEGER NOT NULL,
  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
  block INTEGER NOT NULL,
  paragraph INTEGER NOT NULL,
  line INTEGER NOT NULL,
  PRIMARY KEY (document_id, page, position),
  FOREIGN KEY (document_id, page) REFERENCES pages(document_id, number)
) STRICT, WITHOUT ROWID;
)sql"},
    {8, R"sql(
-- Inputs shared by workers on several hosts (casenote enqueue, casenote worker): who is
-- processing an input, until when its claim holds unless renewed, and how many pages it had,
-- for each worker's pages per minute.
ALTER TABLE inputs ADD COLUMN worker TEXT NOT NULL DEFAULT '';
ALTER TABLE inputs ADD COLUMN lease_expires TEXT NOT NULL DEFAULT '';
ALTER TABLE inputs ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;
)sql"},
};

static_assert(kMigrations[std::size(kMigrations) - 1].version == kSchemaVersion,
              "kSchemaVersion must be the last migration's version");
static_assert(kApplicationId == 1131630196, "migration 1 writes kApplicationId in decimal");

// Creates the file owner-only before SQLite sees it: SQLite gives its -wal and -shm files the
// database file's permissions, so this keeps all three private without touching the umask.
// Opening for writing also finds a read-only file or filesystem before SQLite does, which would
// say only "attempt to write a readonly database" at the first write.
Status create_owner_only(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    int why = errno;
    const char* doing = ::access(path.c_str(), F_OK) == 0 ? "cannot write database" : "cannot create database";
    return Error{fmt::format("{}: {}: {}", path, doing, std::strerror(why))};
  }
  ::close(fd);
  return ok_status();
}

// Refuses files that are not casenote databases before anything writes to them.
Status check_identity(Connection& db) {
  const std::string& path = db.path();
  auto objects = read_integer(db, "SELECT count(*) FROM sqlite_schema", path + ": reading schema");
  if (!objects) {
    if (is_not_a_database(objects.error())) return Error{fmt::format("{}: not a SQLite database", path)};
    return objects.error();
  }
  auto application_id = read_integer(db, "PRAGMA application_id", path + ": reading application id");
  if (!application_id) return application_id.error();
  auto version = read_integer(db, "PRAGMA user_version", path + ": reading schema version");
  if (!version) return version.error();

  bool fresh = *objects == 0 && *application_id == 0 && *version == 0;
  if (!fresh && *application_id != kApplicationId)
    return Error{fmt::format("{}: a SQLite database, but not a casenote one", path)};
  if (*version > kSchemaVersion)
    return Error{fmt::format("{}: database schema version {} is newer than this casenote ({})", path,
                             *version, kSchemaVersion)};
  return ok_status();
}

Status configure(Connection& db) {
  const std::string& path = db.path();

  auto journal = Statement::prepare(db, "PRAGMA journal_mode = WAL", path + ": enabling WAL");
  if (!journal) return journal.error();
  auto row = journal->step();
  if (!row) return row.error();
  if (std::string mode = journal->text(0); mode != "wal")
    return Error{fmt::format("{}: cannot use write-ahead logging (journal mode stays {})", path, mode)};

  // NORMAL loses no integrity in WAL mode, only the last commits on power loss.
  return db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", path + ": configuring");
}

Status apply_migrations(Connection& db) {
  for (const Migration& migration : kMigrations) {
    std::string doing = fmt::format("{}: migrating schema to version {}", db.path(), migration.version);
    auto transaction = Transaction::begin(db, doing);
    if (!transaction) return transaction.error();
    // Read under the write lock: another process may have migrated since this one looked.
    auto version = read_integer(db, "PRAGMA user_version", doing);
    if (!version) return version.error();
    if (*version >= migration.version) continue;
    if (auto applied = db.exec(migration.sql, doing); !applied) return applied;
    auto stamp = fmt::format("PRAGMA user_version = {}", migration.version);
    if (auto stamped = db.exec(stamp.c_str(), doing); !stamped) return stamped;
    auto dangling = read_integer(db, "SELECT count(*) FROM pragma_foreign_key_check", doing);
    if (!dangling) return dangling.error();
    if (*dangling != 0) return Error{fmt::format("{}: {} rows would lose what they refer to", doing, *dangling)};
    if (auto committed = transaction->commit(); !committed) return committed;
  }
  return ok_status();
}

// Foreign keys are off while migrating, as SQLite's procedure for rebuilding a table requires
// (dropping a referenced table would otherwise fail or cascade); each step is checked with
// foreign_key_check before it commits instead.
Status migrate(Connection& db) {
  std::string doing = fmt::format("{}: migrating schema", db.path());
  if (auto off = db.exec("PRAGMA foreign_keys = OFF", doing); !off) return off;
  if (auto migrated = apply_migrations(db); !migrated) return migrated;
  return db.exec("PRAGMA foreign_keys = ON", doing);
}

}  // namespace

Result<Connection> open_casenote_database(const std::string& path, std::chrono::milliseconds busy_timeout) {
  if (auto created = create_owner_only(path); !created) return created.error();
  auto db = open_sqlite_connection(path, busy_timeout);
  if (!db) return db.error();
  if (auto identified = check_identity(*db); !identified) return identified.error();
  if (auto configured = configure(*db); !configured) return configured.error();
  if (auto migrated = migrate(*db); !migrated) return migrated.error();
  return std::move(db).value();
}

}  // namespace casenote::sql
