#include "pipeline/ingest.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "pipeline/bounded_queue.h"
#include "pipeline/input_files.h"
#include "pipeline/page_source.h"
#include "pipeline/stages.h"

namespace casenote {
namespace {

// A document in flight: its pages are recognised by any worker, in any order; the worker that
// finishes the last page hands the document on to be filed.
struct DocumentJob {
  RecognisedDocument document;
  std::unique_ptr<PageSource> source;
  std::mutex source_mutex;  // decoders (PoDoFo in particular) are not safe to share between threads
  std::atomic<int> pages_left{0};
};

struct PageJob {
  std::shared_ptr<DocumentJob> job;
  int index = 0;
};

// What the loader or a worker tells the filer: a document ready to file, or an input that
// failed before any page could be read.
struct FilerMessage {
  std::shared_ptr<DocumentJob> job;
  std::string failed_path, failed_sha256, failure;
};

int default_workers() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

// The reason a document fails outright: none of its pages could be read.
std::string unreadable_reason(const RecognisedDocument& document) {
  for (const auto& page : document.pages)
    if (page.failure.empty()) return "";
  return document.pages.empty() ? "no pages" : document.pages.front().failure;
}

}  // namespace

Result<IngestReport> ingest(Store& store, const std::vector<std::string>& files, const IngestSettings& settings,
                            const ProgressCallback& progress) {
  auto started = std::chrono::steady_clock::now();
  int workers = settings.workers > 0 ? settings.workers : default_workers();

  // Engines are loaded before any input is touched, so a missing model fails the run at once.
  std::vector<std::unique_ptr<OcrEngine>> engines;
  std::vector<std::unique_ptr<OrientationDetector>> detectors;
  for (int i = 0; i < workers; ++i) {
    auto engine = OcrEngine::create(settings.ocr);
    if (!engine) return engine.error();
    auto detector = OrientationDetector::create(settings.ocr.tessdata_dir);
    if (!detector) return detector.error();
    engines.push_back(std::move(*engine));
    detectors.push_back(std::move(*detector));
  }

  IngestReport report;
  IngestProgress counts;
  counts.inputs_total = static_cast<int>(files.size());
  std::mutex store_mutex, report_mutex;
  std::atomic<int> pages_done{0};
  Error store_failure{""};

  BoundedQueue<PageJob> pages(static_cast<size_t>(2 * workers));
  BoundedQueue<FilerMessage> to_file(static_cast<size_t>(4 * workers + 4));

  auto notify = [&] {
    if (!progress) return;
    std::lock_guard lock(report_mutex);
    counts.pages_done = pages_done.load();
    progress(counts);
  };

  auto record_failure = [&](const std::string& path, const std::string& sha256, const std::string& reason) {
    std::lock_guard lock(store_mutex);
    auto status = store.record_failed_input(path, sha256, reason);
    if (!status && store_failure.message.empty()) store_failure = status.error();
    std::lock_guard report_lock(report_mutex);
    report.failures.push_back(path + ": " + reason);
    ++counts.failures;
    ++counts.inputs_done;
  };

  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      while (auto page_job = pages.pop()) {
        auto& job = *page_job->job;
        Result<PageImage> image = Error{""};
        {
          std::lock_guard lock(job.source_mutex);
          image = job.source->page(page_job->index);
        }
        auto& outcome = job.document.pages[static_cast<size_t>(page_job->index)];
        if (image) {
          outcome = recognise_page(*image, page_job->index + 1, *detectors[static_cast<size_t>(w)],
                                   *engines[static_cast<size_t>(w)], settings.prepare);
        } else {
          outcome.number = page_job->index + 1;
          outcome.failure = "page " + std::to_string(outcome.number) + ": " + image.error().message;
        }
        ++pages_done;
        if (--job.pages_left == 0) to_file.push({page_job->job, "", "", ""});
      }
    });
  }

  std::thread filer([&] {
    while (auto message = to_file.pop()) {
      if (!message->job) {
        record_failure(message->failed_path, message->failed_sha256, message->failure);
        notify();
        continue;
      }
      auto& document = message->job->document;
      message->job->source.reset();
      if (auto reason = unreadable_reason(document); !reason.empty()) {
        record_failure(document.source, document.sha256, reason);
        notify();
        continue;
      }
      std::lock_guard lock(store_mutex);
      DocumentRecord record = file_document(document, [&](const std::string& nhs_number) {
        auto found = store.patients_by_nhs_number(nhs_number);
        if (!found && store_failure.message.empty()) store_failure = found.error();
        return found ? *found : std::vector<PatientRecord>{};
      });
      // The archive stage: the searchable PDF, written before the record that names it is saved.
      archive_document(document, settings.archive, [&](const std::string& patient_id) {
        auto found = store.patient(patient_id);
        return found ? *found : std::optional<PatientRecord>{};
      }, record);
      if (auto saved = store.save_document(record); !saved) {
        if (store_failure.message.empty()) store_failure = saved.error();
        continue;
      }
      {
        std::lock_guard report_lock(report_mutex);
        report.documents.push_back({record.id, record.source, record.status, record.patient_id,
                                  record.review_reasons, static_cast<int>(record.pages.size())});
        report.pages += static_cast<int>(record.pages.size());
        ++counts.inputs_done;
      }
      notify();
    }
  });

  // The loader: fingerprints each input, skips what is stored already, and queues its pages.
  std::set<std::string> seen;
  for (const auto& path : files) {
    auto sha256 = sha256_of_file(path);
    if (!sha256) {
      to_file.push({nullptr, path, "", sha256.error().message});
      continue;
    }
    Result<std::optional<std::string>> existing = std::optional<std::string>{};
    {
      std::lock_guard lock(store_mutex);
      existing = store.document_for_sha256(*sha256);
    }
    if (!existing) {
      std::lock_guard lock(store_mutex);
      if (store_failure.message.empty()) store_failure = existing.error();
      break;
    }
    if (existing->has_value() || !seen.insert(*sha256).second) {
      std::lock_guard lock(report_mutex);
      report.duplicates.push_back(path);
      ++counts.inputs_done;
      continue;
    }
    auto source = open_page_source(path);
    if (!source) {
      to_file.push({nullptr, path, *sha256, source.error().message});
      continue;
    }
    int page_count = (*source)->page_count();
    if (page_count <= 0) {
      to_file.push({nullptr, path, *sha256, "no pages"});
      continue;
    }
    auto job = std::make_shared<DocumentJob>();
    job->document.source = path;
    job->document.sha256 = *sha256;
    job->document.pages.resize(static_cast<size_t>(page_count));
    job->source = std::move(*source);
    job->pages_left = page_count;
    for (int i = 0; i < page_count; ++i) pages.push({job, i});
  }

  pages.close();
  for (auto& t : threads) t.join();
  to_file.close();
  filer.join();

  if (!store_failure.message.empty()) return store_failure;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace casenote
