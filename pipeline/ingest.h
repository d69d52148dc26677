// A batch ingest: every input file becomes a filed document, a document for review, or a
// failure with its reason. Orchestration only; each stage is its own unit.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "ocr/ocr_engine.h"
#include "pipeline/archive_stage.h"
#include "pipeline/prepare.h"
#include "store/store.h"

namespace casenote {

struct IngestSettings {
  int workers = 0;  // OCR workers; 0 means one per core
  OcrSettings ocr;
  PrepareSettings prepare;
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

struct IngestProgress {
  int inputs_total = 0;
  int inputs_done = 0;
  int pages_done = 0;
  int failures = 0;
};

struct IngestReport {
  std::vector<IngestedDocument> documents;  // in the order they were stored
  std::vector<std::string> failures;        // "path: reason"
  std::vector<std::string> duplicates;      // inputs whose bytes were already stored
  int pages = 0;
  double seconds = 0;
};

using ProgressCallback = std::function<void(const IngestProgress&)>;

// Ingests `files` into `store`. Fails only when the engines cannot start or the store cannot
// be written; a bad input is a failure in the report and the batch goes on.
Result<IngestReport> ingest(Store& store, const std::vector<std::string>& files,
                            const IngestSettings& settings, const ProgressCallback& progress);

}  // namespace casenote
