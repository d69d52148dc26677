// The review workstation's records as the JSON its front end reads. Plain conversions: what a
// view needs is looked up by the caller (web/web_app.cpp) and passed in.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/records.h"

namespace casenote {

using PatientsById = std::map<std::string, PatientRecord>;

nlohmann::json patient_json(const PatientRecord& patient);

// A patient by id from `patients`, or null when the id is absent or unknown.
nlohmann::json patient_json_or_null(const std::optional<std::string>& patient_id, const PatientsById& patients);

// A document with its pages, fields (each with its page and bbox [x, y, w, h]), reasons, its
// patient and its candidates with their patients from `patients`, and its audit trail.
nlohmann::json document_json(const DocumentRecord& document, const PatientsById& patients,
                             const std::vector<AuditEntry>& audit);

// A search hit or queue entry; `suggested` is its best candidate's patient, when looked up.
nlohmann::json hit_json(const SearchHit& hit, const PatientsById& patients);

nlohmann::json audit_json(const AuditEntry& entry);

nlohmann::json activity_json(const ActivitySummary& activity);

// The JSON text of `value`, with any invalid UTF-8 from OCR replaced rather than refused.
std::string json_text(const nlohmann::json& value);

}  // namespace casenote
