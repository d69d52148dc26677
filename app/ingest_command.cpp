#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

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

int run_ingest(const IngestOptions& options) {
  InputList inputs = collect_inputs(options.paths);
  for (const auto& missing : inputs.missing) std::cerr << "casenote: " << missing << ": no such file or folder\n";
  if (inputs.files.empty() && !inputs.missing.empty()) return 1;
  ExtractionOptions extraction;
  if (!options.config.empty()) {
    auto configured = load_extraction_config(options.config);
    if (!configured) return report_failure(configured.error().message);
    extraction = std::move(*configured);
  }
  auto code_lists = load_code_lists(options.code_lists);
  if (!code_lists) return report_failure(code_lists.error().message);
  extraction.code_lists = std::move(*code_lists);

  auto archive = archive_settings(options.archive, options.db);
  if (!archive) return report_failure(archive.error().message);
  auto store = open_store_or_report(options.db, options.store);
  if (!store) return 1;

  IngestSettings settings = ingest_settings(options.workers, options.page_time_limit_s, options.limits);
  settings.archive = std::move(*archive);
  settings.extraction = std::move(extraction);
  settings.linking = options.linking;
  settings.user = options.user;
  IngestConsole console(isatty(STDERR_FILENO), options.log_phi);
  IngestControl control;
  control.progress = [&](const IngestProgress& p) { console.progress(p); };
  control.input_done = [&](const InputResult& r) { console.input_done(r); };
  control.stop = &stop_on_interrupt();
  auto report = ingest_batch(*store, inputs.files, settings, control);
  if (!report) return report_failure(report.error().message);
  if (!inputs.ignored.empty())
    fmt::print("ignored {} files in folders that are not images or PDFs\n", inputs.ignored.size());
  console.summary(*report);
  if (report->inputs_abandoned > 0) return 130;
  return report->inputs_failed == 0 && inputs.missing.empty() ? 0 : 1;
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
  add_db_option(*command, options->db);
  add_busy_timeout_option(*command, options->store);
  command->add_option("--workers", options->workers, "page workers, each a process (default: one per core)")
      ->check(CLI::Range(0, 256));
  command->add_option("--page-time-limit", options->page_time_limit_s, "seconds a page may take before it fails")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  add_archive_options(*command, options->archive);
  add_user_option(*command, options->user);
  command->add_flag("--create-patients", options->linking.create_patients,
                    "archive migration: a document whose patient is not in the index creates them from its valid "
                    "NHS number, name and date of birth");
  command->add_flag("--file-on-name-and-dob", options->linking.file_on_name_and_date_of_birth,
                    "file a document whose name and date of birth match exactly one patient (default: review)");
  command->add_option("--config", options->config,
                      "extraction configuration: the trust's labels, hospital number shapes, letterhead and NHS "
                      "number ranges (docs/extraction.md)");
  command->add_option("--code-list", options->code_lists,
                      "SYSTEM=FILE: the clinical codes that exist, with descriptions (CSV code,description); "
                      "SYSTEM icd10, opcs4 or snomed_ct; repeat for each system (docs/events.md)");
  add_log_phi_flag(*command, options->log_phi);
  add_input_limit_options(*command, options->limits);
  command->add_option("paths", options->paths, "files or folders (walked recursively)")->required();
  command->callback([options, &exit_status] { exit_status = run_ingest(*options); });
}

}  // namespace casenote
