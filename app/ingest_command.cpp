#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "pipeline/ingest.h"
#include "pipeline/input_files.h"

namespace casenote {
namespace {

struct IngestOptions {
  std::string db = "casenote.db";
  int workers = 0;
  int page_time_limit_s = 300;
  std::string archive;  // empty: beside the database
  std::string archive_name = ArchiveSettings{}.name_template;
  std::vector<std::string> paths;
};

// The archive folder beside the database: casenote.db keeps its PDFs in casenote-archive/.
std::string default_archive_folder(const std::string& db) {
  const std::filesystem::path path(db);
  return (path.parent_path() / (path.stem().string() + "-archive")).string();
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

int run_ingest(const IngestOptions& options) {
  InputList inputs = collect_inputs(options.paths);
  for (const auto& missing : inputs.missing) std::cerr << "casenote: " << missing << ": no such file or folder\n";
  if (inputs.files.empty() && !inputs.missing.empty()) return 1;

  if (auto usable = check_archive_template(options.archive_name); !usable) return report_failure(usable.error().message);
  auto store = open_store_or_report(options.db);
  if (!store) return 1;

  IngestSettings settings;
  settings.workers = options.workers;
  settings.ocr.time_limit_ms = options.page_time_limit_s * 1000;
  settings.archive = {options.archive.empty() ? default_archive_folder(options.db) : options.archive, options.archive_name};
  ProgressLine progress(isatty(STDERR_FILENO));
  auto report = ingest(*store, inputs.files, settings, [&](const IngestProgress& p) { progress.update(p); });
  progress.finish();
  if (!report) return report_failure(report.error().message);

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

}  // namespace

void add_ingest_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<IngestOptions>();
  auto* command = app.add_subcommand("ingest", "OCR scanned files and folders and file them to patients");
  add_db_option(*command, options->db);
  command->add_option("--workers", options->workers, "OCR workers (default: one per core)")->check(CLI::Range(0, 256));
  command->add_option("--page-time-limit", options->page_time_limit_s, "seconds of OCR per page before it fails")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  command->add_option("--archive", options->archive,
                      "folder for the searchable PDFs (default: beside the database, e.g. casenote-archive/)");
  command->add_option("--archive-name", options->archive_name,
                      "PDF path in the archive; placeholders {patient_id} {document_id} {document_type} {status} "
                      "{nhs_number} {hospital_number} {family_name}")
      ->capture_default_str();
  command->add_option("paths", options->paths, "files or folders (walked recursively)")->required();
  command->callback([options, &exit_status] { exit_status = run_ingest(*options); });
}

}  // namespace casenote
