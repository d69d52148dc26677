// The finder of the patient's name.
#include <algorithm>

#include "extract/field_finders.h"
#include "extract/person_name.h"

namespace casenote {
namespace {

// How many lines above a "Name:" label a heading such as "Next of kin" still governs it.
constexpr size_t kSectionReachInLines = 3;
// A heading is a label alone on its line, or with a word or two ("GP details").
constexpr size_t kMaxHeadingWords = 3;

struct NameReading {
  PersonName name;
  ExtractedField field;
  // Just after the name: where the patient's address begins; nothing for a running header,
  // which no address follows.
  std::optional<TokenPosition> end;
};

// True when a heading line, a few lines above `li` and with no patient detail between, begins
// with another party's label: "Next of kin" over "Name: Mrs Jane SMITH".
bool under_other_party_heading(const LabelledDocument& doc, size_t li) {
  const Line& line = doc.lines[li];
  for (size_t back = 1; back <= kSectionReachInLines && back <= li; ++back) {
    const Line& above = doc.lines[li - back];
    if (above.page_index != line.page_index || line.box.y - above.box.bottom() > lines_to_pixels(back, line)) return false;
    const auto& labels = doc.labels[li - back];
    if (std::any_of(labels.begin(), labels.end(), [](const LabelMatch& l) { return is_patient_label(l.kind); }))
      return false;
    bool heading = !labels.empty() && labels.front().kind == LabelKind::OtherParty && labels.front().first == 0 &&
                   above.tokens.size() - labels.front().end < kMaxHeadingWords;
    if (heading) return true;
  }
  return false;
}

// True when the name label belongs to someone else's details: after a "GP:", "Next of kin" or
// "cc" label on its line, or, for a bare "Name:", under such a heading.
bool in_other_party_section(const LabelledDocument& doc, size_t li, const LabelMatch& label) {
  for (const LabelMatch& other : doc.labels[li])
    if (other.kind == LabelKind::OtherParty && other.end <= label.first) return true;
  return label.common_word && under_other_party_heading(doc, li);
}

ExtractedField name_field(const LabelledDocument& doc, const PersonName& name, TokenPosition at, size_t end) {
  return field_from(doc, FieldKind::PatientName, Reading{name.formatted(), at, end});
}

std::optional<NameReading> read_labelled_name(const LabelledDocument& doc, const LabelMatch& label, TokenPosition at) {
  const Line& line = doc.lines[at.line];
  size_t limit = value_end(doc, at);
  std::vector<std::string_view> words;
  for (size_t i = at.token; i < limit; ++i) words.push_back(line.tokens[i].text);
  auto name = read_person_name(words);
  if (!name) return std::nullopt;
  // "Patient" and "Name" begin sentences too; as labels they carry a colon or precede a title.
  if (label.common_word && !label.colon && !name->titled) return std::nullopt;
  // "Re:" also heads a letter's subject ("Re: Hip Replacement"); a name there shows itself.
  if (label.rank > 0 && !name->titled && !name->family_marked) return std::nullopt;
  size_t end = at.token + name->words_used;
  return NameReading{*name, name_field(doc, *name, at, end), TokenPosition{at.line, end}};
}

// The words of a "Surname:" or "Forename(s):" value, up to a column gap or the next label,
// without the specks OCR reads as punctuation ("WILSON ~ ;").
std::vector<std::string_view> value_words(const LabelledDocument& doc, TokenPosition at) {
  std::vector<std::string_view> words;
  const Line& line = doc.lines[at.line];
  for (size_t i = at.token; i < value_end(doc, at); ++i)
    if (!line.tokens[i].key.empty()) words.push_back(line.tokens[i].text);
  return words;
}

// A form's "Surname:" and "Forename(s):" values read as one name, "SMITH, John Paul".
std::optional<NameReading> read_split_name(const LabelledDocument& doc, TokenPosition family_at, TokenPosition given_at) {
  std::vector<std::string_view> family = value_words(doc, family_at), given = value_words(doc, given_at);
  if (family.empty() || given.empty()) return std::nullopt;
  // Written as "FAMILY, Given": the comma says where the family name ends.
  std::string last_family_word = std::string(family.back()) + ",";
  std::vector<std::string_view> words(family.begin(), family.end() - 1);
  words.push_back(last_family_word);
  words.insert(words.end(), given.begin(), given.end());
  auto name = read_person_name(words);
  if (!name || name->words_used <= family.size()) return std::nullopt;
  size_t given_end = given_at.token + (name->words_used - family.size());
  ExtractedField family_field = name_field(doc, *name, family_at, family_at.token + family.size());
  ExtractedField given_field = name_field(doc, *name, given_at, given_end);
  ExtractedField field = family_field;
  field.box = family_field.box.united(given_field.box);
  field.confidence = std::min(family_field.confidence, given_field.confidence);
  field.source_text = family_field.source_text + " " + given_field.source_text;
  TokenPosition end = given_at.line >= family_at.line ? TokenPosition{given_at.line, given_end}
                                                      : TokenPosition{family_at.line, family_at.token + family.size()};
  return NameReading{*name, field, end};
}

// The patient's identifiers that a running header or an addressee line writes after the name.
bool is_identifier_label(LabelKind kind) {
  return is_patient_label(kind) && kind != LabelKind::PatientName && kind != LabelKind::FamilyName &&
         kind != LabelKind::GivenNames;
}

// "Miss Fatima BROWN   Hosp No: K6133801   Page 2 of 2": a line that begins with a name, titled
// or with its family name marked, and goes straight on to one of the patient's identifiers. Later
// pages' running headers name the patient so; reading them lets a page confirm or contradict the
// labelled name, since OCR misreads one writing of a name more often than two alike.
std::optional<NameReading> read_name_before_identifier(const LabelledDocument& doc, size_t li) {
  const Line& line = doc.lines[li];
  const auto& labels = doc.labels[li];
  if (labels.empty() || labels.front().first == 0 || !is_identifier_label(labels.front().kind)) return std::nullopt;
  size_t end = labels.front().first;
  std::vector<std::string_view> words;
  for (size_t i = 0; i < end; ++i) {
    if (i > 0 && column_gap_before(line, i)) return std::nullopt;
    words.push_back(line.tokens[i].text);
  }
  auto name = read_person_name(words);
  if (!name || name->words_used != end || !(name->titled || name->family_marked)) return std::nullopt;
  if (under_other_party_heading(doc, li)) return std::nullopt;
  return NameReading{*name, name_field(doc, *name, {li, 0}, end), std::nullopt};
}

std::vector<TokenPosition> label_values(const LabelledDocument& doc, LabelKind kind) {
  std::vector<TokenPosition> found;
  for_each_labelled_value(doc, kind, [&](const LabelMatch&, TokenPosition at) { found.push_back(at); });
  return found;
}

}  // namespace

std::optional<TokenPosition> find_patient_name(const LabelledDocument& doc, DocumentFields& out) {
  std::vector<NameReading> readings;
  for (size_t li = 0; li < doc.lines.size(); ++li) {
    for (const LabelMatch& label : doc.labels[li]) {
      if (label.kind != LabelKind::PatientName || in_other_party_section(doc, li, label)) continue;
      if (auto at = labelled_value_position(doc, li, label))
        if (auto reading = read_labelled_name(doc, label, *at)) readings.push_back(*reading);
    }
  }
  std::vector<TokenPosition> families = label_values(doc, LabelKind::FamilyName);
  std::vector<TokenPosition> givens = label_values(doc, LabelKind::GivenNames);
  if (!families.empty() && !givens.empty())
    if (auto reading = read_split_name(doc, families.front(), givens.front())) readings.push_back(*reading);
  // After the labelled readings, so that of two equally full writings the labelled one is kept.
  for (size_t li = 0; li < doc.lines.size(); ++li)
    if (auto reading = read_name_before_identifier(doc, li)) readings.push_back(*reading);
  if (readings.empty()) return std::nullopt;

  for (size_t a = 0; a < readings.size(); ++a) {
    for (size_t b = a + 1; b < readings.size(); ++b) {
      if (!same_person_name(readings[a].name, readings[b].name)) {
        out.review_reasons.push_back("conflicting patient names: " + readings[a].field.value + " (page " +
                                     std::to_string(readings[a].field.page) + "), " + readings[b].field.value +
                                     " (page " + std::to_string(readings[b].field.page) + ")");
        return std::nullopt;
      }
    }
  }
  // The same person written more or less fully: keep the fullest writing, and of equals the first.
  std::stable_sort(readings.begin(), readings.end(), [](const NameReading& a, const NameReading& b) {
    return a.name.given.size() > b.name.given.size();
  });
  out.fields.insert_or_assign(FieldKind::PatientName, readings.front().field);
  auto labelled = std::find_if(readings.begin(), readings.end(), [](const NameReading& r) { return r.end.has_value(); });
  return labelled == readings.end() ? std::nullopt : labelled->end;
}

}  // namespace casenote
