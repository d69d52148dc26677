// Page workers: each page of a batch is decoded, read for barcodes, prepared and recognised in a
// worker process, so that a page which crashes or hangs a decoder, Leptonica or Tesseract costs
// that page, not the batch. The ingest process keeps the queues, the filing and the store.
//
// Why processes rather than threads: a SIGSEGV in Tesseract ends the whole process, and the
// issue's first promise is that nothing is lost. Costs, measured on the samples: one more copy of
// the program's own pages per worker (the models are loaded once per worker either way) and a
// JSON round trip per page (~1 ms against ~1.5 s of OCR).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "pipeline/input_limits.h"
#include "pipeline/stages.h"
#include "pipeline/worker_messages.h"

namespace casenote {

struct PageWorkerSettings {
  // The worker program and its arguments. It is started with its end of the channel as file
  // descriptor 3 and must run run_page_worker(3); the casenote CLI's is {"/proc/self/exe", "page-worker"}.
  std::vector<std::string> command;
  WorkerStart start;  // its time limit is also the page's: a worker that overruns it is stopped
};

// The ingest's handle on one worker process. Used by one thread at a time.
class PageWorker {
 public:
  // Starts the worker and waits until it is ready (its models loaded). Fails with the worker's
  // own reason, e.g. a missing language model, or with why it could not be started.
  static Result<std::unique_ptr<PageWorker>> start(const PageWorkerSettings& settings);
  ~PageWorker();
  PageWorker(const PageWorker&) = delete;
  PageWorker& operator=(const PageWorker&) = delete;

  // The number of pages of the file at `path`, or why it cannot be read.
  Result<int> count_pages(const std::string& path);

  // Decodes and processes one page. Never fails as a call: a page that cannot be read, or whose
  // worker crashed or overran the time limit, comes back with its `failure` set; the worker is
  // then replaced before the next request.
  PageOutcome process(const PageRequest& request);

 private:
  explicit PageWorker(PageWorkerSettings settings) : settings_(std::move(settings)) {}
  Status spawn();
  Status ensure_running();
  Result<std::string> exchange(const std::string& request, int time_limit_ms);
  Error stop(const std::string& why);

  PageWorkerSettings settings_;
  pid_t pid_ = 0;    // 0 when no worker is running
  int channel_ = -1;
  std::string received_;  // bytes read past the last complete line
};

// The worker's side: answers requests on `channel` until the ingest closes it, opening inputs
// under `limits`. Returns the process's exit status.
int run_page_worker(int channel, const InputLimits& limits = {});

}  // namespace casenote
