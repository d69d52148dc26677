// casenote: scanned health records in, searchable records filed to patients out.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "app/export_json.h"
#include "pipeline/ingest.h"
#include "pipeline/input_files.h"
#include "pipeline/patient_csv.h"
#include "store/store.h"

namespace {

using namespace casenote;

// Tesseract's OpenMP threads oversubscribe the cores when every worker runs its own engine
// (one page measured 8.5 s instead of 1.5 s on two cores). The limit is read when the OpenMP
// runtime starts, before main(), so the process restarts itself once with it set.
void cap_openmp_threads(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT")) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
  // Without /proc the process goes on uncapped: slower, still correct.
}

int fail(const std::string& message) {
  std::cerr << "casenote: " << message << "\n";
  return 2;
}

std::unique_ptr<Store> open_store_or_report(const std::string& db) {
  auto store = open_sqlite_store(db);
  if (!store) {
    std::cerr << "casenote: " << store.error().message << "\n";
    return nullptr;
  }
  return std::move(*store);
}

class ProgressLine {
 public:
  explicit ProgressLine(bool terminal) : terminal_(terminal), started_(std::chrono::steady_clock::now()) {}

  void update(const IngestProgress& p) {
    double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count() / 60.0;
    double rate = minutes > 0 ? p.pages_done / minutes : 0;
    auto line = fmt::format("{}/{} inputs, {} pages, {:.1f} pages/min, {} failed", p.inputs_done, p.inputs_total,
                            p.pages_done, rate, p.failures);
    if (terminal_) {
      std::cerr << "\r" << line << "\x1b[K" << std::flush;
    } else if (p.inputs_done == p.inputs_total || p.inputs_done % 25 == 0) {
      std::cerr << line << "\n";
    }
  }

  void finish() {
    if (terminal_) std::cerr << "\r\x1b[K" << std::flush;
  }

 private:
  bool terminal_;
  std::chrono::steady_clock::time_point started_;
};

int run_ingest(const std::string& db, int workers, int page_time_limit_s, const std::vector<std::string>& paths) {
  InputList inputs = collect_inputs(paths);
  for (const auto& missing : inputs.missing) std::cerr << "casenote: " << missing << ": no such file or folder\n";
  if (inputs.files.empty() && !inputs.missing.empty()) return 1;

  auto store = open_store_or_report(db);
  if (!store) return 1;

  IngestSettings settings;
  settings.workers = workers;
  settings.ocr.time_limit_ms = page_time_limit_s * 1000;
  ProgressLine progress(isatty(STDERR_FILENO));
  auto report = ingest(*store, inputs.files, settings, [&](const IngestProgress& p) { progress.update(p); });
  progress.finish();
  if (!report) return fail(report.error().message);

  int filed = 0, review = 0;
  for (const auto& d : report->documents) {
    if (d.status == "filed") {
      ++filed;
      fmt::print("filed        {}  {}  -> patient {}\n", d.document_id, d.source, d.patient_id.value_or(""));
    } else {
      ++review;
      std::string reasons;
      for (const auto& r : d.review_reasons) reasons += (reasons.empty() ? "" : "; ") + r;
      fmt::print("needs review {}  {}  ({})\n", d.document_id, d.source, reasons);
    }
  }
  for (const auto& f : report->failures) fmt::print("failed       {}\n", f);
  for (const auto& d : report->duplicates) fmt::print("duplicate    {}  (already stored)\n", d);
  if (!inputs.ignored.empty())
    fmt::print("ignored {} files in folders that are not images or PDFs\n", inputs.ignored.size());
  double minutes = report->seconds / 60.0;
  fmt::print("{} filed, {} need review, {} failed, {} duplicates; {} pages in {:.1f} s ({:.1f} pages/min, {:.2f} s/page)\n",
             filed, review, report->failures.size(), report->duplicates.size(), report->pages, report->seconds,
             minutes > 0 ? report->pages / minutes : 0.0, report->pages ? report->seconds / report->pages : 0.0);
  return report->failures.empty() && inputs.missing.empty() ? 0 : 1;
}

int run_patients_import(const std::string& db, const std::string& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) return fail(csv_path + ": cannot be opened");
  PatientCsv csv = parse_patient_csv(in);
  for (const auto& e : csv.errors) std::cerr << csv_path << ": " << e << "\n";
  auto store = open_store_or_report(db);
  if (!store) return 1;
  auto summary = (*store).import_patients(csv.rows);
  if (!summary) return fail(summary.error().message);
  for (const auto& c : summary->conflicts)
    std::cerr << csv_path << ": line " << csv.row_lines[c.row] << ": " << c.reason << "\n";
  fmt::print("{} created, {} updated, {} unchanged, {} conflicts, {} rejected rows\n", summary->created,
             summary->updated, summary->unchanged, summary->conflicts.size(), csv.errors.size());
  return csv.errors.empty() && summary->conflicts.empty() ? 0 : 1;
}

int run_export(const std::string& db, const std::string& format, const std::string& output) {
  if (format != "jsonl") return fail("unknown export format '" + format + "' (supported: jsonl)");
  auto store = open_store_or_report(db);
  if (!store) return 1;
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) return fail(output + ": cannot be written");
  }
  std::ostream& out = output.empty() ? std::cout : file;
  auto status = store->for_each_document([&](const DocumentRecord& d) {
    out << document_json(d).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  });
  if (!status) return fail(status.error().message);
  out.flush();
  if (!out) return fail((output.empty() ? "standard output" : output) + ": write failed");
  return 0;
}

int run_search(const std::string& db, bool as_json, const std::string& query) {
  auto store = open_store_or_report(db);
  if (!store) return 1;
  auto hits = store->search(query, 50);
  if (!hits) return fail(hits.error().message);
  for (const auto& h : *hits) {
    if (as_json) {
      nlohmann::json j = {{"document_id", h.document_id},
                          {"source", h.source},
                          {"patient_id", h.patient_id ? nlohmann::json(*h.patient_id) : nlohmann::json(nullptr)},
                          {"patient_name", h.patient_name},
                          {"snippet", h.snippet}};
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      fmt::print("{}  {}  {}\n    {}\n", h.document_id, h.source,
                 h.patient_id ? *h.patient_id + " " + h.patient_name : std::string("(not filed)"), h.snippet);
    }
  }
  if (!as_json) fmt::print("{} documents\n", hits->size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  cap_openmp_threads(argv);

  CLI::App app{"casenote: scanned health records in, searchable records filed to patients out"};
  app.require_subcommand(1);
  std::string db = "casenote.db";

  auto* ingest_cmd = app.add_subcommand("ingest", "OCR scanned files and folders and file them to patients");
  std::vector<std::string> paths;
  int workers = 0, page_time_limit = 300;
  ingest_cmd->add_option("--db", db, "SQLite store")->capture_default_str();
  ingest_cmd->add_option("--workers", workers, "OCR workers (default: one per core)")->check(CLI::Range(0, 256));
  ingest_cmd->add_option("--page-time-limit", page_time_limit, "seconds of OCR per page before it fails")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  ingest_cmd->add_option("paths", paths, "files or folders (walked recursively)")->required();

  auto* patients_cmd = app.add_subcommand("patients", "The patient master index");
  patients_cmd->require_subcommand(1);
  auto* import_cmd = patients_cmd->add_subcommand("import", "Create and update patients from a CSV file");
  std::string csv_path;
  import_cmd->add_option("--db", db, "SQLite store")->capture_default_str();
  import_cmd->add_option("file", csv_path,
                         "CSV with header nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode")
      ->required();

  auto* export_cmd = app.add_subcommand("export", "Write every document as one JSON object per line");
  std::string format = "jsonl", output;
  export_cmd->add_option("--db", db, "SQLite store")->capture_default_str();
  export_cmd->add_option("--format", format, "output format")->capture_default_str();
  export_cmd->add_option("--output", output, "file to write (default: standard output)");

  auto* search_cmd = app.add_subcommand("search", "Full-text search over document text");
  std::string query;
  bool as_json = false;
  search_cmd->add_option("--db", db, "SQLite store")->capture_default_str();
  search_cmd->add_flag("--json", as_json, "one JSON object per hit");
  search_cmd->add_option("query", query, "words to find (FTS5 syntax)")->required();

  CLI11_PARSE(app, argc, argv);

  if (*ingest_cmd) return run_ingest(db, workers, page_time_limit, paths);
  if (*import_cmd) return run_patients_import(db, csv_path);
  if (*export_cmd) return run_export(db, format, output);
  if (*search_cmd) return run_search(db, as_json, query);
  return 0;
}
