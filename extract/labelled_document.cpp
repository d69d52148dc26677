#include "extract/labelled_document.h"

#include <algorithm>

namespace casenote {
namespace {

// How much of the remaining doubt one agreeing reading of full confidence removes.
constexpr double kAgreementShare = 0.5;
// The garbled rest of a label, like "Noa:" for "No:", is a short word.
constexpr size_t kGarbledLabelEndLetters = 4;

bool holds_letterhead(const Line& line, const std::vector<std::string>& letterhead_keys) {
  std::string key;
  for (const Token& token : line.tokens) key += token.key;
  return std::any_of(letterhead_keys.begin(), letterhead_keys.end(),
                     [&](const std::string& text) { return key.find(text) != std::string::npos; });
}

}  // namespace

LabelledDocument label_document(const std::vector<RecognisedPage>& pages, const ExtractionOptions& options) {
  std::vector<LabelSpec> specs = default_labels();
  specs.insert(specs.end(), options.extra_labels.begin(), options.extra_labels.end());
  for (const std::string& text : options.hospital_number_labels) specs.push_back({text, LabelKind::HospitalNumber});
  LabelTable table(specs);

  // Compared by letters and digits only: "Infirmary Road, HX1 2YR" is "infirmaryroadhx12yr".
  std::vector<std::string> letterhead_keys;
  for (const std::string& text : options.letterhead_text)
    if (std::string key = token_key(text); !key.empty()) letterhead_keys.push_back(key);

  LabelledDocument doc;
  for (Line& line : split_into_lines(pages)) {
    if (holds_letterhead(line, letterhead_keys)) continue;
    doc.labels.push_back(table.find(line));
    doc.lines.push_back(std::move(line));
  }
  return doc;
}

std::optional<TokenPosition> labelled_value_position(const LabelledDocument& doc, size_t li, const LabelMatch& label) {
  auto at = value_position(doc.lines, li, label);
  if (!at) return at;
  const Line& line = doc.lines[at->line];
  const Token& token = line.tokens[at->token];
  const auto& labels = doc.labels[at->line];
  bool starts_label = std::any_of(labels.begin(), labels.end(), [&](const LabelMatch& l) { return l.first == at->token; });
  bool has_next = at->token + 1 < line.tokens.size() && !column_gap_before(line, at->token + 1);
  // "No." read as "na." ends a label before a number or date; a short word with a full stop
  // before words ("Mr. John") is part of the value.
  bool ends_like_label = token.text.back() == ':' ||
                         (token.text.back() == '.' && has_next && has_digit(line.tokens[at->token + 1].text));
  bool garbled_label_end = ends_like_label && token.key.size() <= kGarbledLabelEndLetters && !has_digit(token.text) &&
                           !starts_label && has_next;
  if (garbled_label_end) ++at->token;
  return at;
}

size_t value_end(const LabelledDocument& doc, TokenPosition at) {
  const Line& line = doc.lines[at.line];
  for (size_t i = at.token + 1; i < line.tokens.size(); ++i) {
    if (column_gap_before(line, i)) return i;
    for (const LabelMatch& label : doc.labels[at.line])
      if (label.first == i && ((label.kind != LabelKind::Other && label.kind != LabelKind::OtherParty) || label.colon))
        return i;
  }
  return line.tokens.size();
}

std::string text_of(const Line& line, size_t first, size_t end, bool without_punctuation) {
  std::string text;
  for (size_t i = first; i < end; ++i) {
    if (i > first) text += ' ';
    text += without_punctuation ? std::string(strip_punctuation(line.tokens[i].text)) : line.tokens[i].text;
  }
  return text;
}

ExtractedField field_from(const LabelledDocument& doc, FieldKind kind, const Reading& reading) {
  const Line& line = doc.lines[reading.at.line];
  ExtractedField field;
  field.kind = kind;
  field.value = reading.value;
  float lowest = 100;
  for (size_t i = reading.at.token; i < reading.end; ++i) {
    lowest = std::min(lowest, line.tokens[i].confidence);
    field.box = field.box.united(line.tokens[i].box);
  }
  field.confidence = std::clamp(lowest / 100.0, 0.0, 1.0) * reading.weight;
  field.page = line.page_number;
  field.source_text = text_of(line, reading.at.token, reading.end, false);
  return field;
}

ExtractedField agreed_field(const LabelledDocument& doc, FieldKind kind, const std::vector<Reading>& readings) {
  std::vector<ExtractedField> fields;
  for (const Reading& reading : readings) fields.push_back(field_from(doc, kind, reading));
  auto best = std::max_element(fields.begin(), fields.end(), [](const ExtractedField& a, const ExtractedField& b) {
    return a.confidence < b.confidence;
  });
  ExtractedField field = *best;
  for (auto other = fields.begin(); other != fields.end(); ++other)
    if (other != best) field.confidence += (1 - field.confidence) * kAgreementShare * other->confidence;
  return field;
}

bool readings_disagree(const std::vector<Reading>& readings) {
  return std::any_of(readings.begin(), readings.end(),
                     [&](const Reading& r) { return r.value != readings.front().value; });
}

std::string conflict_reason(const LabelledDocument& doc, const std::string& what, const std::vector<Reading>& readings,
                            std::string (*display)(const std::string&)) {
  std::string reason = "conflicting " + what + ":";
  std::vector<std::string> named;
  for (const Reading& reading : readings) {
    if (std::find(named.begin(), named.end(), reading.value) != named.end()) continue;
    reason += (named.empty() ? " " : ", ") + display(reading.value) + " (page " +
              std::to_string(doc.lines[reading.at.line].page_number) + ")";
    named.push_back(reading.value);
  }
  return reason;
}

std::vector<Reading> best_ranked(std::vector<Reading> readings) {
  if (readings.empty()) return readings;
  int best = std::min_element(readings.begin(), readings.end(),
                              [](const Reading& a, const Reading& b) { return a.rank < b.rank; })->rank;
  std::erase_if(readings, [&](const Reading& r) { return r.rank != best; });
  return readings;
}

bool has_digit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_patient_label(LabelKind kind) {
  switch (kind) {
    case LabelKind::NhsNumber:
    case LabelKind::ChiNumber:
    case LabelKind::HcNumber:
    case LabelKind::HospitalNumber:
    case LabelKind::PatientName:
    case LabelKind::FamilyName:
    case LabelKind::GivenNames:
    case LabelKind::DateOfBirth:
      return true;
    default:
      return false;
  }
}

int lines_to_pixels(int lines, const Line& line) { return lines * line.box.h * 3 / 2; }

}  // namespace casenote
