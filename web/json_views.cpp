#include "web/json_views.h"

#include <filesystem>

namespace casenote {
namespace {

using nlohmann::json;

json daily_json(const std::vector<DailyCount>& counts) {
  json out = json::array();
  for (const auto& c : counts) out.push_back({{"day", c.day}, {"count", c.count}});
  return out;
}

}  // namespace

json patient_json(const PatientRecord& p) {
  return {{"id", p.id},
          {"nhs_number", p.nhs_number},
          {"hospital_number", p.hospital_number},
          {"family_name", p.family_name},
          {"given_names", p.given_names},
          {"date_of_birth", p.date_of_birth},
          {"sex", p.sex},
          {"postcode", p.postcode}};
}

json patient_json_or_null(const std::optional<std::string>& patient_id, const PatientsById& patients) {
  if (!patient_id) return nullptr;
  auto found = patients.find(*patient_id);
  if (found == patients.end()) return nullptr;
  return patient_json(found->second);
}

json document_json(const DocumentRecord& d, const PatientsById& patients, const std::vector<AuditEntry>& audit) {
  json pages = json::array();
  for (const auto& p : d.pages)
    pages.push_back({{"number", p.number},
                     {"rotation_degrees", p.rotation_degrees},
                     {"skew_degrees", p.skew_degrees},
                     {"mean_confidence", p.mean_confidence},
                     {"blank", p.blank},
                     {"text", p.text},
                     {"notes", p.notes}});
  json fields = json::array();
  for (const auto& f : d.fields)
    fields.push_back({{"name", f.name},
                      {"value", f.value},
                      {"confidence", f.confidence},
                      {"page", f.page},
                      {"bbox", {f.box.x, f.box.y, f.box.w, f.box.h}}});
  json candidates = json::array();
  for (const auto& c : d.candidates)
    candidates.push_back({{"patient_id", c.patient_id},
                          {"patient", patient_json_or_null(c.patient_id, patients)},
                          {"score", c.score},
                          {"evidence", c.evidence}});
  json trail = json::array();
  for (const auto& e : audit) trail.push_back(audit_json(e));
  return {{"id", d.id},
          {"source", d.source},
          {"source_name", std::filesystem::path(d.source).filename().string()},
          {"document_type", d.document_type},
          {"status", d.status},
          {"filing_rule", d.filing_rule},
          {"patient", patient_json_or_null(d.patient_id, patients)},
          {"review_reasons", d.review_reasons},
          {"pages", pages},
          {"fields", fields},
          {"candidates", candidates},
          {"has_archive", !d.archive_path.empty()},
          {"audit", trail}};
}

json hit_json(const SearchHit& h, const PatientsById& patients) {
  return {{"id", h.document_id},
          {"source_name", std::filesystem::path(h.source).filename().string()},
          {"patient", patient_json_or_null(h.patient_id, patients)},
          {"snippet", h.snippet},
          {"document_type", h.document_type},
          {"status", h.status},
          {"document_date", h.document_date},
          {"created_at", h.created_at},
          {"review_reasons", h.review_reasons},
          {"suggested", patient_json_or_null(h.suggested_patient_id, patients)}};
}

json audit_json(const AuditEntry& e) {
  return {{"id", e.id},         {"at", e.at},           {"user", e.user},
          {"action", e.action}, {"document_id", e.document_id}, {"patient_id", e.patient_id},
          {"field", e.field},   {"old_value", e.old_value},     {"new_value", e.new_value},
          {"rule", e.rule},     {"detail", e.detail}};
}

json activity_json(const ActivitySummary& a) {
  json failures = json::array();
  for (const auto& f : a.recent_failures)
    failures.push_back({{"source_name", std::filesystem::path(f.path).filename().string()}, {"reason", f.reason}});
  return {{"needs_review", a.needs_review},
          {"filed", a.filed},
          {"rejected", a.rejected},
          {"failed_inputs", a.failed_inputs},
          {"review_queue_by_day", daily_json(a.review_queue_by_day)},
          {"filed_on_ingest_by_day", daily_json(a.filed_on_ingest_by_day)},
          {"filed_in_review_by_day", daily_json(a.filed_in_review_by_day)},
          {"failures_by_day", daily_json(a.failures_by_day)},
          {"recent_failures", failures}};
}

std::string json_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace casenote
