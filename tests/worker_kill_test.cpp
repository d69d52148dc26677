// Workers on several hosts sharing one PostgreSQL queue: one is killed with SIGKILL mid-batch,
// and the others finish its inputs once its claims lapse. Every input is stored exactly once.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "support/cli.h"
#include "support/temp_dir.h"
#include "support/test_stores.h"

namespace fs = std::filesystem;
using namespace casenote;
using casenote::testing::kCasenote;
using casenote::testing::run_cli;
using casenote::testing::TempDir;
using namespace std::chrono_literals;

extern char** environ;

namespace {

const fs::path kSamples = CASENOTE_SOURCE_DIR "/samples";

// Starts `casenote worker` named `name`, its output in `log`.
pid_t start_worker(const std::string& db, const std::string& archive, const std::string& name, const std::string& log) {
  std::vector<std::string> args = {kCasenote, "worker", "--db", db, "--archive", archive, "--name", name,
                                   "--workers", "1", "--lease", "3", "--until-empty"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, kCasenote.c_str(), &files, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&files);
  return pid;
}

// Waits for `pid` to exit, up to `limit`; its exit status, or -1 when it had to be killed.
int wait_for(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(100ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> column(const test::RawResult& result) {
  std::vector<std::string> out;
  for (const auto& row : result.rows) out.push_back(row.at(0));
  return out;
}

}  // namespace

TEST_CASE("three workers share a queue: one killed mid-batch, the others finish its inputs once its lease lapses",
          "[e2e][queue][crash]") {
  TempDir dir;
  const std::string db = test::new_store_location("postgresql", dir.file("unused.db"));
  const std::string archive = dir.file("archive");
  // Nine inputs with different bytes: three scans, each three times with different trailing
  // bytes, which the image readers ignore.
  fs::create_directories(dir.path() / "shared");
  std::vector<std::string> names;
  for (const char* sample : {"clinic_letter_smith.png", "clinic_letter_nowak.jpg", "lab_report_brown.tif"}) {
    const std::string bytes = casenote::testing::read_file((kSamples / sample).string());
    for (int copy = 1; copy <= 3; ++copy) {
      names.push_back(std::to_string(copy) + "-" + sample);
      dir.write("shared/" + names.back(), bytes + "copy " + std::to_string(copy));
    }
  }
  REQUIRE(run_cli("patients import --db '" + db + "' " + (kSamples / "patients.csv").string()).status == 0);
  auto enqueued = run_cli("enqueue --db '" + db + "' " + dir.file("shared"));
  INFO(enqueued.output);
  REQUIRE(enqueued.status == 0);

  pid_t victim = start_worker(db, archive, "victim", dir.file("victim.log"));
  // The victim first, so that it holds a claim when it dies.
  std::vector<std::string> held;
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (held.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    held = column(test::run_raw(db, "SELECT path FROM inputs WHERE worker = 'victim' AND state = 'processing'"));
  }
  pid_t second = start_worker(db, archive, "second", dir.file("second.log"));
  pid_t third = start_worker(db, archive, "third", dir.file("third.log"));
  // Killed while it holds a claim, which stays until its lease lapses.
  do {
    held = column(test::run_raw(db, "SELECT path FROM inputs WHERE worker = 'victim' AND state = 'processing'"));
  } while (held.empty() && std::chrono::steady_clock::now() < deadline);
  ::kill(victim, SIGKILL);
  ::waitpid(victim, nullptr, 0);
  REQUIRE_FALSE(held.empty());
  CHECK(wait_for(second, 300s) == 0);
  CHECK(wait_for(third, 300s) == 0);
  INFO("second: " << casenote::testing::read_file(dir.file("second.log")));
  INFO("third: " << casenote::testing::read_file(dir.file("third.log")));

  // Every input stored once, as one document of its own bytes.
  auto states = test::run_raw(db, "SELECT state, count(*) FROM inputs GROUP BY state ORDER BY state");
  REQUIRE(states.error.empty());
  int stored = 0;
  for (const auto& row : states.rows) {
    INFO(row[0]);
    CHECK((row[0] == "filed" || row[0] == "needs_review"));
    stored += std::stoi(row[1]);
  }
  CHECK(stored == 9);
  CHECK(column(test::run_raw(db, "SELECT count(*) FROM documents")) == std::vector<std::string>{"9"});
  CHECK(column(test::run_raw(db, "SELECT count(DISTINCT sha256) FROM documents")) == std::vector<std::string>{"9"});
  CHECK(column(test::run_raw(db, "SELECT count(*) FROM documents_fts")) == std::vector<std::string>{"9"});
  // What the victim held when it died was finished by the others.
  for (const auto& path : held) {
    INFO(path);
    auto finisher = column(test::run_raw(db, "SELECT worker FROM inputs WHERE path = '" + path + "'"));
    REQUIRE(finisher.size() == 1);
    CHECK((finisher[0] == "second" || finisher[0] == "third"));
  }
  // The status the operators see agrees.
  auto status = run_cli("status --db '" + db + "'");
  CHECK(status.status == 0);
  CHECK_THAT(status.output, Catch::Contains("queued 0, processing 0"));
}

TEST_CASE("the queue commands refuse what they cannot do in one line naming why", "[queue][cli]") {
  TempDir dir;
  // No shared archive: with a PostgreSQL store the PDFs have no folder beside it.
  auto no_archive = run_cli("worker --db postgresql://casenote@127.0.0.1:1/none --until-empty");
  CHECK(no_archive.status == 2);
  CHECK_THAT(no_archive.output, Catch::Contains("a PostgreSQL store needs --archive DIR"));

  // A server that is not there is named, without any password the URL held.
  auto unreachable = run_cli("status --db postgresql://casenote:secret@127.0.0.1:1/none");
  CHECK(unreachable.status == 1);
  CHECK_THAT(unreachable.output, Catch::Contains("postgresql://casenote:***@127.0.0.1:1/none: cannot connect"));
  CHECK_THAT(unreachable.output, !Catch::Contains("secret"));

  // A path that does not exist is named, and nothing is queued.
  const std::string db = dir.file("queue.db");
  auto missing = run_cli("enqueue --db " + db + " " + dir.file("no-such-folder"));
  CHECK(missing.status == 1);
  CHECK_THAT(missing.output, Catch::Contains(dir.file("no-such-folder") + ": no such file or folder"));

  // A lease too short to renew within is refused before anything starts.
  auto short_lease = run_cli("worker --db " + db + " --lease 1 --until-empty");
  CHECK(short_lease.status != 0);
  CHECK_THAT(short_lease.output, Catch::Contains("--lease"));
}
