// NHS numbers and Northern Ireland's Health and Care (H&C) numbers: ten digits whose last is a
// modulus-11 check digit. H&C numbers are allocated from 320 000 0010 to 399 999 9999.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casenote {

// True when `digits` is exactly ten ASCII digits and the tenth is the modulus-11 check
// digit of the first nine (a computed check digit of 10 makes the number invalid).
bool nhs_number_valid(std::string_view digits);

// The digit OCR most often reads as the letter `c` ('O' for 0, 'l' for 1, 'S' for 5 ...), or 0
// when `c` is not such a letter.
char digit_look_alike(char c);

// Reads a ten-digit modulus-11 number written as "943 476 5919", "943-476-5919" or "9434765919".
// With `correct_ocr_confusions`, letters OCR commonly confuses with digits (O→0, I→1, S→5, B→8 ...)
// are read as those digits; only a label vouches for a number enough to read it so, since one
// random ten-digit string in eleven passes the checksum. Returns the ten digits only when the
// result passes the checksum.
std::optional<std::string> parse_nhs_number(std::string_view text, bool correct_ocr_confusions);

// A range of NHS numbers by their first three digits, inclusive: {400, 499} is 400 000 0000
// to 499 999 9999.
struct NhsNumberRange {
  int first = 0;
  int last = 0;
};

// The ranges issued in England, Wales and the Isle of Man (400-499 and 600-799 million) and
// the 999 million test range that synthetic data uses.
std::vector<NhsNumberRange> default_nhs_number_ranges();

// True when the ten `digits` fall in one of `ranges`.
bool in_nhs_number_ranges(std::string_view digits, const std::vector<NhsNumberRange>& ranges);

// True when the ten `digits` pass the checksum and fall in the H&C range.
bool hc_number_valid(std::string_view digits);

}  // namespace casenote
