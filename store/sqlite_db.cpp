#include "store/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace casenote::sql {
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

// An Error naming `doing` and carrying the connection's most recent SQLite message, with the
// system's reason when a read or write failed; one caused by the file or its disk (full,
// read-only, locked, damaged) names the database too.
Error sqlite_error(sqlite3* db, const std::string& path, std::string_view doing) {
  const int code = sqlite3_errcode(db) & 0xff;  // the primary code, should extended codes be on
  std::string what(doing);
  // A full disk or a lock is the database's, so the message names it even when `doing` does not.
  if (file_failure(code) && what.find(path) == std::string::npos) what = path + ": " + what;
  // SQLite calls every failed read or write "disk I/O error"; the system's reason (a full disk,
  // a read-only filesystem) is what the user can act on.
  const int system = sqlite3_system_errno(db);
  if ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN) && system != 0)
    return Error{fmt::format("{}: {} ({})", what, sqlite3_errmsg(db), std::strerror(system))};
  return Error{fmt::format("{}: {}", what, sqlite3_errmsg(db))};
}

class SqliteStatement final : public StatementBackend {
 public:
  SqliteStatement(sqlite3* db, const std::string& path, sqlite3_stmt* statement, std::string doing)
      : db_(db), path_(path), statement_(statement), doing_(std::move(doing)) {}

  void bind_text(int index, std::string_view text) override {
    note_bind(sqlite3_bind_text(statement_.get(), index, text.data(), static_cast<int>(text.size()),
                                SQLITE_TRANSIENT));
  }
  void bind_null(int index) override { note_bind(sqlite3_bind_null(statement_.get(), index)); }
  void bind_integer(int index, std::int64_t number) override {
    note_bind(sqlite3_bind_int64(statement_.get(), index, number));
  }
  void bind_real(int index, double number) override {
    note_bind(sqlite3_bind_double(statement_.get(), index, number));
  }

  Result<bool> step() override {
    if (bind_rc_ != SQLITE_OK)
      return Error{fmt::format("{}: binding a parameter: {}", doing_, sqlite3_errstr(bind_rc_))};
    int rc = sqlite3_step(statement_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, path_, doing_);
  }

  void reset() override {
    sqlite3_reset(statement_.get());
    sqlite3_clear_bindings(statement_.get());
    bind_rc_ = SQLITE_OK;
  }

  bool is_null(int column) const override {
    return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
  }
  ColumnKind kind(int column) const override {
    switch (sqlite3_column_type(statement_.get(), column)) {
      case SQLITE_NULL: return ColumnKind::null;
      case SQLITE_INTEGER: return ColumnKind::integer;
      case SQLITE_FLOAT: return ColumnKind::real;
      default: return ColumnKind::text;  // a blob, which no casenote column holds, is read as text
    }
  }
  std::string text(int column) const override {
    auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_.get(), column));
    if (!bytes) return {};
    return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_.get(), column)));
  }
  std::int64_t integer(int column) const override { return sqlite3_column_int64(statement_.get(), column); }
  double real(int column) const override { return sqlite3_column_double(statement_.get(), column); }
  std::int64_t changes() const override { return sqlite3_changes64(db_); }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  void note_bind(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3* db_;
  const std::string& path_;  // the connection's, which outlives its statements
  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
  std::string doing_;
  int bind_rc_ = SQLITE_OK;
};

class SqliteConnection final : public ConnectionBackend {
 public:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  SqliteConnection(std::unique_ptr<sqlite3, Closer> db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<std::unique_ptr<StatementBackend>> prepare(const char* sql, const std::string& doing) override {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql, -1, &raw, nullptr) != SQLITE_OK) {
      sqlite3_finalize(raw);
      return sqlite_error(db_.get(), path_, doing);
    }
    return std::unique_ptr<StatementBackend>(std::make_unique<SqliteStatement>(db_.get(), path_, raw, doing));
  }

  Status exec(const char* sql, std::string_view doing) override {
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) return sqlite_error(db_.get(), path_, doing);
    return ok_status();
  }

  // SQLite has one writer at a time whatever is asked: BEGIN IMMEDIATE takes its lock up front.
  Status begin(bool, std::string_view doing) override { return exec("BEGIN IMMEDIATE", doing); }

  void rollback(std::string_view doing) override {
    // SQLite rolls back by itself after some errors (I/O, out of memory); then there is nothing
    // left to roll back.
    if (!sqlite3_get_autocommit(db_.get())) exec("ROLLBACK", doing);
  }

 private:
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

}  // namespace

Result<Connection> open_sqlite_connection(const std::string& path, std::chrono::milliseconds busy_timeout) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 hands back a handle even on failure; it must be closed either way.
  std::unique_ptr<sqlite3, SqliteConnection::Closer> db(raw);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return Error{fmt::format("{}: cannot open database: {}", path, why)};
  }
  // Another process (a second pipeline, a report) may hold the write lock briefly; wait for it,
  // from the first read on (a migration in another process holds it while this one checks).
  auto wait_ms = std::clamp<std::int64_t>(busy_timeout.count(), 0, std::numeric_limits<int>::max());
  sqlite3_busy_timeout(db.get(), static_cast<int>(wait_ms));
  return Connection(std::make_unique<SqliteConnection>(std::move(db), path), path);
}

bool is_not_a_database(const Error& error) {
  return error.message.find(sqlite3_errstr(SQLITE_NOTADB)) != std::string::npos;
}

}  // namespace casenote::sql
