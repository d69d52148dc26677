#include "store/store_copy.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>

#include "store/postgres_db.h"
#include "store/postgres_schema.h"
#include "store/sqlite_schema.h"

namespace casenote {
namespace {

using sql::ColumnKind;
using sql::Connection;
using sql::Statement;
using sql::Transaction;

static_assert(sql::kSchemaVersion == 8 && sql::kPostgresSchemaVersion == 8,
              "kTables lists schema version 8's tables and columns: a migration adds its own to it");

// A table as the copy reads and writes it. Rows are read by the text key column in byte order (as
// SQLite compares text; PostgreSQL's default collation would not), then by the number keys, so
// that both databases yield them in one order.
struct Table {
  const char* name;
  const char* columns;
  const char* text_key;     // "" when none
  const char* number_keys;  // "" when none
};

// In foreign-key order: what a row refers to is copied before it. documents' rowid is SQLite's
// implicit one, which keys the search index; audit's id orders the trail.
constexpr Table kTables[] = {
    {"patients", "id, nhs_number, hospital_number, family_name, given_names, date_of_birth, sex, postcode, "
                 "created_at, updated_at", "id", ""},
    {"documents", "rowid, id, source, sha256, document_type, status, patient_id, filing_rule, text, created_at, "
                  "archive_path", "id", ""},
    {"review_reasons", "document_id, position, reason", "document_id", "position"},
    {"candidates", "document_id, position, patient_id, score, evidence", "document_id", "position"},
    {"pages", "document_id, number, rotation_degrees, skew_degrees, mean_confidence, blank, text, "
              "rotation_confidence, rotation_method, skew_confidence, dpi, dpi_source, width, height",
     "document_id", "number"},
    {"page_notes", "document_id, page, position, note", "document_id", "page, position"},
    {"page_timings", "document_id, page, position, step, milliseconds", "document_id", "page, position"},
    {"page_words", "document_id, page, position, text, x, y, w, h, confidence, block, paragraph, line",
     "document_id", "page, position"},
    {"fields", "document_id, position, name, value, confidence, page, x, y, w, h", "document_id", "position"},
    {"events", "document_id, position, kind, date, ward, specialty, method, from_place, to_place, destination, "
               "priority, procedure, clinic, confidence, page, x, y, w, h, text", "document_id", "position"},
    {"clinical_codes", "document_id, position, system, code, phrase, description, confidence, page, x, y, w, h",
     "document_id", "position"},
    {"inputs", "path, sha256, state, reason, document_id, updated_at, worker, lease_expires, pages", "path", ""},
    {"users", "name, password_hash, created_at", "name", ""},
    {"audit", "id, at, \"user\", action, document_id, patient_id, field, old_value, new_value, rule, detail", "",
     "id"},
};

int column_count(const Table& table) {
  return 1 + static_cast<int>(std::count(table.columns, table.columns + std::char_traits<char>::length(table.columns), ','));
}

std::string select_sql(const Table& table, sql::Dialect dialect) {
  std::string order = table.text_key;
  if (!order.empty() && dialect == sql::Dialect::postgresql) order += " COLLATE \"C\"";
  if (!order.empty() && *table.number_keys) order += ", ";
  order += table.number_keys;
  return fmt::format("SELECT {} FROM {} ORDER BY {}", table.columns, table.name, order);
}

std::string insert_sql(const Table& table) {
  std::string parameters = "?";
  for (int i = 1; i < column_count(table); ++i) parameters += ", ?";
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", table.name, table.columns, parameters);
}

// A SHA-256 fed piece by piece, read as hex.
class Checksum {
 public:
  Checksum() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr); }
  void add(std::string_view bytes) { EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_.get(), digest, &length);
    std::string out;
    for (unsigned int i = 0; i < length; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

// A row's values in one text, the same whichever database they are read from: each marked with
// its type, so that 1, 1.0 and '1' differ, and text led by its length, so that no two rows
// write the same bytes. A real is written with enough digits to read back exactly.
std::string canonical_row(const Statement& row, int columns) {
  std::string out;
  for (int column = 0; column < columns; ++column) {
    switch (row.kind(column)) {
      case ColumnKind::null: out += "n;"; break;
      case ColumnKind::integer: out += fmt::format("i{};", row.integer(column)); break;
      case ColumnKind::real: out += fmt::format("r{:.17g};", row.real(column)); break;
      case ColumnKind::text: {
        const std::string text = row.text(column);
        out += fmt::format("t{}:", text.size());
        out += text;
        out += ';';
        break;
      }
    }
  }
  out += '\n';
  return out;
}

// Binds `row`'s value in `column` to `insert`'s parameter `index`, with the type it has.
void bind_value(Statement& insert, int index, const Statement& row, int column) {
  switch (row.kind(column)) {
    case ColumnKind::null: insert.bind(index, std::optional<std::string>()); break;
    case ColumnKind::integer: insert.bind(index, row.integer(column)); break;
    case ColumnKind::real: insert.bind(index, row.real(column)); break;
    case ColumnKind::text: insert.bind(index, row.text(column)); break;
  }
}

// Reads `table` from `db` in key order, counting and checksumming its rows and handing each to
// `visit` (which returns a Status) as it is read.
template <class Visit>
Result<TableCopy> read_table(const Table& table, Connection& db, Visit visit) {
  auto read = Statement::prepare(db, select_sql(table, db.dialect()).c_str(),
                                 fmt::format("{}: reading {}", db.path(), table.name));
  if (!read) return read.error();
  const int columns = column_count(table);
  TableCopy summary{table.name, 0, ""};
  Checksum checksum;
  for (;;) {
    auto row = read->step();
    if (!row) return row.error();
    if (!*row) break;
    if (auto visited = visit(*read, columns); !visited) return visited.error();
    checksum.add(canonical_row(*read, columns));
    ++summary.rows;
  }
  summary.checksum = checksum.hex();
  return summary;
}

// Copies `table` from `source` into `destination`; the count and checksum are the source's.
Result<TableCopy> copy_table(const Table& table, Connection& source, Connection& destination) {
  auto insert = Statement::prepare(destination, insert_sql(table).c_str(),
                                   fmt::format("{}: writing {}", destination.path(), table.name));
  if (!insert) return insert.error();
  return read_table(table, source, [&insert](const Statement& row, int columns) {
    insert->reset();
    for (int column = 0; column < columns; ++column) bind_value(*insert, column + 1, row, column);
    return insert->run();
  });
}

// Refuses a destination that holds records: copied rows could collide with them or duplicate
// them, and merging two stores is not what a copy does.
Status check_empty(Connection& destination) {
  const std::string doing = destination.path() + ": checking that it is empty";
  auto counts = Statement::prepare(destination,
      "SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM documents), (SELECT count(*) FROM inputs), "
      "(SELECT count(*) FROM users), (SELECT count(*) FROM audit)",
      doing);
  if (!counts) return counts.error();
  auto row = counts->step();
  if (!row) return row.error();
  std::int64_t held = 0;
  for (int column = 0; column < 5; ++column) held += counts->integer(column);
  if (held == 0) return ok_status();
  return Error{fmt::format("{}: already holds a store ({} patients, {} documents, {} inputs, {} users, {} audit "
                           "entries); store copy writes only into an empty one",
                           destination.path(), counts->integer(0), counts->integer(1), counts->integer(2),
                           counts->integer(3), counts->integer(4))};
}

// Indexes every copied document for search, as save_document indexes one (store/sql_store.cpp).
constexpr const char* kIndexDocuments = R"sql(
INSERT INTO documents_fts (rowid, text, patient_name)
  SELECT d.rowid, d.text, coalesce(trim(p.family_name || ' ' || p.given_names), '')
  FROM documents d LEFT JOIN patients p ON p.id = d.patient_id
)sql";

// Moves the id sequences past the copied ids, so that the next document or audit entry written
// takes a fresh one. A sequence is not rolled back with its transaction, so this is the last
// step before the commit: a copy that fails earlier leaves the sequences as they were.
constexpr const char* kAdvanceSequences = R"sql(
SELECT setval(pg_get_serial_sequence('documents', 'rowid'), coalesce(max(rowid), 0) + 1, false) FROM documents;
SELECT setval(pg_get_serial_sequence('audit', 'id'), coalesce(max(id), 0) + 1, false) FROM audit;
)sql";

// Reads every table back from `destination` and fails unless each matches what was copied.
Status verify(const CopyReport& report, Connection& destination) {
  for (size_t i = 0; i < std::size(kTables); ++i) {
    auto held = read_table(kTables[i], destination, [](const Statement&, int) { return ok_status(); });
    if (!held) return held.error();
    const TableCopy& copied = report.tables[i];
    if (held->rows != copied.rows || held->checksum != copied.checksum)
      return Error{fmt::format("{}: {} did not copy intact: {} rows (checksum {}) read, {} rows (checksum {}) written",
                               destination.path(), copied.table, copied.rows, copied.checksum.substr(0, 12),
                               held->rows, held->checksum.substr(0, 12))};
  }
  return ok_status();
}

}  // namespace

Result<CopyReport> copy_store(const std::string& from_sqlite_path, const std::string& to_url,
                              const StoreOptions& options) {
  if (is_postgresql_url(from_sqlite_path))
    return Error{fmt::format("{}: store copy reads a SQLite file, not a PostgreSQL database",
                             sql::url_without_password(from_sqlite_path))};
  if (!is_postgresql_url(to_url))
    return Error{fmt::format("{}: not a postgresql:// URL; store copy writes only into PostgreSQL",
                             sql::url_without_password(to_url))};
  // Opening a SQLite store creates it when absent; a mistyped path must not copy an empty store.
  std::error_code error;
  if (!std::filesystem::exists(from_sqlite_path, error) && !error)
    return Error{fmt::format("{}: no such file", from_sqlite_path)};

  auto source = sql::open_casenote_database(from_sqlite_path, options.busy_timeout);
  if (!source) return source.error();
  auto destination = sql::open_postgresql_database(to_url, options.busy_timeout);
  if (!destination) return destination.error();

  // The source's write lock, held until the copy is done, keeps every table read at one moment
  // and stops the scanning room writing what the copy would miss; nothing is written to it.
  auto reading = Transaction::begin(*source, from_sqlite_path + ": reading it for the copy");
  if (!reading) return reading.error();
  // One transaction: a copy that fails anywhere leaves the destination as it was.
  auto writing = Transaction::begin(*destination, fmt::format("{}: copying {} into it", destination->path(),
                                                              from_sqlite_path));
  if (!writing) return writing.error();
  if (auto empty = check_empty(*destination); !empty) return empty.error();

  CopyReport report{destination->path(), {}};
  for (const Table& table : kTables) {
    auto copied = copy_table(table, *source, *destination);
    if (!copied) return copied.error();
    report.tables.push_back(std::move(*copied));
  }
  if (auto indexed = destination->exec(kIndexDocuments, destination->path() + ": indexing the copied documents");
      !indexed)
    return indexed.error();
  if (auto verified = verify(report, *destination); !verified) return verified.error();
  if (auto advanced = destination->exec(kAdvanceSequences, destination->path() + ": advancing its id sequences");
      !advanced)
    return advanced.error();
  if (auto committed = writing->commit(); !committed) return committed.error();
  return report;
}

}  // namespace casenote
