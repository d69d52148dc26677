// The review workstation's users, and the figures its dashboard shows, in the store.
#include <fmt/format.h>

#include <string_view>

#include "store/sql_store.h"

namespace casenote::sql {
namespace {

Result<std::vector<DailyCount>> read_daily_counts(Statement& query) {
  std::vector<DailyCount> out;
  for (;;) {
    auto row = query.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({query.text(0), static_cast<int>(query.integer(1))});
  }
}

// Runs `sql`, whose rows are (day, count), with `since_day` bound to its parameter if it has one.
Result<std::vector<DailyCount>> daily_counts(Connection& db, const char* sql, const std::string& since_day) {
  auto query = Statement::prepare(db, sql, "counting the dashboard's days");
  if (!query) return query.error();
  if (std::string_view(sql).find("?1") != std::string_view::npos) query->bind(1, since_day);
  return read_daily_counts(*query);
}

}  // namespace

Status SqlStore::add_user(const UserRecord& user, const std::string& added_by) {
  std::string doing = fmt::format("adding user {}", user.name);
  if (user.name.empty()) return Error{"adding a user: the name is empty"};
  if (user.password_hash.empty()) return Error{doing + ": no password hash"};
  auto transaction = Transaction::begin(db_, doing);
  if (!transaction) return transaction.error();
  auto existing = this->user(user.name);
  if (!existing) return existing.error();
  if (*existing) return Error{doing + ": a user of that name exists"};
  auto insert = Statement::prepare(db_, "INSERT INTO users (name, password_hash) VALUES (?, ?)", doing);
  if (!insert) return insert.error();
  if (auto inserted = insert->bind_all(user.name, user.password_hash).run(); !inserted) return inserted;
  if (auto logged = append_audit({0, "", added_by, "add_user", "", "", "user", "", user.name, "", ""}); !logged)
    return logged;
  return transaction->commit();
}

Result<std::optional<UserRecord>> SqlStore::user(const std::string& name) {
  auto query = Statement::prepare(db_, "SELECT name, password_hash, created_at FROM users WHERE name = ?",
                                  fmt::format("looking up user {}", name));
  if (!query) return query.error();
  query->bind(1, name);
  auto row = query->step();
  if (!row) return row.error();
  if (!*row) return std::optional<UserRecord>();
  return std::optional<UserRecord>(UserRecord{query->text(0), query->text(1), query->text(2)});
}

Result<std::vector<UserRecord>> SqlStore::users() {
  auto query = Statement::prepare(db_, "SELECT name, password_hash, created_at FROM users ORDER BY name",
                                  "listing users");
  if (!query) return query.error();
  std::vector<UserRecord> out;
  for (;;) {
    auto row = query->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({query->text(0), query->text(1), query->text(2)});
  }
}

Result<ActivitySummary> SqlStore::activity(const std::string& since_day, int recent_failures) {
  ActivitySummary out;
  auto by_status = Statement::prepare(db_, "SELECT status, count(*) FROM documents GROUP BY status",
                                      "counting documents by status");
  if (!by_status) return by_status.error();
  for (;;) {
    auto row = by_status->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string status = by_status->text(0);
    const int count = static_cast<int>(by_status->integer(1));
    if (status == "needs_review") out.needs_review = count;
    if (status == "filed") out.filed = count;
    if (status == "rejected") out.rejected = count;
  }
  auto failed = Statement::prepare(db_, "SELECT count(*) FROM inputs WHERE state = 'failed'", "counting failed inputs");
  if (!failed) return failed.error();
  if (auto row = failed->step(); !row) return row.error();
  out.failed_inputs = static_cast<int>(failed->integer(0));

  auto queue = daily_counts(db_,
      "SELECT substr(created_at, 1, 10) AS day, count(*) FROM documents WHERE status = 'needs_review' "
      "GROUP BY day ORDER BY day", since_day);
  if (!queue) return queue.error();
  out.review_queue_by_day = std::move(*queue);
  // Each filing writes one audit entry setting the status to filed; the ingest's are the rules'.
  auto on_ingest = daily_counts(db_,
      "SELECT substr(at, 1, 10) AS day, count(*) FROM audit WHERE field = 'status' AND new_value = 'filed' "
      "AND at >= ?1 AND action = 'ingest' GROUP BY day ORDER BY day", since_day);
  if (!on_ingest) return on_ingest.error();
  out.filed_on_ingest_by_day = std::move(*on_ingest);
  auto in_review = daily_counts(db_,
      "SELECT substr(at, 1, 10) AS day, count(*) FROM audit WHERE field = 'status' AND new_value = 'filed' "
      "AND at >= ?1 AND action <> 'ingest' AND old_value <> 'filed' GROUP BY day ORDER BY day", since_day);
  if (!in_review) return in_review.error();
  out.filed_in_review_by_day = std::move(*in_review);
  auto failures = daily_counts(db_,
      "SELECT substr(updated_at, 1, 10) AS day, count(*) FROM inputs WHERE state = 'failed' AND updated_at >= ?1 "
      "GROUP BY day ORDER BY day", since_day);
  if (!failures) return failures.error();
  out.failures_by_day = std::move(*failures);

  auto recent = Statement::prepare(db_,
      "SELECT path, sha256, state, reason, document_id FROM inputs WHERE state = 'failed' "
      "ORDER BY updated_at DESC, path LIMIT ?", "listing failed inputs");
  if (!recent) return recent.error();
  recent->bind(1, recent_failures);
  for (;;) {
    auto row = recent->step();
    if (!row) return row.error();
    if (!*row) break;
    out.recent_failures.push_back(
        {recent->text(0), recent->text(1), recent->text(2), recent->text(3), recent->optional_text(4)});
  }
  return out;
}

}  // namespace casenote::sql
