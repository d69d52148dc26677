// The second pass over postcodes: which pairs of words to read again with capitals and digits
// only, and which reading to keep.
#pragma once

#include <string>
#include <vector>

#include "core/recognised_text.h"

namespace casenote {

// The characters the postcode pass lets Tesseract choose from: capitals, digits and the space
// between outward and inward code (without it, the LSTM recogniser runs the two codes together
// and is sure of nothing).
inline constexpr const char* kPostcodeCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";

// A second reading less sure than this is no reading, however unsure the first was.
inline constexpr float kLeastPostcodeConfidence = 50;

// Whether `outward` and `inward`, two words side by side, look like a UK postcode OCR misread:
// an outward code of 2 to 5 characters (one more than a postcode has, for a character OCR read
// twice: "WEF2" for "WF2", "BD1i8" for "BD18") that begins with a capital or a stray mark, never
// a digit, and holds a capital and a digit (or i, l, o, |, !); and an inward code of a digit or
// a look-alike and 1 to 3 letters or look-alikes, not all in lower case ("333", "52)", "SFT",
// "6|xX"). The pair holds a digit and is not already a postcode. "BD7 333", "HDi 52)",
// "{S11 3LB" and "LS13 SFT" qualify; NHS numbers, dates, phone numbers and words do not
// ("999 051", "12 Mar", "NHS 999", "Ward 12", "B12 is").
bool looks_like_misread_postcode(const std::string& outward, const std::string& inward);

// The indices of the first words of the pairs on `page` to read again: side by side on one
// line, looking like a misread postcode, and one of them read with confidence below `below`.
// Pairs do not overlap.
std::vector<size_t> postcode_pairs_to_reread(const RecognisedPage& page, float below);

// Replaces the pair `outward`, `inward` with `second`, the pair's second reading (its words
// joined by a space, with the confidence of its least sure word), when that is a UK postcode of
// a real postcode area, says something different, and is read with higher confidence than the
// pair's least sure word and at least kLeastPostcodeConfidence. Each word then holds its code as
// parse_postcode writes it, with the second reading's confidence, and keeps its box. Returns
// whether it replaced them.
bool keep_surer_postcode_reading(RecognisedWord& outward, RecognisedWord& inward, const RecognisedWord& second);

}  // namespace casenote
