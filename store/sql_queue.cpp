// Inputs shared by workers on many hosts: claimed one at a time under a lease that each worker
// renews while it lives, so that a dead worker's inputs go back to the others once it lapses.
#include <fmt/format.h>

#include "store/sql_store.h"

namespace casenote::sql {
namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// The database's clock, not the host's, times every lease, so hosts whose clocks differ agree
// on which claims have lapsed. The modifier is SQLite's: "+60 seconds".
std::string seconds_from_now(std::chrono::seconds seconds) { return fmt::format("{:+d} seconds", seconds.count()); }

}  // namespace

Result<std::optional<std::string>> SqlStore::claim_input(const std::string& worker, std::chrono::seconds lease) {
  std::string doing = fmt::format("claiming an input for worker {}", worker);
  // PostgreSQL skips the rows another worker's claim has locked, rather than waiting for it;
  // SQLite has one writer at a time anyway.
  const char* skip_locked = db_.dialect() == Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : "";
  auto transaction = Transaction::begin_shared(db_, doing);
  if (!transaction) return transaction.error();
  auto claim = Statement::prepare(db_,
      fmt::format("UPDATE inputs SET state = 'processing', worker = ?1, reason = '', "
                  "lease_expires = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2), updated_at = {0} "
                  "WHERE path = (SELECT path FROM inputs WHERE state IN ('queued', 'processing') "
                  "AND (state = 'queued' OR (lease_expires <> '' AND lease_expires < {0})) LIMIT 1{1}) "
                  "RETURNING path",
                  kNow, skip_locked).c_str(),
      doing);
  if (!claim) return claim.error();
  auto row = claim->bind_all(worker, seconds_from_now(lease)).step();
  if (!row) return row.error();
  std::optional<std::string> path;
  if (*row) path = claim->text(0);
  // SQLite finishes a RETURNING statement's writes only when it is stepped to its end.
  while (*row) {
    row = claim->step();
    if (!row) return row.error();
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return path;
}

Status SqlStore::renew_claims(const std::string& worker, std::chrono::seconds lease) {
  auto renew = Statement::prepare(db_,
      "UPDATE inputs SET lease_expires = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2) "
      "WHERE worker = ?1 AND state = 'processing'",
      fmt::format("renewing the claims of worker {}", worker));
  if (!renew) return renew.error();
  return renew->bind_all(worker, seconds_from_now(lease)).run();
}

Status SqlStore::release_claims(const std::string& worker) {
  auto release = Statement::prepare(db_,
      fmt::format("UPDATE inputs SET state = 'queued', worker = '', lease_expires = '', updated_at = {} "
                  "WHERE worker = ?1 AND state = 'processing'", kNow).c_str(),
      fmt::format("releasing the claims of worker {}", worker));
  if (!release) return release.error();
  return release->bind(1, worker).run();
}

Result<QueueStatus> SqlStore::queue_status(std::chrono::minutes window) {
  const std::string doing = "reading the queue's state";
  QueueStatus out;
  auto states = Statement::prepare(db_,
      fmt::format("SELECT state, count(*), sum(CASE WHEN lease_expires <> '' AND lease_expires < {} THEN 1 ELSE 0 END) "
                  "FROM inputs GROUP BY state", kNow).c_str(),
      doing);
  if (!states) return states.error();
  for (;;) {
    auto row = states->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string state = states->text(0);
    const int count = static_cast<int>(states->integer(1));
    if (state == "queued") out.queued = count;
    if (state == "processing") {
      out.processing = count;
      out.expired = static_cast<int>(states->integer(2));
    }
    if (state == "filed") out.filed = count;
    if (state == "needs_review") out.needs_review = count;
    if (state == "rejected") out.rejected = count;
    if (state == "failed") out.failed = count;
  }

  auto workers = Statement::prepare(db_,
      "SELECT worker, sum(CASE WHEN state = 'processing' THEN 1 ELSE 0 END), "
      "sum(CASE WHEN state NOT IN ('queued', 'processing') AND updated_at >= ?1 THEN 1 ELSE 0 END), "
      "sum(CASE WHEN state NOT IN ('queued', 'processing') AND updated_at >= ?1 THEN pages ELSE 0 END) "
      "FROM inputs WHERE worker <> '' GROUP BY worker ORDER BY worker",
      doing);
  if (!workers) return workers.error();
  auto since = Statement::prepare(db_, "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)", doing);
  if (!since) return since.error();
  if (auto row = since->bind(1, seconds_from_now(-window)).step(); !row) return row.error();
  workers->bind(1, since->text(0));
  for (;;) {
    auto row = workers->step();
    if (!row) return row.error();
    if (!*row) break;
    out.workers.push_back({workers->text(0), static_cast<int>(workers->integer(1)),
                           static_cast<int>(workers->integer(2)), static_cast<int>(workers->integer(3))});
  }
  return out;
}

}  // namespace casenote::sql
