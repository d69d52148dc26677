#include "extract/postcode.h"

#include <cctype>

namespace casenote {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool one_of(char c, std::string_view allowed) { return allowed.find(c) != std::string_view::npos; }

// Letters each position of a postcode may hold, as Royal Mail allocates them.
constexpr std::string_view kFirstLetters = "ABCDEFGHIJKLMNOPRSTUWYZ";         // not Q, V, X
constexpr std::string_view kSecondLetters = "ABCDEFGHKLMNOPQRSTUVWXY";        // not I, J, Z
constexpr std::string_view kThirdLetters = "ABCDEFGHJKPSTUW";                 // A9A
constexpr std::string_view kFourthLetters = "ABEHMNPRVWXY";                   // AA9A
constexpr std::string_view kInwardLetters = "ABDEFGHJLNPQRSTUWXYZ";           // not C, I, K, M, O, V

// A9, A99, A9A, AA9, AA99, AA9A.
bool valid_outward(std::string_view o) {
  if (o.size() < 2 || o.size() > 4 || !one_of(o[0], kFirstLetters)) return false;
  size_t i = 1;
  if (is_upper(o[i])) {
    if (!one_of(o[i], kSecondLetters)) return false;
    ++i;
  }
  if (i >= o.size() || !is_digit(o[i])) return false;
  ++i;
  if (i == o.size()) return true;
  bool two_letters = i == 3;
  bool last_ok = is_digit(o[i]) || one_of(o[i], two_letters ? kFourthLetters : kThirdLetters);
  return last_ok && i + 1 == o.size();
}

bool valid_inward(std::string_view in) {
  return in.size() == 3 && is_digit(in[0]) && one_of(in[1], kInwardLetters) && one_of(in[2], kInwardLetters);
}

}  // namespace

std::optional<std::string> parse_postcode(std::string_view text) {
  std::string compact;
  size_t space_at = std::string::npos;
  for (char c : text) {
    if (c == ' ') {
      if (space_at != std::string::npos || compact.empty()) return std::nullopt;
      space_at = compact.size();
      continue;
    }
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (compact.size() < 5 || compact.size() > 7) return std::nullopt;
  size_t outward_size = compact.size() - 3;
  if (space_at != std::string::npos && space_at != outward_size) return std::nullopt;
  std::string_view outward = std::string_view(compact).substr(0, outward_size);
  std::string_view inward = std::string_view(compact).substr(outward_size);
  if (!valid_outward(outward) || !valid_inward(inward)) return std::nullopt;
  return std::string(outward) + " " + std::string(inward);
}

}  // namespace casenote
