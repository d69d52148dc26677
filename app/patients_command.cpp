#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "pipeline/patient_csv.h"

namespace casenote {
namespace {

int run_import(const std::string& db, const std::string& csv_path, const InputLimits& limits) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) return report_failure(csv_path + ": cannot be opened");
  PatientCsv csv = parse_patient_csv(in, limits);
  for (const auto& e : csv.errors) std::cerr << csv_path << ": " << e << "\n";
  auto store = open_store_or_report(db);
  if (!store) return 1;
  auto summary = store->import_patients(csv.rows);
  if (!summary) return report_failure(summary.error().message);
  for (const auto& c : summary->conflicts)
    std::cerr << csv_path << ": line " << csv.row_lines[c.row] << ": " << c.reason << "\n";
  fmt::print("{} created, {} updated, {} unchanged, {} conflicts, {} rejected rows\n", summary->created,
             summary->updated, summary->unchanged, summary->conflicts.size(), csv.errors.size());
  return csv.errors.empty() && summary->conflicts.empty() ? 0 : 1;
}

void print_patient(const PatientRecord& p) {
  fmt::print("{}  {}, {}  born {}  NHS {}  hospital {}  {}\n", p.id, p.family_name, p.given_names, p.date_of_birth,
             p.nhs_number.empty() ? "-" : p.nhs_number, p.hospital_number.empty() ? "-" : p.hospital_number,
             p.postcode);
}

int run_find(const std::string& db, const std::string& text, int limit) {
  auto store = open_store_or_report(db);
  if (!store) return 1;
  auto found = store->find_patients(text, limit);
  if (!found) return report_failure(found.error().message);
  for (const auto& p : *found) print_patient(p);
  fmt::print("{} patients\n", found->size());
  return 0;
}

// A patient and their documents as a timeline, by document date (ingest date when none was read).
int run_show(const std::string& db, const std::string& id) {
  auto store = open_store_or_report(db);
  if (!store) return 1;
  auto patient = store->patient(id);
  if (!patient) return report_failure(patient.error().message);
  if (!*patient) return report_failure("no patient " + id);
  print_patient(**patient);
  DocumentQuery query;
  query.patient_id = id;
  query.limit = 10000;
  auto documents = store->search(query);
  if (!documents) return report_failure(documents.error().message);
  std::stable_sort(documents->begin(), documents->end(), [](const SearchHit& a, const SearchHit& b) {
    return (a.document_date.empty() ? a.created_at : a.document_date) <
           (b.document_date.empty() ? b.created_at : b.document_date);
  });
  for (const auto& d : *documents)
    fmt::print("  {:<10}  {:<17}  {}  {}\n", d.document_date.empty() ? "(undated)" : d.document_date, d.document_type,
               d.document_id, d.source);
  fmt::print("{} documents\n", documents->size());
  return 0;
}

}  // namespace

void add_patients_command(CLI::App& app, int& exit_status) {
  auto* patients = app.add_subcommand("patients", "The patient master index");
  patients->require_subcommand(1);

  struct ImportOptions {
    std::string db = "casenote.db";
    std::string csv_path;
    InputLimits limits;
  };
  auto options = std::make_shared<ImportOptions>();
  auto* import = patients->add_subcommand("import", "Create and update patients from a CSV file");
  add_db_option(*import, options->db);
  import->add_option("file", options->csv_path,
                     "CSV with header nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode")
      ->required();
  import->add_option("--max-record-bytes", options->limits.max_csv_record_bytes, "longest CSV record, in bytes")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  import->callback([options, &exit_status] {
    exit_status = run_import(options->db, options->csv_path, options->limits);
  });

  struct FindOptions {
    std::string db = "casenote.db";
    std::string text;
    int limit = 100;
  };
  auto find = std::make_shared<FindOptions>();
  auto* list = patients->add_subcommand("list", "List patients by family name");
  add_db_option(*list, find->db);
  list->add_option("--limit", find->limit, "at most this many")->capture_default_str()->check(CLI::PositiveNumber);
  list->callback([find, &exit_status] { exit_status = run_find(find->db, "", find->limit); });

  auto* search = patients->add_subcommand("search", "Find patients by name, NHS number, hospital number or date of birth");
  add_db_option(*search, find->db);
  search->add_option("--limit", find->limit, "at most this many")->capture_default_str()->check(CLI::PositiveNumber);
  search->add_option("text", find->text, "words that must all match, e.g. \"smith john\" or 1950-03-04")->required();
  search->callback([find, &exit_status] { exit_status = run_find(find->db, find->text, find->limit); });

  auto* show = patients->add_subcommand("show", "Show a patient and their documents as a timeline");
  add_db_option(*show, find->db);
  show->add_option("patient", find->text, "patient id")->required();
  show->callback([find, &exit_status] { exit_status = run_show(find->db, find->text); });
}

}  // namespace casenote
