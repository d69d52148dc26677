// The review workstation's users and its dashboard's figures, kept by the store.
#include <catch2/catch.hpp>

#include <chrono>
#include <fmt/format.h>

#include "store/store.h"
#include "support/test_stores.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

DocumentRecord document(const std::string& id, const std::string& status) {
  DocumentRecord d;
  d.id = id;
  d.source = "/inbox/" + id + ".tif";
  d.sha256 = "sha-" + id;
  d.document_type = "clinic_letter";
  d.status = status;
  d.filed_by = "scanner1";
  d.text = "letter";
  d.pages = {{1, 0, 0, 90, false, "letter", {}}};
  return d;
}

std::string today_utc() {
  const std::chrono::year_month_day day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                     static_cast<unsigned>(day.day()));
}

}  // namespace

TEST_CASE("a user is stored with their hash, once, and their addition is audited", "[store][users]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  const std::string location = test::new_store_location(backend, dir.file("c.db"));
  auto store = test::open_test_store(location);
  REQUIRE(store->add_user({"clerk.ann", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", ""}, "admin").ok());
  REQUIRE(store->add_user({"clerk.bob", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$b3RoZXI", ""}, "admin").ok());

  auto ann = store->user("clerk.ann");
  REQUIRE(ann.ok());
  REQUIRE(ann->has_value());
  CHECK((*ann)->password_hash == "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
  CHECK_FALSE((*ann)->created_at.empty());
  auto nobody = store->user("clerk.eve");
  REQUIRE(nobody.ok());
  CHECK_FALSE(nobody->has_value());

  auto again = store->add_user({"clerk.ann", "$argon2id$other", ""}, "admin");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message == "adding user clerk.ann: a user of that name exists");
  CHECK((*store->user("clerk.ann"))->password_hash == "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");

  CHECK_FALSE(store->add_user({"", "$argon2id$x", ""}, "admin").ok());
  CHECK_FALSE(store->add_user({"clerk.cy", "", ""}, "admin").ok());

  auto all = store->users();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "clerk.ann");
  CHECK((*all)[1].name == "clerk.bob");

  auto audit = test::run_raw(location, "SELECT \"user\", new_value FROM audit WHERE action = 'add_user' ORDER BY id");
  REQUIRE(audit.error.empty());
  std::vector<std::string> added;
  for (const auto& row : audit.rows) added.push_back(row[0] + " added " + row[1]);
  CHECK(added == std::vector<std::string>{"admin added clerk.ann", "admin added clerk.bob"});
}

TEST_CASE("activity counts documents by status, filings per day by who filed, and failures", "[store][users]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  REQUIRE(store->import_patients({{"", "9990000018", "H1", "SMITH", "Jane", "1970-03-14", "F", ""}}).ok());
  const std::string jane = store->patients_by_nhs_number("9990000018")->front().id;

  DocumentRecord filed = document("D1", "filed");
  filed.patient_id = jane;
  filed.filing_rule = "nhs_number";
  REQUIRE(store->save_document(filed).ok());
  REQUIRE(store->save_document(document("D2", "needs_review")).ok());
  REQUIRE(store->save_document(document("D3", "needs_review")).ok());
  REQUIRE(store->save_document(document("D4", "needs_review")).ok());
  FilingChange link{"D2", "clerk.ann", "link", "filed", jane, "manual", {}, {}, {}, ""};
  REQUIRE(store->change_filing(link).ok());
  FilingChange reject{"D3", "clerk.ann", "reject", "rejected", std::nullopt, "", {"duplicate"}, {}, {}, "duplicate"};
  REQUIRE(store->change_filing(reject).ok());
  REQUIRE(store->record_failed_input("/inbox/bad.pdf", "sha-bad", "/inbox/bad.pdf: truncated").ok());

  const std::string today = today_utc();
  auto activity = store->activity(today, 5);
  REQUIRE(activity.ok());
  CHECK(activity->needs_review == 1);
  CHECK(activity->filed == 2);
  CHECK(activity->rejected == 1);
  CHECK(activity->failed_inputs == 1);
  CHECK(activity->review_queue_by_day == std::vector<DailyCount>{{today, 1}});
  CHECK(activity->filed_on_ingest_by_day == std::vector<DailyCount>{{today, 1}});
  CHECK(activity->filed_in_review_by_day == std::vector<DailyCount>{{today, 1}});
  CHECK(activity->failures_by_day == std::vector<DailyCount>{{today, 1}});
  REQUIRE(activity->recent_failures.size() == 1);
  CHECK(activity->recent_failures[0].path == "/inbox/bad.pdf");
  CHECK(activity->recent_failures[0].reason == "/inbox/bad.pdf: truncated");

  // Days before the one asked for are left out of the daily series, but not out of the queue.
  auto later = store->activity("9999-01-01", 0);
  REQUIRE(later.ok());
  CHECK(later->filed == 2);
  CHECK(later->review_queue_by_day == std::vector<DailyCount>{{today, 1}});
  CHECK(later->filed_on_ingest_by_day.empty());
  CHECK(later->failures_by_day.empty());
  CHECK(later->recent_failures.empty());
}

TEST_CASE("a listing without words can put the oldest documents first", "[store][users]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  for (const char* id : {"D1", "D2", "D3"}) REQUIRE(store->save_document(document(id, "needs_review")).ok());
  auto newest = store->search(DocumentQuery{.status = "needs_review"});
  auto oldest = store->search(DocumentQuery{.status = "needs_review", .oldest_first = true});
  REQUIRE(newest.ok());
  REQUIRE(oldest.ok());
  REQUIRE(oldest->size() == 3);
  CHECK(newest->front().document_id == "D3");
  CHECK(oldest->front().document_id == "D1");
  CHECK(oldest->back().document_id == "D3");
}
