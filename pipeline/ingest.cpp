#include "pipeline/ingest.h"

#include <malloc.h>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "pipeline/bounded_queue.h"
#include "pipeline/input_files.h"
#include "pipeline/page_worker.h"
#include "pipeline/patient_index.h"
#include "pipeline/separator_sheets.h"
#include "pipeline/stages.h"

namespace casenote {
namespace {

// An input in flight: its pages are processed by any worker, in any order, each into its own
// slot; the worker that finishes the last page hands the input to the filer.
struct InputJob {
  RecognisedDocument document;  // the whole input; split at separator sheets when filed
  std::atomic<int> pages_left{0};
  std::mutex mutex;                          // guards the two below
  bool stored = false;                       // the filer has taken it
  std::vector<std::string> duplicate_paths;  // later inputs of this run with the same bytes
};

struct PageJob {
  std::shared_ptr<InputJob> job;
  int index = 0;
};

// What the filer, the one writer to the store, is told to record.
struct FilerMessage {
  enum class Kind { Processing, Failed, Duplicate, Finished };
  Kind kind;
  std::string path, sha256, reason;
  std::shared_ptr<InputJob> job;  // Finished
};

int default_workers() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

// Why an input fails outright: none of its pages could be read.
std::string unreadable_reason(const RecognisedDocument& document) {
  for (const auto& page : document.pages)
    if (page.failure.empty()) return "";
  return document.pages.empty() ? "no pages" : document.pages.front().failure;
}

// Creates the patients the filing asks for (reusing one created for an earlier document of the
// same input), links the records to them, and stores the input's documents and state with `user`
// as the one who filed them.
Status save_filed_documents(Store& store, const std::string& path, const std::string& sha256,
                            std::vector<FiledDocument>& filed, const std::string& user) {
  std::map<std::string, std::string> created_by_nhs_number;
  std::vector<DocumentRecord> records;
  for (auto& document : filed) {
    document.record.filed_by = user;
    if (document.new_patient) {
      const std::string nhs_number = document.new_patient->nhs_number;
      auto earlier = created_by_nhs_number.find(nhs_number);
      if (nhs_number.empty() || earlier == created_by_nhs_number.end()) {
        // A crash before the documents are saved leaves the patient without them; the retried
        // input then finds the patient by NHS number and files to them.
        auto created = store.create_patient(*document.new_patient, user);
        if (!created) return created.error();
        earlier = created_by_nhs_number.insert_or_assign(nhs_number, created->id).first;
      }
      document.record.patient_id = earlier->second;
      document.new_patient.reset();
    }
    records.push_back(document.record);
  }
  return store.save_input_documents(path, sha256, records);
}

PageWorkerSettings worker_settings(const IngestSettings& settings, bool ocr) {
  PageWorkerSettings out;
  out.command = settings.worker_command;
  out.start.ocr = ocr;
  out.start.ocr_settings = settings.ocr;
  out.start.prepare = settings.prepare;
  return out;
}

// One run: the state its threads share. Store calls are serialised by `store_mutex_`; all writes
// are made by the filer thread.
class Run {
 public:
  Run(Store& store, const IngestSettings& settings, const IngestControl& control, int inputs_total)
      : store_(store),
        settings_(settings),
        control_(control),
        workers_(settings.workers > 0 ? settings.workers : default_workers()),
        pages_(static_cast<size_t>(2 * workers_)),
        to_file_(static_cast<size_t>(4 * workers_ + 4)) {
    counts_.inputs_total = inputs_total;
  }

  Result<IngestReport> run(const InputFeed& next_input) {
    auto started = std::chrono::steady_clock::now();
    // A crash while an earlier run wrote a PDF leaves its temporary file in the archive.
    if (!settings_.archive.folder.empty()) sweep_abandoned_temp_files(settings_.archive.folder);
    // Workers are started, and their models loaded, before any input is touched, so that a
    // missing model fails the run at once. Each is started by the thread that will use it:
    // a worker dies with the thread that started it (PR_SET_PDEATHSIG).
    auto inspector = PageWorker::start(worker_settings(settings_, false));
    if (!inspector) return inspector.error();
    std::vector<std::future<Status>> ready;
    std::vector<std::thread> threads;
    for (int w = 0; w < workers_; ++w) {
      auto promise = std::make_shared<std::promise<Status>>();
      ready.push_back(promise->get_future());
      threads.emplace_back([this, promise] { work(*promise); });
    }
    std::thread filer([this] { file(); });
    Status workers_ready = ok_status();
    for (auto& started_worker : ready)
      if (auto status = started_worker.get(); !status && workers_ready) workers_ready = status;
    if (workers_ready)
      load(next_input, **inspector);
    else
      fail(workers_ready.error());

    pages_.close();
    for (auto& t : threads) t.join();
    to_file_.close();
    filer.join();
    requeue_abandoned();

    if (failure_) return *failure_;
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report_;
  }

 private:
  bool stopping() const { return aborted_ || (control_.stop && control_.stop->load()); }

  void fail(const Error& error) {
    std::lock_guard lock(report_mutex_);
    if (!failure_) failure_ = error;
    aborted_ = true;
  }

  void notify() {
    if (!control_.progress) return;
    std::lock_guard lock(report_mutex_);
    counts_.pages_done = pages_done_.load();
    control_.progress(counts_);
  }

  // The loader: fingerprints each input, skips bytes already stored, counts pages and queues them.
  void load(const InputFeed& next_input, PageWorker& inspector) {
    while (!stopping()) {
      auto path = next_input();
      if (!path) break;
      {
        std::lock_guard lock(report_mutex_);
        ++counts_.inputs_seen;
      }
      auto sha256 = sha256_of_file(*path);
      if (!sha256) {
        to_file_.push({FilerMessage::Kind::Failed, *path, "", sha256.error().message, nullptr});
        continue;
      }
      std::erase_if(in_flight_, [](const auto& entry) {
        std::lock_guard lock(entry.second->mutex);
        return entry.second->stored;
      });
      if (auto same = in_flight_.find(*sha256); same != in_flight_.end()) {
        std::lock_guard lock(same->second->mutex);
        if (!same->second->stored) {
          same->second->duplicate_paths.push_back(*path);
          continue;
        }
      }
      Result<std::optional<std::string>> existing = std::optional<std::string>();
      {
        std::lock_guard lock(store_mutex_);
        existing = store_.document_for_sha256(*sha256);
      }
      if (!existing) {
        fail(existing.error());
        break;
      }
      if (existing->has_value()) {
        to_file_.push({FilerMessage::Kind::Duplicate, *path, *sha256, "", nullptr});
        continue;
      }
      auto page_count = inspector.count_pages(*path);
      if (page_count && *page_count <= 0) page_count = Error{"no pages"};
      if (!page_count) {
        to_file_.push({FilerMessage::Kind::Failed, *path, *sha256, page_count.error().message, nullptr});
        continue;
      }
      auto job = std::make_shared<InputJob>();
      job->document.source = *path;
      job->document.sha256 = *sha256;
      job->document.pages.resize(static_cast<size_t>(*page_count));
      job->pages_left = *page_count;
      in_flight_[*sha256] = job;
      {
        std::lock_guard lock(report_mutex_);
        counts_.pages_counted += *page_count;
      }
      to_file_.push({FilerMessage::Kind::Processing, *path, *sha256, "", nullptr});
      for (int i = 0; i < *page_count; ++i)
        if (!pages_.push({job, i})) return;
    }
  }

  // A page worker's thread: starts its worker, then processes pages until there are no more.
  void work(std::promise<Status>& ready) {
    auto worker = PageWorker::start(worker_settings(settings_, true));
    ready.set_value(worker ? ok_status() : Status(worker.error()));
    if (!worker) return;
    while (auto page = pages_.pop()) {
      if (stopping()) {
        pages_.close();  // unblocks a loader waiting for room
        break;
      }
      InputJob& job = *page->job;
      job.document.pages[static_cast<size_t>(page->index)] =
          (*worker)->process({job.document.source, job.document.sha256, page->index});
      ++pages_done_;
      notify();
      if (--job.pages_left == 0) to_file_.push({FilerMessage::Kind::Finished, "", "", "", page->job});
    }
  }

  // The filer: the one writer to the store.
  void file() {
    while (auto message = to_file_.pop()) {
      if (aborted_) continue;  // drain, so nothing waits on a full queue
      std::lock_guard lock(store_mutex_);
      switch (message->kind) {
        case FilerMessage::Kind::Processing:
          check(store_.mark_input_processing(message->path, message->sha256));
          break;
        case FilerMessage::Kind::Failed:
          record_failure(message->path, message->sha256, message->reason);
          break;
        case FilerMessage::Kind::Duplicate:
          record_duplicate(message->path, message->sha256);
          break;
        case FilerMessage::Kind::Finished:
          store_input(*message->job);
          // Filing decodes the document's pages again for its archive PDF, one at a time; the
          // allocator would keep what the largest took for the rest of the run (measured: 197 MiB
          // held after a 40-page PDF, 38 MiB once handed back).
          ::malloc_trim(0);
          break;
      }
    }
  }

  bool check(const Status& status) {
    if (!status) fail(status.error());
    return status.ok();
  }

  void finish_input(InputResult result) {
    {
      std::lock_guard lock(report_mutex_);
      ++counts_.inputs_done;
      switch (result.outcome) {
        case InputResult::Outcome::Stored:
          for (const auto& document : result.documents) {
            ++(document.status == "filed" ? report_.documents_filed : report_.documents_for_review);
            report_.pages += document.pages;
          }
          break;
        case InputResult::Outcome::Failed:
          ++report_.inputs_failed;
          ++counts_.failures;
          break;
        case InputResult::Outcome::Duplicate:
          ++report_.duplicates;
          break;
      }
      if (control_.input_done) control_.input_done(result);
    }
    notify();
  }

  void record_failure(const std::string& path, const std::string& sha256, const std::string& reason) {
    if (!check(store_.record_failed_input(path, sha256, reason))) return;
    finish_input({path, InputResult::Outcome::Failed, {}, reason});
  }

  void record_duplicate(const std::string& path, const std::string& sha256) {
    if (!check(store_.record_duplicate_input(path, sha256))) return;
    finish_input({path, InputResult::Outcome::Duplicate, {}, ""});
  }

  // Files an input whose pages are all processed: splits it at separator sheets, files each
  // document, and stores them with the input's state in one transaction.
  void store_input(InputJob& job) {
    std::vector<std::string> duplicates;
    {
      std::lock_guard lock(job.mutex);
      job.stored = true;
      duplicates = std::move(job.duplicate_paths);
    }
    RecognisedDocument input = std::move(job.document);  // the pages' words are not kept past here
    const std::string path = input.source, sha256 = input.sha256;
    std::string failure = unreadable_reason(input);
    std::vector<RecognisedDocument> parts;
    if (failure.empty()) {
      parts = split_at_separator_sheets(std::move(input));
      if (parts.empty()) failure = "only separator sheets, no document pages";
    }
    if (!failure.empty()) {
      record_failure(path, sha256, failure);
      for (const auto& duplicate : duplicates)
        record_failure(duplicate, sha256, "the same bytes as " + path + ", which failed: " + failure);
      return;
    }

    StorePatientIndex index(store_);
    std::vector<FiledDocument> filed;
    for (const auto& part : parts) {
      auto document = file_document(part, index, settings_.linking, settings_.extraction);
      if (!check(document.ok() ? ok_status() : Status(document.error()))) return discard_archive_copies(filed);
      // The archive stage: the searchable PDF, written before the record that names it is saved.
      archive_document(part, settings_.archive, [this](const std::string& patient_id) {
        auto found = store_.patient(patient_id);
        return found ? *found : std::optional<PatientRecord>{};
      }, document->record);
      filed.push_back(std::move(document).value());
    }
    if (auto saved = save_filed_documents(store_, path, sha256, filed, settings_.user); !saved) {
      discard_archive_copies(filed);
      // Another process stored the same bytes meanwhile (a worker on another host that took this
      // input over when this one's claim lapsed): this input is a duplicate of theirs.
      auto stored = store_.document_for_sha256(sha256);
      if (stored && *stored) return record_duplicate(path, sha256);
      check(saved);
      return;
    }

    InputResult result{path, InputResult::Outcome::Stored, {}, ""};
    for (const auto& document : filed) {
      const DocumentRecord& record = document.record;
      result.documents.push_back({record.id, record.source, record.status, record.patient_id, record.review_reasons,
                                  static_cast<int>(record.pages.size())});
    }
    finish_input(std::move(result));
    for (const auto& duplicate : duplicates) record_duplicate(duplicate, sha256);
  }

  // The archive PDFs of documents whose records were not saved: nothing half-stored stays visible.
  static void discard_archive_copies(const std::vector<FiledDocument>& filed) {
    for (const auto& document : filed) discard_archive_copy(document.record);
  }

  // Inputs a stop left unfinished go back to queued, so that the next run does them.
  void requeue_abandoned() {
    std::vector<std::string> paths;
    for (const auto& [sha256, job] : in_flight_) {
      std::lock_guard lock(job->mutex);
      if (job->stored) continue;
      paths.push_back(job->document.source);
      paths.insert(paths.end(), job->duplicate_paths.begin(), job->duplicate_paths.end());
    }
    in_flight_.clear();
    report_.inputs_abandoned = static_cast<int>(paths.size());
    if (paths.empty() || failure_) return;
    std::lock_guard lock(store_mutex_);
    if (auto queued = store_.queue_inputs(paths); !queued) failure_ = queued.error();
  }

  Store& store_;
  const IngestSettings& settings_;
  const IngestControl& control_;
  const int workers_;
  BoundedQueue<PageJob> pages_;
  BoundedQueue<FilerMessage> to_file_;

  std::mutex store_mutex_;
  std::mutex report_mutex_;  // guards the members below
  IngestProgress counts_;
  IngestReport report_;
  std::optional<Error> failure_;
  // The loader's inputs in flight, by sha256; stored ones are dropped as it goes.
  std::map<std::string, std::shared_ptr<InputJob>> in_flight_;
  std::atomic<bool> aborted_{false};
  std::atomic<int> pages_done_{0};
};

}  // namespace

Result<IngestReport> ingest(Store& store, const InputFeed& next_input, const IngestSettings& settings,
                            const IngestControl& control) {
  return Run(store, settings, control, 0).run(next_input);
}

Result<IngestReport> ingest_batch(Store& store, const std::vector<std::string>& files,
                                  const IngestSettings& settings, const IngestControl& control) {
  if (auto queued = store.queue_inputs(files); !queued) return queued.error();
  size_t next = 0;
  InputFeed feed = [&]() -> std::optional<std::string> {
    if (next == files.size()) return std::nullopt;
    return files[next++];
  };
  return Run(store, settings, control, static_cast<int>(files.size())).run(feed);
}

}  // namespace casenote
