// A review decision that files a document to another patient moves its searchable PDF to the
// name the archive template now gives it, and the store records where it went.
#include <catch2/catch.hpp>

#include <filesystem>

#include "pipeline/review.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kPdfBytes = "%PDF-1.7\n% the archive copy of D1\n%%EOF\n";

struct ArchiveFixture {
  TempDir dir;
  std::unique_ptr<Store> store;
  std::string smith, jones;
  ArchiveSettings archive;

  ArchiveFixture() {
    auto opened = open_sqlite_store(dir.file("c.db"));
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    REQUIRE(store->import_patients({{"", "9434765919", "K100", "SMITH", "John Paul", "1950-03-04", "M", ""},
                                    {"", "9434765870", "K200", "JONES", "Ann", "1961-07-01", "F", ""}})
                .ok());
    smith = store->patients_by_nhs_number("9434765919")->front().id;
    jones = store->patients_by_nhs_number("9434765870")->front().id;
    archive = {dir.file("archive"), "{patient_id}/{document_id}.pdf"};
  }

  // A letter in review whose PDF ingest wrote under unfiled/, Smith suggested.
  void save_letter_in_review() {
    fs::create_directories(dir.path() / "archive" / "unfiled");
    DocumentRecord d;
    d.id = "D1";
    d.source = "/scans/1.tif";
    d.sha256 = "aa";
    d.document_type = "clinic_letter";
    d.status = "needs_review";
    d.filed_by = "scanner";
    d.review_reasons = {"date of birth differs"};
    d.candidates = {{smith, 0.8, "NHS number"}};
    d.text = "Patient: Mr John Paul SMITH";
    d.pages = {{1, 0, 0, 90, false, d.text, {}}};
    d.archive_path = dir.write("archive/unfiled/D1.pdf", kPdfBytes);
    REQUIRE(store->save_document(d).ok());
  }
};

}  // namespace

TEST_CASE("the store keeps where a document's searchable PDF is", "[review][archive]") {
  ArchiveFixture f;
  f.save_letter_in_review();
  CHECK((*f.store->document("D1"))->archive_path == f.dir.file("archive/unfiled/D1.pdf"));
}

TEST_CASE("filing a document from review moves its PDF to the patient's name, audited", "[review][archive]") {
  ArchiveFixture f;
  f.save_letter_in_review();
  auto accepted = accept_suggestion(*f.store, "D1", "clerk", f.archive);
  REQUIRE(accepted.ok());
  const std::string moved = f.dir.file("archive/" + f.smith + "/D1.pdf");
  CHECK(accepted->archive_path == moved);
  CHECK((*f.store->document("D1"))->archive_path == moved);
  CHECK(casenote::testing::read_file(moved) == kPdfBytes);
  CHECK((fs::status(moved).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  CHECK_FALSE(fs::exists(f.dir.file("archive/unfiled/D1.pdf")));
  auto trail = f.store->audit_for_document("D1");
  REQUIRE(trail.ok());
  bool audited = false;
  for (const auto& entry : *trail)
    audited |= entry.field == "archive_path" && entry.old_value == f.dir.file("archive/unfiled/D1.pdf") &&
               entry.new_value == moved && entry.user == "clerk";
  CHECK(audited);

  // Linked to another patient, it moves again, and never over a file already there.
  fs::create_directories(f.dir.path() / "archive" / f.jones);
  f.dir.write("archive/" + f.jones + "/D1.pdf", "someone else's file");
  auto relinked = link_document(*f.store, "D1", f.jones, "clerk", f.archive);
  REQUIRE(relinked.ok());
  CHECK(relinked->archive_path == f.dir.file("archive/" + f.jones + "/D1-2.pdf"));
  CHECK(casenote::testing::read_file(relinked->archive_path) == kPdfBytes);
  CHECK(casenote::testing::read_file(f.dir.file("archive/" + f.jones + "/D1.pdf")) == "someone else's file");
  CHECK_FALSE(fs::exists(moved));
}

TEST_CASE("a PDF whose name does not change, or with no archive given, stays where it is", "[review][archive]") {
  ArchiveFixture f;
  f.save_letter_in_review();
  f.archive.name_template = "{document_id}.pdf";
  auto linked = link_document(*f.store, "D1", f.smith, "clerk", f.archive);
  REQUIRE(linked.ok());
  CHECK(linked->archive_path == f.dir.file("archive/unfiled/D1.pdf"));
  auto relinked = link_document(*f.store, "D1", f.jones, "clerk");
  REQUIRE(relinked.ok());
  CHECK(relinked->archive_path == f.dir.file("archive/unfiled/D1.pdf"));
  CHECK(fs::exists(relinked->archive_path));
}

TEST_CASE("a PDF that cannot be read stops the decision, changing nothing", "[review][archive]") {
  ArchiveFixture f;
  f.save_letter_in_review();
  fs::remove(f.dir.file("archive/unfiled/D1.pdf"));
  auto accepted = accept_suggestion(*f.store, "D1", "clerk", f.archive);
  REQUIRE_FALSE(accepted.ok());
  CHECK(accepted.error().message ==
        "document D1: its searchable PDF " + f.dir.file("archive/unfiled/D1.pdf") + " cannot be read");
  CHECK((*f.store->document("D1"))->status == "needs_review");
}
