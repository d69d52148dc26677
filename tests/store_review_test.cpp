// Review decisions, patient lookups, filtered search and the append-only audit trail.
#include <catch2/catch.hpp>

#include "store/store.h"
#include "support/test_stores.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

std::string import(Store& store, PatientRecord patient) {
  auto summary = store.import_patients({patient});
  REQUIRE(summary.ok());
  auto found = store.patients_by_nhs_number(patient.nhs_number);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  return found->front().id;
}

DocumentRecord letter(const std::string& id, const std::string& text, const std::string& date) {
  DocumentRecord d;
  d.id = id;
  d.source = "/inbox/" + id + ".tif";
  d.sha256 = "sha-" + id;
  d.document_type = "clinic_letter";
  d.status = "needs_review";
  d.filed_by = "scanner1";
  d.review_reasons = {"NHS number not in the patient index"};
  d.text = text;
  d.pages = {{1, 0, 0.5, 90, false, text, {}}};
  d.fields = {{"nhs_number", "9990000018", 0.95, 1, {10, 20, 300, 40}}, {"document_date", date, 0.9, 1, {5, 5, 50, 10}}};
  return d;
}

}  // namespace

TEST_CASE("a review decision changes the document and audits every change", "[store][review]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  std::string jane = import(*store, {"", "9990000018", "H100", "SMITH", "Jane", "1970-03-14", "F", ""});
  DocumentRecord doc = letter("D1", "asthma review", "2024-01-10");
  doc.candidates = {{jane, 0.7, "NHS number agrees"}};
  REQUIRE(store->save_document(doc).ok());

  FilingChange change;
  change.document_id = "D1";
  change.user = "clerk.ann";
  change.action = "correct";
  change.status = "filed";
  change.patient_id = jane;
  change.rule = "manual";
  change.fields = {{"date_of_birth", "1970-03-14", 1.0, 1, {1, 2, 3, 4}}, {"nhs_number", "9990000026", 1.0, 1, {10, 20, 300, 40}}};
  REQUIRE(store->change_filing(change).ok());

  auto after = store->document("D1");
  REQUIRE(after.ok());
  REQUIRE(after->has_value());
  const DocumentRecord& d = **after;
  CHECK(d.status == "filed");
  CHECK(d.patient_id == jane);
  CHECK(d.filing_rule == "manual");
  CHECK(d.review_reasons.empty());
  CHECK(d.candidates.empty());
  REQUIRE(d.fields.size() == 3);
  CHECK(d.fields[0].value == "9990000026");  // corrected in place, keeping its position and box
  CHECK(d.fields[0].box == Box{10, 20, 300, 40});
  CHECK(d.fields[2].name == "date_of_birth");

  auto trail = store->audit_for_document("D1");
  REQUIRE(trail.ok());
  REQUIRE(trail->size() == 5);
  CHECK((*trail)[0].action == "ingest");
  CHECK((*trail)[0].user == "scanner1");
  CHECK((*trail)[0].new_value == "needs_review");
  CHECK((*trail)[1].field == "date_of_birth");
  CHECK((*trail)[1].old_value.empty());
  CHECK((*trail)[2].field == "nhs_number");
  CHECK((*trail)[2].old_value == "9990000018");
  CHECK((*trail)[2].new_value == "9990000026");
  CHECK((*trail)[3].field == "patient");
  CHECK((*trail)[3].new_value == jane);
  CHECK((*trail)[4].field == "status");
  CHECK((*trail)[4].old_value == "needs_review");
  CHECK((*trail)[4].new_value == "filed");
  for (const auto& e : *trail) {
    CHECK_FALSE(e.at.empty());
    if (e.action != "ingest") CHECK(e.user == "clerk.ann");
  }

  auto patient_trail = store->audit_for_patient(jane);
  REQUIRE(patient_trail.ok());
  CHECK(patient_trail->size() >= 4);

  // The search index follows the link: the patient's name now finds the letter.
  auto found = store->search(DocumentQuery{.text = "smith"});
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front().patient_name == "SMITH, Jane");
}

TEST_CASE("a review decision on a missing document or without a patient is refused", "[store][review]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  FilingChange change{"D404", "clerk", "link", "filed", std::string("P000001"), "manual", {}, {}, {}, ""};
  auto missing = store->change_filing(change);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "link document D404: no such document");

  REQUIRE(store->save_document(letter("D1", "text", "2024-01-10")).ok());
  FilingChange no_patient{"D1", "clerk", "accept", "filed", std::nullopt, "", {}, {}, {}, ""};
  CHECK_FALSE(store->change_filing(no_patient).ok());
  FilingChange bad_status{"D1", "clerk", "accept", "archived", std::nullopt, "", {}, {}, {}, ""};
  CHECK_FALSE(store->change_filing(bad_status).ok());
  FilingChange unknown_patient{"D1", "clerk", "link", "filed", std::string("P999999"), "manual", {}, {}, {}, ""};
  CHECK_FALSE(store->change_filing(unknown_patient).ok());
  auto unchanged = store->document("D1");
  REQUIRE(unchanged.ok());
  CHECK((*unchanged)->status == "needs_review");
}

TEST_CASE("the audit trail refuses UPDATE and DELETE, even from another client", "[store][audit]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  std::string path = test::new_store_location(backend, dir.file("c.db"));
  {
    auto store = test::open_test_store(path);
    REQUIRE(store->save_document(letter("D1", "text", "2024-01-10")).ok());
  }
  CHECK_THAT(test::run_raw(path, "UPDATE audit SET \"user\" = 'someone else'").error, Catch::Contains("append-only"));
  CHECK_THAT(test::run_raw(path, "DELETE FROM audit").error, Catch::Contains("append-only"));
  if (backend == "postgresql") CHECK_THAT(test::run_raw(path, "TRUNCATE audit").error, Catch::Contains("append-only"));
  auto store = test::open_test_store(path);
  auto trail = store->audit_for_document("D1");
  REQUIRE(trail.ok());
  REQUIRE(trail->size() == 1);
  CHECK(trail->front().user == "scanner1");
}

TEST_CASE("rejecting keeps the document, with the reason in the audit trail", "[store][review]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  REQUIRE(store->save_document(letter("D1", "text", "2024-01-10")).ok());
  FilingChange reject{"D1", "clerk", "reject", "rejected", std::nullopt, "", {}, {}, {}, "belongs to another trust"};
  REQUIRE(store->change_filing(reject).ok());
  auto d = store->document("D1");
  CHECK((*d)->status == "rejected");
  auto trail = store->audit_for_document("D1");
  CHECK(trail->back().detail == "belongs to another trust");
  auto inputs = store->inputs();
  REQUIRE(inputs->size() == 1);
  CHECK(inputs->front().state == "rejected");
}

TEST_CASE("search filters by patient, type, status, reason and document date", "[store][search]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  std::string jane = import(*store, {"", "9990000018", "H100", "SMITH", "Jane", "1970-03-14", "F", ""});
  DocumentRecord a = letter("DA", "asthma clinic", "2023-05-01");
  DocumentRecord b = letter("DB", "asthma discharge", "2024-02-01");
  b.document_type = "discharge_summary";
  b.status = "filed";
  b.patient_id = jane;
  b.review_reasons = {};
  DocumentRecord c = letter("DC", "fracture clinic", "2024-03-01");
  c.review_reasons = {"date of birth differs from patient P000001"};
  c.candidates = {{jane, 0.6, "NHS number agrees, date of birth differs"}};
  for (const auto& d : {a, b, c}) REQUIRE(store->save_document(d).ok());

  auto ids = [&](const DocumentQuery& q) {
    auto hits = store->search(q);
    REQUIRE(hits.ok());
    std::vector<std::string> out;
    for (const auto& h : *hits) out.push_back(h.document_id);
    return out;
  };
  CHECK(ids({}) == std::vector<std::string>{"DC", "DB", "DA"});  // newest first without a text query
  CHECK(ids({.text = "asthma"}).size() == 2);
  CHECK(ids({.patient_id = jane}) == std::vector<std::string>{"DB"});
  CHECK(ids({.document_type = "discharge_summary"}) == std::vector<std::string>{"DB"});
  CHECK(ids({.status = "needs_review"}) == std::vector<std::string>{"DC", "DA"});
  CHECK(ids({.reason = "date of birth"}) == std::vector<std::string>{"DC"});
  CHECK(ids({.from_date = "2024-01-01"}) == std::vector<std::string>{"DC", "DB"});
  CHECK(ids({.from_date = "2024-01-01", .to_date = "2024-02-28"}) == std::vector<std::string>{"DB"});
  CHECK(ids({.text = "clinic", .status = "needs_review", .to_date = "2023-12-31"}) == std::vector<std::string>{"DA"});

  auto hits = store->search(DocumentQuery{.reason = "date of birth"});
  REQUIRE(hits->size() == 1);
  CHECK(hits->front().suggested_patient_id == jane);
  CHECK(hits->front().document_date == "2024-03-01");
  CHECK(hits->front().review_reasons == std::vector<std::string>{"date of birth differs from patient P000001"});
  CHECK_FALSE(hits->front().created_at.empty());
}

TEST_CASE("patients are found by name, identifier or date of birth, and created with an audit entry", "[store][patients]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("c.db")));
  import(*store, {"", "9990000018", "H100", "SMITH", "Jane Ann", "1970-03-14", "F", ""});
  import(*store, {"", "9990000026", "H200", "SMITHSON", "Omar", "1958-11-02", "M", ""});
  import(*store, {"", "9990000034", "H300", "JONES", "Ann", "1970-03-14", "F", ""});

  auto names = [&](const std::string& text) {
    auto found = store->find_patients(text, 10);
    REQUIRE(found.ok());
    std::vector<std::string> out;
    for (const auto& p : *found) out.push_back(p.family_name);
    return out;
  };
  CHECK(names("smith") == std::vector<std::string>{"SMITH", "SMITHSON"});
  CHECK(names("smith ann") == std::vector<std::string>{"SMITH"});
  CHECK(names("9990000034") == std::vector<std::string>{"JONES"});
  CHECK(names("H200") == std::vector<std::string>{"SMITHSON"});
  CHECK(names("1970-03-14") == std::vector<std::string>{"JONES", "SMITH"});
  CHECK(names("100%").empty());

  auto born = store->patients_born_on("1970-03-14");
  REQUIRE(born.ok());
  CHECK(born->size() == 2);
  auto by_hospital = store->patients_by_hospital_number("H300");
  REQUIRE(by_hospital.ok());
  REQUIRE(by_hospital->size() == 1);
  CHECK(by_hospital->front().family_name == "JONES");

  auto created = store->create_patient({"", "9990000042", "", "NEW", "Person", "2000-01-01", "U", ""}, "clerk");
  REQUIRE(created.ok());
  CHECK(created->id == "P000004");
  auto trail = store->audit_for_patient(created->id);
  REQUIRE(trail.ok());
  REQUIRE(trail->size() == 1);
  CHECK(trail->front().action == "new_patient");
  CHECK(trail->front().user == "clerk");

  auto duplicate = store->create_patient({"", "9990000042", "", "OTHER", "Person", "2001-01-01", "U", ""}, "clerk");
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().message.find("already held by patient P000004") != std::string::npos);
}
