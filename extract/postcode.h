// UK postcodes: an outward code ("LS1", "SW1A", "M1") and an inward code ("4AP").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casenote {

// The postcode `text` is, upper case with one space between outward and inward code
// ("ls14ap" -> "LS1 4AP"); nothing unless `text` is exactly one postcode, at most one space inside.
std::optional<std::string> parse_postcode(std::string_view text);

}  // namespace casenote
