#include <unistd.h>

#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/commands.h"
#include "app/ingest_console.h"
#include "app/stop_signal.h"
#include "pipeline/ingest.h"
#include "pipeline/watched_folder.h"

namespace casenote {
namespace {

struct WatchOptions {
  std::string db = "casenote.db";
  StoreOptions store;  // how long a write waits for another process's lock
  std::string folder;
  int workers = 0;
  int page_time_limit_s = 300;
  double settle_s = 3;
  double poll_s = 1;
  ArchiveOptions archive;
  bool log_phi = false;  // print review reasons in full, patient identifiers and all
  InputLimits limits;
};

int run_watch(const WatchOptions& options) {
  auto archive = archive_settings(options.archive, options.db);
  if (!archive) return report_failure(archive.error().message);
  auto folder = WatchedFolder::open(options.folder);
  if (!folder) return report_failure(folder.error().message);
  auto store = open_store_or_report(options.db, options.store);
  if (!store) return 1;

  const std::atomic<bool>& stop = stop_on_interrupt();
  IngestConsole console(false, options.log_phi);
  std::mutex folder_mutex;  // the loader takes files while the filer moves them
  auto settle = std::chrono::duration_cast<WatchedFolder::Clock::duration>(std::chrono::duration<double>(options.settle_s));
  auto poll = std::chrono::duration<double>(options.poll_s);

  // Waits for the next complete scan; nothing once a stop is requested.
  std::deque<std::string> ready;
  InputFeed next_scan = [&]() -> std::optional<std::string> {
    while (!stop) {
      if (!ready.empty()) {
        std::string path = ready.front();
        ready.pop_front();
        return path;
      }
      {
        std::lock_guard lock(folder_mutex);
        for (auto& path : folder->take_complete_files(WatchedFolder::Clock::now(), settle))
          ready.push_back(std::move(path));
      }
      if (ready.empty()) {
        auto until = std::chrono::steady_clock::now() + poll;
        while (!stop && std::chrono::steady_clock::now() < until)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    return std::nullopt;
  };

  IngestControl control;
  control.progress = [&](const IngestProgress& p) { console.progress(p); };
  control.input_done = [&](const InputResult& result) {
    console.input_done(result);
    auto destination = result.outcome == InputResult::Outcome::Failed ? WatchedFolder::Destination::Failed
                                                                      : WatchedFolder::Destination::Done;
    std::lock_guard lock(folder_mutex);
    if (auto moved = folder->move(result.path, destination); !moved)
      std::cerr << "casenote: " << moved.error().message << "\n";
  };
  control.stop = &stop;

  std::cerr << "casenote: watching " << options.folder << " (Ctrl-C to stop)\n";
  IngestSettings settings = ingest_settings(options.workers, options.page_time_limit_s, options.limits);
  settings.archive = std::move(*archive);
  auto report = ingest(*store, next_scan, settings, control);
  if (!report) return report_failure(report.error().message);
  console.summary(*report);
  return 0;
}

}  // namespace

void add_watch_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<WatchOptions>();
  auto* command = app.add_subcommand(
      "watch", "file each scan dropped into a folder, then move it to done/ or failed/ there; runs until stopped");
  add_db_option(*command, options->db);
  add_busy_timeout_option(*command, options->store);
  command->add_option("--workers", options->workers, "page workers, each a process (default: one per core)")
      ->check(CLI::Range(0, 256));
  command->add_option("--page-time-limit", options->page_time_limit_s, "seconds a page may take before it fails")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  command->add_option("--settle", options->settle_s, "seconds a scan must stay unchanged before it is taken")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  command->add_option("--poll", options->poll_s, "seconds between looks at the folder")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  add_archive_options(*command, options->archive);
  add_log_phi_flag(*command, options->log_phi);
  add_input_limit_options(*command, options->limits);
  command->add_option("folder", options->folder, "the folder the scanner writes into")->required();
  command->callback([options, &exit_status] { exit_status = run_watch(*options); });
}

}  // namespace casenote
