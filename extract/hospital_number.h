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

// A hospital number as read, and whether letters OCR confuses with digits were read as digits.
struct HospitalNumberReading {
  std::string value;
  bool letters_read_as_digits = false;

  bool operator==(const HospitalNumberReading&) const = default;
};

// Hospital number shapes, each an ECMAScript regular expression that must match the whole
// value, upper case and without surrounding punctuation.
class HospitalNumberPatterns {
 public:
  // Compiles `patterns`; an error names the first that is not a valid regular expression.
  static Result<HospitalNumberPatterns> compile(const std::vector<std::string>& patterns);

  // The default patterns, compiled.
  static HospitalNumberPatterns defaults();

  // The hospital number `text` is (upper case, surrounding punctuation dropped) when it has one
  // of the shapes; nothing otherwise. A look-alike letter after the first character that touches
  // a digit ("KO640559", "K064O559") is read as that digit when the result has one of the shapes,
  // since OCR's language model turns a 0 after a letter into an O; a trust whose numbers really
  // hold such letters writes a shape that excludes the digit.
  std::optional<HospitalNumberReading> read(std::string_view text) const;

 private:
  std::vector<std::regex> patterns_;
};

// True when `a` and `b` differ, but only where one holds a digit and the other a letter OCR
// reads for it ("KO640559" and "K0640559"): one is likely a misreading of the other.
bool differ_by_ocr_confusions(std::string_view a, std::string_view b);

}  // namespace casenote
