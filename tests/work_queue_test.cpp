// Inputs shared by workers on several hosts: claims, leases that lapse when a worker dies, and
// the queue's figures, on both stores.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <thread>

#include "store/store.h"
#include "support/temp_dir.h"
#include "support/test_stores.h"

using namespace casenote;
using casenote::testing::TempDir;
using namespace std::chrono_literals;

namespace {

std::optional<std::string> claim(Store& store, const std::string& worker, std::chrono::seconds lease = 60s) {
  auto claimed = store.claim_input(worker, lease);
  INFO((claimed ? std::string() : claimed.error().message));
  REQUIRE(claimed.ok());
  return *claimed;
}

QueueStatus status(Store& store) {
  auto read = store.queue_status(10min);
  INFO((read ? std::string() : read.error().message));
  REQUIRE(read.ok());
  return *read;
}

DocumentRecord two_page_letter(const std::string& id, const std::string& sha256) {
  DocumentRecord d;
  d.id = id;
  d.source = "/shared/" + id + ".tif";
  d.sha256 = sha256;
  d.document_type = "clinic_letter";
  d.status = "needs_review";
  d.review_reasons = {"no NHS number found"};
  for (int number : {1, 2}) {
    PageRecord page;
    page.number = number;
    page.text = "page " + std::to_string(number);
    d.pages.push_back(page);
  }
  d.text = "page 1 page 2";
  return d;
}

}  // namespace

TEST_CASE("each queued input is claimed by one worker, then none is left", "[store][queue]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  REQUIRE(store->queue_inputs({"/shared/a.tif", "/shared/b.tif", "/shared/c.tif"}).ok());

  std::set<std::string> claimed;
  for (const char* worker : {"host1:10", "host2:20", "host1:10"}) {
    auto path = claim(*store, worker);
    REQUIRE(path);
    claimed.insert(*path);
  }
  CHECK(claimed == std::set<std::string>{"/shared/a.tif", "/shared/b.tif", "/shared/c.tif"});
  CHECK_FALSE(claim(*store, "host3:30"));

  QueueStatus now = status(*store);
  CHECK(now.queued == 0);
  CHECK(now.processing == 3);
  CHECK(now.expired == 0);
  CHECK(now.workers == std::vector<WorkerActivity>{{"host1:10", 2, 0, 0}, {"host2:20", 1, 0, 0}});
}

TEST_CASE("a claim its worker stops renewing lapses and goes to another worker", "[store][queue]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  REQUIRE(store->queue_inputs({"/shared/a.tif"}).ok());

  // A lease of no time lapses at once: the worker died before its first renewal.
  REQUIRE(claim(*store, "dead:1", 0s) == std::optional<std::string>("/shared/a.tif"));
  std::this_thread::sleep_for(20ms);
  CHECK(status(*store).expired == 1);
  REQUIRE(claim(*store, "alive:2") == std::optional<std::string>("/shared/a.tif"));
  CHECK(status(*store).expired == 0);

  // A renewed claim holds: the dead worker's renewal (it holds nothing now) changes nothing.
  REQUIRE(store->renew_claims("dead:1", 60s).ok());
  REQUIRE(store->renew_claims("alive:2", 60s).ok());
  CHECK_FALSE(claim(*store, "other:3"));
  CHECK(status(*store).workers == std::vector<WorkerActivity>{{"alive:2", 1, 0, 0}});

  // A worker stopping cleanly hands its input straight back.
  REQUIRE(store->release_claims("alive:2").ok());
  CHECK(status(*store).queued == 1);
  REQUIRE(claim(*store, "other:3") == std::optional<std::string>("/shared/a.tif"));
}

TEST_CASE("queuing again leaves a live claim alone and takes back a lapsed one", "[store][queue]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  REQUIRE(store->queue_inputs({"/shared/live.tif", "/shared/lapsed.tif"}).ok());
  REQUIRE(claim(*store, "w:1", 60s));
  REQUIRE(claim(*store, "w:2", 0s));
  std::this_thread::sleep_for(20ms);

  REQUIRE(store->queue_inputs({"/shared/live.tif", "/shared/lapsed.tif"}).ok());
  QueueStatus now = status(*store);
  CHECK(now.queued == 1);
  CHECK(now.processing == 1);
  CHECK(now.workers == std::vector<WorkerActivity>{{"w:1", 1, 0, 0}});
}

TEST_CASE("a worker's finished inputs and their pages are counted", "[store][queue]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  REQUIRE(store->queue_inputs({"/shared/D1.tif", "/shared/bad.tif", "/shared/D3.tif"}).ok());
  std::set<std::string> paths;
  for (int i = 0; i < 3; ++i) paths.insert(*claim(*store, "w:1"));
  REQUIRE(paths.size() == 3);

  REQUIRE(store->mark_input_processing("/shared/D1.tif", "aa11").ok());
  REQUIRE(store->save_input_documents("/shared/D1.tif", "aa11", {two_page_letter("D1", "aa11")}).ok());
  REQUIRE(store->record_failed_input("/shared/bad.tif", "bb22", "not an image").ok());

  QueueStatus now = status(*store);
  CHECK(now.needs_review == 1);
  CHECK(now.failed == 1);
  CHECK(now.processing == 1);
  CHECK(now.workers == std::vector<WorkerActivity>{{"w:1", 1, 2, 2}});
}

TEST_CASE("workers claiming at once over their own connections never share an input", "[store][queue]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  const std::string location = test::new_store_location(backend, dir.file("c.db"));
  std::vector<std::string> paths;
  for (int i = 0; i < 60; ++i) paths.push_back("/shared/" + std::to_string(1000 + i) + ".tif");
  REQUIRE(test::open_test_store(location)->queue_inputs(paths).ok());

  constexpr int kWorkers = 4;
  std::vector<std::vector<std::string>> claimed(kWorkers);
  std::vector<std::string> errors(kWorkers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      auto store = open_store(location);
      if (!store) return void(errors[w] = store.error().message);
      for (;;) {
        auto path = (*store)->claim_input("w:" + std::to_string(w), 60s);
        if (!path) return void(errors[w] = path.error().message);
        if (!*path) return;
        claimed[w].push_back(**path);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::multiset<std::string> all;
  for (int w = 0; w < kWorkers; ++w) {
    CHECK(errors[w].empty());
    all.insert(claimed[w].begin(), claimed[w].end());
  }
  CHECK(all == std::multiset<std::string>(paths.begin(), paths.end()));
}
