// The queue that workers on many hosts share (an archive migration): `enqueue` registers inputs
// and `status` shows how the work stands. `worker` (ingest_command.cpp) does the work.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "pipeline/input_files.h"

namespace casenote {
namespace {

struct EnqueueOptions {
  std::string db = "casenote.db";
  StoreOptions store;
  std::vector<std::string> paths;
};

int run_enqueue(const EnqueueOptions& options) {
  InputList inputs = collect_inputs(options.paths);
  for (const auto& missing : inputs.missing) std::cerr << "casenote: " << missing << ": no such file or folder\n";
  if (inputs.files.empty()) return inputs.missing.empty() ? 0 : 1;
  // Workers on other hosts open the same paths: they must not depend on this one's current folder.
  std::vector<std::string> paths;
  paths.reserve(inputs.files.size());
  for (const auto& file : inputs.files) paths.push_back(std::filesystem::absolute(file).lexically_normal().string());
  auto store = open_store_or_report(options.db, options.store);
  if (!store) return 1;
  if (auto queued = store->queue_inputs(paths); !queued) return report_failure(queued.error().message);
  auto queue = store->queue_status(std::chrono::minutes(1));
  if (!queue) return report_failure(queue.error().message);
  fmt::print("enqueued {} inputs; the queue now holds {} waiting and {} being processed\n", paths.size(),
             queue->queued, queue->processing);
  if (!inputs.ignored.empty())
    fmt::print("ignored {} files in folders that are not images or PDFs\n", inputs.ignored.size());
  return inputs.missing.empty() ? 0 : 1;
}

struct StatusOptions {
  std::string db = "casenote.db";
  int window_minutes = 10;
};

int run_status(const StatusOptions& options) {
  auto store = open_store_or_report(options.db);
  if (!store) return 1;
  auto queue = store->queue_status(std::chrono::minutes(options.window_minutes));
  if (!queue) return report_failure(queue.error().message);
  fmt::print("queued {}, processing {}", queue->queued, queue->processing);
  if (queue->expired > 0) fmt::print(" ({} of them from workers that stopped renewing their claims)", queue->expired);
  fmt::print("\nfiled {}, needs review {}, rejected {}, failed {}\n", queue->filed, queue->needs_review,
             queue->rejected, queue->failed);
  if (queue->workers.empty()) return 0;
  fmt::print("\n{:<32} {:>10} {:>10} {:>8} {:>10}\n", "worker", "processing",
             fmt::format("done/{}m", options.window_minutes), "pages", "pages/min");
  for (const auto& worker : queue->workers)
    fmt::print("{:<32} {:>10} {:>10} {:>8} {:>10.1f}\n", worker.worker, worker.processing, worker.finished,
               worker.pages, worker.pages / static_cast<double>(options.window_minutes));
  return 0;
}

}  // namespace

void add_queue_commands(CLI::App& app, int& exit_status) {
  auto enqueue = std::make_shared<EnqueueOptions>();
  auto* enqueue_command = app.add_subcommand(
      "enqueue", "queue files and folders for workers on any host (casenote worker) to OCR and file");
  add_db_option(*enqueue_command, enqueue->db);
  add_busy_timeout_option(*enqueue_command, enqueue->store);
  enqueue_command->add_option("paths", enqueue->paths, "files or folders (walked recursively), on storage every worker can read")
      ->required();
  enqueue_command->callback([enqueue, &exit_status] { exit_status = run_enqueue(*enqueue); });

  auto status = std::make_shared<StatusOptions>();
  auto* status_command = app.add_subcommand(
      "status", "how the queue stands: inputs by state, and what each worker holds and has done lately");
  add_db_option(*status_command, status->db);
  status_command->add_option("--window", status->window_minutes, "minutes over which each worker's pages are counted")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  status_command->callback([status, &exit_status] { exit_status = run_status(*status); });
}

}  // namespace casenote
