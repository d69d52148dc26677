// Scotland's Community Health Index (CHI) numbers: the date of birth as DDMMYY, three digits of
// which the last is odd for men and even for women, and a modulus-11 check digit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casenote {

// True when `digits` is ten digits starting with a real DDMMYY date and ending in the
// modulus-11 check digit of the first nine.
bool chi_number_valid(std::string_view digits);

// Reads a CHI number written "0403501234", "040350 1234" or "040 350 1234"; the ten digits
// when it is valid.
std::optional<std::string> parse_chi_number(std::string_view text);

}  // namespace casenote
