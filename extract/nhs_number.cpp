#include "extract/nhs_number.h"

#include <array>

namespace casenote {
namespace {

// More letters than this in ten characters means OCR read something other than a number.
constexpr int kMaxConfusedCharacters = 3;
constexpr NhsNumberRange kHcRange{320, 399};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

char digit_look_alike(char c) {
  switch (c) {
    case 'O': case 'o': case 'D': return '0';
    case 'I': case 'l': case '|': case 'i': return '1';
    case 'Z': return '2';
    case 'S': case 's': return '5';
    case 'G': case 'b': return '6';
    case 'B': return '8';
    case 'g': case 'q': return '9';
    default: return 0;
  }
}

namespace {

int first_three(std::string_view digits) {
  return (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0');
}

}  // namespace

bool nhs_number_valid(std::string_view digits) {
  if (digits.size() != 10) return false;
  for (char c : digits)
    if (!is_digit(c)) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digits[9] - '0';
}

std::optional<std::string> parse_nhs_number(std::string_view text, bool correct_ocr_confusions) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);

  // Digits come in groups of 3, 3 and 4, or as one group of 10; separators are spaces and dashes.
  std::string digits;
  std::array<size_t, 3> group_ends{};
  size_t groups = 0;
  int confused = 0;
  bool in_separator = false;
  for (char c : text) {
    if (c == ' ' || c == '-') {
      if (in_separator || groups == group_ends.size()) return std::nullopt;
      group_ends[groups++] = digits.size();
      in_separator = true;
      continue;
    }
    in_separator = false;
    if (is_digit(c)) {
      digits += c;
    } else if (char digit = correct_ocr_confusions ? digit_look_alike(c) : 0) {
      digits += digit;
      ++confused;
    } else {
      return std::nullopt;
    }
  }
  bool grouped_as_written = groups == 0 || (groups == 2 && group_ends[0] == 3 && group_ends[1] == 6);
  if (!grouped_as_written || confused > kMaxConfusedCharacters || !nhs_number_valid(digits)) return std::nullopt;
  return digits;
}

std::vector<NhsNumberRange> default_nhs_number_ranges() { return {{400, 499}, {600, 799}, {999, 999}}; }

bool in_nhs_number_ranges(std::string_view digits, const std::vector<NhsNumberRange>& ranges) {
  if (digits.size() != 10) return false;
  int prefix = first_three(digits);
  for (const NhsNumberRange& range : ranges)
    if (prefix >= range.first && prefix <= range.last) return true;
  return false;
}

bool hc_number_valid(std::string_view digits) {
  return nhs_number_valid(digits) && in_nhs_number_ranges(digits, {kHcRange});
}

}  // namespace casenote
