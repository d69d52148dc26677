#include "ocr/number_reread.h"

#include <cctype>
#include <string_view>

namespace casenote {

bool is_number_like(const std::string& word) {
  constexpr std::string_view kSeparators = "/-.:";
  constexpr std::string_view kDigitLookalikes = "OoDQIli|SsBZzGg";
  size_t digits = 0, lookalikes = 0;
  for (char c : word) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      ++digits;
    else if (kDigitLookalikes.find(c) != std::string_view::npos)
      ++lookalikes;
    else if (kSeparators.find(c) == std::string_view::npos)
      return false;
  }
  return digits > 0 && 2 * digits >= word.size() && (lookalikes == 0 || digits >= 3);
}

bool second_reading_wins(const RecognisedWord& first, const RecognisedWord& second) {
  return !second.text.empty() && second.text != first.text && second.confidence > first.confidence;
}

}  // namespace casenote
