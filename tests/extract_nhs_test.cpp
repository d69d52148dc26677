#include <catch2/catch.hpp>

#include "extract/nhs_number.h"
#include "extract_page_fixture.h"

using namespace casenote;
using namespace casenote::fixture;

TEST_CASE("NHS checksum accepts numbers whose tenth digit is the modulus-11 check", "[extract]") {
  CHECK(nhs_number_valid("9434765919"));
  CHECK(nhs_number_valid("9990000018"));
  // 11 - (sum mod 11) = 11 means a check digit of 0.
  CHECK(nhs_number_valid("9990000050"));
}

TEST_CASE("NHS checksum rejects a wrong check digit", "[extract]") {
  CHECK_FALSE(nhs_number_valid("9434765918"));
  CHECK_FALSE(nhs_number_valid("9990000051"));
}

TEST_CASE("NHS checksum rejects every number whose check digit would be 10", "[extract]") {
  for (char last = '0'; last <= '9'; ++last) CHECK_FALSE(nhs_number_valid(std::string("999000000") + last));
}

TEST_CASE("NHS checksum rejects wrong lengths and non-digits", "[extract]") {
  CHECK_FALSE(nhs_number_valid(""));
  CHECK_FALSE(nhs_number_valid("943476591"));
  CHECK_FALSE(nhs_number_valid("94347659190"));
  CHECK_FALSE(nhs_number_valid("94347659I9"));
  CHECK_FALSE(nhs_number_valid("943 476 5919"));
}

TEST_CASE("NHS numbers parse spaced, dashed or joined", "[extract]") {
  CHECK(parse_nhs_number("943 476 5919", false) == "9434765919");
  CHECK(parse_nhs_number("943-476-5919", false) == "9434765919");
  CHECK(parse_nhs_number("9434765919", false) == "9434765919");
}

TEST_CASE("NHS numbers grouped other than 3-3-4 or with a bad checksum do not parse", "[extract]") {
  CHECK_FALSE(parse_nhs_number("94 34765919", false));
  CHECK_FALSE(parse_nhs_number("943 476 59 19", false));
  CHECK_FALSE(parse_nhs_number("943--476-5919", false));
  CHECK_FALSE(parse_nhs_number("943 476 5918", false));
  CHECK_FALSE(parse_nhs_number("", false));
}

TEST_CASE("NHS number parsing corrects OCR letter confusions only when asked", "[extract]") {
  CHECK(parse_nhs_number("94347659I9", true) == "9434765919");
  CHECK(parse_nhs_number("9434765919", true) == "9434765919");
  CHECK(parse_nhs_number("999 000 OO18", true) == "9990000018");
  CHECK(parse_nhs_number("qq9 000 00l8", true) == "9990000018");
  CHECK_FALSE(parse_nhs_number("94347659I9", false));
  // A letter with no digit look-alike is never corrected.
  CHECK_FALSE(parse_nhs_number("94347659X9", true));
}

TEST_CASE("NHS number parsing refuses a corrected number that fails the checksum or is mostly letters", "[extract]") {
  CHECK_FALSE(parse_nhs_number("94347659I8", true));
  CHECK_FALSE(parse_nhs_number("qqq 000 00l8", true));
  CHECK_FALSE(parse_nhs_number("g43476Sglg", true));
}

TEST_CASE("Labelled NHS numbers are read in each written form", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "NHS No: 450 557 7104", "NHS Number: 450-557-7104", "NHS no. 4505577104",
                       "N.H.S. No 450 557 7104", "NHS N0: 450 557 7104", "NHS No:4505577104", "NHS: 450 557 7104");
  INFO(text);
  DocumentFields fields = extract(text);
  CHECK(value_of(fields, FieldKind::NhsNumber) == "4505577104");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A labelled NHS number split over three words takes the union of their boxes", "[extract]") {
  RecognisedPage page = page_from_text("Patient details\nNHS No: 943 476 5919");
  DocumentFields fields = extract({page});
  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  REQUIRE(nhs != nullptr);
  CHECK(nhs->value == "9434765919");
  CHECK(nhs->box == word(page, "943").box.united(word(page, "476").box).united(word(page, "5919").box));
  CHECK(nhs->source_text == "943 476 5919");
  CHECK(nhs->page == 1);
}

TEST_CASE("NHS number confidence is the lowest confidence of its words", "[extract]") {
  RecognisedPage page = PageBuilder().text(100, 100, "NHS No: 943 476 5919").confidence("476", 61).page();
  DocumentFields fields = extract({page});
  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  REQUIRE(nhs != nullptr);
  CHECK(nhs->confidence == Approx(0.61));
}

TEST_CASE("A labelled NHS number with OCR letter confusions is accepted with lowered confidence", "[extract]") {
  DocumentFields fields = extract("NHS No: 94347659I9");
  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  REQUIRE(nhs != nullptr);
  CHECK(nhs->value == "9434765919");
  CHECK(nhs->confidence < kConfidence / 100);
}

TEST_CASE("An unlabelled NHS number with OCR letter confusions is not accepted", "[extract]") {
  DocumentFields fields = extract("Thank you for seeing this lady.\n999 000 OO18");
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
}

TEST_CASE("An NHS number below its label is read", "[extract]") {
  CHECK(value_of(extract("NHS Number:\n943 476 5919"), FieldKind::NhsNumber) == "9434765919");
}

TEST_CASE("Phone numbers and longer digit runs are not NHS numbers", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Tel: 01632 960123", "NHS No: 94347659191", "NHS No: 943 476 5919 1",
                       "Ref 12 999 000 0018", "Account 99900000181", "Tel: 0113 999 000 0018");
  INFO(text);
  CHECK(extract(text).find(FieldKind::NhsNumber) == nullptr);
}

TEST_CASE("Two different labelled NHS numbers leave the field out for review", "[extract]") {
  DocumentFields fields = extract("NHS No: 943 476 5919\nMother's NHS No: 999 000 0018");
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
  CHECK(has_reason(fields, "conflicting NHS numbers"));
}

TEST_CASE("The same NHS number repeated on a later page is one value", "[extract]") {
  std::vector pages{page_from_text("NHS No: 999 000 0018\nDear Dr Jones", 1),
                    page_from_text("NHS No: 999 000 0018\nContinued", 2)};
  DocumentFields fields = extract(pages);
  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  REQUIRE(nhs != nullptr);
  CHECK(nhs->value == "9990000018");
  CHECK(nhs->page == 1);
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("An unlabelled plausible NHS number is weak evidence", "[extract]") {
  DocumentFields fields = extract("Re: Mr John SMITH\n999 000 0018\nThank you for seeing him.");
  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  REQUIRE(nhs != nullptr);
  CHECK(nhs->value == "9990000018");
  CHECK(nhs->confidence <= 0.5);
  CHECK(has_reason(fields, "NHS number found without a label"));
}

TEST_CASE("An unlabelled number outside the issued and test ranges is not an NHS number", "[extract]") {
  REQUIRE(nhs_number_valid("1000000001"));
  DocumentFields fields = extract("Re: Mr John SMITH\n100 000 0001");
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("An unlabelled number after another label is not an NHS number", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Hospital No 9990000018", "Lab ref: 999 000 0018", "Ref 9990000018");
  INFO(text);
  CHECK(extract(text).find(FieldKind::NhsNumber) == nullptr);
}

TEST_CASE("A labelled NHS number wins over an unlabelled one, which is flagged", "[extract]") {
  DocumentFields fields = extract("NHS No: 943 476 5919\nBed 999 000 0018");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9434765919");
  CHECK(has_reason(fields, "another, unlabelled NHS number appears on the document"));
}

TEST_CASE("Two different unlabelled NHS numbers leave the field out", "[extract]") {
  DocumentFields fields = extract("999 000 0018\n999 000 0026");
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
  CHECK(has_reason(fields, "conflicting NHS numbers"));
}

TEST_CASE("An unreadable labelled NHS number stops an unlabelled one being taken for it", "[extract]") {
  DocumentFields fields = extract("NHS No: 943 476 5918\nBed 999 000 0018");
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
  CHECK(has_reason(fields, "NHS number label found but its number could not be read"));
}

TEST_CASE("NHS in a trust's name is not an NHS number label", "[extract]") {
  DocumentFields fields = extract("Leeds Teaching Hospitals NHS Trust\nNHS No: 450 557 7104");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "4505577104");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("Every OCR look-alike letter is read as its digit after a label", "[extract]") {
  // Each number holds the digit its letter stands for; the letter replaces its last occurrence.
  struct Case {
    char letter;
    std::string number;
    char digit;
  };
  auto c = GENERATE(Case{'O', "9990000018", '0'}, Case{'o', "9990000018", '0'}, Case{'D', "9990000018", '0'},
                    Case{'I', "9990000018", '1'}, Case{'l', "9990000018", '1'}, Case{'|', "9990000018", '1'},
                    Case{'i', "9990000018", '1'}, Case{'Z', "9990000026", '2'}, Case{'S', "9990000050", '5'},
                    Case{'s', "9990000050", '5'}, Case{'G', "9990000026", '6'}, Case{'b', "9990000026", '6'},
                    Case{'B', "9990000018", '8'}, Case{'g', "9990000069", '9'}, Case{'q', "9990000069", '9'});
  std::string written = c.number;
  written[written.rfind(c.digit)] = c.letter;
  INFO(written);
  CHECK(parse_nhs_number(written, true) == c.number);
  CHECK_FALSE(parse_nhs_number(written, false));
  CHECK(digit_look_alike(c.letter) == c.digit);
  DocumentFields fields = extract("NHS No: " + written);
  CHECK(value_of(fields, FieldKind::NhsNumber) == c.number);
}

TEST_CASE("After a label, digits OCR grouped oddly or split into four words are read", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "NHS No: 4505 577104", "NHS No: 450 55 77 104", "NHS No: 45055 77104",
                       "NHS No: 450 557 71O4");
  INFO(text);
  CHECK(value_of(extract(text), FieldKind::NhsNumber) == "4505577104");
}

TEST_CASE("Without a label, only the usual grouping is read as an NHS number", "[extract]") {
  CHECK(extract("Mr John SMITH\n4505 577104").find(FieldKind::NhsNumber) == nullptr);
  CHECK(value_of(extract("Mr John SMITH\n450 557 7104"), FieldKind::NhsNumber) == "4505577104");
}

TEST_CASE("An 11-digit phone number is not an NHS number, joined or spaced", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Tel 01632960123", "call 01632 960123 today", "Mobile: 07700 900461",
                       "NHS No: 01632960123");
  INFO(text);
  CHECK(extract(text).find(FieldKind::NhsNumber) == nullptr);
}

TEST_CASE("Two different labelled NHS numbers are named, with their pages, in the review reason", "[extract]") {
  std::vector pages{page_from_text("NHS No: 999 000 0018", 1), page_from_text("NHS No: 999 000 0026", 2)};
  DocumentFields fields = extract(pages);
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
  REQUIRE(fields.review_reasons.size() == 1);
  CHECK(fields.review_reasons[0] == "conflicting NHS numbers: 999 000 0018 (page 1), 999 000 0026 (page 2)");
}

TEST_CASE("An NHS number only in a later page's header is found there", "[extract]") {
  std::vector pages{page_from_text("Patient: Mr John SMITH\nDOB: 04/03/1950\nDear Dr Jones", 1),
                    page_from_text("SMITH, John   NHS No: 999 000 0018   Page 2 of 2\nContinued", 2)};
  DocumentFields fields = extract(pages);
  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  REQUIRE(nhs != nullptr);
  CHECK(nhs->value == "9990000018");
  CHECK(nhs->page == 2);
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("Pages agreeing on an NHS number raise its confidence", "[extract]") {
  double one_page = extract("NHS No: 999 000 0018").find(FieldKind::NhsNumber)->confidence;
  std::vector pages{page_from_text("NHS No: 999 000 0018", 1), page_from_text("NHS No: 999 000 0018", 2)};
  DocumentFields fields = extract(pages);
  const ExtractedField* nhs = fields.find(FieldKind::NhsNumber);
  REQUIRE(nhs != nullptr);
  CHECK(nhs->confidence > one_page);
  CHECK(nhs->confidence < 1);
}

TEST_CASE("A labelled NHS number outside the issued ranges is kept but sent to review", "[extract]") {
  REQUIRE(nhs_number_valid("9434765919"));
  DocumentFields fields = extract("NHS No: 943 476 5919");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9434765919");
  CHECK(has_reason(fields, "NHS number outside the issued ranges"));
}

TEST_CASE("Issued ranges are 400-499, 600-799 and the 999 test range, and configurable", "[extract]") {
  CHECK(in_nhs_number_ranges("4505577104", default_nhs_number_ranges()));
  CHECK(in_nhs_number_ranges("6400000011", default_nhs_number_ranges()));
  CHECK(in_nhs_number_ranges("7200000000", default_nhs_number_ranges()));
  CHECK(in_nhs_number_ranges("9990000018", default_nhs_number_ranges()));
  CHECK_FALSE(in_nhs_number_ranges("9434765919", default_nhs_number_ranges()));
  CHECK_FALSE(in_nhs_number_ranges("3201234508", default_nhs_number_ranges()));

  // A live system can drop the test range: synthetic numbers then never pass unlabelled.
  ExtractionOptions options;
  options.today = kToday;
  options.nhs_number_ranges = {{400, 499}, {600, 799}};
  DocumentFields fields = extract_fields({page_from_text("Re: Mr John SMITH\n999 000 0018")}, options);
  CHECK(fields.find(FieldKind::NhsNumber) == nullptr);
  fields = extract_fields({page_from_text("NHS No: 999 000 0018")}, options);
  CHECK(has_reason(fields, "NHS number outside the issued ranges"));
}

TEST_CASE("An unreadable NHS number on a later page sends a readable one to review", "[extract]") {
  std::vector pages{page_from_text("NHS No: 999 000 0018", 1), page_from_text("NHS No: 999 000 0019", 2)};
  DocumentFields fields = extract(pages);
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9990000018");
  CHECK(has_reason(fields, "an NHS number on page 2 could not be read"));
}

TEST_CASE("A short number after NHS is a service, not an unreadable NHS number", "[extract]") {
  DocumentFields fields = extract("NHS No: 999 000 0018\nOut of hours, call NHS 111.");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9990000018");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("An unlabelled number agreeing with the labelled one supports it", "[extract]") {
  DocumentFields fields = extract("NHS No: 999 000 0018\nSMITH John 999 000 0018");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9990000018");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A label whose end OCR garbled still heads its number", "[extract]") {
  DocumentFields fields = extract("SMITH, John   NHS Noa: 999 000 0018   Page 2 of 2");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9990000018");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A label end OCR garbled into a word with a full stop still heads its number", "[extract]") {
  // "No." read as "na.": the label still heads the number, which then outweighs a decoy.
  DocumentFields fields = extract("NHS na. 999-000-0018\nBed 14, locker 999 000 0026");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9990000018");
  CHECK(has_reason(fields, "another, unlabelled NHS number appears on the document"));
  // Before words, a short word with a full stop is the value's own: the title of "Mr. John SMITH".
  DocumentFields named = extract("Patient: Mr. John SMITH");
  CHECK(value_of(named, FieldKind::PatientName) == "SMITH, John");
}

TEST_CASE("A valid number after an unknown word with a colon may be a garbled NHS label", "[extract]") {
  DocumentFields fields = extract("NHS No: 999 000 0018\nNHS Nurnbr: 999 000 0026");
  CHECK(has_reason(fields, "another, unlabelled NHS number appears on the document"));
  // After a known label of another number it is that number.
  CHECK(extract("NHS No: 999 000 0018\nLab No: 999 000 0026").review_reasons.empty());
}
