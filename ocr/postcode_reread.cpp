#include "ocr/postcode_reread.h"

#include <algorithm>
#include <string_view>

#include "extract/postcode.h"

namespace casenote {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_capital(char c) { return c >= 'A' && c <= 'Z'; }
bool is_letter(char c) { return is_capital(c) || (c >= 'a' && c <= 'z'); }
bool one_of(char c, std::string_view set) { return set.find(c) != std::string_view::npos; }

// Marks OCR makes of a postcode's letters and digits: "{" for L, ")" and "}" for J, "$" for S,
// "|" and "!" for 1 or I.
constexpr std::string_view kStrayMarks = "{}()[]|!$";

// What may stand where a digit belongs: a digit, or a letter or mark OCR reads for one.
bool stands_for_digit(char c) { return is_digit(c) || one_of(c, "OoDQIli|!SsBZzGg$"); }

// What may stand where a letter belongs: a letter, a digit OCR reads for one (0 for O, Q or D,
// 3 for J, 5 for S...), or a stray mark.
bool stands_for_letter(char c) { return is_letter(c) || one_of(c, "0123568") || one_of(c, kStrayMarks); }

bool looks_like_outward(std::string_view w) {
  if (w.size() < 2 || w.size() > 5 || !(is_capital(w[0]) || one_of(w[0], kStrayMarks))) return false;
  bool capital = false, digit = false;
  for (char c : w) {
    if (!stands_for_letter(c) && !stands_for_digit(c)) return false;
    capital |= is_capital(c);
    digit |= is_digit(c) || one_of(c, "ilo|!");
  }
  return capital && digit;
}

// A postcode is printed in capitals: an inward code whose letters are all in lower case ("is",
// "on") is a word.
bool looks_like_inward(std::string_view w) {
  if (w.size() < 2 || w.size() > 4 || !stands_for_digit(w[0])) return false;
  const std::string_view rest = w.substr(1);
  return std::all_of(rest.begin(), rest.end(), stands_for_letter) &&
         !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool on_one_line(const RecognisedWord& a, const RecognisedWord& b) {
  return a.block == b.block && a.paragraph == b.paragraph && a.line == b.line;
}

}  // namespace

bool looks_like_misread_postcode(const std::string& outward, const std::string& inward) {
  const std::string pair = outward + " " + inward;
  return looks_like_outward(outward) && looks_like_inward(inward) && std::any_of(pair.begin(), pair.end(), is_digit) &&
         !parse_postcode(pair);
}

std::vector<size_t> postcode_pairs_to_reread(const RecognisedPage& page, float below) {
  std::vector<size_t> firsts;
  for (size_t i = 0; i + 1 < page.words.size(); ++i) {
    const RecognisedWord &outward = page.words[i], &inward = page.words[i + 1];
    if (!on_one_line(outward, inward) || std::min(outward.confidence, inward.confidence) >= below ||
        !looks_like_misread_postcode(outward.text, inward.text))
      continue;
    firsts.push_back(i);
    ++i;
  }
  return firsts;
}

bool keep_surer_postcode_reading(RecognisedWord& outward, RecognisedWord& inward, const RecognisedWord& second) {
  const auto postcode = parse_postcode(second.text);
  if (!postcode || !is_in_real_area(*postcode) || second.text == outward.text + " " + inward.text ||
      second.confidence <= std::min(outward.confidence, inward.confidence) || second.confidence < kLeastPostcodeConfidence)
    return false;
  const size_t space = postcode->find(' ');
  outward.text = postcode->substr(0, space);
  inward.text = postcode->substr(space + 1);
  outward.confidence = inward.confidence = second.confidence;
  return true;
}

}  // namespace casenote
