#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "app/commands.h"

namespace casenote {
namespace {

struct SearchOptions {
  std::string db = "casenote.db";
  bool as_json = false;
  std::string query;
};

int run_search(const SearchOptions& options) {
  auto store = open_store_or_report(options.db);
  if (!store) return 1;
  auto hits = store->search(options.query, 50);
  if (!hits) return report_failure(hits.error().message);
  for (const auto& h : *hits) {
    if (options.as_json) {
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
  if (!options.as_json) fmt::print("{} documents\n", hits->size());
  return 0;
}

}  // namespace

void add_search_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<SearchOptions>();
  auto* command = app.add_subcommand("search", "Full-text search over document text");
  add_db_option(*command, options->db);
  command->add_flag("--json", options->as_json, "one JSON object per hit");
  command->add_option("query", options->query, "words to find (FTS5 syntax)")->required();
  command->callback([options, &exit_status] { exit_status = run_search(*options); });
}

}  // namespace casenote
