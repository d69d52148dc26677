// casenote audit: who did what to a document or a patient, and when.
#include <fmt/format.h>

#include "app/commands.h"

namespace casenote {
namespace {

struct AuditOptions {
  std::string db = "casenote.db";
  std::string document_id;
  std::string patient_id;
};

int run_audit(const AuditOptions& o) {
  if (o.document_id.empty() == o.patient_id.empty())
    return report_failure("audit: give a document id or --patient ID, not both");
  auto store = open_store_or_report(o.db);
  if (!store) return 1;
  auto trail = o.document_id.empty() ? store->audit_for_patient(o.patient_id) : store->audit_for_document(o.document_id);
  if (!trail) return report_failure(trail.error().message);
  for (const auto& e : *trail) {
    std::string change = e.field.empty() ? "" : fmt::format(" {}: '{}' -> '{}'", e.field, e.old_value, e.new_value);
    fmt::print("{}  {:<12} {:<11} {}{}{}{}{}\n", e.at.substr(0, 19), e.user, e.action,
               e.document_id.empty() ? "" : e.document_id + " ", e.patient_id.empty() ? "" : "patient " + e.patient_id,
               change, e.rule.empty() ? "" : " (rule " + e.rule + ")", e.detail.empty() ? "" : " — " + e.detail);
  }
  fmt::print("{} entries\n", trail->size());
  return 0;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<AuditOptions>();
  auto* command = app.add_subcommand("audit", "Show the audit trail of a document or a patient");
  add_db_option(*command, o->db);
  command->add_option("document", o->document_id, "document id");
  command->add_option("--patient", o->patient_id, "patient id");
  command->callback([o, &exit_status] { exit_status = run_audit(*o); });
}

}  // namespace casenote
