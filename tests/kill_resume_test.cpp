// Crash safety: `casenote ingest` is killed with SIGKILL at random moments, several times, and
// then run to the end. Every input must end stored exactly once (or failed, with its reason),
// and the database must pass SQLite's integrity check.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "support/cli.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using casenote::testing::kCasenote;
using casenote::testing::run_cli;
using casenote::testing::TempDir;

extern char** environ;

namespace {

const fs::path kSamples = CASENOTE_SOURCE_DIR "/samples";

// Runs `sql` and returns its rows, columns joined by '|'.
std::vector<std::string> query(const std::string& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::vector<std::string> rows;
  auto collect = [](void* out, int columns, char** values, char**) {
    std::string row;
    for (int i = 0; i < columns; ++i) row += (i ? "|" : "") + std::string(values[i] ? values[i] : "NULL");
    static_cast<std::vector<std::string>*>(out)->push_back(row);
    return 0;
  };
  char* error = nullptr;
  int rc = sqlite3_exec(handle, sql.c_str(), collect, &rows, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(handle);
  INFO(message);
  REQUIRE(rc == SQLITE_OK);
  return rows;
}

// Starts `casenote ingest` and SIGKILLs it after `delay`, unless it has finished by then.
void ingest_and_kill(const std::string& db, const std::string& folder, std::chrono::milliseconds delay) {
  std::vector<std::string> args = {kCasenote, "ingest", "--db", db, folder};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, kCasenote.c_str(), &files, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&files);
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
}

}  // namespace

TEST_CASE("an ingest killed at random moments and run again stores every input exactly once",
          "[e2e][slow][crash]") {
  TempDir dir;
  std::string db = dir.file("casenote.db");
  fs::create_directories(dir.path() / "batch");
  for (const char* name : {"clinic_letter_smith.png", "clinic_letter_nowak.jpg", "lab_report_brown.tif",
                           "referral_jones.pdf"})
    fs::copy_file(kSamples / name, dir.path() / "batch" / name);
  fs::copy_file(kSamples / "clinic_letter_smith.png", dir.path() / "batch" / "smith-again.png");
  dir.write("batch/truncated.png", casenote::testing::read_file((kSamples / "clinic_letter_nowak.jpg").string()).substr(0, 500));
  REQUIRE(run_cli("patients import --db " + db + " " + (kSamples / "patients.csv").string()).status == 0);

  // Kills spread over a run's life: while the workers load their models, while pages are
  // recognised, while documents are stored.
  std::random_device device;
  unsigned seed = device();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(200, 6000);
  for (int kill = 0; kill < 20; ++kill) ingest_and_kill(db, dir.file("batch"), std::chrono::milliseconds(delay_ms(random)));

  auto finished = run_cli("ingest --db " + db + " " + dir.file("batch"));
  INFO(finished.output);
  CHECK(finished.status == 1);  // the truncated file fails, every time

  CHECK(query(db, "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
  CHECK(query(db, "PRAGMA foreign_key_check").empty());
  // Four readable inputs with different bytes: four documents, none twice.
  CHECK(query(db, "SELECT count(*) FROM documents") == std::vector<std::string>{"4"});
  CHECK(query(db, "SELECT sha256 FROM documents GROUP BY sha256 HAVING count(*) > 1").empty());
  CHECK(query(db, "SELECT count(*) FROM pages") == std::vector<std::string>{"4"});
  CHECK(query(db, "SELECT count(*) FROM documents_fts") == std::vector<std::string>{"4"});
  // Every input ended: stored (the copy as its original's duplicate) or failed with a reason.
  std::map<std::string, std::string> by_name;
  for (const auto& row : query(db, "SELECT path, state, reason <> '' FROM inputs")) {
    auto bar = row.find('|');
    by_name[fs::path(row.substr(0, bar)).filename().string()] = row.substr(bar + 1);
  }
  CHECK(by_name.size() == 6);
  for (const char* name : {"clinic_letter_smith.png", "clinic_letter_nowak.jpg", "lab_report_brown.tif",
                           "referral_jones.pdf"}) {
    INFO(name);
    CHECK((by_name[name] == "filed|0" || by_name[name] == "needs_review|0"));
  }
  CHECK(by_name["smith-again.png"] == by_name["clinic_letter_smith.png"]);

  // The archive shows only whole PDFs: a kill leaves no file half written under a PDF's name.
  int pdfs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "casenote-archive")) {
    if (!entry.is_regular_file()) continue;
    INFO(entry.path());
    const std::string name = entry.path().filename().string();
    if (name.front() == '.') continue;  // a temporary file, never opened by a reader
    CHECK(entry.path().extension() == ".pdf");
    CHECK(casenote::testing::read_file(entry.path().string()).rfind("%%EOF") != std::string::npos);
    ++pdfs;
  }
  CHECK(pdfs >= 4);
  CHECK(by_name["truncated.png"] == "failed|1");
}
