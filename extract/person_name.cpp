#include "extract/person_name.h"

#include <algorithm>
#include <array>
#include <sstream>

namespace casenote {
namespace {

// A longer run of capitalised words is a heading or an address, not a name.
constexpr size_t kMaxNameWords = 6;

bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
char to_lower(char c) { return is_ascii_upper(c) ? static_cast<char>(c | 0x20) : c; }
char to_upper(char c) { return is_ascii_lower(c) ? static_cast<char>(c & ~0x20) : c; }

std::string lower(std::string_view text) {
  std::string out;
  for (char c : text) out += to_lower(c);
  return out;
}

std::string_view without_trailing(std::string_view word, std::string_view chars) {
  while (!word.empty() && chars.find(word.back()) != std::string_view::npos) word.remove_suffix(1);
  return word;
}

template <size_t N>
bool among(std::string_view word, const std::array<const char*, N>& list) {
  std::string key = lower(without_trailing(word, "."));
  return std::find_if(list.begin(), list.end(), [&](const char* item) { return key == item; }) != list.end();
}

bool is_title(std::string_view word) {
  static constexpr std::array<const char*, 9> kTitles{"mr", "mrs", "ms", "miss", "mx", "dr", "master", "prof", "professor"};
  return among(word, kTitles);
}

// Lower-case words that belong to a family name ("van der BERG").
bool is_particle(std::string_view word) {
  static constexpr std::array<const char*, 11> kParticles{"van", "von", "de", "der", "den", "la",
                                                          "le",  "du",  "da", "di",  "del"};
  return among(word, kParticles);
}

// Begins with a capital or a non-ASCII letter; holds only letters, hyphens, apostrophes and dots.
bool name_like(std::string_view word) {
  if (word.empty()) return false;
  auto first = static_cast<unsigned char>(word.front());
  if (!is_ascii_upper(word.front()) && first < 0xC0) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return is_ascii_upper(c) || is_ascii_lower(c) || c == '-' || c == '\'' || c == '.' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
}

bool in_capitals(std::string_view word) {
  int letters = 0;
  for (char c : word) {
    if (is_ascii_lower(c)) return false;
    if (is_ascii_upper(c)) ++letters;
  }
  return letters >= 2;
}

std::string joined(const std::vector<std::string_view>& parts, size_t from, size_t to, bool upper) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (!out.empty()) out += ' ';
    for (char c : parts[i]) out += upper ? to_upper(c) : c;
  }
  return out;
}

// "SMITH, John": the words before the comma are one family name, or several in capitals.
bool family_before_comma(const std::vector<std::string_view>& parts) {
  return parts.size() == 1 || (parts.size() <= 3 && std::all_of(parts.begin(), parts.end(), in_capitals));
}

// The words [first, end) of `parts` that make the family name when no comma says so.
std::pair<size_t, size_t> family_span(const std::vector<std::string_view>& parts) {
  size_t n = parts.size();
  std::vector<size_t> capitals;
  for (size_t i = 0; i < n; ++i)
    if (in_capitals(parts[i])) capitals.push_back(i);
  bool one_run = !capitals.empty() && capitals.size() < n && capitals.back() - capitals.front() + 1 == capitals.size();
  if (one_run && capitals.front() == 0) return {0, capitals.back() + 1};
  size_t first = one_run && capitals.back() == n - 1 ? capitals.front() : n - 1;
  while (first > 1 && is_particle(parts[first - 1])) --first;
  return {first, n};
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

bool same_given_name(const std::string& a, const std::string& b) {
  if (lower(a) == lower(b)) return true;
  const std::string& initial = a.size() < b.size() ? a : b;
  const std::string& full = a.size() < b.size() ? b : a;
  return initial.size() == 1 && to_lower(initial[0]) == to_lower(full[0]);
}

// "lan", "lvor": a lower-case l where a capitalised name begins.
bool looks_like_misread_capital_i(std::string_view word) {
  return word.size() >= 2 && word[0] == 'l' && is_ascii_lower(word[1]) && !is_particle(word);
}

// "(Mr)" or "(Mrs)," after a name: its title, written last.
bool is_title_in_brackets(std::string_view word) {
  word = without_trailing(word, ",.");
  return word.size() > 2 && word.front() == '(' && word.back() == ')' && is_title(word.substr(1, word.size() - 2));
}

// Typographic apostrophes and hyphens, which OCR reads off printed names, as ASCII.
std::string plain_punctuation(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, char>, 6> kLookAlikes{{
      {"\u2019", '\''}, {"\u2018", '\''}, {"\u2032", '\''}, {"`", '\''}, {"\u2010", '-'}, {"\u2013", '-'}}};
  std::string out;
  for (size_t i = 0; i < word.size();) {
    bool replaced = false;
    for (const auto& [from, to] : kLookAlikes) {
      if (word.substr(i).starts_with(from)) {
        out += to;
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += word[i++];
  }
  return out;
}

// "Mary-jane" as "Mary-Jane": each part of a double-barrelled name begins with a capital, so a
// lower-case letter after a hyphen is OCR's reading of that capital.
std::string with_parts_capitalised(std::string names) {
  for (size_t i = 2; i < names.size(); ++i)
    if (names[i - 1] == '-' && names[i - 2] != ' ' && is_ascii_lower(names[i])) names[i] = to_upper(names[i]);
  return names;
}

}  // namespace

std::optional<PersonName> read_person_name(const std::vector<std::string_view>& written) {
  std::vector<std::string> plain;
  for (std::string_view word : written) plain.push_back(plain_punctuation(word));
  std::vector<std::string_view> words(plain.begin(), plain.end());

  PersonName name;
  size_t i = 0;
  while (i < words.size() && is_title(words[i])) ++i;
  name.titled = i > 0;

  std::vector<std::string_view> parts;
  size_t comma_after = 0;  // parts before the comma of "FAMILY, Given"; 0 when there is none
  for (; i < words.size(); ++i) {
    // OCR reads a capital I as l ("lan"); where a given name must stand, read it back.
    bool given_name_expected = (name.titled && parts.empty()) || comma_after > 0 ||
                               (i + 1 < words.size() && name_like(without_trailing(words[i + 1], ",.")));
    if (given_name_expected && looks_like_misread_capital_i(plain[i])) {
      plain[i][0] = 'I';  // words[i] views plain[i]
    }
    bool comma = words[i].ends_with(',');
    // A trailing quote is a speck or a misplaced apostrophe: no name ends with one.
    std::string_view word = without_trailing(words[i], ",.'");
    if (is_title_in_brackets(words[i]) && !parts.empty()) {
      name.titled = true;
      name.words_used = i + 1;
      break;
    }
    if (!name_like(word) && !(is_particle(word) && !parts.empty())) break;
    parts.push_back(word);
    name.words_used = i + 1;
    if (!comma) continue;
    if (comma_after == 0 && family_before_comma(parts)) {
      comma_after = parts.size();
      continue;
    }
    break;
  }
  while (!parts.empty() && is_particle(parts.back())) {
    parts.pop_back();
    --name.words_used;
  }
  if (parts.size() < 2 || parts.size() > kMaxNameWords) return std::nullopt;

  if (comma_after > 0) {
    if (comma_after == parts.size()) return std::nullopt;
    name.family = joined(parts, 0, comma_after, true);
    name.given = with_parts_capitalised(joined(parts, comma_after, parts.size(), false));
    name.family_marked = true;
    return name;
  }
  auto [first, end] = family_span(parts);
  name.family = joined(parts, first, end, true);
  name.given = first > 0 ? joined(parts, 0, first, false) : joined(parts, end, parts.size(), false);
  name.given = with_parts_capitalised(name.given);
  name.family_marked = std::any_of(parts.begin() + first, parts.begin() + end, in_capitals) &&
                       !std::all_of(parts.begin(), parts.end(), in_capitals);
  return name;
}

bool same_person_name(const PersonName& a, const PersonName& b) {
  if (a.family != b.family) return false;
  std::vector<std::string> given_a = split_words(a.given), given_b = split_words(b.given);
  for (size_t i = 0; i < std::min(given_a.size(), given_b.size()); ++i)
    if (!same_given_name(given_a[i], given_b[i])) return false;
  return true;
}

}  // namespace casenote
