// End to end: the CLI ingests the bundled samples, together with broken files, and the export
// must give what the samples' generator says it drew.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/temp_dir.h"
#include "support/text_distance.h"

namespace fs = std::filesystem;
using casenote::testing::read_file;
using casenote::testing::TempDir;
using nlohmann::json;

namespace {

const std::string kCli = CASENOTE_BINARY_DIR "/casenote";
const fs::path kSamples = CASENOTE_SOURCE_DIR "/samples";

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr together
};

Run run(const std::string& args) {
  Run r;
  FILE* pipe = popen((kCli + " " + args + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) r.output.append(buffer, n);
  int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::map<std::string, json> export_by_file(const std::string& db) {
  Run exported = run("export --db " + db + " --format jsonl");
  REQUIRE(exported.status == 0);
  std::map<std::string, json> documents;
  std::istringstream lines(exported.output);
  for (std::string line; std::getline(lines, line);) {
    json document = json::parse(line);
    documents[fs::path(document["source"].get<std::string>()).filename().string()] = document;
  }
  return documents;
}

json ground_truth() { return json::parse(read_file((kSamples / "ground_truth.json").string())); }

// A batch folder: every sample plus the broken files a scanning room produces.
std::vector<std::string> make_batch(const TempDir& dir) {
  fs::create_directories(dir.path() / "batch");
  for (const auto& entry : ground_truth()) {
    std::string name = entry["file"];
    fs::copy_file(kSamples / name, dir.path() / "batch" / name);
  }
  std::string png = read_file((kSamples / "clinic_letter_smith.png").string());
  std::string tiff = read_file((kSamples / "discharge_summary_okafor.tif").string());
  std::string pdf = read_file((kSamples / "lab_report_patel.pdf").string());
  dir.write("batch/zero.png", "");
  dir.write("batch/truncated.png", png.substr(0, png.size() / 3));
  dir.write("batch/truncated.tif", tiff.substr(0, 200));
  dir.write("batch/truncated.pdf", pdf.substr(0, pdf.size() / 2));
  dir.write("batch/letter.png", "This is a text file named like an image.\n");
  dir.write("batch/no-image.pdf",
            "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
            "trailer<</Root 1 0 R>>\n%%EOF\n");
  return {"zero.png", "truncated.png", "truncated.tif", "truncated.pdf", "letter.png", "no-image.pdf"};
}

}  // namespace

TEST_CASE("ingesting the samples files what their ground truth says, and bad files fail alone", "[e2e][slow]") {
  TempDir dir;
  std::vector<std::string> broken = make_batch(dir);
  std::string db = dir.file("casenote.db");

  Run imported = run("patients import --db " + db + " " + (kSamples / "patients.csv").string());
  INFO(imported.output);
  REQUIRE(imported.status == 0);

  Run ingested = run("ingest --db " + db + " " + dir.file("batch"));
  INFO(ingested.output);
  CHECK(ingested.status == 1);  // some inputs failed
  for (const auto& name : broken) {
    // One line per broken file, naming it and giving a reason.
    std::string prefix = "failed       " + dir.file("batch/" + name) + ": ";
    auto at = ingested.output.find(prefix);
    REQUIRE(at != std::string::npos);
    auto end = ingested.output.find('\n', at);
    CHECK(end - at > prefix.size());
  }

  auto documents = export_by_file(db);
  auto truth = ground_truth();
  CHECK(documents.size() == truth.size());
  for (const auto& expected : truth) {
    std::string name = expected["file"];
    INFO(name);
    REQUIRE(documents.count(name) == 1);
    const json& got = documents[name];
    CHECK(got["schema"] == "casenote.document/1");
    CHECK(got["status"] == expected["expected_status"]);
    CHECK(got["document_type"] == expected["document_type"]);
    CHECK(got["patient_id"].is_null() == (expected["expected_status"] != "filed"));
    for (const auto& [key, value] : expected["fields"].items()) {
      INFO(key);
      REQUIRE(got["fields"].contains(key));
      CHECK(got["fields"][key]["value"] == value);
      CHECK(got["fields"][key]["bbox"].size() == 4);
    }
    REQUIRE(got["pages"].size() == expected["pages"].size());
    for (size_t i = 0; i < expected["pages"].size(); ++i) {
      const json& page = got["pages"][i];
      const json& want = expected["pages"][i];
      INFO("page " << i + 1);
      CHECK(page["rotation_degrees"] == want["rotation_degrees"]);
      CHECK(std::abs(page["skew_degrees"].get<double>() - want["skew_degrees"].get<double>()) < 0.3);
      double cer = casenote::testing::character_error_rate(page["text"], want["text"]);
      INFO("character error rate " << cer);
      CHECK(cer < 0.05);
    }
  }

  // The same batch again: everything is already stored, nothing is filed twice.
  Run again = run("ingest --db " + db + " " + dir.file("batch"));
  INFO(again.output);
  CHECK(export_by_file(db).size() == truth.size());
  CHECK(again.output.find("0 filed, 0 need review") != std::string::npos);

  // The store is full-text searchable and shows the patient.
  Run found = run("search --db " + db + " --json apixaban");
  REQUIRE(found.status == 0);
  CHECK(found.output.find("SMITH, John Paul") != std::string::npos);
}

TEST_CASE("usage errors are one clear line", "[e2e]") {
  Run no_args = run("ingest");
  CHECK(no_args.status != 0);
  CHECK(no_args.output.find("paths is required") != std::string::npos);

  TempDir dir;
  Run missing = run("ingest --db " + dir.file("x.db") + " " + dir.file("absent-folder"));
  CHECK(missing.status == 1);
  CHECK(missing.output.find("absent-folder: no such file or folder") != std::string::npos);

  Run bad_format = run("export --db " + dir.file("x.db") + " --format xml");
  CHECK(bad_format.status == 2);
  CHECK(bad_format.output.find("unknown export format 'xml'") != std::string::npos);
}
