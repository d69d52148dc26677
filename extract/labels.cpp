#include "extract/labels.h"

#include <sstream>

namespace casenote {
namespace {

using K = LabelKind;

bool has_letter(std::string_view key) {
  for (char c : key)
    if (c >= 'a' && c <= 'z') return true;
  return false;
}

// A word's key as labels are compared: inside a word OCR reads some letters as look-alike
// digits ("N0", "D0B"), read back as letters; and "rn" becomes "m" on both sides of the
// comparison, since OCR reads one for the other ("Sumame" for "Surname").
std::string label_key(const std::string& key) {
  std::string out = key;
  if (has_letter(key)) {
    for (char& c : out) {
      switch (c) {
        case '0': c = 'o'; break;
        case '1': c = 'l'; break;
        case '5': c = 's'; break;
        case '8': c = 'b'; break;
        default: break;
      }
    }
  }
  return with_rn_as_m(out);
}

std::vector<std::string> label_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;)
    if (std::string key = label_key(token_key(word)); !key.empty()) words.push_back(key);
  return words;
}

bool has_digit(std::string_view text) {
  for (char c : text)
    if (c >= '0' && c <= '9') return true;
  return false;
}

// A common-word label counts only where a field can start. Specks OCR reads as punctuation
// (". Date:") do not count as words before it.
bool at_field_start(const Line& line, size_t start) {
  while (start > 0 && line.tokens[start - 1].key.empty() && !column_gap_before(line, start)) --start;
  if (start == 0 || column_gap_before(line, start)) return true;
  const std::string& before = line.tokens[start - 1].text;
  char last = before.back();
  return has_digit(before) || last == ',' || last == ';' || last == ')' || last == '|';
}

}  // namespace

std::vector<LabelSpec> default_labels() {
  return {
      {"NHS No", K::NhsNumber},
      {"NHS Number", K::NhsNumber},
      {"NHS", K::NhsNumber},
      {"New NHS No", K::NhsNumber},

      {"CHI", K::ChiNumber},
      {"CHI No", K::ChiNumber},
      {"CHI Number", K::ChiNumber},
      {"H&C No", K::HcNumber},
      {"H&C Number", K::HcNumber},
      {"H+C No", K::HcNumber},
      {"HCN", K::HcNumber},
      {"Health and Care Number", K::HcNumber},

      {"Date of Birth", K::DateOfBirth},
      {"DOB", K::DateOfBirth},
      {"Birth date", K::DateOfBirth},
      {"Born", K::DateOfBirth, true},

      {"Patient Name", K::PatientName},
      {"Patient's Name", K::PatientName},
      {"Patient", K::PatientName, true},
      {"Name", K::PatientName, true},
      {"Re", K::PatientName, true, 1},
      {"Surname", K::FamilyName},
      {"Family name", K::FamilyName},
      {"Last name", K::FamilyName},
      {"Forename", K::GivenNames},
      {"Forenames", K::GivenNames},
      {"Forename(s)", K::GivenNames},
      {"First name", K::GivenNames},
      {"First names", K::GivenNames},
      {"Given names", K::GivenNames},

      // A letter's own date, most exactly named first; a lab report's or discharge summary's
      // date is its report or discharge date (rank 1, extract/date_finders.cpp).
      {"Letter date", K::DocumentDate},
      {"Date of letter", K::DocumentDate},
      {"Date", K::DocumentDate, true, 2},
      {"Dated", K::DocumentDate, true, 2},

      {"Clinic date", K::ClinicDate},
      {"Date of clinic", K::ClinicDate},
      {"Clinic", K::ClinicDate},
      {"Appointment date", K::ClinicDate},
      {"Date of appointment", K::ClinicDate},
      {"Date seen", K::ClinicDate},
      {"Seen on", K::ClinicDate},
      {"Admission date", K::AdmissionDate},
      {"Date of admission", K::AdmissionDate},
      {"Date admitted", K::AdmissionDate},
      {"Admitted", K::AdmissionDate},
      {"Admitted on", K::AdmissionDate},
      {"Discharge date", K::DischargeDate},
      {"Date of discharge", K::DischargeDate},
      {"Date discharged", K::DischargeDate},
      {"Discharged", K::DischargeDate, true},
      {"Discharged on", K::DischargeDate},
      {"Date of death", K::DeathDate},
      {"DOD", K::DeathDate},
      {"Died", K::DeathDate, true},
      {"Reported", K::ReportDate},
      {"Date reported", K::ReportDate},
      {"Report date", K::ReportDate},
      {"Date of report", K::ReportDate},
      {"Result date", K::ReportDate},
      {"Referral date", K::ReferralDate},
      {"Date of referral", K::ReferralDate},
      {"Date referred", K::ReferralDate},
      {"Referred on", K::ReferralDate},

      // Other dates a document carries, never its own date, the patient's birth or one of the kinds above.
      {"Next appointment", K::Other},
      {"Follow up", K::Other},
      {"Follow-up", K::Other},
      {"Follow up date", K::Other},
      {"Review date", K::Other},
      {"Date typed", K::Other},
      {"Typed", K::Other},
      {"Date dictated", K::Other},
      {"Dictated", K::Other},
      {"Date collected", K::Other},
      {"Collected", K::Other},
      {"Collection date", K::Other},
      {"Date received", K::Other},
      {"Received", K::Other},
      {"Date of request", K::Other},
      {"Requested", K::Other},
      {"Summary completed", K::Other},
      // Other people near the patient's details.
      {"GP", K::OtherParty},
      {"GP Name", K::OtherParty},
      {"Consultant", K::OtherParty},
      {"Next of kin", K::OtherParty},
      {"NOK", K::OtherParty},
      {"Emergency contact", K::OtherParty},
      {"Referrer", K::OtherParty},
      {"Referred by", K::OtherParty},
      {"Requested by", K::OtherParty},
      {"Completed by", K::OtherParty},
      {"Authorised by", K::OtherParty},
      {"Dictated by", K::OtherParty},
      {"Signed", K::OtherParty},
      {"cc", K::OtherParty},
      {"Copy to", K::OtherParty},
      {"Relationship", K::OtherParty},
      // Other numbers and values near the patient's details.
      {"Tel", K::Other},
      {"Telephone", K::Other},
      {"Phone", K::Other},
      {"Mobile", K::Other},
      {"Fax", K::Other},
      {"Email", K::Other},
      {"Address", K::Other},
      {"Postcode", K::Other},
      {"Ward", K::Other},
      {"Age", K::Other},
      {"Sex", K::Other},
      {"Gender", K::Other},
      {"Title", K::Other},
      {"Ref", K::Other},
      {"Our ref", K::Other},
      {"Your ref", K::Other},
      {"Lab No", K::Other},
      {"Sample No", K::Other},
      {"Practice code", K::Other},
  };
}

std::optional<LabelKind> label_kind_named(std::string_view name) {
  static const std::pair<std::string_view, LabelKind> kNames[] = {
      {"nhs_number", K::NhsNumber},         {"chi_number", K::ChiNumber},
      {"hc_number", K::HcNumber},           {"hospital_number", K::HospitalNumber},
      {"patient_name", K::PatientName},     {"family_name", K::FamilyName},
      {"given_names", K::GivenNames},       {"date_of_birth", K::DateOfBirth},
      {"document_date", K::DocumentDate},   {"clinic_date", K::ClinicDate},
      {"admission_date", K::AdmissionDate}, {"discharge_date", K::DischargeDate},
      {"death_date", K::DeathDate},         {"report_date", K::ReportDate},
      {"referral_date", K::ReferralDate},   {"other_party", K::OtherParty},
      {"other", K::Other},
  };
  for (const auto& [key, kind] : kNames)
    if (key == name) return kind;
  return std::nullopt;
}

std::vector<std::string> default_hospital_number_labels() {
  return {"Hospital No", "Hosp No", "Hospital Number", "MRN", "Unit No", "K Number", "Patient ID"};
}

LabelTable::LabelTable(const std::vector<LabelSpec>& labels) {
  for (const LabelSpec& label : labels) {
    std::vector<std::string> words = label_words(label.text);
    if (!words.empty()) entries_.push_back({label.kind, label.common_word, label.rank, std::move(words)});
  }
}

std::optional<LabelMatch> LabelTable::match_at(const Line& line, const std::vector<std::string>& keys,
                                               size_t start) const {
  const Entry* best = nullptr;
  for (const Entry& entry : entries_) {
    if (start + entry.words.size() > line.tokens.size()) continue;
    if (best != nullptr && entry.words.size() <= best->words.size()) continue;
    bool matches = true;
    for (size_t w = 0; w < entry.words.size() && matches; ++w)
      matches = keys[start + w] == entry.words[w];
    if (matches) best = &entry;
  }
  if (best == nullptr || (best->common_word && !at_field_start(line, start))) return std::nullopt;

  LabelMatch match{best->kind, best->rank, start, start + best->words.size()};
  match.common_word = best->common_word;
  match.colon = line.tokens[match.end - 1].text.back() == ':';
  // Separate punctuation after the label ("DOB :", "Date -") belongs to the label, not the value.
  while (match.end < line.tokens.size() && line.tokens[match.end].key.empty()) {
    if (line.tokens[match.end].text.find(':') != std::string::npos) match.colon = true;
    ++match.end;
  }
  return match;
}

std::vector<LabelMatch> LabelTable::find(const Line& line) const {
  std::vector<std::string> keys;
  for (const Token& token : line.tokens) keys.push_back(label_key(token.key));
  std::vector<LabelMatch> found;
  for (size_t i = 0; i < line.tokens.size();) {
    if (auto match = match_at(line, keys, i)) {
      found.push_back(*match);
      i = match->end;
    } else {
      ++i;
    }
  }
  return found;
}

std::optional<TokenPosition> value_position(const std::vector<Line>& lines, size_t line_index, const LabelMatch& label) {
  const Line& line = lines[line_index];
  if (label.end < line.tokens.size()) return TokenPosition{line_index, label.end};
  if (line_index + 1 >= lines.size()) return std::nullopt;
  const Line& below = lines[line_index + 1];
  Box label_box;
  for (size_t i = label.first; i < label.end; ++i) label_box = label_box.united(line.tokens[i].box);
  bool next_row = below.page_index == line.page_index && below.box.y >= label_box.bottom() &&
                  below.box.y - label_box.bottom() <= label_box.h;
  if (!next_row) return std::nullopt;
  for (size_t i = 0; i < below.tokens.size(); ++i) {
    const Box& box = below.tokens[i].box;
    if (box.x >= label_box.x - label_box.h && box.x <= label_box.right()) return TokenPosition{line_index + 1, i};
  }
  return std::nullopt;
}

}  // namespace casenote
