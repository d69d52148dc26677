// casenote store copy: a SQLite store moved into PostgreSQL reads back the same, table by table
// and through the Store API, and a copy that cannot be made whole leaves nothing behind.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "store/store.h"
#include "store/store_copy.h"
#include "support/cli.h"
#include "support/temp_dir.h"
#include "support/test_stores.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

template <class T>
T must(Result<T> result) {
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result.ok());
  return std::move(result).value();
}

std::string import(Store& store, const PatientRecord& patient) {
  REQUIRE(must(store.import_patients({patient})).conflicts.empty());
  auto found = must(store.patients_by_nhs_number(patient.nhs_number));
  REQUIRE(found.size() == 1);
  return found.front().id;
}

PageRecord page(int number, const std::string& text) {
  PageRecord p;
  p.number = number;
  p.rotation_degrees = 90;
  p.skew_degrees = -1.25;
  p.mean_confidence = 87.3;
  p.text = text;
  p.notes = {"orientation unsure"};
  p.rotation_confidence = 0.61;
  p.rotation_method = "text_shape";
  p.skew_confidence = 0.1 + 0.2;  // not exactly 0.3: a real must survive to the last bit
  p.dpi = 300;
  p.dpi_source = "file";
  p.timings = {{"analyse", 12.5}, {"ocr", 1534.25}};
  p.width = 2480;
  p.height = 3508;
  p.words = {{"Warfarin", {10, 20, 30, 40}, 96, 1, 1, 1}, {"stopped", {50, 20, 30, 40}, 88, 1, 1, 1}};
  return p;
}

DocumentRecord document(const std::string& id, const std::string& status, const std::string& text) {
  DocumentRecord d;
  d.id = id;
  d.source = "/scans/" + id + ".tif";
  d.sha256 = "sha-" + id;
  d.document_type = "clinic_letter";
  d.status = status;
  d.filed_by = "scanner1";
  d.pages = {page(1, text)};
  d.text = text;
  return d;
}

// A scanning room's store: two patients, a filed letter and one sent to review then linked by a
// reviewer, an input that failed, a user; and the audit entries all that wrote.
struct Room {
  std::string path;
  std::string smith;
  std::string jones;
};

Room filled_room(const std::string& path) {
  auto store = must(open_sqlite_store(path));
  Room room{path, "", ""};
  room.smith = import(*store, {"", "9434765919", "H100", "SMITH", "Zoë", "1970-03-14", "F", "LS1 4AB"});
  room.jones = import(*store, {"", "9434765870", "H200", "JONES", "Owen 'Oz'", "1958-11-02", "M", ""});

  DocumentRecord filed = document("D1", "filed", "");
  filed.patient_id = room.smith;
  filed.filing_rule = "nhs_number";
  filed.candidates = {{room.smith, 0.98, "NHS number, date of birth"}};
  filed.pages = {page(1, "Warfarin stopped before anticoagulation review"), page(2, "second page\nwith a newline")};
  filed.text = filed.pages[0].text + "\f" + filed.pages[1].text;
  filed.fields = {{"nhs_number", "9434765919", 0.95, 1, {10, 20, 300, 40}}};
  filed.archive_path = "P1/D1.pdf";
  EventRecord admission;
  admission.kind = "admission";
  admission.date = "2024-01-10";
  admission.ward = "Ward 7";
  admission.method = "emergency";
  admission.confidence = 0.8;
  admission.box = {1, 2, 3, 4};
  admission.text = "Admitted 10/01/2024 to Ward 7";
  filed.events = {admission};
  filed.clinical_codes = {{"icd10", "I48", "atrial fibrillation", "Atrial fibrillation and flutter", 0.9, 1, {5, 6, 7, 8}}};
  REQUIRE(store->save_input_documents(filed.source, filed.sha256, {filed}).ok());

  DocumentRecord review = document("D2", "needs_review", "Discharge summary: hypertension follow-up");
  review.document_type = "discharge_summary";
  review.review_reasons = {"no NHS number found", "two patients match the name"};
  review.candidates = {{room.jones, 0.6, "name"}, {room.smith, 0.4, "name, part of the postcode"}};
  REQUIRE(store->save_input_documents(review.source, review.sha256, {review}).ok());

  REQUIRE(store->record_failed_input("/scans/torn.pdf", "cc33", "not a PDF: no header").ok());
  REQUIRE(store->add_user({"clerk.ann", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", ""}, "admin").ok());

  FilingChange link;
  link.document_id = "D2";
  link.user = "clerk.ann";
  link.action = "link";
  link.status = "filed";
  link.patient_id = room.jones;
  link.rule = "manual";
  link.detail = "checked against the ward list";
  REQUIRE(store->change_filing(link).ok());
  return room;
}

std::vector<DocumentRecord> all_documents(Store& store) {
  std::vector<DocumentRecord> documents;
  REQUIRE(store.for_each_document([&](const DocumentRecord& d) { documents.push_back(d); }).ok());
  return documents;
}

std::set<std::string> search(Store& store, const std::string& text) {
  DocumentQuery query;
  query.text = text;
  std::set<std::string> ids;
  for (const SearchHit& hit : must(store.search(query))) ids.insert(hit.document_id);
  return ids;
}

std::string count(const std::string& location, const std::string& table) {
  auto read = test::run_raw(location, "SELECT count(*) FROM " + table);
  INFO(read.error);
  REQUIRE(read.error.empty());
  return read.rows.at(0).at(0);
}

}  // namespace

TEST_CASE("a SQLite store copied into PostgreSQL reads back the same", "[store][copy]") {
  TempDir dir;
  const Room room = filled_room(dir.file("room.db"));
  const std::string shared = test::new_store_location("postgresql", "");

  const CopyReport report = must(copy_store(room.path, shared));
  std::vector<std::string> tables;
  for (const TableCopy& t : report.tables) {
    tables.push_back(t.table);
    CHECK(t.checksum.size() == 64);
    CHECK(std::to_string(t.rows) == count(shared, t.table));
    CHECK(std::to_string(t.rows) == count(room.path, t.table));
  }
  CHECK(tables == std::vector<std::string>{"patients", "documents", "review_reasons", "candidates", "pages",
                                           "page_notes", "page_timings", "page_words", "fields", "events",
                                           "clinical_codes", "inputs", "users", "audit"});
  CHECK(report.tables[0].rows == 2);  // patients
  CHECK(report.tables[1].rows == 2);  // documents
  CHECK(report.tables[7].rows == 6);  // page_words: two per page, three pages

  auto from = must(open_sqlite_store(room.path));
  auto to = test::open_test_store(shared);
  const auto documents = all_documents(*from);
  REQUIRE(documents.size() == 2);
  CHECK(all_documents(*to) == documents);
  for (const std::string& id : {room.smith, room.jones}) {
    CHECK(must(to->patient(id)) == must(from->patient(id)));
    CHECK(must(to->audit_for_patient(id)) == must(from->audit_for_patient(id)));
  }
  CHECK(must(to->inputs()) == must(from->inputs()));
  CHECK(must(to->inputs()).size() == 3);
  CHECK(must(to->users()) == must(from->users()));
  for (const char* id : {"D1", "D2"}) {
    const auto trail = must(from->audit_for_document(id));
    CHECK_FALSE(trail.empty());
    CHECK(must(to->audit_for_document(id)) == trail);
  }

  // The search index was rebuilt: by a word of the text, and by the patient's name alone.
  CHECK(search(*to, "anticoagulation") == std::set<std::string>{"D1"});
  CHECK(search(*to, "jones") == std::set<std::string>{"D2"});

  // The id sequences were moved past the copied ids: new documents and audit entries fit in.
  DocumentRecord later = document("D3", "needs_review", "a later letter");
  later.review_reasons = {"no NHS number found"};
  REQUIRE(to->save_input_documents(later.source, later.sha256, {later}).ok());
  REQUIRE(to->add_user({"clerk.bob", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", ""}, "admin").ok());
  CHECK(search(*to, "later") == std::set<std::string>{"D3"});
  const auto copied_trail = must(to->audit_for_document("D2"));
  const auto new_trail = must(to->audit_for_document("D3"));
  REQUIRE(new_trail.size() >= 1);
  CHECK(new_trail.front().id > copied_trail.back().id);
}

TEST_CASE("store copy refuses a destination that holds records, and changes nothing there", "[store][copy]") {
  TempDir dir;
  const Room room = filled_room(dir.file("room.db"));
  const std::string shared = test::new_store_location("postgresql", "");
  must(copy_store(room.path, shared));
  const std::string audit_before = count(shared, "audit");

  const Room other = filled_room(dir.file("other.db"));
  auto again = copy_store(other.path, shared);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message.find(shared) == 0);  // it names the destination (no password in it)
  CHECK(again.error().message.find("already holds a store (2 patients, 2 documents, 3 inputs, 1 users") !=
        std::string::npos);
  CHECK(count(shared, "documents") == "2");
  CHECK(count(shared, "patients") == "2");
  CHECK(count(shared, "audit") == audit_before);
}

TEST_CASE("store copy refuses a missing source without creating it", "[store][copy]") {
  TempDir dir;
  const std::string missing = dir.file("misspelt.db");
  auto copied = copy_store(missing, test::new_store_location("postgresql", ""));
  REQUIRE_FALSE(copied.ok());
  CHECK(copied.error().message == missing + ": no such file");
  CHECK_FALSE(std::filesystem::exists(missing));

  auto not_postgresql = copy_store(dir.file("room.db"), dir.file("shared.db"));
  REQUIRE_FALSE(not_postgresql.ok());
  CHECK(not_postgresql.error().message.find("not a postgresql:// URL") != std::string::npos);
}

TEST_CASE("a copy whose read-back differs from its source is rolled back whole", "[store][copy]") {
  TempDir dir;
  const Room room = filled_room(dir.file("room.db"));
  // A NUL inside text is valid in SQLite but cannot reach PostgreSQL, whose text parameters end
  // at the first NUL: the page is written cut short, and only the checksums can tell.
  auto broken = test::run_raw(room.path, "UPDATE pages SET text = 'cut' || char(0) || 'short' WHERE document_id = 'D2'");
  REQUIRE(broken.error.empty());
  const std::string shared = test::new_store_location("postgresql", "");

  auto copied = copy_store(room.path, shared);
  REQUIRE_FALSE(copied.ok());
  CHECK(copied.error().message.find("pages did not copy intact") != std::string::npos);
  for (const char* table : {"patients", "documents", "pages", "audit", "documents_fts"}) {
    INFO(table);
    CHECK(count(shared, table) == "0");
  }
  // Nothing was half-written either: the sequences were not moved, so a copy still starts at 1.
  auto next = test::run_raw(shared, "SELECT nextval(pg_get_serial_sequence('audit', 'id'))");
  REQUIRE(next.error.empty());
  CHECK(next.rows.at(0).at(0) == "1");
}

TEST_CASE("casenote store copy prints each table's rows and checksum, and no patient's data", "[store][copy][cli]") {
  TempDir dir;
  const Room room = filled_room(dir.file("room.db"));
  const std::string shared = test::new_store_location("postgresql", "");

  auto run = testing::run_cli("store copy --from " + room.path + " --to '" + shared + "' --busy-timeout 5");
  INFO(run.output);
  CHECK(run.status == 0);
  auto report = must(copy_store(room.path, test::new_store_location("postgresql", "")));
  for (const TableCopy& t : report.tables) {
    const std::string line = fmt::format("{:<16}{:>10}  {}\n", t.table, t.rows, t.checksum.substr(0, 12));
    CHECK(run.output.find(line) != std::string::npos);
  }
  CHECK(run.output.find("verified: ") != std::string::npos);
  for (const char* phi : {"SMITH", "Zoë", "9434765919", "1970-03-14", "anticoagulation"})
    CHECK(run.output.find(phi) == std::string::npos);
  CHECK(count(shared, "documents") == "2");

  auto refused = testing::run_cli("store copy --from " + room.path + " --to " + dir.file("shared.db"));
  CHECK(refused.status == 1);
  CHECK(refused.output.find("casenote: ") == 0);
  CHECK(refused.output.find("not a postgresql:// URL") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("shared.db")));
}
