#include <fmt/format.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "app/commands.h"
#include "app/ingest_console.h"
#include "app/stop_signal.h"
#include "pipeline/code_lists.h"
#include "pipeline/extraction_config.h"
#include "pipeline/ingest.h"
#include "pipeline/input_files.h"

namespace casenote {
namespace {

struct IngestOptions {
  std::string db = "casenote.db";
  StoreOptions store;  // how long a write waits for another process's lock
  int workers = 0;
  int page_time_limit_s = 300;
  ArchiveOptions archive;
  std::vector<std::string> paths;
  std::string config;  // the extraction configuration file; empty: the defaults
  std::vector<std::string> code_lists;  // "SYSTEM=FILE" each
  std::string user;
  LinkingPolicy linking;
  bool log_phi = false;  // print review reasons in full, patient identifiers and all
  InputLimits limits;
};

// What `ingest` and `worker` share: the store opened and the settings their options give.
struct PreparedRun {
  std::unique_ptr<Store> store;
  IngestSettings settings;
};

// Loads the configuration the options name and opens the store. When it cannot, it prints why,
// leaves the command's exit status in `failed_status` and returns nothing.
std::optional<PreparedRun> prepare_run(const IngestOptions& options, int& failed_status) {
  ExtractionOptions extraction;
  if (!options.config.empty()) {
    auto configured = load_extraction_config(options.config);
    if (!configured) return failed_status = report_failure(configured.error().message), std::nullopt;
    extraction = std::move(*configured);
  }
  auto code_lists = load_code_lists(options.code_lists);
  if (!code_lists) return failed_status = report_failure(code_lists.error().message), std::nullopt;
  extraction.code_lists = std::move(*code_lists);

  auto archive = archive_settings(options.archive, options.db);
  if (!archive) return failed_status = report_failure(archive.error().message), std::nullopt;
  auto store = open_store_or_report(options.db, options.store);
  if (!store) return failed_status = 1, std::nullopt;

  PreparedRun run{std::move(store), ingest_settings(options.workers, options.page_time_limit_s, options.limits)};
  run.settings.archive = std::move(*archive);
  run.settings.extraction = std::move(extraction);
  run.settings.linking = options.linking;
  run.settings.user = options.user;
  return run;
}

int run_ingest(const IngestOptions& options) {
  InputList inputs = collect_inputs(options.paths);
  for (const auto& missing : inputs.missing) std::cerr << "casenote: " << missing << ": no such file or folder\n";
  if (inputs.files.empty() && !inputs.missing.empty()) return 1;
  int failed_status = 1;
  auto run = prepare_run(options, failed_status);
  if (!run) return failed_status;

  IngestConsole console(isatty(STDERR_FILENO), options.log_phi);
  IngestControl control;
  control.progress = [&](const IngestProgress& p) { console.progress(p); };
  control.input_done = [&](const InputResult& r) { console.input_done(r); };
  control.stop = &stop_on_interrupt();
  auto report = ingest_batch(*run->store, inputs.files, run->settings, control);
  if (!report) return report_failure(report.error().message);
  if (!inputs.ignored.empty())
    fmt::print("ignored {} files in folders that are not images or PDFs\n", inputs.ignored.size());
  console.summary(*report);
  if (report->inputs_abandoned > 0) return 130;
  return report->inputs_failed == 0 && inputs.missing.empty() ? 0 : 1;
}

// How a worker takes its inputs from a queue shared with workers on other hosts.
struct WorkerOptions {
  std::string name;  // empty: host:pid
  int lease_s = 60;
  bool until_empty = false;
};

// Renews a worker's claims every third of its lease, on a connection of its own, until stopped.
class ClaimRenewer {
 public:
  ClaimRenewer(std::unique_ptr<Store> store, std::string worker, std::chrono::seconds lease)
      : store_(std::move(store)), worker_(std::move(worker)), lease_(lease), thread_([this] { run(); }) {}
  ~ClaimRenewer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, lease_ / 3, [this] { return stopping_; })) {
      // A renewal that fails (the database briefly away) is tried again next time; only a claim
      // left unrenewed for a whole lease goes to another worker.
      if (auto renewed = store_->renew_claims(worker_, lease_); !renewed)
        std::cerr << "casenote: worker " << worker_ << ": " << renewed.error().message << "\n";
    }
  }

  std::unique_ptr<Store> store_;
  const std::string worker_;
  const std::chrono::seconds lease_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once the members it reads are ready
};

std::string this_host_and_process() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "host");
  return fmt::format("{}:{}", host, ::getpid());
}

int run_worker(const IngestOptions& options, const WorkerOptions& worker_options) {
  int failed_status = 1;
  auto run = prepare_run(options, failed_status);
  if (!run) return failed_status;
  const std::string worker = worker_options.name.empty() ? this_host_and_process() : worker_options.name;
  const std::chrono::seconds lease(worker_options.lease_s);
  // Claims and renewals go over connections of their own: the pipeline's store is its filer's.
  auto claims = open_store_or_report(options.db, options.store);
  auto renewals = open_store_or_report(options.db, options.store);
  if (!claims || !renewals) return 1;
  ClaimRenewer renewer(std::move(renewals), worker, lease);

  const std::atomic<bool>& stop = stop_on_interrupt();
  std::optional<Error> failure;
  InputFeed next_input = [&]() -> std::optional<std::string> {
    for (;;) {
      if (stop) return std::nullopt;
      auto claimed = claims->claim_input(worker, lease);
      if (!claimed) return failure = claimed.error(), std::nullopt;
      if (*claimed) return *claimed;
      // Nothing to claim. Another worker's inputs may yet come back to the queue if it dies, so
      // --until-empty waits until no input is queued or being processed anywhere.
      if (worker_options.until_empty) {
        auto queue = claims->queue_status(std::chrono::minutes(1));
        if (!queue) return failure = queue.error(), std::nullopt;
        if (queue->queued + queue->processing == 0) return std::nullopt;
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  };

  IngestConsole console(isatty(STDERR_FILENO), options.log_phi);
  IngestControl control;
  control.progress = [&](const IngestProgress& p) { console.progress(p); };
  control.input_done = [&](const InputResult& r) { console.input_done(r); };
  control.stop = &stop;
  auto report = ingest(*run->store, next_input, run->settings, control);
  // A stop leaves unfinished inputs claimed; the other workers should not wait out the lease.
  if (auto released = claims->release_claims(worker); !released) return report_failure(released.error().message);
  if (!report) return report_failure(report.error().message);
  if (failure) return report_failure(failure->message);
  console.summary(*report);
  if (report->inputs_abandoned > 0) return 130;
  return report->inputs_failed == 0 ? 0 : 1;
}

// The options `ingest` and `worker` share.
void add_run_options(CLI::App& command, IngestOptions& options) {
  add_db_option(command, options.db);
  add_busy_timeout_option(command, options.store);
  command.add_option("--workers", options.workers, "page workers, each a process (default: one per core)")
      ->check(CLI::Range(0, 256));
  command.add_option("--page-time-limit", options.page_time_limit_s, "seconds a page may take before it fails")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  add_archive_options(command, options.archive);
  add_user_option(command, options.user);
  command.add_flag("--create-patients", options.linking.create_patients,
                   "archive migration: a document whose patient is not in the index creates them from its valid "
                   "NHS number, name and date of birth");
  command.add_flag("--file-on-name-and-dob", options.linking.file_on_name_and_date_of_birth,
                   "file a document whose name and date of birth match exactly one patient (default: review)");
  command.add_option("--config", options.config,
                     "extraction configuration: the trust's labels, hospital number shapes, letterhead and NHS "
                     "number ranges (docs/extraction.md)");
  command.add_option("--code-list", options.code_lists,
                     "SYSTEM=FILE: the clinical codes that exist, with descriptions (CSV code,description); "
                     "SYSTEM icd10, opcs4 or snomed_ct; repeat for each system (docs/events.md)");
  add_log_phi_flag(command, options.log_phi);
  add_input_limit_options(command, options.limits);
}

}  // namespace

IngestSettings ingest_settings(int workers, int page_time_limit_s, const InputLimits& limits) {
  IngestSettings settings;
  settings.workers = workers;
  settings.ocr.time_limit_ms = page_time_limit_s * 1000;
  // The workers open the inputs, so the limits travel on their command line (page-worker takes
  // the same options).
  settings.worker_command = {"/proc/self/exe",
                             "page-worker",
                             "--max-image-side=" + std::to_string(limits.max_image_side),
                             "--max-image-pixels=" + std::to_string(limits.max_image_pixels),
                             "--max-pages=" + std::to_string(limits.max_pages),
                             "--max-pdf-nesting=" + std::to_string(limits.max_pdf_nesting),
                             "--max-pdf-objects=" + std::to_string(limits.max_pdf_objects)};
  return settings;
}

void add_ingest_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<IngestOptions>();
  auto* command = app.add_subcommand("ingest", "OCR scanned files and folders and file them to patients");
  add_run_options(*command, *options);
  command->add_option("paths", options->paths, "files or folders (walked recursively)")->required();
  command->callback([options, &exit_status] { exit_status = run_ingest(*options); });
}

void add_worker_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<IngestOptions>();
  auto worker = std::make_shared<WorkerOptions>();
  auto* command = app.add_subcommand(
      "worker", "OCR and file inputs from a queue shared with workers on other hosts (casenote enqueue)");
  add_run_options(*command, *options);
  command->add_option("--name", worker->name, "this worker's name in the queue (default: host:pid)");
  command->add_option("--lease", worker->lease_s,
                      "seconds a claimed input stays this worker's without renewal; renewed every third of it, "
                      "so a dead worker's inputs go back to the queue this long after it stops")
      ->capture_default_str()
      ->check(CLI::Range(3, 86400));
  command->add_flag("--until-empty", worker->until_empty,
                    "stop once no input is queued or being processed anywhere (default: wait for more)");
  command->callback([options, worker, &exit_status] { exit_status = run_worker(*options, *worker); });
}

}  // namespace casenote
