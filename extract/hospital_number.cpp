#include "extract/hospital_number.h"

#include "extract/page_lines.h"

namespace casenote {

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

std::optional<std::string> HospitalNumberPatterns::read(std::string_view text) const {
  std::string value;
  for (char c : strip_punctuation(text)) value += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  if (value.empty()) return std::nullopt;
  for (const std::regex& pattern : patterns_)
    if (std::regex_match(value, pattern)) return value;
  return std::nullopt;
}

}  // namespace casenote
