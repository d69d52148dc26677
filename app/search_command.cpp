#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "app/commands.h"

namespace casenote {
namespace {

struct SearchOptions {
  std::string db = "casenote.db";
  bool as_json = false;
  std::string patient;
  DocumentQuery query;
};

// A patient given by id, NHS number, hospital number or name words; exactly one must match.
Result<std::string> resolve_patient(Store& store, const std::string& text) {
  if (auto by_id = store.patient(text); by_id && *by_id) return (*by_id)->id;
  auto found = store.find_patients(text, 2);
  if (!found) return found.error();
  if (found->empty()) return Error{"no patient matches '" + text + "'"};
  if (found->size() > 1) return Error{"more than one patient matches '" + text + "'; give the patient id"};
  return found->front().id;
}

int run_search(SearchOptions& options) {
  auto store = open_store_or_report(options.db);
  if (!store) return 1;
  if (!options.patient.empty()) {
    auto id = resolve_patient(*store, options.patient);
    if (!id) return report_failure(id.error().message);
    options.query.patient_id = *id;
  }
  auto hits = store->search(options.query);
  if (!hits) return report_failure(hits.error().message);
  for (const auto& h : *hits) {
    if (options.as_json) {
      nlohmann::json j = {{"document_id", h.document_id},
                          {"source", h.source},
                          {"patient_id", h.patient_id ? nlohmann::json(*h.patient_id) : nlohmann::json(nullptr)},
                          {"patient_name", h.patient_name},
                          {"document_type", h.document_type},
                          {"document_date", h.document_date},
                          {"status", h.status},
                          {"snippet", h.snippet}};
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      fmt::print("{}  {}  {}  {}  {}\n", h.document_id, h.document_date.empty() ? "(undated)" : h.document_date,
                 h.document_type, h.source,
                 h.patient_id ? *h.patient_id + " " + h.patient_name : "(" + h.status + ")");
      if (!h.snippet.empty()) fmt::print("    {}\n", h.snippet);
    }
  }
  if (!options.as_json) fmt::print("{} documents\n", hits->size());
  return 0;
}

}  // namespace

void add_search_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<SearchOptions>();
  auto* command = app.add_subcommand("search", "Full-text search over documents, with filters");
  add_db_option(*command, options->db);
  command->add_flag("--json", options->as_json, "one JSON object per hit");
  command->add_option("--patient", options->patient, "patient id, NHS number, hospital number or name");
  command->add_option("--type", options->query.document_type, "document type, e.g. clinic_letter");
  command->add_option("--status", options->query.status, "filed, needs_review or rejected");
  command->add_option("--from", options->query.from_date, "document date on or after (YYYY-MM-DD)");
  command->add_option("--to", options->query.to_date, "document date on or before (YYYY-MM-DD)");
  command->add_option("--limit", options->query.limit, "at most this many")->capture_default_str()->check(CLI::PositiveNumber);
  command->add_option("query", options->query.text, "words to find (FTS5 syntax); omit to list by the filters");
  command->callback([options, &exit_status] {
    if (options->query.text.empty() && options->patient.empty() && options->query.document_type.empty() &&
        options->query.status.empty() && options->query.from_date.empty() && options->query.to_date.empty()) {
      exit_status = report_failure("search: give words to find or at least one filter");
      return;
    }
    exit_status = run_search(*options);
  });
}

}  // namespace casenote
