#include "store/postgres_db.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <regex>
#include <utility>
#include <vector>

namespace casenote::sql {
namespace {

// libpq's type ids for the parameters bound (pg_type.h's INT8OID, FLOAT8OID, TEXTOID); 0 lets
// the server infer a NULL's type from where it is used.
constexpr Oid kInt8 = 20;
constexpr Oid kFloat8 = 701;
constexpr Oid kText = 25;
// And those of the other numbers the schema holds (BOOLOID, INT2OID, INT4OID, FLOAT4OID).
constexpr Oid kBool = 16;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's messages end with a newline and may run over several lines; an Error is one line.
std::string one_line(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

// Why `result` failed, in one line. A broken constraint is worded as SQLite words it, so that a
// caller, a test or a user sees one message whichever store they use.
std::string failure_reason(const PGresult* result, PGconn* db) {
  if (!result) return one_line(PQerrorMessage(db));
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string code = state ? state : "";
  const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
  const std::string named = constraint ? fmt::format(" ({})", constraint) : "";
  if (code == "23505") return "UNIQUE constraint failed" + named;
  if (code == "23503") return "FOREIGN KEY constraint failed";
  if (code == "23514") return "CHECK constraint failed" + named;
  if (code == "23502") {
    const char* table = PQresultErrorField(result, PG_DIAG_TABLE_NAME);
    const char* column = PQresultErrorField(result, PG_DIAG_COLUMN_NAME);
    return fmt::format("NOT NULL constraint failed: {}.{}", table ? table : "", column ? column : "");
  }
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  return one_line(primary ? primary : PQresultErrorMessage(result));
}

// The Error for a statement that failed while `doing`; one caused by the connection (the server
// gone, the network down) names the database too.
Error failure(const PGresult* result, PGconn* db, const std::string& name, std::string_view doing) {
  std::string why = failure_reason(result, db);
  if (PQstatus(db) != CONNECTION_OK) return Error{fmt::format("{}: {}: {}", name, doing, why)};
  return Error{fmt::format("{}: {}", doing, why)};
}

class PostgresStatement final : public StatementBackend {
 public:
  PostgresStatement(PGconn* db, const std::string& name, std::string sql, std::string doing)
      : db_(db), name_(name), sql_(std::move(sql)), doing_(std::move(doing)) {}

  void bind_text(int index, std::string_view text) override { set(index, std::string(text), kText); }
  void bind_null(int index) override { set(index, std::nullopt, 0); }
  void bind_integer(int index, std::int64_t number) override { set(index, std::to_string(number), kInt8); }
  void bind_real(int index, double number) override { set(index, fmt::format("{:.17g}", number), kFloat8); }

  Result<bool> step() override {
    if (!result_) {
      if (auto ran = execute(); !ran) return ran.error();
    }
    return ++row_ < PQntuples(result_.get());
  }

  void reset() override {
    result_.reset();
    row_ = -1;
    values_.clear();
    types_.clear();
  }

  bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, column); }
  ColumnKind kind(int column) const override {
    if (is_null(column)) return ColumnKind::null;
    switch (PQftype(result_.get(), column)) {
      case kBool: case kInt2: case kInt4: case kInt8: return ColumnKind::integer;  // a boolean reads as 1 or 0
      case kFloat4: case kFloat8: return ColumnKind::real;
      default: return ColumnKind::text;
    }
  }
  std::string text(int column) const override {
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
  }
  std::int64_t integer(int column) const override {
    const char* value = PQgetvalue(result_.get(), row_, column);
    // A boolean reads as SQLite's 1 or 0.
    if (value[0] == 't' && value[1] == '\0') return 1;
    if (value[0] == 'f' && value[1] == '\0') return 0;
    return std::strtoll(value, nullptr, 10);
  }
  double real(int column) const override { return std::strtod(PQgetvalue(result_.get(), row_, column), nullptr); }
  std::int64_t changes() const override { return result_ ? std::atoll(PQcmdTuples(result_.get())) : 0; }

 private:
  void set(int index, std::optional<std::string> value, Oid type) {
    if (index < 1) return;
    const size_t slot = static_cast<size_t>(index - 1);
    if (values_.size() <= slot) {
      values_.resize(slot + 1);
      types_.resize(slot + 1, 0);
    }
    values_[slot] = std::move(value);
    types_[slot] = type;
  }

  Status execute() {
    std::vector<const char*> values;
    for (const auto& value : values_) values.push_back(value ? value->c_str() : nullptr);
    result_.reset(PQexecParams(db_, sql_.c_str(), static_cast<int>(values.size()), types_.data(), values.data(),
                               nullptr, nullptr, 0));
    row_ = -1;
    auto status = PQresultStatus(result_.get());
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return ok_status();
    Error error = failure(result_.get(), db_, name_, doing_);
    result_.reset();
    return error;
  }

  PGconn* db_;
  const std::string& name_;  // the connection's, which outlives its statements
  std::string sql_;
  std::string doing_;
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
  ResultPtr result_;
  int row_ = -1;
};

// The store's write lock: a transaction-scoped advisory lock that every writing transaction
// takes, so that writers follow one another as they do on SQLite ("CsNt").
constexpr const char* kBeginExclusive = "BEGIN; SELECT pg_advisory_xact_lock(1131630196)";

class PostgresConnection final : public ConnectionBackend {
 public:
  struct Finisher {
    void operator()(PGconn* db) const { PQfinish(db); }
  };
  PostgresConnection(std::unique_ptr<PGconn, Finisher> db, std::string name)
      : db_(std::move(db)), name_(std::move(name)) {}

  Dialect dialect() const override { return Dialect::postgresql; }

  Result<std::unique_ptr<StatementBackend>> prepare(const char* sql, const std::string& doing) override {
    return std::unique_ptr<StatementBackend>(
        std::make_unique<PostgresStatement>(db_.get(), name_, postgresql_parameters(sql), doing));
  }

  Status exec(const char* sql, std::string_view doing) override {
    ResultPtr result(PQexec(db_.get(), sql));
    auto status = PQresultStatus(result.get());
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return ok_status();
    return failure(result.get(), db_.get(), name_, doing);
  }

  Status begin(bool exclusive, std::string_view doing) override {
    return exec(exclusive ? kBeginExclusive : "BEGIN", doing);
  }

  void rollback(std::string_view doing) override {
    if (PQtransactionStatus(db_.get()) != PQTRANS_IDLE) exec("ROLLBACK", doing);
  }

 private:
  std::unique_ptr<PGconn, Finisher> db_;
  std::string name_;
};

void ignore_notice(void*, const char*) {}

}  // namespace

std::string url_without_password(const std::string& url) {
  static const std::regex in_url(R"(^(postgres(?:ql)?://[^:/@]*):[^@]*@)");
  static const std::regex in_keywords(R"((password\s*=\s*)('[^']*'|\S+))");
  std::string out = std::regex_replace(url, in_url, "$1:***@");
  return std::regex_replace(out, in_keywords, "$1***");
}

std::string postgresql_parameters(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  char quote = 0;  // the quote character while inside quoted text
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t end = i + 1;
    while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
    // As in SQLite, a bare ? is numbered one past the highest number so far.
    const int number = end > i + 1 ? std::atoi(sql.substr(i + 1, end - i - 1).c_str()) : highest + 1;
    highest = std::max(highest, number);
    out += '$' + std::to_string(number);
    i = end - 1;
  }
  return out;
}

Result<Connection> open_postgresql_connection(const std::string& url, std::chrono::milliseconds lock_timeout) {
  const std::string name = url_without_password(url);
  std::unique_ptr<PGconn, PostgresConnection::Finisher> db(PQconnectdb(url.c_str()));
  if (!db) return Error{fmt::format("{}: cannot connect: out of memory", name)};
  if (PQstatus(db.get()) != CONNECTION_OK)
    return Error{fmt::format("{}: cannot connect: {}", name, one_line(PQerrorMessage(db.get())))};
  // Notices (an IF NOT EXISTS that found its table) are not the user's concern.
  PQsetNoticeProcessor(db.get(), ignore_notice, nullptr);
  auto connection = std::make_unique<PostgresConnection>(std::move(db), name);
  // Timestamps are written and compared as UTC text, as on SQLite.
  auto settings = fmt::format("SET TIME ZONE 'UTC'; SET lock_timeout = {}", std::max<std::int64_t>(lock_timeout.count(), 1));
  if (auto set = connection->exec(settings.c_str(), name + ": configuring the session"); !set) return set.error();
  return Connection(std::move(connection), name);
}

}  // namespace casenote::sql
