#include "extract/hospital_number.h"

#include <algorithm>

#include "extract/nhs_number.h"
#include "extract/page_lines.h"

namespace casenote {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string upper_case(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

// `text` with each look-alike letter after the first character that touches a digit, or a
// letter so read, read as the digit.
std::string with_letters_read_as_digits(std::string text) {
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 1; i < text.size(); ++i) {
      char digit = digit_look_alike(text[i]);
      if (digit && (is_digit(text[i - 1]) || (i + 1 < text.size() && is_digit(text[i + 1])))) {
        text[i] = digit;
        changed = true;
      }
    }
  }
  return text;
}

// The digit `c` may stand for, in either case: digit_look_alike knows 'l' but not 'L'.
char look_alike_digit(char c) {
  if (char digit = digit_look_alike(c)) return digit;
  if (c >= 'A' && c <= 'Z') return digit_look_alike(static_cast<char>(c - 'A' + 'a'));
  return 0;
}

}  // namespace

std::vector<std::string> default_hospital_number_patterns() { return {"(?=(?:[A-Z]*[0-9]){4})[A-Z0-9]{5,12}"}; }

Result<HospitalNumberPatterns> HospitalNumberPatterns::compile(const std::vector<std::string>& patterns) {
  HospitalNumberPatterns compiled;
  for (const std::string& pattern : patterns) {
    try {
      compiled.patterns_.emplace_back(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return Error{"hospital number pattern '" + pattern + "' is not a regular expression: " + e.what()};
    }
  }
  return compiled;
}

HospitalNumberPatterns HospitalNumberPatterns::defaults() {
  return std::move(compile(default_hospital_number_patterns())).value();
}

std::optional<HospitalNumberReading> HospitalNumberPatterns::read(std::string_view text) const {
  std::string as_written(strip_punctuation(text));
  if (as_written.empty()) return std::nullopt;
  auto has_a_shape = [&](const std::string& value) {
    return std::any_of(patterns_.begin(), patterns_.end(),
                       [&](const std::regex& pattern) { return std::regex_match(value, pattern); });
  };
  std::string value = upper_case(as_written);
  std::string digits_read = upper_case(with_letters_read_as_digits(as_written));
  if (digits_read != value && has_a_shape(digits_read)) return HospitalNumberReading{digits_read, true};
  if (has_a_shape(value)) return HospitalNumberReading{value, false};
  return std::nullopt;
}

bool differ_by_ocr_confusions(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a == b) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && look_alike_digit(a[i]) != b[i] && look_alike_digit(b[i]) != a[i]) return false;
  return true;
}

}  // namespace casenote
