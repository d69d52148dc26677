// Watching a scanner's drop folder: scans are taken once complete, filed, and moved to done/ or
// failed/ beside them.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "pipeline/watched_folder.h"
#include "support/cli.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace casenote;
using casenote::testing::TempDir;
using Clock = WatchedFolder::Clock;
using namespace std::chrono_literals;

extern char** environ;

namespace {

const fs::path kSamples = CASENOTE_SOURCE_DIR "/samples";

WatchedFolder open_folder(const TempDir& dir) {
  auto folder = WatchedFolder::open(dir.path().string());
  INFO((folder ? std::string() : folder.error().message));
  REQUIRE(folder.ok());
  return std::move(folder).value();
}

std::vector<std::string> names(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& path : paths) out.push_back(fs::path(path).filename().string());
  return out;
}

// Waits, up to `patience`, for `ready` to hold.
template <class Ready>
bool wait_for(Ready ready, std::chrono::seconds patience) {
  auto until = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < until) {
    if (ready()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return ready();
}

}  // namespace

TEST_CASE("a watched folder gets owner-only done/ and failed/ folders", "[watch]") {
  TempDir dir;
  open_folder(dir);
  for (const char* sub : {"done", "failed"}) {
    struct stat status {};
    REQUIRE(::stat(dir.file(sub).c_str(), &status) == 0);
    CHECK(S_ISDIR(status.st_mode));
    CHECK((status.st_mode & 0777) == 0700);
  }
  CHECK_FALSE(WatchedFolder::open(dir.file("absent")).ok());
}

TEST_CASE("a scan is taken once it has stopped changing, and only once", "[watch]") {
  TempDir dir;
  WatchedFolder folder = open_folder(dir);
  dir.write("scan0001.tif", "part of a scan");
  dir.write(".scan0002.tif.partial", "a scanner's temporary file");
  dir.write("notes.txt", "not a scan");
  auto t0 = Clock::now();
  CHECK(folder.take_complete_files(t0, 3s).empty());  // just seen

  dir.write("scan0001.tif", "part of a scan, and more");  // still being written
  CHECK(folder.take_complete_files(t0 + 2s, 3s).empty());
  CHECK(folder.take_complete_files(t0 + 4s, 3s).empty());  // unchanged for 2 s only

  CHECK(names(folder.take_complete_files(t0 + 5s, 3s)) == std::vector<std::string>{"scan0001.tif"});
  CHECK(folder.take_complete_files(t0 + 9s, 3s).empty());  // taken already
}

TEST_CASE("a done scan is moved beside the others, never over one", "[watch]") {
  TempDir dir;
  WatchedFolder folder = open_folder(dir);
  dir.write("scan0001.tif", "first day");
  dir.write("done/scan0001.tif", "an earlier scan with the same name");
  auto taken = folder.take_complete_files(Clock::now(), 0s);
  REQUIRE(taken.size() == 1);
  auto moved = folder.move(taken[0], WatchedFolder::Destination::Done);
  REQUIRE(moved.ok());
  CHECK(moved.value() == dir.file("done/scan0001-2.tif"));
  CHECK(casenote::testing::read_file(dir.file("done/scan0001.tif")) == "an earlier scan with the same name");
  CHECK(casenote::testing::read_file(dir.file("done/scan0001-2.tif")) == "first day");
  CHECK_FALSE(fs::exists(dir.file("scan0001.tif")));

  dir.write("broken.pdf", "%PDF-");
  auto broken = folder.take_complete_files(Clock::now(), 0s);
  REQUIRE(broken.size() == 1);
  CHECK(folder.move(broken[0], WatchedFolder::Destination::Failed).value() == dir.file("failed/broken.pdf"));
  CHECK_FALSE(folder.move(dir.file("vanished.tif"), WatchedFolder::Destination::Done).ok());
}

TEST_CASE("casenote watch files each scan dropped into the folder until it is stopped", "[watch][e2e][slow]") {
  TempDir dir;
  std::string db = dir.file("casenote.db");
  fs::create_directories(dir.path() / "inbox");
  REQUIRE(casenote::testing::run_cli("patients import --db " + db + " " + (kSamples / "patients.csv").string()).status == 0);

  std::string log = dir.file("watch.log");
  std::vector<std::string> args = {casenote::testing::kCasenote, "watch", "--db", db, "--settle", "0.5", "--poll",
                                   "0.2", dir.file("inbox")};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&files);

  // The scanner drops a letter, a damaged file and, later, the letter again.
  fs::copy_file(kSamples / "clinic_letter_smith.png", dir.path() / "inbox" / "scan0001.png");
  dir.write("inbox/scan0002.png", "\x89PNG\r\n\x1a\n truncated");
  bool filed = wait_for([&] { return fs::exists(dir.file("inbox/done/scan0001.png")); }, 120s);
  bool failed = wait_for([&] { return fs::exists(dir.file("inbox/failed/scan0002.png")); }, 30s);
  fs::copy_file(kSamples / "clinic_letter_smith.png", dir.path() / "inbox" / "scan0003.png");
  bool duplicate = wait_for([&] { return fs::exists(dir.file("inbox/done/scan0003.png")); }, 60s);

  ::kill(pid, SIGTERM);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  std::string output = casenote::testing::read_file(log);
  INFO(output);
  CHECK(filed);
  CHECK(failed);
  CHECK(duplicate);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(output.find("filed        D") != std::string::npos);
  CHECK(output.find("failed       " + dir.file("inbox/scan0002.png") + ": ") != std::string::npos);
  CHECK(output.find("duplicate    " + dir.file("inbox/scan0003.png")) != std::string::npos);
  CHECK(output.find("1 filed, 0 need review, 1 failed, 1 duplicates") != std::string::npos);
  // The filed letter's searchable PDF is in the archive beside the database, as ingest writes it.
  int archived = 0;
  if (fs::is_directory(dir.file("casenote-archive")))
    for (const auto& entry : fs::recursive_directory_iterator(dir.file("casenote-archive")))
      archived += entry.path().extension() == ".pdf";
  CHECK(archived == 1);
}
