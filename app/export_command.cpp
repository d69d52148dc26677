#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "app/export_json.h"
#include "app/export_redaction.h"

namespace casenote {
namespace {

struct ExportOptions {
  std::string db = "casenote.db";
  std::string format = "jsonl";
  std::string output;
  bool redact = false;
};

// The patients the document is filed to or may belong to: their identifiers, from the patient
// index, are taken out of its text even where extraction did not read them.
Result<std::vector<PatientRecord>> related_patients(Store& store, const DocumentRecord& document) {
  std::vector<std::string> ids;
  if (document.patient_id) ids.push_back(*document.patient_id);
  for (const auto& candidate : document.candidates) ids.push_back(candidate.patient_id);
  std::vector<PatientRecord> patients;
  for (const auto& id : ids) {
    auto patient = store.patient(id);
    if (!patient) return patient.error();
    if (*patient) patients.push_back(std::move(**patient));
  }
  return patients;
}

// The document as exported: redacted when asked.
Result<nlohmann::json> export_json(Store& store, const DocumentRecord& document, bool redact) {
  if (!redact) return document_json(document);
  auto patients = related_patients(store, document);
  if (!patients) return patients.error();
  return document_json(redact_document(document, *patients));
}

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
  Status looked_up = ok_status();
  auto status = store->for_each_document([&](const DocumentRecord& d) {
    if (!looked_up) return;  // a patient could not be read: write nothing more, unredacted least of all
    auto json = export_json(*store, d, options.redact);
    if (!json) {
      looked_up = Status(json.error());
      return;
    }
    out << json->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  });
  if (!status) return report_failure(status.error().message);
  if (!looked_up) return report_failure(looked_up.error().message);
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
  command->add_flag("--redact", options->redact,
                    "take out patients' identifiers: the NHS, hospital, CHI and H&C numbers, name, date of birth "
                    "and postcode fields' values, and in the text, review reasons, source and archive paths every "
                    "such value read off the document or held in the patient index for its patient or "
                    "candidates, every ten-digit number passing the NHS check and every UK postcode, each "
                    "becoming [REDACTED]; the document id, type, status, other dates and the store's patient id "
                    "are kept, and so are street addresses");
  command->callback([options, &exit_status] { exit_status = run_export(*options); });
}

}  // namespace casenote
