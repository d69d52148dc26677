// The evaluation set end to end: samples/generate_eval.py draws some 64 documents (over 100
// pages) full of traps, the real pipeline files them, and extraction must accept no wrong NHS
// number, date of birth or patient name while still finding nearly all of them. Minutes of OCR: tagged [eval].
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "bench/extraction_scoring.h"
#include "store/store.h"
#include "support/temp_dir.h"

using casenote::testing::read_file;
using casenote::testing::TempDir;
using nlohmann::json;

namespace {

const std::string kCli = CASENOTE_BINARY_DIR "/casenote";

// Runs a command line, its output kept for a failure's message.
struct Command {
  int status = -1;
  std::string output;
};

Command run_command(const std::string& command_line) {
  Command command;
  FILE* pipe = popen((command_line + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) command.output.append(buffer, n);
  int status = pclose(pipe);
  command.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return command;
}

void require_success(const std::string& command_line) {
  Command command = run_command(command_line);
  INFO(command_line << "\n" << command.output);
  REQUIRE(command.status == 0);
}

}  // namespace

TEST_CASE("extraction over the evaluation set accepts no wrong NHS number, date of birth or patient name", "[eval][slow]") {
  TempDir dir;
  std::string set = dir.file("set"), db = dir.file("eval.db"), exported = dir.file("export.jsonl");
  require_success("/usr/bin/python3 " CASENOTE_SOURCE_DIR "/samples/generate_eval.py " + set);
  require_success(kCli + " patients import --db " + db + " " + set + "/patients.csv");
  require_success(kCli + " ingest --db " + db + " " + set);
  require_success(kCli + " export --db " + db + " --format jsonl --output " + exported);

  json truth = json::parse(read_file(set + "/ground_truth.json"));
  auto store = casenote::open_sqlite_store(db);
  REQUIRE(store);
  auto score = casenote::bench::score_extraction(
      truth, casenote::bench::documents_by_file(read_file(exported)), [&](const std::string& id) -> std::optional<std::string> {
        auto patient = (*store)->patient(id);
        if (!patient || !*patient) return std::nullopt;
        return (*patient)->nhs_number;
      });
  int pages = 0;
  for (const json& entry : truth) pages += static_cast<int>(entry["pages"].size());
  REQUIRE(score.documents >= 60);
  REQUIRE(pages >= 100);
  CHECK(score.not_exported == 0);

  // Never a document in the wrong patient's notes, nor a wrong value for the fields that decide whose they are.
  CHECK(score.filed_to_wrong_patient == 0);
  CHECK(score.all["nhs_number"].wrong == 0);
  CHECK(score.all["date_of_birth"].wrong == 0);
  // A wrong name would put a stranger's name on a new patient (pipeline/filing.cpp, rule 5):
  // a name OCR read two ways is left out for review instead.
  CHECK(score.all["patient_name"].wrong == 0);
  // And not by refusing everything: the values are found.
  const auto& nhs = score.readable["nhs_number"];
  INFO("NHS numbers on readable documents: " << nhs.correct << " of " << nhs.expected);
  CHECK(nhs.accuracy() >= 0.98);
  for (const char* key : {"date_of_birth", "hospital_number", "document_date"}) {
    INFO(key << ": " << score.all[key].correct << " of " << score.all[key].expected);
    CHECK(score.all[key].accuracy() >= 0.9);
  }
  CHECK(score.filed_documents >= score.expected_filed * 3 / 4);
}
