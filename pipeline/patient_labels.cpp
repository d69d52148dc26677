#include "pipeline/patient_labels.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "extract/nhs_number.h"

namespace casenote {
namespace {

// The text after `prefix` when `text` starts with it, compared without regard to case.
std::optional<std::string> after_prefix(const std::string& text, std::string_view prefix) {
  if (text.size() < prefix.size()) return std::nullopt;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(text[i])) != prefix[i]) return std::nullopt;
  return text.substr(prefix.size());
}

std::string trimmed(const std::string& text) {
  size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Hospital numbers are letters and digits, perhaps with '/' or '-', as trusts write them.
bool plausible_hospital_number(const std::string& value) {
  if (value.empty() || value.size() > 20) return false;
  bool has_digit = false;
  for (unsigned char c : value) {
    if (std::isdigit(c)) has_digit = true;
    if (!std::isalnum(c) && c != '/' && c != '-') return false;
  }
  return has_digit;
}

const char* identifier_name(FieldKind kind) {
  return kind == FieldKind::NhsNumber ? "NHS number" : "hospital number";
}

// Applies the usable labels of one kind: they must agree with each other and with the text.
void apply_kind(DocumentFields& fields, FieldKind kind, const std::vector<PatientLabel>& labels) {
  const ExtractedField* chosen = nullptr;
  std::set<std::string> values;
  for (const auto& label : labels) {
    if (label.field.kind != kind || !label.problem.empty()) continue;
    values.insert(label.field.value);
    if (!chosen) chosen = &label.field;
  }
  if (!chosen) return;
  std::string name = identifier_name(kind);
  if (values.size() > 1) {
    fields.review_reasons.push_back("patient labels carry different " + name + "s");
    fields.fields.erase(kind);
    return;
  }
  if (const ExtractedField* read = fields.find(kind); read && read->value != chosen->value)
    fields.review_reasons.push_back("the " + name + " in the text differs from the patient label");
  fields.fields.insert_or_assign(kind, *chosen);
}

}  // namespace

bool is_separator_sheet(const std::vector<Barcode>& barcodes) {
  for (const auto& barcode : barcodes)
    if (barcode.text == kSeparatorSheetContent) return true;
  return false;
}

std::optional<PatientLabel> read_patient_label(const Barcode& barcode, int page) {
  PatientLabel label;
  label.field.confidence = 1.0;
  label.field.page = page;
  label.field.box = barcode.box;
  label.field.source_text = barcode.format + " " + barcode.text;
  if (auto number = after_prefix(barcode.text, "NHS:")) {
    label.field.kind = FieldKind::NhsNumber;
    if (auto digits = parse_nhs_number(trimmed(*number), false))
      label.field.value = *digits;
    else
      label.problem = "a patient label's NHS number fails its check digit or is not ten digits";
    return label;
  }
  if (auto number = after_prefix(barcode.text, "MRN:")) {
    label.field.kind = FieldKind::HospitalNumber;
    label.field.value = trimmed(*number);
    if (!plausible_hospital_number(label.field.value))
      label.problem = "a patient label's hospital number is not letters and digits";
    return label;
  }
  return std::nullopt;
}

void apply_patient_labels(DocumentFields& fields, const std::vector<PatientLabel>& labels) {
  for (const auto& label : labels) {
    if (label.problem.empty()) continue;
    auto& reasons = fields.review_reasons;
    if (std::find(reasons.begin(), reasons.end(), label.problem) == reasons.end()) reasons.push_back(label.problem);
  }
  apply_kind(fields, FieldKind::NhsNumber, labels);
  apply_kind(fields, FieldKind::HospitalNumber, labels);
}

}  // namespace casenote
