// Owning wrappers for a SQLite connection, its prepared statements and its transactions.
// Every failure becomes an Error that says what was being done and what SQLite said.
// Private to the store module.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace casenote::sqlite {

// One open connection; closed when destroyed.
class Connection {
 public:
  // Opens `path` read-write, creating it when absent. SQLite reads the file lazily, so a file
  // that is not a database is only noticed by the first statement.
  static Result<Connection> open(const std::string& path);

  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }

  // Runs `sql`, which may hold several statements, discarding any rows.
  Status exec(const char* sql, std::string_view doing);

  // An Error naming `doing` and carrying the connection's most recent SQLite message, with the
  // system's reason when a read or write failed; one caused by the file or its disk (full,
  // read-only, locked, damaged) names the database too.
  Error error(std::string_view doing) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Connection(std::unique_ptr<sqlite3, Closer> db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

// One prepared statement. Parameters are bound by position (1-based, as in SQLite); a failed
// bind is remembered and reported by the next step(), so callers check once.
class Statement {
 public:
  // Compiles `sql`; `doing` names the operation in every Error this statement reports.
  static Result<Statement> prepare(Connection& db, const char* sql, std::string doing);

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  // Without this a string literal would bind as a bool, its pointer converting to true.
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::optional<std::string>& text_or_null);
  Statement& bind(int index, std::int64_t number);
  Statement& bind(int index, int number) { return bind(index, static_cast<std::int64_t>(number)); }
  Statement& bind(int index, bool flag) { return bind(index, static_cast<std::int64_t>(flag)); }
  Statement& bind(int index, double number);

  // Binds `values` to parameters 1, 2, 3, ...
  template <class... Values>
  Statement& bind_all(const Values&... values) {
    return bind_all_from(1, values...);
  }

  // Binds `values` to consecutive parameters starting at `first`.
  template <class... Values>
  Statement& bind_all_from(int first, const Values&... values) {
    int index = first - 1;
    (bind(++index, values), ...);
    return *this;
  }

  // Advances to the next row: true when a row is available, false when the statement is done.
  Result<bool> step();

  // Runs a statement that returns no rows.
  Status run();

  // Makes the statement ready to run again with fresh bindings.
  void reset();

  // Column readers for the current row; a NULL reads as empty, zero or nullopt.
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  Statement(Connection& db, sqlite3_stmt* statement, std::string doing)
      : db_(&db), statement_(statement), doing_(std::move(doing)) {}
  void note_bind(int rc);

  Connection* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
  std::string doing_;
  int bind_rc_ = SQLITE_OK;
};

// A write transaction that rolls back unless committed. BEGIN IMMEDIATE takes the write lock
// up front, so a busy database is waited for (busy_timeout) before any work rather than failing
// halfway through it.
class Transaction {
 public:
  // Begins the transaction; `doing` names the operation in its Errors.
  static Result<Transaction> begin(Connection& db, std::string doing);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // Makes every change since begin() durable and visible.
  Status commit();

 private:
  Transaction(Connection& db, std::string doing) : db_(&db), doing_(std::move(doing)) {}

  Connection* db_;  // null once committed, rolled back or moved from
  std::string doing_;
};

}  // namespace casenote::sqlite
