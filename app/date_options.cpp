#include <fmt/format.h>

#include "app/commands.h"
#include "extract/dates.h"

namespace casenote {

std::optional<std::string> date_option_problem(const std::string& command, const std::string& option,
                                               const std::string& value) {
  if (value.empty() || parse_iso_date(value)) return std::nullopt;
  return fmt::format("{}: {} '{}' is not a date (YYYY-MM-DD)", command, option, value);
}

}  // namespace casenote
