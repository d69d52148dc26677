// The SQLite store against real database files in a temporary directory.

#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "store/store.h"
#include "support/test_stores.h"

namespace fs = std::filesystem;
using namespace casenote;

namespace {

// A directory of its own per test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() /
           ("casenote-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// Big-endian 32-bit integers in the SQLite file header: user_version at 60, application_id at 68.
std::uint32_t header_u32(const std::string& path, std::streamoff offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(offset);
  unsigned char bytes[4] = {};
  in.read(reinterpret_cast<char*>(bytes), 4);
  REQUIRE(in.good());
  return std::uint32_t(bytes[0]) << 24 | std::uint32_t(bytes[1]) << 16 | std::uint32_t(bytes[2]) << 8 | bytes[3];
}

void set_header_u32(const std::string& path, std::streamoff offset, std::uint32_t value) {
  std::fstream io(path, std::ios::binary | std::ios::in | std::ios::out);
  io.seekp(offset);
  char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
  io.write(bytes, 4);
  REQUIRE(io.good());
}

unsigned permissions(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777;
}

PatientRecord jane() {
  return {"", "9990000018", "H100", "Smith", "Jane", "1970-03-14", "F", "ZZ99 3AA"};
}

PatientRecord omar() {
  return {"", "9990000026", "H200", "Haddad", "Omar", "1958-11-02", "M", "ZZ99 3AB"};
}

DocumentRecord letter(const std::string& id, const std::string& sha256, const std::string& text) {
  DocumentRecord d;
  d.id = id;
  d.source = "/inbox/" + id + ".pdf";
  d.sha256 = sha256;
  d.document_type = "clinic_letter";
  d.status = "needs_review";
  d.review_reasons = {"no NHS number found"};
  d.pages = {{1, 0, 0.0, 91.5, false, text, {}}};
  d.text = text;
  return d;
}

DocumentRecord filed_letter(const std::string& id, const std::string& sha256, const std::string& patient_id) {
  DocumentRecord d;
  d.id = id;
  d.source = "/inbox/" + id + ".tif";
  d.sha256 = sha256;
  d.document_type = "discharge_summary";
  d.status = "filed";
  d.patient_id = patient_id;
  d.pages = {{1, 90, 1.25, 88.75, false, "Discharge summary\nNHS number 999 000 0018", {"page may need turning 180"}},
             {2, 0, -0.5, 0.0, true, "", {}},
             {3, 270, 0.125, 93.0, false, "Follow up in six weeks", {"orientation unknown: too few letters", "second"}}};
  d.fields = {{"nhs_number", "9990000018", 97.5, 1, {120, 340, 410, 38}},
              {"date_of_birth", "1970-03-14", 88.0, 1, {120, 390, 250, 36}},
              {"document_date", "2024-02-01", 75.25, 3, {900, 80, 300, 40}}};
  d.text = d.pages[0].text + "\f" + d.pages[1].text + "\f" + d.pages[2].text;
  return d;
}

std::vector<DocumentRecord> all_documents(Store& store) {
  std::vector<DocumentRecord> out;
  auto read = store.for_each_document([&](const DocumentRecord& d) { out.push_back(d); });
  INFO((read ? std::string() : read.error().message));
  REQUIRE(read.ok());
  return out;
}

std::vector<InputRecord> all_inputs(Store& store) {
  auto inputs = store.inputs();
  REQUIRE(inputs.ok());
  return inputs.value();
}

std::string import_one(Store& store, const PatientRecord& row) {
  auto summary = store.import_patients({row});
  REQUIRE(summary.ok());
  REQUIRE(summary->created == 1);
  auto found = store.patients_by_nhs_number(row.nhs_number);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  return found->front().id;
}

void require_saved(Store& store, const DocumentRecord& d) {
  auto saved = store.save_document(d);
  INFO((saved ? std::string() : saved.error().message));
  REQUIRE(saved.ok());
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a new store is a WAL database at the current schema version, readable by its owner only", "[store]") {
  TempDir dir;
  const std::string path = dir.file("casenote.db");
  {
    auto store = test::open_test_store(path);
    std::string id = import_one(*store, jane());
    require_saved(*store, filed_letter("D1", "aa11", id));
    CHECK(permissions(path) == 0600);
    CHECK(permissions(path + "-wal") == 0600);
    CHECK(permissions(path + "-shm") == 0600);
  }
  // Closing checkpoints the log into the file, so its header now tells the whole story.
  std::ifstream in(path, std::ios::binary);
  char header[20] = {};
  in.read(header, sizeof header);
  CHECK(std::string(header, 16) == std::string("SQLite format 3\0", 16));
  CHECK(header[18] == 2);  // write and read format version 2: WAL
  CHECK(header[19] == 2);
  CHECK(header_u32(path, 60) == std::uint32_t(sqlite_store_schema_version()));
}

TEST_CASE("reopening a store keeps its data and leaves its schema alone", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  const std::string path = test::new_store_location(backend, dir.file("casenote.db"));
  DocumentRecord saved;
  std::string patient_id;
  {
    auto store = test::open_test_store(path);
    patient_id = import_one(*store, jane());
    saved = filed_letter("D1", "aa11", patient_id);
    require_saved(*store, saved);
  }
  const bool sqlite = backend == "sqlite";
  auto before = sqlite ? header_u32(path, 60) : 0;
  // Were the migrations run again, their CREATE TABLEs would fail and the open with them.
  auto store = test::open_test_store(path);
  CHECK(all_documents(*store) == std::vector<DocumentRecord>{saved});
  auto patient = store->patient(patient_id);
  REQUIRE(patient.ok());
  REQUIRE(patient->has_value());
  CHECK((*patient)->family_name == "Smith");
  store.reset();
  if (sqlite) CHECK(header_u32(path, 60) == before);
}

TEST_CASE("a database from a newer casenote is refused", "[store]") {
  TempDir dir;
  const std::string path = dir.file("casenote.db");
  test::open_test_store(path).reset();
  const int newer = sqlite_store_schema_version() + 1;
  set_header_u32(path, 60, std::uint32_t(newer));

  auto store = open_sqlite_store(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().message == path + ": database schema version " + std::to_string(newer) +
                                     " is newer than this casenote (" +
                                     std::to_string(sqlite_store_schema_version()) + ")");
  CHECK(header_u32(path, 60) == std::uint32_t(newer));
}

TEST_CASE("a file that is not a SQLite database is refused and left as it was", "[store]") {
  TempDir dir;
  const std::string path = dir.file("notes.txt");
  std::string content;
  for (int i = 0; i < 100; ++i) content += "This is a plain text file, not a database.\n";
  std::ofstream(path) << content;

  auto store = open_sqlite_store(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().message == path + ": not a SQLite database");
  std::ifstream in(path);
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == content);
}

TEST_CASE("another program's SQLite database is refused", "[store]") {
  TempDir dir;
  const std::string path = dir.file("other.db");
  test::open_test_store(path).reset();
  set_header_u32(path, 68, 0x12345678);

  auto store = open_sqlite_store(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().message == path + ": a SQLite database, but not a casenote one");
}

TEST_CASE("a store in a missing directory is an error naming the path", "[store]") {
  TempDir dir;
  const std::string path = dir.file("no/such/dir/casenote.db");
  auto store = open_sqlite_store(path);
  REQUIRE_FALSE(store.ok());
  CHECK(contains(store.error().message, path));
}

TEST_CASE("saved documents read back whole, oldest first", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::string patient_id = import_one(*store, jane());
  DocumentRecord filed = filed_letter("D2", "bb22", patient_id);
  DocumentRecord unfiled = letter("D1", "aa11", "Dear colleague,\nthank you for seeing this lady.");
  unfiled.review_reasons = {"no NHS number found", "document date unreadable"};
  require_saved(*store, filed);
  require_saved(*store, unfiled);

  auto documents = all_documents(*store);
  REQUIRE(documents.size() == 2);
  CHECK(documents[0] == filed);
  CHECK(documents[1] == unfiled);
  CHECK(documents[0].fields[2].box == Box{900, 80, 300, 40});
  CHECK(documents[0].pages[2].notes == std::vector<std::string>{"orientation unknown: too few letters", "second"});
  CHECK_FALSE(documents[1].patient_id.has_value());

  CHECK(all_inputs(*store) == std::vector<InputRecord>{
                                  {"/inbox/D1.pdf", "aa11", "needs_review", "", "D1"},
                                  {"/inbox/D2.tif", "bb22", "filed", "", "D2"},
                              });
}

TEST_CASE("a document is found by the sha256 of its input", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  auto absent = store->document_for_sha256("aa11");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->has_value());

  require_saved(*store, letter("D1", "aa11", "text"));
  auto found = store->document_for_sha256("aa11");
  REQUIRE(found.ok());
  CHECK(*found == std::optional<std::string>("D1"));
  auto other = store->document_for_sha256("bb22");
  REQUIRE(other.ok());
  CHECK_FALSE(other->has_value());
}

TEST_CASE("a second document from the same bytes is refused and writes nothing", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  DocumentRecord first = letter("D1", "aa11", "first letter");
  require_saved(*store, first);
  DocumentRecord copy = letter("D2", "aa11", "zebra crossing");
  copy.source = "/inbox/copy.pdf";

  auto saved = store->save_document(copy);
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().message ==
        "saving document D2: an input with sha256 aa11 is already stored as document D1");
  CHECK(all_documents(*store) == std::vector<DocumentRecord>{first});
  CHECK(all_inputs(*store).size() == 1);
  auto hits = store->search(DocumentQuery{.text = "zebra", .limit = 10});
  REQUIRE(hits.ok());
  CHECK(hits->empty());
}

TEST_CASE("a document failing halfway through is rolled back entirely", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  DocumentRecord broken = filed_letter("D1", "aa11", "P000001");
  broken.patient_id.reset();
  broken.status = "needs_review";
  broken.pages[2].number = 1;  // a page number twice: the third page's insert fails

  auto saved = store->save_document(broken);
  REQUIRE_FALSE(saved.ok());
  CHECK(contains(saved.error().message, "saving document D1"));
  CHECK(contains(saved.error().message, "UNIQUE constraint failed"));
  CHECK(all_documents(*store).empty());
  CHECK(all_inputs(*store).empty());
  auto found = store->document_for_sha256("aa11");
  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());

  // The failed transaction left the connection usable.
  broken.pages[2].number = 3;
  require_saved(*store, broken);
  CHECK(all_documents(*store).size() == 1);
}

TEST_CASE("a document for a patient the store does not hold is refused", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  auto saved = store->save_document(filed_letter("D1", "aa11", "P999999"));
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().message == "saving document D1 for patient P999999: FOREIGN KEY constraint failed");
  CHECK(all_documents(*store).empty());
  CHECK(all_inputs(*store).empty());
}

TEST_CASE("a document without id or sha256, or with an unknown status, is refused", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  DocumentRecord no_id = letter("", "aa11", "text");
  DocumentRecord no_sha = letter("D1", "", "text");
  DocumentRecord odd_status = letter("D1", "aa11", "text");
  odd_status.status = "archived";

  auto without_id = store->save_document(no_id);
  REQUIRE_FALSE(without_id.ok());
  CHECK(without_id.error().message == "saving a document: it has no id");
  auto without_sha = store->save_document(no_sha);
  REQUIRE_FALSE(without_sha.ok());
  CHECK(without_sha.error().message == "saving document D1: it has no sha256");
  auto unknown_status = store->save_document(odd_status);
  REQUIRE_FALSE(unknown_status.ok());
  CHECK(unknown_status.error().message == "saving document D1: status 'archived' is neither filed nor needs_review");
  CHECK(all_documents(*store).empty());
}

TEST_CASE("a failed input is recorded, and filed when it later succeeds", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  REQUIRE(store->record_failed_input("/inbox/D1.pdf", "aa11", "PDF is encrypted").ok());
  REQUIRE(store->record_failed_input("/inbox/A0.pdf", "0000", "empty file").ok());
  CHECK(all_inputs(*store) == std::vector<InputRecord>{
                                  {"/inbox/A0.pdf", "0000", "failed", "empty file", std::nullopt},
                                  {"/inbox/D1.pdf", "aa11", "failed", "PDF is encrypted", std::nullopt},
                              });

  require_saved(*store, letter("D1", "aa11", "now readable"));
  CHECK(all_inputs(*store) == std::vector<InputRecord>{
                                  {"/inbox/A0.pdf", "0000", "failed", "empty file", std::nullopt},
                                  {"/inbox/D1.pdf", "aa11", "needs_review", "", "D1"},
                              });

  auto refused = store->record_failed_input("", "aa11", "why");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "recording a failed input: it has no path");
}

TEST_CASE("importing patients creates, leaves alone and updates", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  auto first = store->import_patients({jane(), omar()});
  REQUIRE(first.ok());
  CHECK(first->created == 2);
  CHECK(first->updated == 0);
  CHECK(first->unchanged == 0);
  CHECK(first->conflicts.empty());

  auto janes = store->patients_by_nhs_number("9990000018");
  REQUIRE(janes.ok());
  REQUIRE(janes->size() == 1);
  PatientRecord stored_jane = janes->front();
  CHECK_FALSE(stored_jane.id.empty());
  PatientRecord expected = jane();
  expected.id = stored_jane.id;
  CHECK(stored_jane == expected);
  auto omars = store->patients_by_nhs_number("9990000026");
  REQUIRE(omars.ok());
  REQUIRE(omars->size() == 1);
  CHECK(omars->front().id != stored_jane.id);

  PatientRecord moved = omar();
  moved.postcode = "ZZ99 9ZZ";
  auto second = store->import_patients({jane(), moved});
  REQUIRE(second.ok());
  CHECK(second->created == 0);
  CHECK(second->unchanged == 1);
  CHECK(second->updated == 1);
  CHECK(second->conflicts.empty());
  auto omar_now = store->patient(omars->front().id);
  REQUIRE(omar_now.ok());
  REQUIRE(omar_now->has_value());
  CHECK((*omar_now)->postcode == "ZZ99 9ZZ");
  CHECK((*omar_now)->family_name == "Haddad");
}

TEST_CASE("an import row that would change a date of birth is a conflict and not written", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::string id = import_one(*store, jane());
  PatientRecord other_birthday = jane();
  other_birthday.date_of_birth = "1971-03-14";
  other_birthday.family_name = "Jones";

  auto summary = store->import_patients({omar(), other_birthday});
  REQUIRE(summary.ok());
  CHECK(summary->created == 1);
  CHECK(summary->updated == 0);
  CHECK(summary->conflicts ==
        std::vector<ImportConflict>{{1, "the NHS number is held by patient " + id + " with a different date of birth"}});
  auto stored = store->patient(id);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->date_of_birth == "1970-03-14");
  CHECK((*stored)->family_name == "Smith");
}

TEST_CASE("an import row without an NHS number is matched on hospital number", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::string id = import_one(*store, jane());
  PatientRecord by_hospital_number{"", "", "H100", "Smith-Jones", "Jane", "", "", ""};

  auto summary = store->import_patients({by_hospital_number});
  REQUIRE(summary.ok());
  CHECK(summary->created == 0);
  CHECK(summary->updated == 1);
  auto stored = store->patient(id);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  PatientRecord expected = jane();
  expected.id = id;
  expected.family_name = "Smith-Jones";  // the row's empty fields kept their stored values
  CHECK(**stored == expected);

  PatientRecord new_hospital_number{"", "", "H300", "Brown", "Ann", "1990-01-01", "F", ""};
  auto created = store->import_patients({new_hospital_number});
  REQUIRE(created.ok());
  CHECK(created->created == 1);
}

TEST_CASE("import rows that cannot be matched safely are conflicts", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::string jane_id = import_one(*store, jane());
  PatientRecord second_h100 = omar();
  second_h100.hospital_number = "H100";  // hospital numbers are not unique; NHS numbers are
  import_one(*store, second_h100);

  PatientRecord anonymous{"", "", "", "Doe", "John", "1980-01-01", "M", ""};
  PatientRecord ambiguous{"", "", "H100", "Smith", "Jane", "", "", ""};
  PatientRecord wrong_id = jane();
  wrong_id.id = "P777777";
  PatientRecord taken_id{jane_id, "9990000034", "", "New", "Person", "2000-01-01", "U", ""};

  auto summary = store->import_patients({anonymous, ambiguous, wrong_id, taken_id});
  REQUIRE(summary.ok());
  CHECK(summary->created == 0);
  CHECK(summary->updated == 0);
  CHECK(summary->unchanged == 0);
  CHECK(summary->conflicts ==
        std::vector<ImportConflict>{
            {0, "neither NHS number nor hospital number, so it could never be matched again"},
            {1, "the hospital number is held by 2 patients"},
            {2, "the NHS number is held by patient " + jane_id + ", not P777777"},
            {3, "patient id " + jane_id + " is held by another patient"},
        });
  auto nobody = store->patients_by_nhs_number("9990000034");
  REQUIRE(nobody.ok());
  CHECK(nobody->empty());
}

TEST_CASE("patients are looked up by id and NHS number, never by an empty one", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  PatientRecord no_nhs{"P000050", "", "H500", "Green", "Ada", "1930-05-05", "F", ""};
  auto summary = store->import_patients({no_nhs});
  REQUIRE(summary.ok());
  REQUIRE(summary->created == 1);

  auto by_id = store->patient("P000050");
  REQUIRE(by_id.ok());
  CHECK(*by_id == std::optional<PatientRecord>(no_nhs));
  auto missing = store->patient("P404");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  auto empty_nhs = store->patients_by_nhs_number("");
  REQUIRE(empty_nhs.ok());
  CHECK(empty_nhs->empty());

  // The next assigned id follows the highest one held.
  std::string next = import_one(*store, jane());
  CHECK(next == "P000051");
}

TEST_CASE("search finds documents by their words and their patient's name", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::string id = import_one(*store, jane());
  DocumentRecord filed = filed_letter("D1", "aa11", id);
  filed.pages[2].text = "Seen in the hypertension clinic today. Blood pressure remains high despite treatment.";
  filed.text = filed.pages[0].text + "\f\f" + filed.pages[2].text;
  require_saved(*store, filed);
  require_saved(*store, letter("D2", "bb22", "Referral to the diabetes clinic for review."));

  auto hits = store->search(DocumentQuery{.text = "hypertension clinic", .limit = 10});
  REQUIRE(hits.ok());
  REQUIRE(hits->size() == 1);
  const SearchHit& hit = hits->front();
  CHECK(hit.document_id == "D1");
  CHECK(hit.source == "/inbox/D1.tif");
  CHECK(hit.patient_id == std::optional<std::string>(id));
  CHECK(hit.patient_name == "SMITH, Jane");
  CHECK(contains(hit.snippet, "[hypertension] [clinic]"));

  auto both = store->search(DocumentQuery{.text = "clinic", .limit = 10});
  REQUIRE(both.ok());
  CHECK(both->size() == 2);
  auto unlinked = store->search(DocumentQuery{.text = "diabetes", .limit = 10});
  REQUIRE(unlinked.ok());
  REQUIRE(unlinked->size() == 1);
  CHECK_FALSE(unlinked->front().patient_id.has_value());
  CHECK(unlinked->front().patient_name.empty());

  auto by_name = store->search(DocumentQuery{.text = "smith", .limit = 10});
  REQUIRE(by_name.ok());
  REQUIRE(by_name->size() == 1);
  CHECK(by_name->front().document_id == "D1");

  auto no_match = store->search(DocumentQuery{.text = "hypertension diabetes", .limit = 10});
  REQUIRE(no_match.ok());
  CHECK(no_match->empty());
}

TEST_CASE("search ranks the closer match first and honours its limit", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  require_saved(*store, letter("D1", "aa11", "Asthma was mentioned once among many other unrelated words here."));
  require_saved(*store, letter("D2", "bb22", "Asthma review: asthma controlled, asthma plan given."));
  require_saved(*store, letter("D3", "cc33", "An asthma clinic letter about something else entirely and at length."));

  auto hits = store->search(DocumentQuery{.text = "asthma", .limit = 2});
  REQUIRE(hits.ok());
  REQUIRE(hits->size() == 2);
  CHECK(hits->front().document_id == "D2");
}

TEST_CASE("a snippet of a long text is cut to about twelve tokens with ellipses", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::string text;
  for (int i = 0; i < 40; ++i) text += "word" + std::to_string(i) + " ";
  text += "haemoglobin";
  for (int i = 40; i < 80; ++i) text += " word" + std::to_string(i);
  require_saved(*store, letter("D1", "aa11", text));

  auto hits = store->search(DocumentQuery{.text = "haemoglobin", .limit = 5});
  REQUIRE(hits.ok());
  REQUIRE(hits->size() == 1);
  const std::string& snippet = hits->front().snippet;
  CHECK(contains(snippet, "[haemoglobin]"));
  CHECK(snippet.rfind("…", 0) == 0);
  CHECK(snippet.size() < text.size() / 3);
}

TEST_CASE("search finds a patient under a name imported after filing", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  std::string id = import_one(*store, jane());
  require_saved(*store, filed_letter("D1", "aa11", id));
  PatientRecord renamed = jane();
  renamed.family_name = "Okafor";
  REQUIRE(store->import_patients({renamed}).ok());

  auto hits = store->search(DocumentQuery{.text = "okafor", .limit = 10});
  REQUIRE(hits.ok());
  REQUIRE(hits->size() == 1);
  CHECK(hits->front().patient_name == "OKAFOR, Jane");
  auto old_name = store->search(DocumentQuery{.text = "smith", .limit = 10});
  REQUIRE(old_name.ok());
  CHECK(old_name->empty());
}

TEST_CASE("a malformed search is an error, not a crash", "[store]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("casenote.db")));
  require_saved(*store, letter("D1", "aa11", "some text"));

  auto unbalanced = store->search(DocumentQuery{.text = "\"some text", .limit = 10});
  auto dangling = store->search(DocumentQuery{.text = "some AND", .limit = 10});
  if (backend == "sqlite") {
    REQUIRE_FALSE(unbalanced.ok());
    CHECK(contains(unbalanced.error().message, "searching for \"\"some text\""));
    CHECK(contains(unbalanced.error().message, "unterminated string"));
    REQUIRE_FALSE(dangling.ok());
    CHECK(contains(dangling.error().message, "syntax error"));
  } else {
    // PostgreSQL reads a query in web-search syntax, which has no malformed queries: an unclosed
    // quote runs to the end, and AND is a word like any other.
    REQUIRE(unbalanced.ok());
    CHECK(unbalanced->size() == 1);
    REQUIRE(dangling.ok());
    CHECK(dangling->empty());
  }

  // Blank text is no text query: every document is listed.
  auto blank = store->search(DocumentQuery{.text = "  ", .limit = 10});
  REQUIRE(blank.ok());
  CHECK(blank->size() == 1);

  auto no_limit = store->search(DocumentQuery{.text = "some", .limit = 0});
  REQUIRE_FALSE(no_limit.ok());
  CHECK(no_limit.error().message == "search: the limit must be positive, not 0");

  // The store is still usable afterwards.
  auto fine = store->search(DocumentQuery{.text = "some", .limit = 10});
  REQUIRE(fine.ok());
  CHECK(fine->size() == 1);
}
