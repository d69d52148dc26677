// Owning wrappers for a database connection, its prepared statements and its transactions, over
// either SQLite or PostgreSQL, so that one set of statements serves both stores. Every failure
// becomes an Error that says what was being done and what the database said.
// Private to the store module.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace casenote::sql {

// Which SQL a connection speaks, for the few statements the two write differently (full-text
// search, pattern matching, locking a queue row).
enum class Dialect { sqlite, postgresql };

// What a column of the current row holds, as SQLite's storage classes name it, so that a value
// can be carried to another database with its type (store/store_copy.cpp).
enum class ColumnKind { null, integer, real, text };

// What a backend does for one statement. Parameters and columns are counted as in SQLite:
// parameters from 1, columns from 0.
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_null(int index) = 0;
  virtual void bind_integer(int index, std::int64_t number) = 0;
  virtual void bind_real(int index, double number) = 0;
  virtual Result<bool> step() = 0;
  virtual void reset() = 0;
  virtual bool is_null(int column) const = 0;
  virtual ColumnKind kind(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::int64_t changes() const = 0;
};

// What a backend does for one connection.
class ConnectionBackend {
 public:
  virtual ~ConnectionBackend() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<std::unique_ptr<StatementBackend>> prepare(const char* sql, const std::string& doing) = 0;
  virtual Status exec(const char* sql, std::string_view doing) = 0;
  // Starts a write transaction that holds the store's write lock (one writer at a time, as
  // SQLite has it), or, when `exclusive` is false, one that only locks the rows it touches.
  virtual Status begin(bool exclusive, std::string_view doing) = 0;
  // Rolls back the transaction in progress, if the database has not already done so.
  virtual void rollback(std::string_view doing) = 0;
};

// One open connection; closed when destroyed.
class Connection {
 public:
  // `name` is what errors call the database: a file's path, a server's address without its
  // password.
  Connection(std::unique_ptr<ConnectionBackend> backend, std::string name)
      : backend_(std::move(backend)), name_(std::move(name)) {}

  Dialect dialect() const { return backend_->dialect(); }
  const std::string& path() const { return name_; }
  ConnectionBackend& backend() { return *backend_; }

  // Runs `sql`, which may hold several statements, discarding any rows.
  Status exec(const char* sql, std::string_view doing) { return backend_->exec(sql, doing); }

 private:
  std::unique_ptr<ConnectionBackend> backend_;
  std::string name_;
};

// One prepared statement, written with SQLite's parameters (? and ?N); a PostgreSQL connection
// renumbers them. A failed bind is reported by the next step(), so callers check once.
class Statement {
 public:
  // Compiles `sql`; `doing` names the operation in every Error this statement reports.
  static Result<Statement> prepare(Connection& db, const char* sql, std::string doing);

  Statement& bind(int index, std::string_view text) {
    backend_->bind_text(index, text);
    return *this;
  }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  // Without this a string literal would bind as a bool, its pointer converting to true.
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::optional<std::string>& text_or_null);
  Statement& bind(int index, std::int64_t number) {
    backend_->bind_integer(index, number);
    return *this;
  }
  Statement& bind(int index, int number) { return bind(index, static_cast<std::int64_t>(number)); }
  Statement& bind(int index, bool flag) { return bind(index, static_cast<std::int64_t>(flag)); }
  Statement& bind(int index, double number) {
    backend_->bind_real(index, number);
    return *this;
  }

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
  Result<bool> step() { return backend_->step(); }

  // Runs a statement that returns no rows.
  Status run();

  // Makes the statement ready to run again with fresh bindings.
  void reset() { backend_->reset(); }

  // Column readers for the current row; a NULL reads as empty, zero or nullopt.
  std::string text(int column) const { return backend_->text(column); }
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const { return backend_->integer(column); }
  double real(int column) const { return backend_->real(column); }
  // What the column holds in the current row: NULL, or which type its value has.
  ColumnKind kind(int column) const { return backend_->kind(column); }

  // How many rows the last run inserted, updated or deleted.
  std::int64_t changes() const { return backend_->changes(); }

 private:
  explicit Statement(std::unique_ptr<StatementBackend> backend) : backend_(std::move(backend)) {}

  std::unique_ptr<StatementBackend> backend_;
};

// A write transaction that rolls back unless committed. It takes the store's write lock up
// front, so a busy database is waited for before any work rather than failing halfway through it.
class Transaction {
 public:
  // Begins the transaction; `doing` names the operation in its Errors.
  static Result<Transaction> begin(Connection& db, std::string doing);

  // Begins a transaction that locks only the rows it touches, for claiming queued inputs while
  // other hosts file documents (PostgreSQL; on SQLite it is begin()).
  static Result<Transaction> begin_shared(Connection& db, std::string doing);

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

// Runs `query`, already bound, calling `read_row` for each row.
template <class ReadRow>
Status each_row(Statement& query, ReadRow read_row) {
  for (;;) {
    auto row = query.step();
    if (!row) return row.error();
    if (!*row) return ok_status();
    read_row(query);
  }
}

// Reads the first column of the first row of `sql` as an integer.
Result<std::int64_t> read_integer(Connection& db, const char* sql, const std::string& doing);

}  // namespace casenote::sql
