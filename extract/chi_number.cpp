#include "extract/chi_number.h"

#include "extract/dates.h"
#include "extract/nhs_number.h"

namespace casenote {

bool chi_number_valid(std::string_view digits) {
  // CHI numbers share the NHS number's weights and check digit.
  if (!nhs_number_valid(digits)) return false;
  std::string ddmmyy{digits.substr(0, 2)};
  ddmmyy += '/';
  ddmmyy += digits.substr(2, 2);
  ddmmyy += '/';
  ddmmyy += digits.substr(4, 2);
  // Any century will do: the question is only whether the day exists (29 February aside, which
  // some century makes real).
  return parse_date(ddmmyy, 2000).has_value() || parse_date(ddmmyy, 2096).has_value();
}

std::optional<std::string> parse_chi_number(std::string_view text) {
  std::string digits;
  bool in_separator = true;  // no separator before the first digit
  for (char c : text) {
    if (c == ' ' || c == '-') {
      if (in_separator) return std::nullopt;
      in_separator = true;
    } else if (c >= '0' && c <= '9') {
      digits += c;
      in_separator = false;
    } else {
      return std::nullopt;
    }
  }
  if (in_separator || !chi_number_valid(digits)) return std::nullopt;
  return digits;
}

}  // namespace casenote
