// The messages between an ingest and its page worker processes (pipeline/page_worker.h): one
// JSON object per line, so a worker can be driven, and watched, with nothing but a pipe.
//
//   ingest -> worker                                   worker -> ingest
//   {"start":{"ocr":true,"language":"eng",...}}        {"ready":true} or {"error":"why"}
//   {"count":{"path":"a.tif"}}                         {"pages":3} or {"error":"why"}
//   {"page":{"path":"a.tif","sha256":"..","index":0}}  {"outcome":{...a PageOutcome...}}
#pragma once

#include <string>
#include <variant>

#include "core/result.h"
#include "ocr/ocr_engine.h"
#include "pipeline/prepare.h"
#include "pipeline/stages.h"

namespace casenote {

// What a worker needs to set itself up. Without `ocr` it only counts pages and loads no models.
// Every settings field crosses to the worker: a field added to OcrSettings or PrepareSettings
// must be added to encode_request() and decode_request() too.
struct WorkerStart {
  bool ocr = true;
  OcrSettings ocr_settings;
  PrepareSettings prepare;
};

struct CountRequest {
  std::string path;
};

struct PageRequest {
  std::string path;
  std::string sha256;  // the bytes the ingest fingerprinted, so a worker never mixes two versions
  int index = 0;       // 0-based
};

using WorkerRequest = std::variant<WorkerStart, CountRequest, PageRequest>;

// One line, newline included.
std::string encode_request(const WorkerRequest& request);
Result<WorkerRequest> decode_request(const std::string& line);

// Replies. A failure is an Error whose message the ingest reports as it is.
std::string encode_ready(const Status& started);
std::string encode_page_count(const Result<int>& pages);
std::string encode_outcome(const PageOutcome& outcome);
Status decode_ready(const std::string& line);
Result<int> decode_page_count(const std::string& line);
Result<PageOutcome> decode_outcome(const std::string& line);

}  // namespace casenote
