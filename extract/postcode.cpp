#include "extract/postcode.h"

#include <array>
#include <cctype>
#include <set>

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

// More characters misread than this, and the text is something other than a postcode.
constexpr int kMostMisreadCharacters = 2;

// The postcode areas: the letters an outward code begins with.
const std::set<std::string_view> kAreas{
    "AB", "AL", "B",  "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF", "CH", "CM", "CO",
    "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "E",  "EC", "EH", "EN", "EX",
    "FK", "FY", "G",  "GL", "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV",
    "JE", "KA", "KT", "KW", "KY", "L",  "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M",  "ME", "MK", "ML", "N",
    "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S",
    "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN",
    "TQ", "TR", "TS", "TW", "UB", "W",  "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE"};

// The letters before the first digit of an outward code.
std::string_view area_of(std::string_view outward) {
  size_t digit = 0;
  while (digit < outward.size() && !is_digit(outward[digit])) ++digit;
  return outward.substr(0, digit);
}

// The shapes of an outward code: A for a letter, 9 for a digit.
constexpr std::array<std::string_view, 6> kOutwardShapes{"A9", "A99", "A9A", "AA9", "AA99", "AA9A"};
constexpr std::string_view kInwardShape = "9AA";

// The digit `c` stands for where a digit must be, 0 when none.
char as_digit(char c) {
  if (is_digit(c)) return c;
  if (c == 'O' || c == 'o') return '0';
  if (c == 'I' || c == 'l' || c == 'i' || c == '!' || c == '|') return '1';
  return 0;
}

// The capital `c` stands for where a letter must be, 0 when none. Postcodes are printed in
// capitals: a lower-case letter means a word, not a misread postcode.
char as_letter(char c) {
  if (is_upper(c)) return c;
  if (c == '0') return 'O';
  if (c == '1' || c == '!' || c == '|') return 'I';
  if (c == '$') return 'S';
  // A J's hook read as a bracket or brace.
  if (c == ']' || c == ')' || c == '}') return 'J';
  return 0;
}

// `written` read in `shape`, or "" when a character cannot stand for what its position needs.
// `changed` counts the characters read as something else.
std::string read_as(std::string_view written, std::string_view shape, int& changed) {
  std::string out;
  for (size_t i = 0; i < written.size(); ++i) {
    char c = shape[i] == '9' ? as_digit(written[i]) : as_letter(written[i]);
    if (c == 0) return "";
    changed += c != written[i];
    out += c;
  }
  return out;
}

// Adds to `readings` every postcode `written` (no spaces) can be read as, with at most
// kMostMisreadCharacters changed counting `changed` already.
void add_misread_readings(std::string_view written, int changed, std::set<std::string>& readings) {
  if (written.size() < 5 || written.size() > 7) return;
  std::string_view outward = written.substr(0, written.size() - 3);
  int inward_changed = changed;
  std::string inward = read_as(written.substr(written.size() - 3), kInwardShape, inward_changed);
  if (inward.empty()) return;
  for (std::string_view shape : kOutwardShapes) {
    if (shape.size() != outward.size()) continue;
    int outward_changed = inward_changed;
    std::string read = read_as(outward, shape, outward_changed);
    // Only a real area: "Y01" is no postcode, so "YOI" can only be "YO1".
    if (read.empty() || outward_changed > kMostMisreadCharacters || !is_in_real_area(read)) continue;
    if (auto postcode = parse_postcode(read + " " + inward)) readings.insert(*postcode);
  }
}

// `written` with each lower-case letter that directly precedes its own capital left out: OCR
// read one printed capital twice ("2zZP" for "2ZP"). Postcodes are printed in capitals.
std::string without_doubled_capitals(std::string_view written) {
  std::string out;
  for (size_t i = 0; i < written.size(); ++i)
    if (!(i + 1 < written.size() && is_upper(written[i + 1]) && written[i] == (written[i + 1] | 0x20)))
      out += written[i];
  return out;
}

}  // namespace

std::optional<std::string> parse_postcode_misread(std::string_view text) {
  std::string compact;
  size_t spaces = 0;
  bool digit_as_written = false;
  for (char c : text) {
    if (c == ' ') {
      ++spaces;
      continue;
    }
    digit_as_written |= is_digit(c);
    compact += c;
  }
  if (spaces > 1 || !digit_as_written) return std::nullopt;
  std::set<std::string> readings;
  add_misread_readings(compact, 0, readings);
  // Each capital read twice counts as one character misread.
  std::string undoubled = without_doubled_capitals(compact);
  if (undoubled != compact)
    add_misread_readings(undoubled, static_cast<int>(compact.size() - undoubled.size()), readings);
  if (readings.size() != 1) return std::nullopt;
  return *readings.begin();
}

bool is_in_real_area(std::string_view postcode) { return kAreas.contains(area_of(postcode)); }

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
