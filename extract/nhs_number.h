// NHS numbers: ten digits whose last is a modulus-11 check digit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casenote {

// True when `digits` is exactly ten ASCII digits and the tenth is the modulus-11 check
// digit of the first nine (a computed check digit of 10 makes the number invalid).
bool nhs_number_valid(std::string_view digits);

// Reads an NHS number written as "943 476 5919", "943-476-5919" or "9434765919".
// With `correct_ocr_confusions`, letters OCR commonly confuses with digits (O→0, I→1, S→5, B→8 ...)
// are read as those digits. Returns the ten digits only when the result passes the checksum.
std::optional<std::string> parse_nhs_number(std::string_view text, bool correct_ocr_confusions);

}  // namespace casenote
