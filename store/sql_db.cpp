#include "store/sql_db.h"

#include <utility>

namespace casenote::sql {

Result<Statement> Statement::prepare(Connection& db, const char* sql, std::string doing) {
  auto backend = db.backend().prepare(sql, doing);
  if (!backend) return backend.error();
  return Statement(std::move(*backend));
}

Statement& Statement::bind(int index, const std::optional<std::string>& text_or_null) {
  if (text_or_null) return bind(index, std::string_view(*text_or_null));
  backend_->bind_null(index);
  return *this;
}

Status Statement::run() {
  auto stepped = step();
  if (!stepped) return stepped.error();
  return ok_status();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (backend_->is_null(column)) return std::nullopt;
  return text(column);
}

Result<Transaction> Transaction::begin(Connection& db, std::string doing) {
  if (auto begun = db.backend().begin(true, doing); !begun) return begun.error();
  return Transaction(db, std::move(doing));
}

Result<Transaction> Transaction::begin_shared(Connection& db, std::string doing) {
  if (auto begun = db.backend().begin(false, doing); !begun) return begun.error();
  return Transaction(db, std::move(doing));
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), doing_(std::move(other.doing_)) {}

Transaction::~Transaction() {
  if (db_) db_->backend().rollback(doing_);
}

Status Transaction::commit() {
  auto committed = db_->exec("COMMIT", doing_);
  if (committed) db_ = nullptr;
  return committed;
}

Result<std::int64_t> read_integer(Connection& db, const char* sql, const std::string& doing) {
  auto statement = Statement::prepare(db, sql, doing);
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  return statement->integer(0);
}

}  // namespace casenote::sql
