#include "pipeline/review.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "extract/dates.h"
#include "extract/nhs_number.h"
#include "extract/person_name.h"
#include "extract/postcode.h"
#include "pipeline/patient_index.h"

namespace casenote {
namespace {

constexpr std::array kCorrectableFields{FieldKind::NhsNumber,   FieldKind::HospitalNumber, FieldKind::PatientName,
                                        FieldKind::DateOfBirth, FieldKind::Postcode,       FieldKind::DocumentDate};

std::optional<FieldKind> kind_of(const std::string& field) {
  for (FieldKind kind : kCorrectableFields)
    if (field == field_key(kind)) return kind;
  return std::nullopt;
}

// Reasons that come from the pages themselves rather than from what was read on them.
bool is_page_failure(const std::string& reason) { return reason.rfind("page ", 0) == 0; }

Result<DocumentRecord> load(Store& store, const std::string& document_id) {
  auto document = store.document(document_id);
  if (!document) return document.error();
  if (!*document) return Error{"no document " + document_id};
  return std::move(**document);
}

Result<std::optional<PatientRecord>> patient_of(Store& store, const std::optional<std::string>& patient_id) {
  if (!patient_id) return std::optional<PatientRecord>();
  return store.patient(*patient_id);
}

// Copies the document's searchable PDF to the name the archive template gives it after
// `change`, when that differs from the name it gave before. Returns the new copy's path, or
// nothing when the PDF stays where it is.
Result<std::optional<std::string>> copy_to_new_name(Store& store, const DocumentRecord& before, const FilingChange& change,
                                                    const ArchiveSettings& archive) {
  if (archive.folder.empty() || before.archive_path.empty()) return std::optional<std::string>();
  DocumentRecord after = before;
  after.status = change.status;
  after.patient_id = change.patient_id;
  auto old_patient = patient_of(store, before.patient_id);
  if (!old_patient) return old_patient.error();
  auto new_patient = patient_of(store, after.patient_id);
  if (!new_patient) return new_patient.error();
  const std::string name = archive_name(archive.name_template, after, *new_patient);
  if (name == archive_name(archive.name_template, before, *old_patient)) return std::optional<std::string>();
  std::ifstream in(before.archive_path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in || bytes.empty())
    return Error{"document " + before.id + ": its searchable PDF " + before.archive_path + " cannot be read"};
  auto written = write_new_file(archive.folder, name, bytes);
  if (!written) return written.error();
  return std::optional<std::string>(*written);
}

Result<DocumentRecord> apply(Store& store, FilingChange change, const DocumentRecord& before,
                             const ArchiveSettings& archive) {
  auto copy = copy_to_new_name(store, before, change, archive);
  if (!copy) return copy.error();
  change.archive_path = *copy;
  std::error_code ignored;
  if (auto changed = store.change_filing(change); !changed) {
    if (*copy) std::filesystem::remove(**copy, ignored);
    return changed.error();
  }
  // The store names the new copy now; a copy left under the old name would still show this
  // document in the old patient's folder, so failing to remove it is an error a person must see.
  if (*copy)
    if (std::error_code removing; !std::filesystem::remove(before.archive_path, removing) && removing)
      return Error{"document " + before.id + " was moved to " + **copy + ", but its old copy " + before.archive_path +
                   " could not be removed: " + removing.message()};
  return load(store, change.document_id);
}

DocumentFields fields_of(const DocumentRecord& document) {
  DocumentFields fields;
  for (const auto& f : document.fields)
    if (auto kind = kind_of(f.name)) fields.fields.emplace(*kind, ExtractedField{*kind, f.value, f.confidence, f.page, f.box, f.value});
  return fields;
}

const FieldRecord* field_named(const DocumentRecord& document, const std::string& name) {
  for (const auto& f : document.fields)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

Result<std::string> normalise_field_value(const std::string& field, const std::string& value) {
  auto kind = kind_of(field);
  if (!kind) {
    std::string known;
    for (FieldKind k : kCorrectableFields) known += std::string(known.empty() ? "" : ", ") + field_key(k);
    return Error{"unknown field '" + field + "' (fields: " + known + ")"};
  }
  switch (*kind) {
    case FieldKind::NhsNumber:
      if (auto nhs = parse_nhs_number(value, false)) return *nhs;
      return Error{"'" + value + "' is not a valid NHS number (ten digits with a modulus-11 check digit)"};
    case FieldKind::DateOfBirth:
    case FieldKind::DocumentDate: {
      Date today = local_today();
      auto date = parse_iso_date(value);
      if (!date) date = parse_date_not_after(value, today);
      if (!date) return Error{"'" + value + "' is not a date (e.g. 04/03/1950 or 1950-03-04)"};
      if (*date > today) return Error{"'" + value + "' is in the future"};
      return date->iso();
    }
    case FieldKind::PatientName: {
      std::istringstream in(value);
      std::vector<std::string> words;
      for (std::string w; in >> w;) words.push_back(w);
      std::vector<std::string_view> views(words.begin(), words.end());
      auto name = read_person_name(views);
      if (!name || name->words_used != words.size())
        return Error{"'" + value + "' is not a name with a family name and a given name (e.g. SMITH, John)"};
      return name->formatted();
    }
    case FieldKind::Postcode:
      if (auto postcode = parse_postcode(value)) return *postcode;
      return Error{"'" + value + "' is not a UK postcode"};
    case FieldKind::HospitalNumber:
      if (value.empty() || value.find_first_of(" \t") != std::string::npos)
        return Error{"a hospital number is one word, not '" + value + "'"};
      return value;
    default:
      break;
  }
  return Error{"field '" + field + "' cannot be corrected"};
}

Result<DocumentRecord> accept_suggestion(Store& store, const std::string& document_id, const std::string& user,
                                         const ArchiveSettings& archive) {
  auto document = load(store, document_id);
  if (!document) return document.error();
  if (document->candidates.empty()) return Error{"document " + document_id + " has no suggested patient to accept"};
  FilingChange change{document_id, user, "accept", "filed", document->candidates.front().patient_id,
                      "accepted_suggestion", {}, {}, {}, document->candidates.front().evidence, std::nullopt};
  return apply(store, change, *document, archive);
}

Result<DocumentRecord> correct_field(Store& store, const std::string& document_id, const std::string& field,
                                     const std::string& value, const std::string& user, const LinkingPolicy& policy,
                                     const ArchiveSettings& archive) {
  auto normalised = normalise_field_value(field, value);
  if (!normalised) return normalised.error();
  auto document = load(store, document_id);
  if (!document) return document.error();

  FieldRecord corrected{field, *normalised, 1.0, 1, {}};
  if (const FieldRecord* existing = field_named(*document, field)) {
    corrected.page = existing->page;
    corrected.box = existing->box;
  }
  bool replaced = false;
  for (auto& f : document->fields)
    if (f.name == field) f = corrected, replaced = true;
  if (!replaced) document->fields.push_back(corrected);

  // A corrected value is what a person read: full confidence, so it is judged on what it says.
  DocumentFields fields = fields_of(*document);
  StorePatientIndex index(store);
  auto matches = find_index_matches(fields, index);
  if (!matches) return matches.error();
  FilingDecision decision = decide_filing(fields, *matches, LinkingPolicy{policy.file_on_name_and_date_of_birth, false});

  std::vector<std::string> reasons = decision.reasons;
  for (const auto& r : document->review_reasons)
    if (is_page_failure(r)) reasons.push_back(r);
  bool filed = decision.filed && reasons.empty();
  FilingChange change{document_id,
                      user,
                      "correct",
                      filed ? "filed" : (document->status == "rejected" ? "rejected" : "needs_review"),
                      filed ? decision.patient_id : std::nullopt,
                      decision.rule,
                      filed ? std::vector<std::string>{} : reasons,
                      decision.candidates,
                      {corrected},
                      "",
                      std::nullopt};
  return apply(store, change, *document, archive);
}

Result<DocumentRecord> link_document(Store& store, const std::string& document_id, const std::string& patient_id,
                                     const std::string& user, const ArchiveSettings& archive) {
  auto patient = store.patient(patient_id);
  if (!patient) return patient.error();
  if (!*patient) return Error{"no patient " + patient_id};
  auto document = load(store, document_id);
  if (!document) return document.error();
  FilingChange change{document_id, user, "link", "filed", patient_id, "manual", {}, {}, {}, "", std::nullopt};
  return apply(store, change, *document, archive);
}

Result<DocumentRecord> file_to_new_patient(Store& store, const std::string& document_id, const std::string& user,
                                           const ArchiveSettings& archive) {
  auto document = load(store, document_id);
  if (!document) return document.error();
  const FieldRecord* nhs = field_named(*document, "nhs_number");
  const FieldRecord* hospital = field_named(*document, "hospital_number");
  const FieldRecord* name = field_named(*document, "patient_name");
  const FieldRecord* dob = field_named(*document, "date_of_birth");
  if (!nhs && !hospital) return Error{"document " + document_id + " has no NHS or hospital number to create a patient from"};
  if (!name || !dob) return Error{"document " + document_id + " needs a patient name and date of birth to create a patient"};

  // A new patient is made only from values a person could have typed: a misread NHS number
  // would otherwise enter the index and attract the real patient's letters.
  for (const FieldRecord* field : {nhs, hospital, name, dob}) {
    if (!field) continue;
    if (auto valid = normalise_field_value(field->name, field->value); !valid)
      return Error{"document " + document_id + ": correct the " + field->name + " first: " + valid.error().message};
  }

  PatientRecord patient;
  if (nhs) patient.nhs_number = nhs->value;
  if (hospital) patient.hospital_number = hospital->value;
  auto comma = name->value.find(',');
  patient.family_name = name->value.substr(0, comma);
  if (comma != std::string::npos && comma + 2 <= name->value.size()) patient.given_names = name->value.substr(comma + 2);
  patient.date_of_birth = dob->value;
  if (const FieldRecord* postcode = field_named(*document, "postcode")) patient.postcode = postcode->value;
  auto created = store.create_patient(patient, user);
  if (!created) return created.error();
  FilingChange change{document_id, user, "new_patient", "filed", created->id, "new_patient", {}, {}, {}, "", std::nullopt};
  return apply(store, change, *document, archive);
}

Result<DocumentRecord> reject_document(Store& store, const std::string& document_id, const std::string& reason,
                                       const std::string& user, const ArchiveSettings& archive) {
  if (reason.find_first_not_of(" \t") == std::string::npos) return Error{"a rejection needs a reason"};
  auto document = load(store, document_id);
  if (!document) return document.error();
  FilingChange change{
      document_id, user, "reject", "rejected", std::nullopt, "", {reason}, document->candidates, {}, reason, std::nullopt};
  return apply(store, change, *document, archive);
}

}  // namespace casenote
