// The OCR engine's choices around its reading: reading a page set in columns with full layout
// analysis, reading low-confidence numbers again with digits only, and low-confidence
// postcodes with capitals and digits only.
#include <leptonica/allheaders.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "ocr/number_reread.h"
#include "ocr/ocr_engine.h"
#include "ocr/postcode_reread.h"
#include "ocr/text_columns.h"
#include "tests/support/page_fixtures.h"

using namespace casenote;

namespace {

// A page read as one column of lines: each line's cells (text runs) at the given x positions,
// words 30 pixels high, 100 wide, 15 apart.
RecognisedPage page_of(const std::vector<std::vector<std::pair<int, int>>>& lines) {
  RecognisedPage page;
  page.width = 2500;
  page.height = 3500;
  int line_index = 0;
  for (const auto& cells : lines) {
    for (const auto& [x, words] : cells)
      for (int i = 0; i < words; ++i)
        page.words.push_back({"word", casenote::Box{x + i * 115, 200 + line_index * 50, 100, 30}, 95, 0, 0, line_index});
    ++line_index;
  }
  return page;
}

// A page of two columns in Leptonica's bitmap font at 300 dpi, their lines side by side: the
// first six lines of the letter on the left, the next six on the right.
PageImage two_column_page() {
  Pix* pix = pixCreate(2480, 1200, 8);
  pixSetAllArbitrary(pix, 255);
  pixSetResolution(pix, 300, 300);
  L_BMF* font = bmfCreate(nullptr, 8);
  for (int i = 0; i < 6; ++i) {
    l_int32 width = 0, overflow = 0;
    pixSetTextline(pix, font, testing::letter_lines()[static_cast<size_t>(i)].c_str(), 0, 100, 200 + 60 * i, &width,
                   &overflow);
    pixSetTextline(pix, font, testing::letter_lines()[static_cast<size_t>(i) + 6].c_str(), 0, 1300, 200 + 60 * i,
                   &width, &overflow);
  }
  bmfDestroy(&font);
  return PageImage(pix);
}

// "NHS number: 9990516324" in Leptonica's bitmap font at 300 dpi, with the top of the NHS
// number's seventh digit (the 6) rubbed out, as a crease or a faint ribbon leaves it: read
// alone, the rest of the 6 looks like a 0.
PageImage number_with_damaged_digit() {
  Pix* pix = pixCreate(1600, 300, 8);
  pixSetAllArbitrary(pix, 255);
  pixSetResolution(pix, 300, 300);
  L_BMF* font = bmfCreate(nullptr, 10);
  const int left = 100, baseline = 150;
  l_int32 width = 0, overflow = 0, before = 0, digit_width = 0, digit_height = 0;
  pixSetTextline(pix, font, "NHS number: 9990516324", 0, left, baseline, &width, &overflow);
  bmfGetStringWidth(font, "NHS number: 999051", &before);
  bmfGetWidth(font, '6', &digit_width);
  bmfGetBaseline(font, '6', &digit_height);
  BOX* rubbed = boxCreate(left + before, baseline - digit_height, digit_width, digit_height / 3);
  pixSetInRectArbitrary(pix, rubbed, 255);
  boxDestroy(&rubbed);
  bmfDestroy(&font);
  return PageImage(pix);
}

// "Address: HD1 5ZJ" in Leptonica's bitmap font at 300 dpi, at the size where its Z reads to
// the recogniser as "2Z": the postcode is read "HD1 52ZJ", as casenote read a scanned
// "HD1 5ZJ" as "HDi 52)".
PageImage postcode_with_misread_letter() {
  Pix* pix = pixCreate(1200, 200, 8);
  pixSetAllArbitrary(pix, 255);
  pixSetResolution(pix, 300, 300);
  L_BMF* font = bmfCreate(nullptr, 8);
  l_int32 width = 0, overflow = 0;
  pixSetTextline(pix, font, "Address: HD1 5ZJ", 0, 100, 100, &width, &overflow);
  bmfDestroy(&font);
  return PageImage(pix);
}

// The words after `label` up to the end of its line, joined by spaces, and the confidence of
// the least sure of them.
std::string line_after(const RecognisedPage& page, const std::string& label, float* confidence) {
  std::string text;
  *confidence = 100;
  for (size_t i = 0; i < page.words.size(); ++i) {
    if (page.words[i].text != label) continue;
    for (size_t j = i + 1; j < page.words.size() && page.words[j].line == page.words[i].line; ++j) {
      text += (text.empty() ? "" : " ") + page.words[j].text;
      *confidence = std::min(*confidence, page.words[j].confidence);
    }
    break;
  }
  return text;
}

// `page` read by an engine with `settings` (one of the second passes turned off) and by one
// with the defaults.
std::pair<RecognisedPage, RecognisedPage> read_without_and_with(const PageImage& page, const OcrSettings& settings) {
  auto without = OcrEngine::create(settings);
  auto with = OcrEngine::create(OcrSettings{});
  REQUIRE(without.ok());
  REQUIRE(with.ok());
  auto first = (*without)->recognise(page, 1);
  auto second = (*with)->recognise(page, 1);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  return {*first, *second};
}

std::string word_after(const RecognisedPage& page, const std::string& label, float* confidence) {
  for (size_t i = 0; i + 1 < page.words.size(); ++i)
    if (page.words[i].text == label) {
      *confidence = page.words[i + 1].confidence;
      return page.words[i + 1].text;
    }
  return "";
}

std::vector<std::vector<std::pair<int, int>>> repeat(std::vector<std::pair<int, int>> cells, int times) {
  return std::vector<std::vector<std::pair<int, int>>>(static_cast<size_t>(times), cells);
}

}  // namespace

TEST_CASE("lines that run across a gutter with prose either side mean the page has columns", "[ocr]") {
  // Two columns of 5-word lines, 1100 pixels apart: the gap is 525 pixels, many text heights.
  CHECK(reads_across_columns(page_of(repeat({{200, 5}, {1300, 5}}, 12))));
  // A magazine page: where a caption sits between its columns, three lines run across all three.
  auto magazine = repeat({{200, 12}}, 20);
  for (const auto& line : repeat({{200, 6}, {1000, 2}, {1400, 6}}, 3)) magazine.push_back(line);
  CHECK(reads_across_columns(page_of(magazine)));
}

TEST_CASE("single-column text, table rows and a date beside the address are not columns", "[ocr]") {
  CHECK_FALSE(reads_across_columns(page_of(repeat({{200, 14}}, 30))));
  // A lab table: short cells with wide gaps between them, row after row.
  CHECK_FALSE(reads_across_columns(page_of(repeat({{200, 3}, {800, 1}, {1200, 1}, {1600, 2}}, 20))));
  // A letter's address with the reference and date far to its right, then the letter.
  auto letter = repeat({{200, 3}, {1800, 1}}, 4);
  for (const auto& line : repeat({{200, 14}}, 20)) letter.push_back(line);
  CHECK_FALSE(reads_across_columns(page_of(letter)));
  // Wide gaps at a different place on each line are no gutter.
  std::vector<std::vector<std::pair<int, int>>> ragged;
  for (int i = 0; i < 6; ++i) ragged.push_back({{200 + i * 250, 3}, {730 + i * 250, 3}});
  CHECK_FALSE(reads_across_columns(page_of(ragged)));
  CHECK_FALSE(reads_across_columns(RecognisedPage{}));
}

// A leaflet's two columns at 300 dpi, in Leptonica's bitmap font at the size of a scanned
// letter's type: the first five words of six of the letter's lines on the left, of the next six
// on the right, a gutter of some 500 pixels between them.
PageImage two_column_leaflet() {
  PageImage page = testing::paper(2480, 1200, 300);
  L_BMF* font = bmfCreate(nullptr, 10);
  auto first_five_words = [](const std::string& line) {
    size_t end = 0;
    for (int word = 0; word < 5 && end != std::string::npos; ++word) end = line.find(' ', end + 1);
    return line.substr(0, end);
  };
  for (size_t i = 0; i < 6; ++i) {
    l_int32 width = 0, overflow = 0;
    const int baseline = 200 + 60 * static_cast<int>(i);
    pixSetTextline(page.pix(), font, first_five_words(testing::letter_lines()[i]).c_str(), 20, 100, baseline, &width,
                   &overflow);
    pixSetTextline(page.pix(), font, first_five_words(testing::letter_lines()[i + 6]).c_str(), 20, 1300, baseline,
                   &width, &overflow);
  }
  bmfDestroy(&font);
  return page;
}

// A lab report's results table in Leptonica's bitmap font at 300 dpi: a test name of up to
// three words, then its value, units and reference range in columns of their own.
PageImage results_table_page() {
  const std::vector<std::vector<std::string>> rows = {
      {"Haemoglobin", "135", "g/L", "130 - 170"},      {"White cell count", "7.2", "x10^9/L", "4.0 - 11.0"},
      {"Platelet count", "250", "x10^9/L", "150 - 400"}, {"Mean cell volume", "88", "fL", "80 - 100"},
      {"Serum sodium", "139", "mmol/L", "133 - 146"},    {"Serum potassium", "4.4", "mmol/L", "3.5 - 5.3"},
      {"Urea", "5.1", "mmol/L", "2.5 - 7.8"},           {"Creatinine", "84", "umol/L", "59 - 104"},
  };
  PageImage page = testing::paper(2480, 1400, 300);
  L_BMF* font = bmfCreate(nullptr, 10);
  for (size_t row = 0; row < rows.size(); ++row) {
    const int x[] = {150, 1000, 1400, 1800};
    for (size_t cell = 0; cell < 4; ++cell) {
      l_int32 width = 0, overflow = 0;
      pixSetTextline(page.pix(), font, rows[row][cell].c_str(), 20, x[cell], 200 + 120 * static_cast<int>(row), &width,
                     &overflow);
    }
  }
  bmfDestroy(&font);
  return page;
}

TEST_CASE("the ink of a page set in two columns shows its columns before any layout analysis", "[ocr]") {
  const RecognisedPage words = marked_words(two_column_leaflet());
  // Half the 300 dpi page's size; the six lines, each holding words from both columns.
  CHECK(words.width == 1240);
  REQUIRE_FALSE(words.words.empty());
  CHECK(words.words.back().line == 5);
  CHECK(reads_across_columns(words));
}

TEST_CASE("the ink of a letter, a results table and blank paper shows no columns", "[ocr]") {
  const RecognisedPage letter = marked_words(testing::text_page(30));
  CHECK(letter.words.size() > 100);
  CHECK_FALSE(reads_across_columns(letter));
  const RecognisedPage table = marked_words(results_table_page());
  CHECK(table.words.size() >= 32);
  CHECK_FALSE(reads_across_columns(table));
  const RecognisedPage blank = marked_words(testing::paper(2480, 3508, 300));
  CHECK(blank.words.empty());
  CHECK_FALSE(reads_across_columns(blank));
}

// The text the engine reads off `image`, having checked that it read the page as set in columns.
std::string text_read_in_columns(const PageImage& image) {
  auto engine = OcrEngine::create({});
  REQUIRE(engine);
  std::vector<StepTiming> timings;
  auto page = (*engine)->recognise(image, 1, &timings);
  REQUIRE(page);
  CHECK(std::any_of(timings.begin(), timings.end(), [](const StepTiming& t) { return t.step == "ocr_columns"; }));
  return page->text();
}

TEST_CASE("a page set in two columns reads one column after the other", "[ocr]") {
  // The column test saw the gutter, and the left column's last line comes before the right's first.
  const std::string text = text_read_in_columns(two_column_page());
  INFO(text);
  const auto left_last = text.find("Holter"), right_first = text.find("forty");
  REQUIRE(left_last != std::string::npos);
  REQUIRE(right_first != std::string::npos);
  CHECK(left_last < right_first);
  CHECK(text.find("palpitations") < text.find("148 over 86"));
  CHECK(text.find("forty") < text.find("arrhythmia"));
}

TEST_CASE("a page whose ink shows two columns reads one column after the other", "[ocr]") {
  const std::string text = text_read_in_columns(two_column_leaflet());
  INFO(text);
  // The left column's last line, "A Holter monitor showed paroxysms", before the right's first.
  const auto left_last = text.find("Holter"), right_first = text.find("forty");
  REQUIRE(left_last != std::string::npos);
  REQUIRE(right_first != std::string::npos);
  CHECK(left_last < right_first);
  REQUIRE(text.find("echocardiogram") != std::string::npos);
  CHECK(text.find("intermittent") < text.find("echocardiogram"));
}

TEST_CASE("numbers with letters that look like digits are read again, words are not", "[ocr]") {
  for (const char* word : {"9990516324", "999O516324", "12/O3/2024", "07.45", "999-051-6324", "2l05"})
    CHECK(is_number_like(word));
  for (const char* word : {"12-Mar-2024", "B12", "Oslo", "I", "", "--", "O1", "SE1 7EH", "£120"})
    CHECK_FALSE(is_number_like(word));
}

TEST_CASE("the second reading replaces the first only when it is surer and different", "[ocr]") {
  RecognisedWord first{"999O516324", casenote::Box{10, 10, 200, 30}, 62};
  RecognisedWord better = first, unsure = first, same = first, empty = first;
  better.text = "9990516324";
  better.confidence = 91;
  unsure.text = "9990516324";
  unsure.confidence = 40;
  same.confidence = 99;
  empty.text = "";
  empty.confidence = 99;
  CHECK(second_reading_wins(first, better));
  CHECK_FALSE(second_reading_wins(first, unsure));
  CHECK_FALSE(second_reading_wins(first, same));
  CHECK_FALSE(second_reading_wins(first, empty));
}

TEST_CASE("the second pass reads a damaged digit of an NHS number right", "[ocr]") {
  OcrSettings first_pass_only;
  first_pass_only.reread_numbers_below = 0;
  const auto [first, second] = read_without_and_with(number_with_damaged_digit(), first_pass_only);
  float first_confidence = 0, second_confidence = 0;
  // The seeded case: one reading misreads the digit, and is unsure of it.
  const std::string misread = word_after(first, "number:", &first_confidence);
  INFO("first reading " << misread << " at " << first_confidence);
  CHECK(misread != "9990516324");
  CHECK(first_confidence < OcrSettings{}.reread_numbers_below);
  CHECK(word_after(second, "number:", &second_confidence) == "9990516324");
  CHECK(second_confidence > first_confidence);
}

TEST_CASE("pairs of words shaped like a misread postcode are read again, identifiers and words are not", "[ocr]") {
  // casenote's own misreadings on the evaluation set, with the postcode printed in brackets.
  for (auto [outward, inward] : std::vector<std::pair<const char*, const char*>>{
           {"BD7", "333"},     // BD7 3JJ
           {"HDi", "52)"},     // HD1 5ZJ
           {"{S11", "3LB"},    // LS11 3LB
           {"LS13", "SFT"},    // LS13 5FT
           {"BD7", "SAY"},     // BD7 9AY
           {"LS17", "6XI"},    // LS17 6XJ
           {"LS17", "6|xX"},   // LS17 6JX
           {"LS17", "6X"},     // LS17 6JX
           {"WEF2", "6QD"},    // WF2 6QD
           {"BD1", "5W}"},     // BD1 5WJ
           {"BD1", "Sw)"},     // BD1 5WJ
           {"BD1i8", "6BU"},   // BD18 6BU
           {"LS1", "80G"}})    // LS1 8QG
    CHECK(looks_like_misread_postcode(outward, inward));
  for (auto [outward, inward] : std::vector<std::pair<const char*, const char*>>{
           {"LS1", "4AP"},          // already a postcode: nothing to mend
           {"999", "051"},          // an NHS number's groups
           {"051", "6324"},
           {"NHS", "999"},          // its label and first group
           {"12", "Mar"},           // dates
           {"04/03/1950", "Date"},
           {"01632", "960000"},     // a phone number
           {"Ward", "12"},          // words
           {"Bay", "3"},
           {"the", "patient"},
           {"K5749118", "Ward"},    // a hospital number
           {"B87016", "Tel"},       // a practice code
           {"B12", "5"},            // a lab result
           {"B12", "is"},           // a word in lower case
           {"LS1", "4APX1"}})       // too long to be an inward code
    CHECK_FALSE(looks_like_misread_postcode(outward, inward));
}

TEST_CASE("only unsure pairs on one line are read again, and a word is in one pair at most", "[ocr]") {
  auto word = [](const char* text, float confidence, int line) {
    return RecognisedWord{text, casenote::Box{100, 100 + 50 * line, 80, 30}, confidence, 0, 0, line};
  };
  RecognisedPage page;
  page.words = {word("Address:", 95, 0), word("BD7", 91, 0), word("333", 41, 0),          // unsure: read again
                word("LS13", 96, 1), word("SFT", 93, 1),                                  // sure: left alone
                word("HDi", 71, 2), word("52)", 44, 3),                                   // two lines
                word("BD1", 92, 4), word("Sw)", 41, 4),                                   // unsure
                word("HD1", 50, 5), word("S1B", 50, 5), word("2AI", 50, 5)};              // S1B's first pair only
  CHECK(looks_like_misread_postcode("S1B", "2AI"));
  CHECK(postcode_pairs_to_reread(page, 90) == std::vector<size_t>{1, 7, 9});
  CHECK(postcode_pairs_to_reread(page, 40).empty());
}

TEST_CASE("a postcode's second reading is kept only when it is a real postcode and surer", "[ocr]") {
  const RecognisedWord outward{"BD7", casenote::Box{100, 100, 60, 30}, 91};
  const RecognisedWord inward{"333", casenote::Box{175, 100, 60, 30}, 41};
  auto kept = [&](const char* text, float confidence, std::string* read = nullptr) {
    RecognisedWord o = outward, i = inward;
    const bool replaced = keep_surer_postcode_reading(o, i, RecognisedWord{text, {}, confidence});
    if (read) *read = o.text + " " + i.text + " at " + std::to_string(static_cast<int>(o.confidence)) + "/" +
                      std::to_string(static_cast<int>(i.confidence));
    // The words keep their boxes whatever happens.
    CHECK(o.box == outward.box);
    CHECK(i.box == inward.box);
    if (!replaced) CHECK(o.text + " " + i.text == "BD7 333");
    return replaced;
  };
  std::string read;
  CHECK(kept("BD7 3JJ", 80, &read));
  CHECK(read == "BD7 3JJ at 80/80");
  CHECK(kept("BD73JJ", 80, &read));  // read as one word: split where a postcode splits
  CHECK(read == "BD7 3JJ at 80/80");
  CHECK_FALSE(kept("BD7 3JJ", 41));    // not surer than the first reading's least sure word
  CHECK_FALSE(kept("BD7 3JJ", 30));
  {
    RecognisedWord o = outward, i = inward;
    o.confidence = i.confidence = 20;
    CHECK_FALSE(keep_surer_postcode_reading(o, i, RecognisedWord{"BD7 3JJ", {}, 45}));  // surer, but doubtful
    CHECK(keep_surer_postcode_reading(o, i, RecognisedWord{"BD7 3JJ", {}, 55}));
  }
  CHECK_FALSE(kept("BD7 333", 99));    // nothing different, and no postcode
  CHECK_FALSE(kept("BD7 3CJ", 95));    // no inward code has a C
  CHECK_FALSE(kept("QD7 3JJ", 95));    // no outward code begins with Q
  CHECK_FALSE(kept("YY7 3JJ", 95));    // a valid shape, but no postcode area YY
  CHECK_FALSE(kept("BD7 3JJ X", 95));  // more than a postcode
  CHECK_FALSE(kept("", 100));
}

TEST_CASE("the postcode pass reads a misread postcode right", "[ocr]") {
  OcrSettings first_pass_only;
  first_pass_only.reread_postcodes_below = 0;
  const auto [first, second] = read_without_and_with(postcode_with_misread_letter(), first_pass_only);
  float first_confidence = 0, second_confidence = 0;
  // The seeded case: the first reading is no postcode, and unsure.
  const std::string misread = line_after(first, "Address:", &first_confidence);
  INFO("first reading " << misread << " at " << first_confidence);
  CHECK(misread != "HD1 5ZJ");
  CHECK(first_confidence < OcrSettings{}.reread_postcodes_below);
  CHECK(line_after(second, "Address:", &second_confidence) == "HD1 5ZJ");
  CHECK(second_confidence > first_confidence);
}
