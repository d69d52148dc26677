#include "extract/clinical_codes.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "extract/labelled_document.h"
#include "extract/page_lines.h"

namespace casenote {
namespace {

// What the words around a code say about which system it belongs to.
enum class CodeContext { None, Diagnoses, Procedures, Snomed, Mixed };

const std::set<std::string>& diagnosis_words() {
  static const std::set<std::string> words{"diagnosis", "diagnoses", "icd10", "icd", "comorbidity",
                                           "comorbidities", "problems", "problem"};
  return words;
}

const std::set<std::string>& procedure_words() {
  static const std::set<std::string> words{"procedure", "procedures", "operation", "operations",
                                           "opcs", "opcs4", "intervention", "interventions"};
  return words;
}

const std::set<std::string>& snomed_words() {
  static const std::set<std::string> words{"snomed", "snomedct", "sct", "sctid", "conceptid"};
  return words;
}

// Words that name the coding system beside a code; they are no part of its phrase.
const std::set<std::string>& system_words() {
  static const std::set<std::string> words{"icd10", "icd", "opcs", "opcs4", "snomed", "snomedct", "ct",
                                           "sct", "sctid", "code", "concept", "conceptid", "id"};
  return words;
}

// Labels of values that are never clinical codes: "Ref K40.1" is a reference, "Bed B12" a bed.
const std::set<std::string>& other_value_words() {
  static const std::set<std::string> words{"ref", "reference", "tel", "telephone", "fax", "bed", "room", "bay",
                                           "ward", "no", "number", "nhs", "mrn", "page", "locker", "ext", "unit"};
  return words;
}

CodeContext context_of_words(const Line& line) {
  bool diagnoses = false, procedures = false, snomed = false;
  for (const Token& token : line.tokens) {
    diagnoses = diagnoses || diagnosis_words().count(token.key);
    procedures = procedures || procedure_words().count(token.key);
    snomed = snomed || snomed_words().count(token.key);
  }
  if (diagnoses && procedures) return CodeContext::Mixed;
  if (diagnoses) return CodeContext::Diagnoses;
  if (procedures) return CodeContext::Procedures;
  if (snomed) return CodeContext::Snomed;
  return CodeContext::None;
}

constexpr size_t kMaxHeadingWords = 5;

// A short line of words without digits, capitalised and not ending a sentence: a section heading
// such as "Clinical course" or "MEDICATION:", which ends the section of codes above it.
bool looks_like_heading(const Line& line) {
  if (line.tokens.empty() || line.tokens.size() > kMaxHeadingWords) return false;
  for (const Token& token : line.tokens)
    if (has_digit(token.text)) return false;
  const std::string& first = line.tokens.front().text;
  const std::string& last = line.tokens.back().text;
  if (!std::isupper(static_cast<unsigned char>(first.front()))) return false;
  return last.back() != ',' && last.back() != '.';
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Letter, two digits, then a point and `min_decimals` to `max_decimals` digits (none at all when
// `min_decimals` is 0 and no point is written).
bool has_code_shape(std::string_view text, int min_decimals, int max_decimals) {
  if (text.size() < 3 || !std::isupper(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[2])))
    return false;
  if (text.size() == 3) return min_decimals == 0;
  if (text[3] != '.') return false;
  std::string_view decimals = text.substr(4);
  int count = static_cast<int>(decimals.size());
  return all_digits(decimals) && count >= std::max(1, min_decimals) && count <= max_decimals;
}

// ICD-10 chapter letters exclude U, kept for provisional and emergency use (U07.1 COVID-19):
// "U" and two digits is more often a unit or room reference on a letter than such a code.
bool is_icd10_shape(std::string_view text) { return text[0] != 'U' && has_code_shape(text, 0, 2); }

// OPCS-4 has no chapters I or O, and a code always has its fourth character.
bool is_opcs4_shape(std::string_view text) {
  return text.size() >= 4 && text[0] != 'I' && text[0] != 'O' && has_code_shape(text, 1, 1);
}

// The inward half of a postcode ("1AA"): the word before it is the outward half, not a code.
bool is_postcode_inward(std::string_view text) {
  return text.size() == 3 && std::isdigit(static_cast<unsigned char>(text[0])) &&
         std::isalpha(static_cast<unsigned char>(text[1])) && std::isalpha(static_cast<unsigned char>(text[2]));
}

std::optional<CodeSystem> system_of(std::string_view text, CodeContext context) {
  switch (context) {
    case CodeContext::Diagnoses:
      if (is_icd10_shape(text)) return CodeSystem::Icd10;
      break;
    case CodeContext::Procedures:
      if (is_opcs4_shape(text)) return CodeSystem::Opcs4;
      break;
    case CodeContext::Snomed:
    case CodeContext::Mixed:
    case CodeContext::None:
      break;
  }
  if (context != CodeContext::None && is_snomed_concept_id(text)) return CodeSystem::SnomedCt;
  return std::nullopt;
}

std::string trimmed_phrase(std::string text) {
  auto edge = [](char c) { return std::isspace(static_cast<unsigned char>(c)) || std::string_view("-:;,()[]").find(c) != std::string_view::npos; };
  while (!text.empty() && edge(text.back())) text.pop_back();
  size_t start = 0;
  while (start < text.size() && edge(text[start])) ++start;
  return text.substr(start);
}

// A list number ("1.", "2)") or a bullet starts a list item, not its phrase.
bool is_list_marker(std::string_view text) {
  if (text == "-" || text == "*" || text == "\u2022") return true;
  if (text.size() < 2) return false;
  char end = text.back();
  return (end == '.' || end == ')') && all_digits(text.substr(0, text.size() - 1));
}

// The words of tokens [first, end) of `line` that say what a code means.
std::string phrase_between(const Line& line, size_t first, size_t end) {
  std::string out;
  for (size_t i = first; i < end; ++i) {
    const Token& token = line.tokens[i];
    if (system_words().count(token.key) || (i == first && is_list_marker(token.text))) continue;
    if (!out.empty()) out += ' ';
    out += token.text;
  }
  return trimmed_phrase(std::move(out));
}

// The phrase beside the code at token `at`: the words since the previous code or label colon,
// else the words after it up to the next code or colon.
std::string phrase_for(const Line& line, size_t at, const std::vector<size_t>& code_tokens) {
  size_t start = 0;
  for (size_t i = 0; i < at; ++i) {
    bool is_code = std::find(code_tokens.begin(), code_tokens.end(), i) != code_tokens.end();
    if (is_code || line.tokens[i].text.back() == ':') start = i + 1;
  }
  if (std::string before = phrase_between(line, start, at); !before.empty()) return before;
  size_t end = at + 1;
  while (end < line.tokens.size() &&
         std::find(code_tokens.begin(), code_tokens.end(), end) == code_tokens.end() &&
         line.tokens[end].text.back() != ':')
    ++end;
  return phrase_between(line, at + 1, end);
}

std::string undotted(std::string_view code) {
  std::string out;
  for (char c : code)
    if (c != '.') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// One field of a CSV line from `pos`, unquoting a quoted field; `pos` is left after its comma.
std::string csv_field(std::string_view line, size_t& pos) {
  std::string out;
  if (pos < line.size() && line[pos] == '"') {
    for (++pos; pos < line.size(); ++pos) {
      if (line[pos] == '"') {
        if (pos + 1 < line.size() && line[pos + 1] == '"') {
          out += '"';
          ++pos;
        } else {
          ++pos;
          break;
        }
      } else {
        out += line[pos];
      }
    }
    if (pos < line.size() && line[pos] == ',') ++pos;
    return out;
  }
  size_t comma = line.find(',', pos);
  out = std::string(line.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
  pos = comma == std::string_view::npos ? line.size() : comma + 1;
  return out;
}

std::string trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

}  // namespace

const char* code_system_name(CodeSystem system) {
  switch (system) {
    case CodeSystem::Icd10: return "icd10";
    case CodeSystem::Opcs4: return "opcs4";
    case CodeSystem::SnomedCt: return "snomed_ct";
  }
  return "";
}

std::optional<CodeSystem> code_system_named(std::string_view name) {
  for (CodeSystem system : {CodeSystem::Icd10, CodeSystem::Opcs4, CodeSystem::SnomedCt})
    if (name == code_system_name(system)) return system;
  return std::nullopt;
}

std::optional<std::string> CodeList::describe(std::string_view code) const {
  auto it = descriptions.find(undotted(code));
  if (it == descriptions.end()) return std::nullopt;
  return it->second;
}

Result<CodeList> parse_code_list(std::string_view csv_text) {
  CodeList list;
  size_t line_number = 0;
  bool first = true;
  while (!csv_text.empty()) {
    size_t newline = csv_text.find('\n');
    std::string_view line = csv_text.substr(0, newline);
    csv_text.remove_prefix(newline == std::string_view::npos ? csv_text.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(std::string(line)).empty()) continue;
    size_t pos = 0;
    std::string code = trim(csv_field(line, pos));
    // An unquoted description runs to the end of the line, commas and all.
    std::string description =
        trim(pos < line.size() && line[pos] == '"' ? csv_field(line, pos) : std::string(line.substr(pos)));
    bool header = first && token_key(code) == "code";
    first = false;
    if (header) continue;
    if (code.empty() || description.empty())
      return Error{"line " + std::to_string(line_number) + ": expected code,description"};
    list.descriptions.insert_or_assign(undotted(code), description);
  }
  return list;
}

bool verhoeff_valid(std::string_view digits) {
  static constexpr std::array<std::array<int, 10>, 10> multiply{{
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
      {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
      {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
  }};
  static constexpr std::array<std::array<int, 10>, 8> permute{{
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
      {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
      {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
  }};
  if (!all_digits(digits)) return false;
  int check = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int digit = digits[digits.size() - 1 - i] - '0';
    check = multiply[check][permute[i % 8][digit]];
  }
  return check == 0;
}

bool is_snomed_concept_id(std::string_view text) {
  if (text.size() < 6 || text.size() > 18 || !all_digits(text) || text[0] == '0') return false;
  std::string_view partition = text.substr(text.size() - 3, 2);
  return (partition == "00" || partition == "10") && verhoeff_valid(text);
}

std::vector<ClinicalCode> find_clinical_codes(const std::vector<RecognisedPage>& pages, const CodeLists& lists) {
  std::vector<ClinicalCode> found;
  std::set<std::pair<CodeSystem, std::string>> seen;
  CodeContext section = CodeContext::None;
  for (const Line& line : split_into_lines(pages)) {
    CodeContext own = context_of_words(line);
    std::vector<std::pair<size_t, CodeSystem>> codes;
    CodeContext context = own == CodeContext::None ? section : own;
    for (size_t i = 0; i < line.tokens.size(); ++i) {
      std::string_view text = strip_punctuation(line.tokens[i].text);
      if (text.empty()) continue;
      if (i > 0 && other_value_words().count(line.tokens[i - 1].key)) continue;
      bool undotted_category = text.size() == 3;
      if (undotted_category && i + 1 < line.tokens.size() && is_postcode_inward(line.tokens[i + 1].text)) continue;
      if (auto system = system_of(text, context)) codes.emplace_back(i, *system);
    }
    // A sentence that mentions "the procedure" heads nothing; a heading or a coded line does.
    bool heads_section = !codes.empty() || line.tokens.size() <= kMaxHeadingWords;
    if (own != CodeContext::None && own != CodeContext::Mixed && heads_section) {
      section = own;
    } else if (codes.empty() && looks_like_heading(line)) {
      section = CodeContext::None;
    }

    std::vector<size_t> code_tokens;
    for (const auto& [index, system] : codes) code_tokens.push_back(index);
    for (const auto& [index, system] : codes) {
      const Token& token = line.tokens[index];
      ClinicalCode code{system, std::string(strip_punctuation(token.text)), phrase_for(line, index, code_tokens),
                        "", token.confidence / 100.0, line.page_number, token.box};
      if (auto list = lists.find(system); list != lists.end()) {
        auto description = list->second.describe(code.code);
        if (!description) continue;
        code.description = *description;
      }
      if (seen.insert({system, code.code}).second) found.push_back(std::move(code));
    }
  }
  return found;
}

}  // namespace casenote
