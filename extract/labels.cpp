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

// Inside a word OCR reads some letters as look-alike digits; read them back as letters.
std::string as_letters(const std::string& key) {
  if (!has_letter(key)) return key;
  std::string out = key;
  for (char& c : out) {
    switch (c) {
      case '0': c = 'o'; break;
      case '1': c = 'l'; break;
      case '5': c = 's'; break;
      case '8': c = 'b'; break;
      default: break;
    }
  }
  return out;
}

std::vector<std::string> label_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;)
    if (std::string key = token_key(word); !key.empty()) words.push_back(key);
  return words;
}

bool has_digit(std::string_view text) {
  for (char c : text)
    if (c >= '0' && c <= '9') return true;
  return false;
}

// A common-word label counts only where a field can start.
bool at_field_start(const Line& line, size_t start) {
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

      {"Date of Birth", K::DateOfBirth},
      {"DOB", K::DateOfBirth},
      {"Birth date", K::DateOfBirth},
      {"Born", K::DateOfBirth, true},

      {"Patient Name", K::PatientName},
      {"Patient's Name", K::PatientName},
      {"Patient", K::PatientName, true},
      {"Name", K::PatientName, true},
      {"Re", K::PatientName, true, 1},

      {"Letter date", K::DocumentDate},
      {"Date of letter", K::DocumentDate},
      {"Reported", K::DocumentDate},
      {"Date reported", K::DocumentDate},
      {"Date of discharge", K::DocumentDate},
      {"Discharge date", K::DocumentDate},
      {"Date", K::DocumentDate, true, 1},
      {"Dated", K::DocumentDate, true, 1},

      // Other dates a document carries, never its own date nor the patient's birth.
      {"Clinic date", K::Other},
      {"Date of clinic", K::Other},
      {"Clinic", K::Other},
      {"Appointment date", K::Other},
      {"Date of appointment", K::Other},
      {"Next appointment", K::Other},
      {"Date seen", K::Other},
      {"Seen on", K::Other},
      {"Admission date", K::Other},
      {"Date of admission", K::Other},
      {"Date admitted", K::Other},
      {"Admitted", K::Other},
      {"Follow up", K::Other},
      {"Follow-up", K::Other},
      {"Follow up date", K::Other},
      {"Review date", K::Other},
      {"Date of death", K::Other},
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
      {"Date of referral", K::Other},
      {"Referral date", K::Other},
      // Other people and other numbers near the patient's details.
      {"GP", K::Other},
      {"GP Name", K::Other},
      {"Consultant", K::Other},
      {"Next of kin", K::Other},
      {"NOK", K::Other},
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
      {"Ref", K::Other},
      {"Our ref", K::Other},
      {"Your ref", K::Other},
  };
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
  for (const Token& token : line.tokens) keys.push_back(as_letters(token.key));
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
