// Every input's state in the store: queued, processing, and its final state committed with the
// documents made from it.
#include <catch2/catch.hpp>

#include <map>

#include "store/store.h"
#include "support/test_stores.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

DocumentRecord document(const std::string& id, const std::string& sha256, const std::string& status,
                        int first_page = 1) {
  DocumentRecord d;
  d.id = id;
  d.source = "/scans/stack.tif";
  d.sha256 = sha256;
  d.document_type = "clinic_letter";
  d.status = status;
  if (status == "needs_review") d.review_reasons = {"no NHS number found"};
  PageRecord page;
  page.number = first_page;
  page.text = "Dear Doctor " + id;
  d.pages = {page};
  d.text = page.text;
  return d;
}

std::map<std::string, InputRecord> inputs_by_path(Store& store) {
  auto inputs = store.inputs();
  REQUIRE(inputs.ok());
  std::map<std::string, InputRecord> out;
  for (const auto& input : *inputs) out[input.path] = input;
  return out;
}

std::vector<std::string> document_ids(Store& store) {
  std::vector<std::string> ids;
  REQUIRE(store.for_each_document([&](const DocumentRecord& d) { ids.push_back(d.id); }).ok());
  return ids;
}

}  // namespace

TEST_CASE("inputs are queued, then processing, then take their documents' state", "[store][inputs]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  REQUIRE(store->queue_inputs({"/scans/stack.tif", "/scans/letter.png"}).ok());
  auto inputs = inputs_by_path(*store);
  CHECK(inputs["/scans/stack.tif"].state == "queued");
  CHECK(inputs["/scans/letter.png"].state == "queued");
  CHECK(inputs["/scans/letter.png"].sha256.empty());

  REQUIRE(store->mark_input_processing("/scans/stack.tif", "aa11").ok());
  CHECK(inputs_by_path(*store)["/scans/stack.tif"] ==
        InputRecord{"/scans/stack.tif", "aa11", "processing", "", std::nullopt});

  // Two documents split from one stack: one of them needs review, so the input does.
  auto saved = store->save_input_documents(
      "/scans/stack.tif", "aa11", {document("Daa11", "aa11", "filed"), document("Daa11-2", "aa11", "needs_review", 3)});
  INFO((saved ? std::string() : saved.error().message));
  REQUIRE(saved.ok());
  CHECK(document_ids(*store) == std::vector<std::string>{"Daa11", "Daa11-2"});
  CHECK(inputs_by_path(*store)["/scans/stack.tif"] ==
        InputRecord{"/scans/stack.tif", "aa11", "needs_review", "", "Daa11"});
  auto found = store->document_for_sha256("aa11");
  REQUIRE(found.ok());
  CHECK(found->has_value());
}

TEST_CASE("an input whose bytes are stored already takes their documents' state", "[store][inputs]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  REQUIRE(store->save_input_documents("/scans/a.png", "bb22", {document("Dbb22", "bb22", "filed")}).ok());
  REQUIRE(store->record_duplicate_input("/scans/copy-of-a.png", "bb22").ok());
  CHECK(inputs_by_path(*store)["/scans/copy-of-a.png"] ==
        InputRecord{"/scans/copy-of-a.png", "bb22", "filed", "", "Dbb22"});
  CHECK(document_ids(*store).size() == 1);

  auto nothing_stored = store->record_duplicate_input("/scans/other.png", "cc33");
  REQUIRE_FALSE(nothing_stored.ok());
  CHECK(nothing_stored.error().message.find("/scans/other.png") != std::string::npos);
  CHECK(inputs_by_path(*store).count("/scans/other.png") == 0);
}

TEST_CASE("an input's documents are stored all or none, and never twice", "[store][inputs]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  REQUIRE(store->mark_input_processing("/scans/stack.tif", "aa11").ok());

  // The second document breaks a constraint (a page numbered 0): the first is not kept either.
  DocumentRecord broken = document("Daa11-2", "aa11", "filed");
  broken.pages[0].number = 0;
  REQUIRE_FALSE(store->save_input_documents("/scans/stack.tif", "aa11", {document("Daa11", "aa11", "filed"), broken}).ok());
  CHECK(document_ids(*store).empty());
  CHECK(inputs_by_path(*store)["/scans/stack.tif"].state == "processing");

  REQUIRE(store->save_input_documents("/scans/stack.tif", "aa11", {document("Daa11", "aa11", "filed")}).ok());
  auto again = store->save_input_documents("/scans/again.tif", "aa11", {document("Daa11-b", "aa11", "filed")});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message.find("already stored as document Daa11") != std::string::npos);
  CHECK(document_ids(*store) == std::vector<std::string>{"Daa11"});

  CHECK_FALSE(store->save_input_documents("/scans/none.tif", "dd44", {}).ok());
  CHECK_FALSE(store->save_input_documents("/scans/wrong.tif", "dd44", {document("Dee55", "ee55", "filed")}).ok());
}

TEST_CASE("queuing again retries failed and interrupted inputs and leaves stored ones alone", "[store][inputs]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  REQUIRE(store->record_failed_input("/scans/bad.png", "ff66", "truncated").ok());
  REQUIRE(store->mark_input_processing("/scans/cut-short.png", "1234").ok());
  REQUIRE(store->save_input_documents("/scans/done.png", "bb22", {document("Dbb22", "bb22", "filed")}).ok());

  REQUIRE(store->queue_inputs({"/scans/bad.png", "/scans/cut-short.png", "/scans/done.png", "/scans/new.png"}).ok());
  auto inputs = inputs_by_path(*store);
  CHECK(inputs["/scans/bad.png"].state == "queued");
  CHECK(inputs["/scans/bad.png"].reason.empty());
  CHECK(inputs["/scans/cut-short.png"].state == "queued");
  CHECK(inputs["/scans/done.png"] == InputRecord{"/scans/done.png", "bb22", "filed", "", "Dbb22"});
  CHECK(inputs["/scans/new.png"].state == "queued");
}

TEST_CASE("a large batch is queued", "[store][inputs]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::vector<std::string> paths;
  for (int i = 0; i < 1203; ++i) paths.push_back("/archive/box-" + std::to_string(i) + ".tif");
  REQUIRE(store->queue_inputs(paths).ok());
  auto inputs = store->inputs();
  REQUIRE(inputs.ok());
  CHECK(inputs->size() == 1203);
}
