#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "app/export_json.h"

namespace casenote {
namespace {

struct ExportOptions {
  std::string db = "casenote.db";
  std::string format = "jsonl";
  std::string output;
};

int run_export(const ExportOptions& options) {
  if (options.format != "jsonl") return report_failure("unknown export format '" + options.format + "' (supported: jsonl)");
  auto store = open_store_or_report(options.db);
  if (!store) return 1;
  std::ofstream file;
  if (!options.output.empty()) {
    file.open(options.output, std::ios::binary | std::ios::trunc);
    if (!file) return report_failure(options.output + ": cannot be written");
  }
  std::ostream& out = options.output.empty() ? std::cout : file;
  auto status = store->for_each_document([&](const DocumentRecord& d) {
    out << document_json(d).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  });
  if (!status) return report_failure(status.error().message);
  out.flush();
  if (!out) return report_failure((options.output.empty() ? "standard output" : options.output) + ": write failed");
  return 0;
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = app.add_subcommand("export", "Write every document as one JSON object per line");
  add_db_option(*command, options->db);
  command->add_option("--format", options->format, "output format")->capture_default_str();
  command->add_option("--output", options->output, "file to write (default: standard output)");
  command->callback([options, &exit_status] { exit_status = run_export(*options); });
}

}  // namespace casenote
