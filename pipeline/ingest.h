// Ingesting inputs: every input file ends as stored documents (filed or for review), a
// failure with its reason, or a duplicate of bytes already stored. Orchestration only; each
// stage is its own unit.
//
// Stages and their workers, joined by bounded queues so that a fast stage waits for a slow one
// (backpressure) and memory is bounded by the queues, not by the batch or a document:
//   loader (this thread): fingerprints an input, skips bytes already stored, counts its pages
//     in a page worker of its own, and queues the pages;
//   page workers (one process each, one per core by default): decode a page, read its barcodes,
//     prepare and recognise it (pipeline/page_worker.h); the pages of one document go to
//     whichever worker is free, so they are processed in parallel;
//   filer (one thread, the only writer to the store): splits an input at separator sheets,
//     extracts and links each document, and stores an input's documents and its state in one
//     transaction.
//
// Every input's state is in the store (queued, processing, filed, needs_review, failed), and an
// input's documents and its final state are committed together. So a run that is stopped, killed
// or loses power is resumed by running it again: what was stored is skipped as already stored,
// the rest is done, and nothing is stored twice.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "extract/extraction_options.h"
#include "ocr/ocr_engine.h"
#include "pipeline/archive_stage.h"
#include "pipeline/filing.h"
#include "pipeline/prepare.h"
#include "store/store.h"

namespace casenote {

struct IngestSettings {
  int workers = 0;  // page workers; 0 means one per core
  OcrSettings ocr;  // its time_limit_ms is the page time limit, enforced on the worker too
  PrepareSettings prepare;
  LinkingPolicy linking;
  ExtractionOptions extraction;  // the trust's labels, hospital number shapes and letterhead
  std::string user;  // who runs the ingest, for the audit trail
  // The page worker program and its arguments (pipeline/page_worker.h).
  std::vector<std::string> worker_command;
  ArchiveSettings archive;  // searchable PDFs of stored documents; none when its folder is empty
};

struct IngestedDocument {
  std::string document_id;
  std::string source;
  std::string status;  // filed or needs_review
  std::optional<std::string> patient_id;
  std::vector<std::string> review_reasons;
  int pages = 0;
};

// What became of one input, once its state is stored.
struct InputResult {
  enum class Outcome { Stored, Failed, Duplicate };
  std::string path;
  Outcome outcome = Outcome::Stored;
  std::vector<IngestedDocument> documents;  // Stored: the documents made from it, in page order
  std::string reason;                       // Failed: why
};

struct IngestProgress {
  int inputs_total = 0;    // 0 when not known in advance (watching a folder)
  int inputs_seen = 0;     // inputs taken up so far, whether processed, skipped or failed
  int inputs_done = 0;
  int pages_counted = 0;   // pages of the inputs seen so far
  int pages_done = 0;
  int failures = 0;        // inputs failed so far
};

struct IngestReport {
  int documents_filed = 0;
  int documents_for_review = 0;
  int inputs_failed = 0;
  int duplicates = 0;       // inputs whose bytes were already stored
  int inputs_abandoned = 0; // left queued by a stop, for the next run
  int pages = 0;            // pages processed
  double seconds = 0;
};

// Calls from the pipeline come from its threads, one at a time.
struct IngestControl {
  std::function<void(const IngestProgress&)> progress;
  std::function<void(const InputResult&)> input_done;
  // Once true, no new input or page is started; pages being processed are finished, documents
  // whose pages are all done are stored, and the rest are left queued for the next run.
  const std::atomic<bool>* stop = nullptr;
};

// Where a run's inputs come from: the next path, or nothing when there are no more. Called from
// the loader, which waits while it waits.
using InputFeed = std::function<std::optional<std::string>()>;

// Ingests what `next_input` gives into `store`. Fails only when the page workers cannot start
// or the store cannot be written; a bad input is a failed input and the run goes on.
Result<IngestReport> ingest(Store& store, const InputFeed& next_input, const IngestSettings& settings,
                            const IngestControl& control);

// Ingests `files`, first recording them all as queued.
Result<IngestReport> ingest_batch(Store& store, const std::vector<std::string>& files,
                                  const IngestSettings& settings, const IngestControl& control);

}  // namespace casenote
