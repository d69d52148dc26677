#include "app/export_redaction.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>
#include <set>

#include "extract/nhs_number.h"
#include "extract/postcode.h"

namespace casenote {
namespace {

// The field keys whose values identify the patient; every other field (the document's dates) is kept.
const std::set<std::string> kIdentifyingFields = {"nhs_number", "hospital_number", "patient_name", "date_of_birth",
                                                  "postcode",   "chi_number",      "hc_number"};

// How a value is looked for in text: as it is, word by word, or as a date however written.
enum class Identifier { Word, Name, DateOfBirth };

// What the values of an extraction conflict are, by the reason's opening words
// (extract/labelled_document.cpp's conflict_reason and extract/name_finder.cpp write them). When
// two readings disagree no field is kept, so the reason is the only place the values are named.
const std::vector<std::pair<std::string, Identifier>>& conflict_kinds() {
  static const std::vector<std::pair<std::string, Identifier>> kinds = {
      {"conflicting patient names: ", Identifier::Name},   {"conflicting NHS numbers: ", Identifier::Word},
      {"conflicting hospital numbers: ", Identifier::Word}, {"conflicting CHI numbers: ", Identifier::Word},
      {"conflicting H&C numbers: ", Identifier::Word},     {"conflicting dates of birth: ", Identifier::DateOfBirth},
  };
  return kinds;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

void add(PatientIdentifiers& ids, Identifier kind, const std::string& value) {
  if (value.empty()) return;
  switch (kind) {
    case Identifier::Word:
      ids.words.push_back(value);
      break;
    case Identifier::Name: {
      // Each word, and each part of a double-barrelled one, on its own, as a letter may say
      // "Mr Smith" of "DOE-SMITH, John Paul"; an initial is left, as removing every "J" would
      // wreck the text without hiding anyone.
      static const std::regex words(R"([^ ,]+)"), parts(R"([^ ,\-]+)");
      for (const std::regex* pattern : {&words, &parts})
        for (std::sregex_iterator it(value.begin(), value.end(), *pattern), end; it != end; ++it)
          if (it->length() > 1) ids.words.push_back(it->str());
      break;
    }
    case Identifier::DateOfBirth:
      if (auto date = parse_iso_date(value)) ids.dates_of_birth.push_back(*date);
      break;
  }
}

// The values a conflict reason lists: "conflicting X: V1 (page 1), V2 (page 2)".
void add_conflicting_values(PatientIdentifiers& ids, const std::string& reason) {
  static const std::regex value(R"((?:: |, )(.+?) \(page \d+\))");
  for (const auto& [opening, kind] : conflict_kinds()) {
    if (reason.rfind(opening, 0) != 0) continue;
    for (std::sregex_iterator it(reason.begin(), reason.end(), value), end; it != end; ++it) add(ids, kind, (*it)[1]);
  }
}

Identifier field_identifier(const std::string& key) {
  if (key == "patient_name") return Identifier::Name;
  if (key == "date_of_birth") return Identifier::DateOfBirth;
  return Identifier::Word;
}

// `text` with every whole-word, any-case occurrence of `word` replaced.
std::string replace_word(const std::string& text, const std::string& word) {
  const std::string haystack = lower(text), needle = lower(word);
  std::string out;
  size_t done = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
    size_t end = at + needle.size();
    bool whole = (at == 0 || !is_word_char(text[at - 1])) && (end == text.size() || !is_word_char(text[end]));
    if (!whole || at < done) continue;
    out += text.substr(done, at - done) + kRedacted;
    done = end;
  }
  return out + text.substr(done);
}

// `text` with every match of `pattern` for which `redact` holds replaced.
std::string replace_matches(const std::string& text, const std::regex& pattern,
                            const std::function<bool(const std::string&)>& redact) {
  std::string out;
  size_t done = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    if (!redact(it->str())) continue;
    out += text.substr(done, static_cast<size_t>(it->position()) - done) + kRedacted;
    done = static_cast<size_t>(it->position() + it->length());
  }
  return out + text.substr(done);
}

// The end of the ten digits read from `start`, single spaces or hyphens allowed between them, when
// they pass the NHS number check and no digit follows; npos otherwise.
size_t nhs_number_end(const std::string& text, size_t start) {
  std::string digits;
  size_t i = start;
  while (i < text.size() && digits.size() < 10) {
    bool separator = (text[i] == ' ' || text[i] == '-') && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if (std::isdigit(static_cast<unsigned char>(text[i])))
      digits += text[i];
    else if (!separator || digits.empty())
      break;
    ++i;
  }
  bool followed_by_digit = i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
  return digits.size() == 10 && !followed_by_digit && nhs_number_valid(digits) ? i : std::string::npos;
}

// Any NHS number, read or not: one written elsewhere on the page may be the patient's too.
std::string redact_nhs_numbers(const std::string& text) {
  std::string out;
  size_t done = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    bool starts_number = std::isdigit(static_cast<unsigned char>(text[i])) && (i == 0 || !is_word_char(text[i - 1]));
    if (!starts_number) continue;
    size_t end = nhs_number_end(text, i);
    if (end == std::string::npos) continue;
    out += text.substr(done, i - done) + kRedacted;
    done = end;
    i = end - 1;
  }
  return out + text.substr(done);
}

// Upper case only: postcodes are printed so, while lower-case look-alikes are doses ("B12 5mg").
std::string redact_postcodes(const std::string& text) {
  static const std::regex postcode(R"(\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b)");
  return replace_matches(text, postcode, [](const std::string& m) { return parse_postcode(m).has_value(); });
}

// Dates as parse_date reads them (day first, ISO, or "March 4, 1950"), taken out when they are a
// date of birth. A two-digit year is read as the birth year's century, so "04/03/50" is 1950.
std::string redact_dates_of_birth(const std::string& text, const std::vector<Date>& dates_of_birth) {
  if (dates_of_birth.empty()) return text;
  static const std::regex date(
      R"(\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)?[ ./-]{1,2}(?:\d{1,2}|[a-z]{3,9}\.?)[ ./-]{1,2}\d{2,4}\b)"
      R"(|\b[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?, \d{4}\b)",
      std::regex::icase);
  return replace_matches(text, date, [&](const std::string& m) {
    return std::any_of(dates_of_birth.begin(), dates_of_birth.end(),
                       [&](const Date& dob) { return parse_date(m, dob.year) == dob; });
  });
}

}  // namespace

PatientIdentifiers identifiers_of(const DocumentRecord& document, const std::vector<PatientRecord>& patients) {
  PatientIdentifiers ids;
  for (const auto& field : document.fields)
    if (kIdentifyingFields.contains(field.name)) add(ids, field_identifier(field.name), field.value);
  for (const auto& reason : document.review_reasons) add_conflicting_values(ids, reason);
  for (const auto& p : patients) {
    for (const auto* word : {&p.nhs_number, &p.hospital_number, &p.postcode}) add(ids, Identifier::Word, *word);
    add(ids, Identifier::Name, p.family_name);
    add(ids, Identifier::Name, p.given_names);
    add(ids, Identifier::DateOfBirth, p.date_of_birth);
  }
  // Longest first, so "Doe-Smith" goes whole before "Smith" would leave "Doe-[REDACTED]".
  std::sort(ids.words.begin(), ids.words.end(),
            [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  ids.words.erase(std::unique(ids.words.begin(), ids.words.end()), ids.words.end());
  return ids;
}

std::string redact_text(const std::string& text, const PatientIdentifiers& identifiers) {
  std::string out = text;
  for (const auto& word : identifiers.words) out = replace_word(out, word);
  out = redact_nhs_numbers(out);
  out = redact_postcodes(out);
  return redact_dates_of_birth(out, identifiers.dates_of_birth);
}

DocumentRecord redact_document(const DocumentRecord& document, const std::vector<PatientRecord>& patients) {
  const PatientIdentifiers ids = identifiers_of(document, patients);
  DocumentRecord out = document;
  for (auto& field : out.fields)
    if (kIdentifyingFields.contains(field.name)) field.value = kRedacted;
  // An identifier can span several words ("999 051 6324", "4 March 1950"), so words cannot be
  // redacted one by one: a redacted document carries none.
  for (auto& page : out.pages) {
    page.text = redact_text(page.text, ids);
    page.words.clear();
  }
  out.text = redact_text(out.text, ids);
  for (auto& reason : out.review_reasons) reason = redact_text(reason, ids);
  // File names and archive names can carry a name or a number ("clinic_letter_smith.png").
  out.source = redact_text(out.source, ids);
  out.archive_path = redact_text(out.archive_path, ids);
  return out;
}

}  // namespace casenote
