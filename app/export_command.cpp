#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "app/export_json.h"
#include "app/export_layout.h"
#include "app/export_redaction.h"
#include "pipeline/archive_stage.h"

namespace casenote {
namespace {

struct ExportOptions {
  std::string db = "casenote.db";
  std::string format = "jsonl";
  std::string output;       // jsonl: the file to write
  std::string out_folder;   // hocr, alto: the folder to write one file per document into
  std::string document_id;  // just this document; empty: every document
  bool redact = false;
};

bool is_layout_format(const std::string& format) { return format == "hocr" || format == "alto"; }

// Why these options cannot be used together, in one line; nothing when they can.
std::optional<std::string> options_problem(const ExportOptions& options) {
  if (options.format != "jsonl" && !is_layout_format(options.format))
    return "unknown export format '" + options.format + "' (supported: jsonl, hocr, alto)";
  if (!is_layout_format(options.format)) {
    if (!options.out_folder.empty()) return "--out DIR is for hocr and alto; jsonl is one stream: use --output FILE";
    return std::nullopt;
  }
  // An identifier can span several words' boxes ("999 051 6324"), so words cannot be taken out
  // one by one; writing them unredacted when asked to redact would leak what was asked hidden.
  if (options.redact)
    return "--redact works with jsonl only: hocr and alto carry every word read, and identifiers cannot be "
           "reliably taken out of them";
  if (!options.output.empty())
    return "--output FILE is for jsonl; " + options.format + " writes a file per document: use --out DIR";
  return std::nullopt;
}

// Calls `visit` with the document `id` names, or with every document, oldest first, when it is empty.
Status for_each_exported(Store& store, const std::string& id,
                         const std::function<void(const DocumentRecord&)>& visit) {
  if (id.empty()) return store.for_each_document(visit);
  auto document = store.document(id);
  if (!document) return document.error();
  if (!*document) return Error{"no document " + id};
  visit(**document);
  return ok_status();
}

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

int run_jsonl_export(Store& store, const ExportOptions& options) {
  std::ofstream file;
  if (!options.output.empty()) {
    file.open(options.output, std::ios::binary | std::ios::trunc);
    if (!file) return report_failure(options.output + ": cannot be written");
  }
  std::ostream& out = options.output.empty() ? std::cout : file;
  Status looked_up = ok_status();
  auto status = for_each_exported(store, options.document_id, [&](const DocumentRecord& d) {
    if (!looked_up) return;  // a patient could not be read: write nothing more, unredacted least of all
    auto json = export_json(store, d, options.redact);
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

std::string layout_of(const DocumentRecord& document, const std::string& format) {
  return format == "hocr" ? document_hocr(document) : document_alto(document);
}

// Document ids are "D" and hex digits (pipeline/stages.h); anything else is refused rather than
// trusted as a file name.
bool usable_as_file_name(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

// Each document as its own file in the folder, owner-only, replacing an earlier export's.
int write_layout_files(Store& store, const ExportOptions& options) {
  const std::string extension = options.format == "hocr" ? ".hocr" : ".alto.xml";
  Status written = ok_status();
  auto status = for_each_exported(store, options.document_id, [&](const DocumentRecord& d) {
    if (!written) return;
    if (!usable_as_file_name(d.id)) {
      written = Error{"document id '" + d.id + "' cannot name a file"};
      return;
    }
    auto file = write_new_file(options.out_folder, d.id + extension, layout_of(d, options.format), NameTaken::kReplace);
    if (!file) written = Status(file.error());
  });
  if (!status) return report_failure(status.error().message);
  if (!written) return report_failure(written.error().message);
  return 0;
}

// One document on standard output: several XML documents in one stream would be none.
int print_layout(Store& store, const ExportOptions& options) {
  std::string layout;
  int documents = 0;
  auto status = for_each_exported(store, options.document_id, [&](const DocumentRecord& d) {
    if (++documents == 1) layout = layout_of(d, options.format);
  });
  if (!status) return report_failure(status.error().message);
  if (documents == 0) return report_failure("the store holds no documents to export");
  if (documents > 1)
    return report_failure("export --format " + options.format + ": the store holds " + std::to_string(documents) +
                          " documents; choose one with --document ID, or write each to a file with --out DIR");
  std::cout << layout << std::flush;
  if (!std::cout) return report_failure("standard output: write failed");
  return 0;
}

int run_export(const ExportOptions& options) {
  if (auto problem = options_problem(options)) return report_failure(*problem);
  auto store = open_store_or_report(options.db);
  if (!store) return 1;
  if (!is_layout_format(options.format)) return run_jsonl_export(*store, options);
  return options.out_folder.empty() ? print_layout(*store, options) : write_layout_files(*store, options);
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = app.add_subcommand(
      "export", "Write documents as JSON lines (jsonl), or their pages' words and boxes as hOCR or ALTO XML");
  add_db_option(*command, options->db);
  command->add_option("--format", options->format, "jsonl, hocr or alto")->capture_default_str();
  command->add_option("--output", options->output, "jsonl: the file to write (default: standard output)");
  command->add_option("--out", options->out_folder,
                      "hocr, alto: the folder to write each document into, as ID.hocr or ID.alto.xml, readable by "
                      "its owner only (default: the one document, on standard output)");
  command->add_option("--document", options->document_id, "export just the document with this id");
  command->add_flag("--redact", options->redact,
                    "jsonl only: take out patients' identifiers: the NHS, hospital, CHI and H&C numbers, name, date "
                    "of birth and postcode fields' values, and in the text, review reasons, source and archive "
                    "paths every such value read off the document or held in the patient index for its patient or "
                    "candidates, every ten-digit number passing the NHS check and every UK postcode, each "
                    "becoming [REDACTED]; the document id, type, status, other dates and the store's patient id "
                    "are kept, and so are street addresses");
  command->callback([options, &exit_status] { exit_status = run_export(*options); });
}

}  // namespace casenote
