// The second pass over numbers: which words to read again with digits only, and which
// reading to keep.
#pragma once

#include <string>

#include "core/recognised_text.h"

namespace casenote {

// The characters the second pass lets Tesseract choose from: digits and the separators of
// numbers and dates.
inline constexpr const char* kNumberCharacters = "0123456789/-.:";

// Whether `word` looks like a number Tesseract may have misread: at least half its characters
// are digits and the rest are separators (/ - . :) or letters often confused with digits
// (O o D Q I l i | S s B Z z G g), and a word with such letters has 3 digits or more.
// "999O516324", "12/O3/2024" and "07.45" are; "12-Mar-2024" and "B12" are not.
bool is_number_like(const std::string& word);

// Whether the second reading of a word replaces the first: it must be something, say
// something different, and be read with higher confidence.
bool second_reading_wins(const RecognisedWord& first, const RecognisedWord& second);

}  // namespace casenote
