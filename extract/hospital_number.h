// Hospital numbers (MRNs, unit numbers): each trust numbers its patients its own way, so the
// shapes a hospital number may take are regular expressions a trust can replace.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace casenote {

// One token of 5 to 12 letters and digits, at least 4 of them digits ("K1234567", "RX12345678").
std::vector<std::string> default_hospital_number_patterns();

// Hospital number shapes, each an ECMAScript regular expression that must match the whole
// value, upper case and without surrounding punctuation.
class HospitalNumberPatterns {
 public:
  // Compiles `patterns`; an error names the first that is not a valid regular expression.
  static Result<HospitalNumberPatterns> compile(const std::vector<std::string>& patterns);

  // The default patterns, compiled.
  static HospitalNumberPatterns defaults();

  // The hospital number `text` is (upper case, surrounding punctuation dropped) when it has one
  // of the shapes; nothing otherwise.
  std::optional<std::string> read(std::string_view text) const;

 private:
  std::vector<std::regex> patterns_;
};

}  // namespace casenote
