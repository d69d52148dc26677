// The finders of the patient's identifiers: NHS, CHI, H&C and hospital numbers.
#include <algorithm>
#include <set>

#include "extract/chi_number.h"
#include "extract/field_finders.h"
#include "extract/nhs_number.h"

namespace casenote {
namespace {

// One random ten-digit number in eleven passes the checksum, so an unlabelled one is weak evidence.
constexpr double kUnlabelledNhsWeight = 0.5;
// Letters read as digits: the checksum held, but OCR was unsure of the number.
constexpr double kCorrectedNhsWeight = 0.9;
// Letters read as digits in a hospital number, which has no check digit to vouch for them.
constexpr double kCorrectedHospitalNumberWeight = 0.8;
// A number inside the issued ranges is spread over at most three words; after a label OCR may
// have split it into one more.
constexpr size_t kMaxNumberWords = 3;

std::string spaced(const std::string& digits) { return digits.substr(0, 3) + " " + digits.substr(3, 3) + " " + digits.substr(6); }
std::string as_read(const std::string& value) { return value; }

std::string without_separators(std::string text) {
  std::erase_if(text, [](char c) { return c == ' ' || c == '-'; });
  return text;
}

// The NHS number written from `at`, as one word or split over several, not running on into more
// digits. After a label, letters OCR confuses with digits are read as digits, and the digits may
// be grouped any way, as OCR splits and joins words.
std::optional<Reading> read_nhs_number(const LabelledDocument& doc, TokenPosition at, bool labelled) {
  const Line& line = doc.lines[at.line];
  size_t limit = value_end(doc, at);
  size_t most_words = labelled ? kMaxNumberWords + 1 : kMaxNumberWords;
  for (size_t end = at.token + 1; end <= std::min(limit, at.token + most_words); ++end) {
    std::string text = text_of(line, at.token, end, true);
    auto digits = parse_nhs_number(text, labelled);
    if (!digits && labelled) digits = parse_nhs_number(without_separators(text), true);
    if (!digits) continue;
    if (end < limit && has_digit(line.tokens[end].text)) return std::nullopt;
    Reading reading{*digits, at, end};
    if (!parse_nhs_number(without_separators(text), false)) reading.weight = kCorrectedNhsWeight;
    return reading;
  }
  return std::nullopt;
}

// True when the token before `token` makes what follows some other number: a label, a word
// such as "Ref" or "Tel", or digits that the number would continue. A word with a colon that is
// no known label may be an NHS label OCR garbled, so what follows it still counts.
bool follows_other_number_context(const LabelledDocument& doc, size_t li, size_t token) {
  if (token == 0) return false;
  for (const LabelMatch& label : doc.labels[li])
    if (label.end == token) return true;
  static const std::set<std::string> kNumberWords{"no", "number", "ref", "reference", "id", "tel", "telephone",
                                                  "phone", "fax", "mob", "mobile", "ext", "mrn"};
  const Token& before = doc.lines[li].tokens[token - 1];
  return kNumberWords.contains(before.key) || has_digit(before.text);
}

// True when the words from `at` look like an attempt at a ten-digit number: at least eight
// digits or look-alike letters. "NHS 111" is a phone line, not a number OCR could not read.
bool looks_like_a_number(const LabelledDocument& doc, TokenPosition at) {
  const Line& line = doc.lines[at.line];
  if (!has_digit(line.tokens[at.token].text)) return false;
  size_t end = std::min(value_end(doc, at), at.token + kMaxNumberWords + 1);
  int digit_like = 0;
  for (char c : text_of(line, at.token, end, true))
    if ((c >= '0' && c <= '9') || digit_look_alike(c)) ++digit_like;
  return digit_like >= 8;
}

std::vector<Reading> unlabelled_nhs_numbers(const LabelledDocument& doc, const std::vector<NhsNumberRange>& ranges) {
  std::vector<Reading> found;
  for (size_t li = 0; li < doc.lines.size(); ++li) {
    for (size_t t = 0; t < doc.lines[li].tokens.size(); ++t) {
      if (follows_other_number_context(doc, li, t)) continue;
      auto reading = read_nhs_number(doc, {li, t}, false);
      if (!reading || !in_nhs_number_ranges(reading->value, ranges)) continue;
      reading->labelled = false;
      reading->weight = kUnlabelledNhsWeight;
      found.push_back(*reading);
      t = reading->end - 1;
    }
  }
  return found;
}

// The number of a CHI or H&C label, written in one to three words.
template <class Parse>
std::optional<Reading> read_labelled_number(const LabelledDocument& doc, TokenPosition at, Parse parse) {
  const Line& line = doc.lines[at.line];
  size_t limit = value_end(doc, at);
  for (size_t end = at.token + 1; end <= std::min(limit, at.token + kMaxNumberWords); ++end) {
    auto digits = parse(text_of(line, at.token, end, true));
    if (!digits) continue;
    if (end < limit && has_digit(line.tokens[end].text)) return std::nullopt;
    return Reading{*digits, at, end};
  }
  return std::nullopt;
}

template <class Parse>
void find_labelled_number(const LabelledDocument& doc, LabelKind label_kind, FieldKind kind, const std::string& what,
                          Parse parse, DocumentFields& out) {
  std::vector<Reading> readings;
  for_each_labelled_value(doc, label_kind, [&](const LabelMatch&, TokenPosition at) {
    if (auto reading = read_labelled_number(doc, at, parse)) readings.push_back(*reading);
  });
  if (readings.empty()) return;
  if (readings_disagree(readings)) {
    out.review_reasons.push_back(conflict_reason(doc, what, readings, as_read));
    return;
  }
  out.fields.insert_or_assign(kind, agreed_field(doc, kind, readings));
}

std::optional<std::string> parse_hc_number(const std::string& text) {
  auto digits = parse_nhs_number(text, false);
  if (!digits) digits = parse_nhs_number(without_separators(text), false);
  if (!digits || !hc_number_valid(*digits)) return std::nullopt;
  return digits;
}

}  // namespace

void find_nhs_number(const LabelledDocument& doc, const std::vector<NhsNumberRange>& ranges, DocumentFields& out) {
  std::vector<Reading> labelled;
  std::vector<int> unreadable_pages;
  for_each_labelled_value(doc, LabelKind::NhsNumber, [&](const LabelMatch&, TokenPosition at) {
    if (auto reading = read_nhs_number(doc, at, true))
      labelled.push_back(*reading);
    else if (looks_like_a_number(doc, at))
      unreadable_pages.push_back(doc.lines[at.line].page_number);
  });
  std::vector<Reading> unlabelled = unlabelled_nhs_numbers(doc, ranges);

  if (!labelled.empty()) {
    if (readings_disagree(labelled)) {
      out.review_reasons.push_back(conflict_reason(doc, "NHS numbers", labelled, spaced));
      return;
    }
    const std::string& value = labelled.front().value;
    std::vector<Reading> agreeing = labelled;
    bool another = false;
    for (const Reading& reading : unlabelled) {
      if (reading.value == value)
        agreeing.push_back(reading);
      else
        another = true;
    }
    out.fields.insert_or_assign(FieldKind::NhsNumber, agreed_field(doc, FieldKind::NhsNumber, agreeing));
    if (!in_nhs_number_ranges(value, ranges)) out.review_reasons.push_back("NHS number outside the issued ranges");
    if (another) out.review_reasons.push_back("another, unlabelled NHS number appears on the document");
    // The number that could not be read may be another patient's, on a page filed in with these.
    if (!unreadable_pages.empty())
      out.review_reasons.push_back("an NHS number on page " + std::to_string(unreadable_pages.front()) +
                                   " could not be read");
    return;
  }
  if (!unreadable_pages.empty()) {
    // The patient's number is the one that could not be read; another number on the page is not it.
    out.review_reasons.push_back("NHS number label found but its number could not be read");
    return;
  }
  if (unlabelled.empty()) return;
  if (readings_disagree(unlabelled)) {
    out.review_reasons.push_back(conflict_reason(doc, "NHS numbers", unlabelled, spaced));
    return;
  }
  out.fields.insert_or_assign(FieldKind::NhsNumber, agreed_field(doc, FieldKind::NhsNumber, unlabelled));
  out.review_reasons.push_back("NHS number found without a label");
}

void find_chi_and_hc_numbers(const LabelledDocument& doc, DocumentFields& out) {
  find_labelled_number(doc, LabelKind::ChiNumber, FieldKind::ChiNumber, "CHI numbers",
                       [](const std::string& text) { return parse_chi_number(text); }, out);
  find_labelled_number(doc, LabelKind::HcNumber, FieldKind::HcNumber, "H&C numbers", parse_hc_number, out);
}

void find_hospital_number(const LabelledDocument& doc, const HospitalNumberPatterns& patterns, DocumentFields& out) {
  std::vector<Reading> readings;
  for_each_labelled_value(doc, LabelKind::HospitalNumber, [&](const LabelMatch&, TokenPosition at) {
    if (auto number = patterns.read(doc.lines[at.line].tokens[at.token].text)) {
      Reading reading{number->value, at, at.token + 1};
      if (number->letters_read_as_digits) reading.weight = kCorrectedHospitalNumberWeight;
      readings.push_back(reading);
    }
  });
  if (readings.empty()) return;
  if (readings_disagree(readings)) {
    out.review_reasons.push_back(conflict_reason(doc, "hospital numbers", readings, as_read));
    return;
  }
  out.fields.insert_or_assign(FieldKind::HospitalNumber, agreed_field(doc, FieldKind::HospitalNumber, readings));
}

}  // namespace casenote
