// The store's input states: queued, processing, and inputs stored as several documents.
#include <fmt/format.h>

#include <algorithm>

#include "store/sql_store.h"

namespace casenote::sql {
namespace {

// Paths per transaction when queuing: large enough that queuing 10,000 inputs takes a moment,
// small enough that another writer never waits long for the lock.
constexpr size_t kQueueBatch = 500;

// The state an input takes from its documents: needs_review when any of them does, else the
// first one's.
std::string input_state(const std::vector<DocumentRecord>& documents) {
  bool review = std::any_of(documents.begin(), documents.end(),
                            [](const DocumentRecord& d) { return d.status == "needs_review"; });
  return review ? "needs_review" : documents.front().status;
}

}  // namespace

Status SqlStore::queue_inputs(const std::vector<std::string>& paths) {
  for (size_t first = 0; first < paths.size(); first += kQueueBatch) {
    std::string doing = fmt::format("queuing {} inputs", paths.size());
    auto transaction = Transaction::begin(db_, doing);
    if (!transaction) return transaction.error();
    auto queue = Statement::prepare(db_,
        "INSERT INTO inputs (path, sha256, state) VALUES (?, '', 'queued') "
        "ON CONFLICT (path) DO UPDATE SET state = 'queued', reason = '', worker = '', lease_expires = '', "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE inputs.state = 'failed' "
        "OR (inputs.state = 'processing' AND inputs.lease_expires < strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        doing);
    if (!queue) return queue.error();
    for (size_t i = first; i < std::min(paths.size(), first + kQueueBatch); ++i) {
      queue->reset();
      if (auto queued = queue->bind(1, paths[i]).run(); !queued) return queued;
    }
    if (auto committed = transaction->commit(); !committed) return committed;
  }
  return ok_status();
}

Status SqlStore::mark_input_processing(const std::string& path, const std::string& sha256) {
  auto mark = Statement::prepare(db_,
      "INSERT INTO inputs (path, sha256, state) VALUES (?, ?, 'processing') "
      "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, state = 'processing', reason = '', "
      "document_id = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      fmt::format("recording input {} as processing", path));
  if (!mark) return mark.error();
  return mark->bind_all(path, sha256).run();
}

Status SqlStore::save_input_documents(const std::string& path, const std::string& sha256,
                                         const std::vector<DocumentRecord>& documents) {
  std::string doing = fmt::format("saving the documents of input {}", path);
  if (documents.empty()) return Error{doing + ": there are none"};
  for (const auto& document : documents)
    if (document.id.empty() || document.sha256 != sha256)
      return Error{fmt::format("{}: document '{}' lacks an id or is not made from its bytes", doing, document.id)};

  auto transaction = Transaction::begin(db_, doing);
  if (!transaction) return transaction.error();
  // Checked under the write lock: another process may have stored the same bytes meanwhile.
  auto existing = document_for_sha256(sha256);
  if (!existing) return existing.error();
  if (*existing)
    return Error{fmt::format("{}: its bytes are already stored as document {}", doing, **existing)};
  for (const auto& document : documents)
    if (auto inserted = insert_document_rows(document); !inserted) return inserted;

  auto mark = Statement::prepare(db_,
      "INSERT INTO inputs (path, sha256, state, reason, document_id, pages) VALUES (?, ?, ?, '', ?, ?) "
      "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, state = excluded.state, reason = '', "
      "document_id = excluded.document_id, pages = excluded.pages, "
      "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      doing + ": recording its state");
  if (!mark) return mark.error();
  size_t pages = 0;
  for (const auto& document : documents) pages += document.pages.size();
  if (auto marked = mark->bind_all(path, sha256, input_state(documents), documents.front().id,
                                   static_cast<std::int64_t>(pages)).run();
      !marked)
    return marked;
  return transaction->commit();
}

Status SqlStore::record_duplicate_input(const std::string& path, const std::string& sha256) {
  std::string doing = fmt::format("recording input {} as a duplicate", path);
  auto mark = Statement::prepare(db_,
      "INSERT INTO inputs (path, sha256, state, reason, document_id) "
      "SELECT ?1, ?2, CASE WHEN sum(CASE WHEN status = 'needs_review' THEN 1 ELSE 0 END) > 0 THEN 'needs_review' "
      "ELSE (SELECT status FROM documents WHERE sha256 = ?2 ORDER BY rowid LIMIT 1) END, '', "
      "(SELECT id FROM documents WHERE sha256 = ?2 ORDER BY rowid LIMIT 1) "
      "FROM documents WHERE sha256 = ?2 HAVING count(*) > 0 "
      "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, state = excluded.state, reason = '', "
      "document_id = excluded.document_id, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      doing);
  if (!mark) return mark.error();
  if (auto marked = mark->bind_all(path, sha256).run(); !marked) return marked;
  if (mark->changes() == 0) return Error{doing + ": no document has its bytes"};
  return ok_status();
}

}  // namespace casenote::sql
