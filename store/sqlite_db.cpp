#include "store/sqlite_db.h"

#include <fmt/format.h>

#include <cstring>
#include <utility>

namespace casenote::sqlite {

Result<Connection> Connection::open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 hands back a handle even on failure; it must be closed either way.
  std::unique_ptr<sqlite3, Closer> db(raw);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return Error{fmt::format("{}: cannot open database: {}", path, why)};
  }
  return Connection(std::move(db), path);
}

Status Connection::exec(const char* sql, std::string_view doing) {
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) return error(doing);
  return ok_status();
}

namespace {

// Whether SQLite failed `code` because of the database file or its disk rather than a statement.
bool file_failure(int code) {
  switch (code) {
    case SQLITE_IOERR: case SQLITE_CANTOPEN: case SQLITE_FULL: case SQLITE_READONLY: case SQLITE_BUSY:
    case SQLITE_LOCKED: case SQLITE_CORRUPT: case SQLITE_NOTADB:
      return true;
    default:
      return false;
  }
}

}  // namespace

Error Connection::error(std::string_view doing) const {
  const int code = sqlite3_errcode(db_.get()) & 0xff;  // the primary code, should extended codes be on
  std::string what(doing);
  // A full disk or a lock is the database's, so the message names it even when `doing` does not.
  if (file_failure(code) && what.find(path_) == std::string::npos) what = path_ + ": " + what;
  // SQLite calls every failed read or write "disk I/O error"; the system's reason (a full disk,
  // a read-only filesystem) is what the user can act on.
  const int system = sqlite3_system_errno(db_.get());
  if ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN) && system != 0)
    return Error{fmt::format("{}: {} ({})", what, sqlite3_errmsg(db_.get()), std::strerror(system))};
  return Error{fmt::format("{}: {}", what, sqlite3_errmsg(db_.get()))};
}

Result<Statement> Statement::prepare(Connection& db, const char* sql, std::string doing) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql, -1, &raw, nullptr) != SQLITE_OK) {
    sqlite3_finalize(raw);
    return db.error(doing);
  }
  return Statement(db, raw, std::move(doing));
}

void Statement::note_bind(int rc) {
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int index, std::string_view text) {
  note_bind(sqlite3_bind_text(statement_.get(), index, text.data(), static_cast<int>(text.size()),
                              SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text_or_null) {
  if (text_or_null) return bind(index, std::string_view(*text_or_null));
  note_bind(sqlite3_bind_null(statement_.get(), index));
  return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
  note_bind(sqlite3_bind_int64(statement_.get(), index, number));
  return *this;
}

Statement& Statement::bind(int index, double number) {
  note_bind(sqlite3_bind_double(statement_.get(), index, number));
  return *this;
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK)
    return Error{fmt::format("{}: binding a parameter: {}", doing_, sqlite3_errstr(bind_rc_))};
  int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->error(doing_);
}

Status Statement::run() {
  auto stepped = step();
  if (!stepped) return stepped.error();
  return ok_status();
}

void Statement::reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
  bind_rc_ = SQLITE_OK;
}

std::string Statement::text(int column) const {
  auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_.get(), column));
  if (!bytes) return {};
  return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
  return text(column);
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

double Statement::real(int column) const { return sqlite3_column_double(statement_.get(), column); }

Result<Transaction> Transaction::begin(Connection& db, std::string doing) {
  if (auto begun = db.exec("BEGIN IMMEDIATE", doing); !begun) return begun.error();
  return Transaction(db, std::move(doing));
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), doing_(std::move(other.doing_)) {}

Transaction::~Transaction() {
  // SQLite rolls back by itself after some errors (I/O, out of memory); then there is nothing
  // left to roll back.
  if (db_ && !sqlite3_get_autocommit(db_->handle())) db_->exec("ROLLBACK", doing_);
}

Status Transaction::commit() {
  auto committed = db_->exec("COMMIT", doing_);
  if (committed) db_ = nullptr;
  return committed;
}

}  // namespace casenote::sqlite
