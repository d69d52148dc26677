#include "extract/extractor.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "extract/document_type.h"
#include "extract/nhs_number.h"
#include "extract/page_lines.h"
#include "extract/person_name.h"
#include "extract/postcode.h"

namespace casenote {
namespace {

// One random ten-digit number in eleven passes the checksum, so an unlabelled one is weak evidence.
constexpr double kUnlabelledNhsWeight = 0.5;
// Letters read as digits: the checksum held, but OCR was unsure of the number.
constexpr double kCorrectedNhsWeight = 0.9;
// A date standing alone near the top of a letter is usually, not always, the letter's date.
constexpr double kUnlabelledDateWeight = 0.8;
constexpr int kOldestAge = 120;
// How far below the patient's name, in lines, the patient's address may reach.
constexpr int kAddressDepthInLines = 10;
// How far from the trust's name, in lines, the letterhead's address may reach.
constexpr int kLetterheadReachInLines = 4;

// Lines sit about one and a half word heights apart.
int lines_to_pixels(int lines, const Line& line) { return lines * line.box.h * 3 / 2; }

struct Document {
  std::vector<Line> lines;
  std::vector<std::vector<LabelMatch>> labels;  // of each line
};

// A value read off the document: tokens [at.token, end) of line at.line.
struct Reading {
  std::string value;
  TokenPosition at;
  size_t end = 0;
  int rank = 0;           // of the label it was read after
  bool labelled = true;
  double weight = 1;      // scales OCR confidence when the evidence is weak
};

bool has_digit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_patient_label(LabelKind kind) {
  return kind == LabelKind::NhsNumber || kind == LabelKind::HospitalNumber || kind == LabelKind::PatientName ||
         kind == LabelKind::DateOfBirth;
}

Document read_document(const std::vector<RecognisedPage>& pages, const ExtractionOptions& options) {
  std::vector<LabelSpec> specs = default_labels();
  for (const std::string& text : options.hospital_number_labels) specs.push_back({text, LabelKind::HospitalNumber});
  LabelTable table(specs);
  Document doc{split_into_lines(pages), {}};
  for (const Line& line : doc.lines) doc.labels.push_back(table.find(line));
  return doc;
}

// Where a value starting at `at` ends: at a form column gap, at the next label or at the end of
// its line. A label of some other value counts only with its colon: "WARD" may be a surname.
size_t value_end(const Document& doc, TokenPosition at) {
  const Line& line = doc.lines[at.line];
  for (size_t i = at.token + 1; i < line.tokens.size(); ++i) {
    if (column_gap_before(line, i)) return i;
    for (const LabelMatch& label : doc.labels[at.line])
      if (label.first == i && (label.kind != LabelKind::Other || label.colon)) return i;
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

template <class Visit>
void for_each_labelled_value(const Document& doc, LabelKind kind, Visit visit) {
  for (size_t li = 0; li < doc.lines.size(); ++li)
    for (const LabelMatch& label : doc.labels[li])
      if (label.kind == kind)
        if (auto at = value_position(doc.lines, li, label)) visit(label, *at);
}

bool ends_with_label(const Document& doc, size_t li) {
  const auto& labels = doc.labels[li];
  return !labels.empty() && labels.back().end == doc.lines[li].tokens.size();
}

ExtractedField make_field(const Document& doc, FieldKind kind, const Reading& reading) {
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

void add_field(const Document& doc, FieldKind kind, const Reading& reading, DocumentFields& out) {
  out.fields.insert_or_assign(kind, make_field(doc, kind, reading));
}

bool all_same_value(const std::vector<Reading>& readings) {
  return std::all_of(readings.begin(), readings.end(),
                     [&](const Reading& r) { return r.value == readings.front().value; });
}

// The readings after the most exact label that gave any.
std::vector<Reading> best_ranked(std::vector<Reading> readings) {
  if (readings.empty()) return readings;
  int best = std::min_element(readings.begin(), readings.end(),
                              [](const Reading& a, const Reading& b) { return a.rank < b.rank; })->rank;
  std::erase_if(readings, [&](const Reading& r) { return r.rank != best; });
  return readings;
}

// --- NHS number ---

// The NHS number written from `at`, as one token or split over up to three, not running on into more digits.
std::optional<Reading> read_nhs_number(const Document& doc, TokenPosition at, bool correct_ocr_confusions) {
  const Line& line = doc.lines[at.line];
  size_t limit = value_end(doc, at);
  for (size_t end = at.token + 1; end <= std::min(limit, at.token + 3); ++end) {
    std::string text = text_of(line, at.token, end, true);
    auto digits = parse_nhs_number(text, correct_ocr_confusions);
    if (!digits) continue;
    if (end < limit && has_digit(line.tokens[end].text)) return std::nullopt;
    Reading reading{*digits, at, end};
    if (!parse_nhs_number(text, false)) reading.weight = kCorrectedNhsWeight;
    return reading;
  }
  return std::nullopt;
}

// Issued ranges (400-499 and 600-799 million) and the 999 million test range.
bool plausible_nhs_number(const std::string& digits) {
  return digits[0] == '4' || digits[0] == '6' || digits[0] == '7' || digits.starts_with("999");
}

// True when the token before `token` makes what follows some other number: a label, a colon,
// a word such as "Ref" or "Tel", or digits that the number would continue.
bool follows_other_number_context(const Document& doc, size_t li, size_t token) {
  if (token == 0) return false;
  for (const LabelMatch& label : doc.labels[li])
    if (label.end == token) return true;
  static const std::set<std::string> kNumberWords{"no", "number", "ref", "reference", "id", "tel", "telephone",
                                                  "phone", "fax", "mob", "mobile", "ext", "mrn"};
  const Token& before = doc.lines[li].tokens[token - 1];
  return before.text.back() == ':' || kNumberWords.contains(before.key) || has_digit(before.text);
}

std::vector<Reading> unlabelled_nhs_numbers(const Document& doc) {
  std::vector<Reading> found;
  for (size_t li = 0; li < doc.lines.size(); ++li) {
    for (size_t t = 0; t < doc.lines[li].tokens.size(); ++t) {
      if (follows_other_number_context(doc, li, t)) continue;
      auto reading = read_nhs_number(doc, {li, t}, false);
      if (!reading || !plausible_nhs_number(reading->value)) continue;
      reading->labelled = false;
      reading->weight = kUnlabelledNhsWeight;
      found.push_back(*reading);
      t = reading->end - 1;
    }
  }
  return found;
}

void find_nhs_number(const Document& doc, DocumentFields& out) {
  std::vector<Reading> labelled;
  bool unreadable_label = false;
  for_each_labelled_value(doc, LabelKind::NhsNumber, [&](const LabelMatch&, TokenPosition at) {
    if (auto reading = read_nhs_number(doc, at, true))
      labelled.push_back(*reading);
    else if (has_digit(doc.lines[at.line].tokens[at.token].text))
      unreadable_label = true;
  });
  std::vector<Reading> unlabelled = unlabelled_nhs_numbers(doc);

  if (!labelled.empty()) {
    if (!all_same_value(labelled)) {
      out.review_reasons.push_back("conflicting NHS numbers");
      return;
    }
    add_field(doc, FieldKind::NhsNumber, labelled.front(), out);
    bool another = std::any_of(unlabelled.begin(), unlabelled.end(),
                               [&](const Reading& r) { return r.value != labelled.front().value; });
    if (another) out.review_reasons.push_back("another, unlabelled NHS number appears on the document");
    return;
  }
  if (unreadable_label) {
    // The patient's number is the one that could not be read; another number on the page is not it.
    out.review_reasons.push_back("NHS number label found but its number could not be read");
    return;
  }
  if (unlabelled.empty()) return;
  if (!all_same_value(unlabelled)) {
    out.review_reasons.push_back("conflicting NHS numbers");
    return;
  }
  add_field(doc, FieldKind::NhsNumber, unlabelled.front(), out);
  out.review_reasons.push_back("NHS number found without a label");
}

// --- Hospital number ---

// Hospital numbers are one token of 5 to 12 letters and digits, at least 4 of them digits.
std::optional<Reading> read_hospital_number(const Document& doc, TokenPosition at) {
  std::string_view text = strip_punctuation(doc.lines[at.line].tokens[at.token].text);
  if (text.size() < 5 || text.size() > 12) return std::nullopt;
  std::string value;
  int digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    else if (c < 'A' || c > 'Z') return std::nullopt;
    value += c;
  }
  if (digits < 4) return std::nullopt;
  return Reading{value, at, at.token + 1};
}

void find_hospital_number(const Document& doc, DocumentFields& out) {
  std::vector<Reading> readings;
  for_each_labelled_value(doc, LabelKind::HospitalNumber, [&](const LabelMatch&, TokenPosition at) {
    if (auto reading = read_hospital_number(doc, at)) readings.push_back(*reading);
  });
  if (readings.empty()) return;
  if (!all_same_value(readings)) {
    out.review_reasons.push_back("conflicting hospital numbers");
    return;
  }
  add_field(doc, FieldKind::HospitalNumber, readings.front(), out);
}

// --- Patient name ---

struct NameReading {
  Reading reading;
  PersonName name;
};

std::optional<NameReading> read_name(const Document& doc, const LabelMatch& label, TokenPosition at) {
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
  return NameReading{{name->formatted(), at, at.token + name->words_used, label.rank}, *name};
}

std::optional<Reading> find_patient_name(const Document& doc, DocumentFields& out) {
  std::vector<NameReading> readings;
  for_each_labelled_value(doc, LabelKind::PatientName, [&](const LabelMatch& label, TokenPosition at) {
    if (auto reading = read_name(doc, label, at)) readings.push_back(*reading);
  });
  if (readings.empty()) return std::nullopt;
  for (size_t a = 0; a < readings.size(); ++a) {
    for (size_t b = a + 1; b < readings.size(); ++b) {
      if (!same_person_name(readings[a].name, readings[b].name)) {
        out.review_reasons.push_back("conflicting patient names");
        return std::nullopt;
      }
    }
  }
  // The same person written more or less fully: keep the fullest writing.
  auto fullest = std::max_element(readings.begin(), readings.end(), [](const NameReading& a, const NameReading& b) {
    return a.name.given.size() < b.name.given.size();
  });
  add_field(doc, FieldKind::PatientName, fullest->reading, out);
  return fullest->reading;
}

// --- Dates ---

// A date written from `at` that falls within [earliest, latest].
std::optional<Reading> read_date(const Document& doc, TokenPosition at, Date earliest, Date latest) {
  const Line& line = doc.lines[at.line];
  size_t limit = value_end(doc, at);
  // "4th March 1950" spans three tokens, "04/03/1950" one.
  for (size_t count : {3, 1}) {
    size_t end = at.token + count;
    if (end > limit) continue;
    auto date = parse_date_not_after(text_of(line, at.token, end, false), latest);
    if (date && *date >= earliest && *date <= latest) return Reading{date->iso(), at, end};
  }
  return std::nullopt;
}

// A date alone on a line in the top third of the first page, as a letter is dated; not a value
// set below its label ("Date of birth:" ending the line above).
std::vector<Reading> standalone_letter_dates(const Document& doc, Date today) {
  std::vector<Reading> found;
  for (size_t li = 0; li < doc.lines.size(); ++li) {
    const Line& line = doc.lines[li];
    if (line.page_index != 0 || 3 * line.box.y >= line.page_height) continue;
    if (li > 0 && doc.lines[li - 1].page_index == 0 && ends_with_label(doc, li - 1)) continue;
    auto date = parse_date_not_after(text_of(line, 0, line.tokens.size(), false), today);
    if (!date || *date > today) continue;
    Reading reading{date->iso(), {li, 0}, line.tokens.size()};
    reading.labelled = false;
    reading.weight = kUnlabelledDateWeight;
    found.push_back(reading);
  }
  return found;
}

std::optional<Reading> find_document_date(const Document& doc, Date today, DocumentFields& out) {
  std::vector<Reading> labelled;
  for_each_labelled_value(doc, LabelKind::DocumentDate, [&](const LabelMatch& label, TokenPosition at) {
    if (auto reading = read_date(doc, at, Date{}, today)) {
      reading->rank = label.rank;
      labelled.push_back(*reading);
    }
  });
  std::vector<Reading> readings = labelled.empty() ? standalone_letter_dates(doc, today) : best_ranked(labelled);
  if (readings.empty()) return std::nullopt;
  if (!all_same_value(readings)) {
    out.review_reasons.push_back("conflicting document dates");
    return std::nullopt;
  }
  return readings.front();
}

std::optional<Reading> find_date_of_birth(const Document& doc, Date reference, DocumentFields& out) {
  std::vector<Reading> readings;
  for_each_labelled_value(doc, LabelKind::DateOfBirth, [&](const LabelMatch&, TokenPosition at) {
    if (auto reading = read_date(doc, at, years_before(reference, kOldestAge), reference))
      readings.push_back(*reading);
  });
  if (readings.empty()) return std::nullopt;
  if (!all_same_value(readings)) {
    out.review_reasons.push_back("conflicting dates of birth");
    return std::nullopt;
  }
  return readings.front();
}

void find_dates(const Document& doc, Date today, DocumentFields& out) {
  auto document_date = find_document_date(doc, today, out);
  Date reference = document_date ? *parse_iso_date(document_date->value) : today;
  auto birth = find_date_of_birth(doc, reference, out);
  if (birth) add_field(doc, FieldKind::DateOfBirth, *birth, out);
  // A lone date that is also the date of birth is the birth date set out on its own line.
  bool is_birth_date = birth && document_date && !document_date->labelled && document_date->value == birth->value;
  if (document_date && !is_birth_date) add_field(doc, FieldKind::DocumentDate, *document_date, out);
}

// --- Postcode ---

// Words that begin another party's details: the GP, a consultant, the trust, a letter's greeting.
bool names_other_party(const std::string& key) {
  static const std::set<std::string> kWords{"gp",       "dr",   "doctor", "surgery", "practice", "consultant",
                                            "dear",     "trust", "hospital", "hospitals", "infirmary", "centre",
                                            "center",   "nhs",  "cc",     "kin",     "nok",      "referrer"};
  return kWords.contains(key);
}

bool names_trust(const std::string& key) {
  static const std::set<std::string> kWords{"nhs", "trust", "hospital", "hospitals", "infirmary", "foundation"};
  return kWords.contains(key);
}

// For each token of a line, whether it belongs to a patient-detail label ("NHS No", "Hospital No").
std::vector<bool> patient_label_tokens(const Document& doc, size_t li) {
  std::vector<bool> inside(doc.lines[li].tokens.size(), false);
  for (const LabelMatch& label : doc.labels[li])
    if (is_patient_label(label.kind)) std::fill(inside.begin() + label.first, inside.begin() + label.end, true);
  return inside;
}

// Lines in the first page's top third that name the trust.
std::vector<size_t> trust_name_lines(const Document& doc) {
  std::vector<size_t> found;
  for (size_t li = 0; li < doc.lines.size(); ++li) {
    const Line& line = doc.lines[li];
    if (line.page_index != 0 || 3 * line.box.y >= line.page_height) continue;
    std::vector<bool> in_label = patient_label_tokens(doc, li);
    for (size_t t = 0; t < line.tokens.size(); ++t) {
      if (!in_label[t] && names_trust(line.tokens[t].key)) {
        found.push_back(li);
        break;
      }
    }
  }
  return found;
}

// The letterhead: lines in the same block as the trust's name and close to it. OCR may put a
// whole page in one block, so the block alone does not say where the letterhead ends.
bool in_letterhead(const Document& doc, const std::vector<size_t>& trust_lines, const Line& line) {
  return std::any_of(trust_lines.begin(), trust_lines.end(), [&](size_t li) {
    const Line& trust = doc.lines[li];
    return line.page_index == trust.page_index && line.block == trust.block &&
           std::abs(line.box.y - trust.box.y) <= lines_to_pixels(kLetterheadReachInLines, trust);
  });
}

std::optional<Reading> read_postcode(const Line& line, size_t li, size_t t) {
  if (t + 1 < line.tokens.size() && !column_gap_before(line, t + 1))
    if (auto postcode = parse_postcode(text_of(line, t, t + 2, true))) return Reading{*postcode, {li, t}, t + 2};
  if (auto postcode = parse_postcode(strip_punctuation(line.tokens[t].text))) return Reading{*postcode, {li, t}, t + 1};
  return std::nullopt;
}

// The first postcode after `anchor` in reading order, on lines at or below it and within an
// address's depth, before anything names another party; never the letterhead's.
std::optional<Reading> postcode_after(const Document& doc, TokenPosition anchor) {
  const Line& anchor_line = doc.lines[anchor.line];
  int deepest = anchor_line.box.bottom() + lines_to_pixels(kAddressDepthInLines, anchor_line);
  std::vector<size_t> trust_lines = trust_name_lines(doc);
  for (size_t li = anchor.line; li < doc.lines.size(); ++li) {
    const Line& line = doc.lines[li];
    if (line.page_index != anchor_line.page_index) break;
    // Other columns interleave in reading order; lines above the patient's or far below are not theirs.
    if (li != anchor.line && (line.box.bottom() <= anchor_line.box.y || line.box.y > deepest)) continue;
    std::vector<bool> in_label = patient_label_tokens(doc, li);
    for (size_t t = li == anchor.line ? anchor.token : 0; t < line.tokens.size(); ++t) {
      if (in_label[t]) continue;
      if (names_other_party(line.tokens[t].key)) return std::nullopt;
      auto reading = read_postcode(line, li, t);
      if (!reading) continue;
      if (!in_letterhead(doc, trust_lines, line)) return reading;
      t = reading->end - 1;
    }
  }
  return std::nullopt;
}

// Where the patient's details begin: after the name, else at the first patient-detail label.
std::optional<TokenPosition> patient_anchor(const Document& doc, const std::optional<Reading>& name) {
  if (name) return TokenPosition{name->at.line, name->end};
  for (size_t li = 0; li < doc.lines.size(); ++li)
    for (const LabelMatch& label : doc.labels[li])
      if (is_patient_label(label.kind)) return TokenPosition{li, label.first};
  return std::nullopt;
}

void find_postcode(const Document& doc, const std::optional<Reading>& name, DocumentFields& out) {
  auto anchor = patient_anchor(doc, name);
  if (!anchor) return;
  if (auto reading = postcode_after(doc, *anchor)) add_field(doc, FieldKind::Postcode, *reading, out);
}

}  // namespace

DocumentFields extract_fields(const std::vector<RecognisedPage>& pages) { return extract_fields(pages, {}); }

DocumentFields extract_fields(const std::vector<RecognisedPage>& pages, const ExtractionOptions& options) {
  Document doc = read_document(pages, options);
  DocumentFields out;
  find_nhs_number(doc, out);
  find_hospital_number(doc, out);
  auto name = find_patient_name(doc, out);
  find_dates(doc, options.today.value_or(local_today()), out);
  find_postcode(doc, name, out);
  out.type = classify_document(doc.lines);
  return out;
}

}  // namespace casenote
