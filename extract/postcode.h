// UK postcodes: an outward code ("LS1", "SW1A", "M1") and an inward code ("4AP").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casenote {

// The postcode `text` is, upper case with one space between outward and inward code
// ("ls14ap" -> "LS1 4AP"); nothing unless `text` is exactly one postcode, at most one space inside.
std::optional<std::string> parse_postcode(std::string_view text);

// Like parse_postcode, reading the characters OCR most often puts in a postcode's place as the
// letter or digit each position needs: O for 0, I, l, i, ! and | for 1, and 0, 1 and $ for O, I
// and S, and ], ) and } for J ("YOI 2YT", "LS1i 1JE", "$10 7ET", "BD1 5W)"), and a capital OCR
// read twice, in lower case and in capitals, as one ("2zZP" for "2ZP"). Nothing unless the text
// holds a digit as written, at most two characters are read as others, and exactly one postcode
// of a real area results.
std::optional<std::string> parse_postcode_misread(std::string_view text);

// Whether `postcode` (as parse_postcode gives it) begins with the letters of a real postcode
// area: "LS1 4AP" does, "QS1 4AP" and "YY1 4AP" do not.
bool is_in_real_area(std::string_view postcode);

}  // namespace casenote
