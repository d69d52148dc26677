#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "pipeline/patient_csv.h"

namespace casenote {
namespace {

int run_import(const std::string& db, const std::string& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) return report_failure(csv_path + ": cannot be opened");
  PatientCsv csv = parse_patient_csv(in);
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

}  // namespace

void add_patients_command(CLI::App& app, int& exit_status) {
  auto* patients = app.add_subcommand("patients", "The patient master index");
  patients->require_subcommand(1);

  struct ImportOptions {
    std::string db = "casenote.db";
    std::string csv_path;
  };
  auto options = std::make_shared<ImportOptions>();
  auto* import = patients->add_subcommand("import", "Create and update patients from a CSV file");
  add_db_option(*import, options->db);
  import->add_option("file", options->csv_path,
                     "CSV with header nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode")
      ->required();
  import->callback([options, &exit_status] { exit_status = run_import(options->db, options->csv_path); });
}

}  // namespace casenote
