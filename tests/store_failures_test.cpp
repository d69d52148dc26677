// casenote ingest when the database cannot be written: a full disk, a read-only filesystem, a
// database another process holds locked. Each must end in a clear error naming the database,
// never a crash, and leave no document without its pages.
#include <sqlite3.h>
#include <sys/mount.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "support/cli.h"
#include "support/temp_dir.h"

using casenote::testing::run_cli;
using casenote::testing::TempDir;

namespace {

const std::string kSamples = CASENOTE_SOURCE_DIR "/samples/";

// A tmpfs of `size` mounted on `folder` while this lives. Mounting needs root (CI runs as root);
// without it the test says so and checks nothing.
class SmallFilesystem {
 public:
  SmallFilesystem(const std::string& folder, const std::string& size) : folder_(folder) {
    std::filesystem::create_directories(folder_);
    mounted_ = ::mount("tmpfs", folder_.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0700").c_str()) == 0;
    if (!mounted_) WARN("SKIPPED: cannot mount a tmpfs on " << folder_ << " (needs root): " << std::strerror(errno));
  }
  ~SmallFilesystem() {
    if (mounted_) ::umount2(folder_.c_str(), MNT_DETACH);
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  bool mounted() const { return mounted_; }

  // Makes the filesystem read-only, for root too; or writable again.
  bool make_read_only(bool read_only = true) {
    return ::mount("tmpfs", folder_.c_str(), "tmpfs", MS_REMOUNT | (read_only ? MS_RDONLY : 0), nullptr) == 0;
  }

  // Writes a file at `name` until the filesystem has no space left.
  void fill(const std::string& name) const {
    FILE* out = std::fopen((folder_ + "/" + name).c_str(), "wb");
    REQUIRE(out);
    const std::string block(4096, 'x');
    while (std::fwrite(block.data(), 1, block.size(), out) == block.size() && std::fflush(out) == 0) {
    }
    std::fclose(out);
  }

 private:
  std::string folder_;
  bool mounted_ = false;
};

// The first column of the first row `sql` returns from the database at `db`, as text.
std::string query(const std::string& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0))
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return value;
}

// The store is whole: SQLite finds no damage, and every document has its pages.
void check_store_whole(const std::string& db) {
  CHECK(query(db, "PRAGMA integrity_check") == "ok");
  CHECK(query(db, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                  "(SELECT 1 FROM pages p WHERE p.document_id = d.id)") == "0");
}

// How many documents were made from the input at `path`.
int documents_from(const std::string& db, const std::string& path) {
  return std::stoi(query(db, "SELECT count(*) FROM documents WHERE source = '" + path + "'"));
}

// The files under the archive folder `archive`, temporary ones too; none when it is absent.
std::vector<std::string> archive_files(const std::string& archive) {
  std::vector<std::string> files;
  if (!std::filesystem::exists(archive)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(archive))
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  return files;
}

// Copies two small samples into `dir` and returns their paths.
std::vector<std::string> two_inputs(const TempDir& dir) {
  std::vector<std::string> inputs = {dir.file("referral.pdf"), dir.file("discharge.tif")};
  std::filesystem::copy_file(kSamples + "referral_jones.pdf", inputs[0]);
  std::filesystem::copy_file(kSamples + "discharge_summary_okafor.tif", inputs[1]);
  return inputs;
}

std::string ingest_args(const std::string& db, const std::string& archive, const std::vector<std::string>& inputs) {
  std::string args = "ingest --workers 1 --db '" + db + "' --archive '" + archive + "'";
  for (const auto& input : inputs) args += " '" + input + "'";
  return args;
}

// Holds an exclusive transaction on `db` from another connection until `release` is ready.
void hold_exclusive(const std::string& db, std::promise<void>& held, std::shared_future<void> release) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_exec(handle, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr);
  held.set_value();
  release.wait();
  sqlite3_exec(handle, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(handle);
}

}  // namespace

TEST_CASE("ingest on a full disk fails naming the database, and a rerun with space files each input once",
          "[crash_safety][cli]") {
  TempDir dir;
  SmallFilesystem disk(dir.file("disk"), "2m");
  if (!disk.mounted()) return;
  const std::string db = dir.file("disk/c.db");
  const std::string archive = dir.file("disk/archive");
  REQUIRE(run_cli("patients import --db '" + db + "' " + kSamples + "patients.csv").status == 0);
  const auto inputs = two_inputs(dir);
  // With no room at all the database cannot even be opened; with a little, queuing the inputs
  // fails; with a little more, saving the first document does, after its archive PDF is written.
  const int room_kib = GENERATE(0, 40, 120);
  INFO(room_kib << " KiB left");
  disk.fill("filler");
  const std::string filler = dir.file("disk/filler");
  std::filesystem::resize_file(filler, std::filesystem::file_size(filler) - room_kib * 1024);

  auto full = run_cli(ingest_args(db, archive, inputs));
  INFO(full.output);
  CHECK(full.status != 0);
  CHECK(full.output.find("casenote: " + db + ": ") != std::string::npos);
  CHECK((full.output.find("No space left on device") != std::string::npos ||
         full.output.find("database or disk is full") != std::string::npos));
  // SQLite cannot open a WAL database to check it without room for its shared-memory file.
  std::filesystem::remove(filler);
  check_store_whole(db);
  // A document whose record could not be saved leaves no archive PDF behind.
  CHECK(archive_files(archive).size() == std::stoul(query(db, "SELECT count(*) FROM documents")));

  auto rerun = run_cli(ingest_args(db, archive, inputs));
  INFO(rerun.output);
  CHECK(rerun.status == 0);
  check_store_whole(db);
  for (const auto& input : inputs) CHECK(documents_from(db, input) == 1);
}

TEST_CASE("ingest into a database on a read-only filesystem fails naming the database and writes nothing",
          "[crash_safety][cli]") {
  TempDir dir;
  SmallFilesystem disk(dir.file("disk"), "8m");
  if (!disk.mounted()) return;
  const std::string db = dir.file("disk/c.db");
  REQUIRE(run_cli("patients import --db '" + db + "' " + kSamples + "patients.csv").status == 0);
  REQUIRE(disk.make_read_only());
  const auto inputs = two_inputs(dir);

  auto run = run_cli(ingest_args(db, dir.file("archive"), inputs));
  INFO(run.output);
  CHECK(run.status != 0);
  CHECK(run.output.find("casenote: " + db + ": cannot write database: Read-only file system") != std::string::npos);
  // A database that is not there yet cannot be created.
  const std::string absent = dir.file("disk/new.db");
  auto fresh = run_cli(ingest_args(absent, dir.file("archive"), inputs));
  INFO(fresh.output);
  CHECK(fresh.status != 0);
  CHECK(fresh.output.find("casenote: " + absent + ": cannot create database: Read-only file system") !=
        std::string::npos);
  // SQLite cannot open a WAL database to check it without creating its shared-memory file.
  REQUIRE(disk.make_read_only(false));
  check_store_whole(db);
  CHECK(query(db, "SELECT count(*) FROM documents") == "0");
}

TEST_CASE("ingest waits for another process's lock on the database and then files its inputs",
          "[crash_safety][cli]") {
  TempDir dir;
  const std::string db = dir.file("c.db");
  REQUIRE(run_cli("patients import --db '" + db + "' " + kSamples + "patients.csv").status == 0);
  const auto inputs = two_inputs(dir);

  std::promise<void> held, release;
  std::thread holder(hold_exclusive, db, std::ref(held), release.get_future().share());
  held.get_future().wait();
  auto released = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    release.set_value();
  });
  auto run = run_cli(ingest_args(db, dir.file("archive"), inputs));
  released.wait();
  holder.join();

  INFO(run.output);
  CHECK(run.status == 0);
  check_store_whole(db);
  for (const auto& input : inputs) CHECK(documents_from(db, input) == 1);
}

// With --busy-timeout 1 ingest gives up after about a second of the lock, not the default 10 s.
TEST_CASE("ingest gives up on a database locked beyond its busy timeout with an error naming it",
          "[crash_safety][cli]") {
  TempDir dir;
  const std::string db = dir.file("c.db");
  REQUIRE(run_cli("patients import --db '" + db + "' " + kSamples + "patients.csv").status == 0);
  const auto inputs = two_inputs(dir);

  std::promise<void> held, release;
  std::thread holder(hold_exclusive, db, std::ref(held), release.get_future().share());
  held.get_future().wait();
  const auto start = std::chrono::steady_clock::now();
  auto run = run_cli(ingest_args(db, dir.file("archive"), inputs) + " --busy-timeout 1");
  const auto waited = std::chrono::steady_clock::now() - start;
  release.set_value();
  holder.join();

  INFO(run.output);
  CHECK(run.status != 0);
  CHECK(run.output.find("casenote: " + db + ": ") != std::string::npos);
  CHECK(run.output.find("locked") != std::string::npos);
  CHECK(waited >= std::chrono::seconds(1));
  CHECK(waited < std::chrono::seconds(8));
  check_store_whole(db);
  CHECK(query(db, "SELECT count(*) FROM documents") == "0");
}

TEST_CASE("the busy timeout defaults to 10 seconds, and a bad --busy-timeout is refused in one line", "[crash_safety][cli]") {
  for (const std::string command : {"ingest", "watch", "serve"}) {
    auto help = run_cli(command + " --help");
    INFO(help.output);
    CHECK(help.output.find("--busy-timeout") != std::string::npos);
  }
  TempDir dir;
  for (const std::string bad : {"-1", "soon", "100000"}) {
    auto run = run_cli("ingest --db '" + dir.file("c.db") + "' --busy-timeout " + bad + " " + kSamples);
    INFO(run.output);
    CHECK(run.status != 0);
    CHECK(run.output.find("--busy-timeout") != std::string::npos);
    CHECK(std::count(run.output.begin(), run.output.end(), '\n') <= 2);
    CHECK_FALSE(std::filesystem::exists(dir.file("c.db")));
  }
}

TEST_CASE("ingest sweeps the temporary files a crash mid-write left in its archive, and only those",
          "[crash_safety][cli]") {
  TempDir dir;
  const std::string db = dir.file("c.db");
  const std::string archive = dir.file("archive");
  std::filesystem::create_directories(archive + "/unfiled");
  const std::string abandoned = archive + "/unfiled/.D0.pdf.Ab12Cd";
  const std::string in_progress = archive + "/unfiled/.D9.pdf.Ef34Gh";
  for (const auto& path : {abandoned, in_progress}) std::ofstream(path) << "half a PDF";
  std::filesystem::last_write_time(abandoned, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
  std::vector<std::string> input = {dir.file("referral.pdf")};
  std::filesystem::copy_file(kSamples + "referral_jones.pdf", input[0]);

  auto run = run_cli(ingest_args(db, archive, input));
  INFO(run.output);
  CHECK(run.status == 0);
  CHECK_FALSE(std::filesystem::exists(abandoned));
  CHECK(std::filesystem::exists(in_progress));
}
