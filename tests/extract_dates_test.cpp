#include <catch2/catch.hpp>

#include "extract/dates.h"
#include "extract_page_fixture.h"

using namespace casenote;
using namespace casenote::fixture;

namespace {

std::string parsed(std::string_view text, int pivot_year = 2024) {
  auto date = parse_date(text, pivot_year);
  return date ? date->iso() : "";
}

}  // namespace

TEST_CASE("Dates parse in every day-first British format", "[extract]") {
  CHECK(parsed("04/03/1950") == "1950-03-04");
  CHECK(parsed("4.3.50") == "1950-03-04");
  CHECK(parsed("04-03-1950") == "1950-03-04");
  CHECK(parsed("4th March 1950") == "1950-03-04");
  CHECK(parsed("04-Mar-1950") == "1950-03-04");
  CHECK(parsed("4 Mar 50") == "1950-03-04");
  CHECK(parsed("1950-03-04") == "1950-03-04");
  CHECK(parsed("4 March, 1950") == "1950-03-04");
  CHECK(parsed("1st JAN 2000") == "2000-01-01");
  CHECK(parsed("22nd Sept 1960") == "1960-09-22");
  CHECK(parsed("3rd december 1999") == "1999-12-03");
  CHECK(parsed("(04/03/1950).") == "1950-03-04");
  // OCR closes up the narrow space between a month's name and its year.
  CHECK(parsed("29 Jan53") == "1953-01-29");
  CHECK(parsed("4 March1950") == "1950-03-04");
  CHECK(parsed("4 Mar123").empty());
}

TEST_CASE("Impossible dates do not parse", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "31/02/1950", "29/02/1951", "29/02/1900", "00/01/1950", "32/01/1950",
                       "04/13/1950", "04/00/1950", "31 Apr 1950", "04/03/1750");
  INFO(text);
  CHECK(parsed(text).empty());
}

TEST_CASE("A 29 February parses in a leap year only", "[extract]") {
  CHECK(parsed("29/02/1952") == "1952-02-29");
  CHECK(parsed("29/02/2000") == "2000-02-29");
  CHECK(parsed("29/02/1953").empty());
}

TEST_CASE("Text that is not exactly one date does not parse", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "", "4 March", "March 4 1950", "4 Foo 1950", "04/03-1950", "04 03 1950",
                       "04/03/195", "04/03/19500", "004/03/1950", "4March1950", "on 04/03/1950", "04/03/1950 today",
                       "4 Mar 1950 Mar", "04.03.1950.12");
  INFO(text);
  CHECK(parsed(text).empty());
}

TEST_CASE("Two-digit years resolve to the latest year not after the pivot", "[extract]") {
  CHECK(parsed("4.3.50", 2024) == "1950-03-04");
  CHECK(parsed("4.3.24", 2024) == "2024-03-04");
  CHECK(parsed("4.3.25", 2024) == "1925-03-04");
  CHECK(parsed("4.3.00", 2024) == "2000-03-04");
  CHECK(parsed("4.3.99", 2024) == "1999-03-04");
}

TEST_CASE("Two-digit years resolve to the latest whole date not after a given day", "[extract]") {
  CHECK(parse_date_not_after("04/06/24", {2024, 3, 1})->iso() == "1924-06-04");
  CHECK(parse_date_not_after("04/02/24", {2024, 3, 1})->iso() == "2024-02-04");
  CHECK(parse_date_not_after("01/03/24", {2024, 3, 1})->iso() == "2024-03-01");
  // Four-digit years are as written, even when later.
  CHECK(parse_date_not_after("04/06/2024", {2024, 3, 1})->iso() == "2024-06-04");
  // 2000-02-29 is after the day, and 1900 had no 29 February.
  CHECK_FALSE(parse_date_not_after("29/02/00", {2000, 1, 1}));
}

TEST_CASE("ISO dates parse only as YYYY-MM-DD", "[extract]") {
  CHECK(parse_iso_date("1950-03-04") == Date{1950, 3, 4});
  CHECK_FALSE(parse_iso_date("1950-3-4"));
  CHECK_FALSE(parse_iso_date("1950-02-30"));
  CHECK_FALSE(parse_iso_date("19500304"));
  CHECK_FALSE(parse_iso_date("1950/03/04"));
  CHECK_FALSE(parse_iso_date(""));
}

TEST_CASE("ISO form pads month and day", "[extract]") { CHECK(Date{1950, 3, 4}.iso() == "1950-03-04"); }

TEST_CASE("A year earlier than 29 February is 28 February", "[extract]") {
  CHECK(years_before({2024, 2, 29}, 1) == Date{2023, 2, 28});
  CHECK(years_before({2024, 2, 29}, 4) == Date{2020, 2, 29});
}

TEST_CASE("Dates of birth are read after each label in each format", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "DOB: 04/03/1950", "D.O.B. 4.3.50", "Date of Birth: 4th March 1950",
                       "Born 04-Mar-1950", "Date of birth 4 Mar 50", "D0B: 1950-03-04", "DOB:04-03-1950",
                       "Date of birth:\n04/03/1950", "Date of birth: 4 Mar50 \u00a9 Title: Mr");
  INFO(text);
  CHECK(value_of(extract(text), FieldKind::DateOfBirth) == "1950-03-04");
}

TEST_CASE("A date of birth's box is the union of its words", "[extract]") {
  RecognisedPage page = page_from_text("Date of Birth: 4th March 1950");
  DocumentFields fields = extract({page});
  const ExtractedField* dob = fields.find(FieldKind::DateOfBirth);
  REQUIRE(dob != nullptr);
  CHECK(dob->box == word(page, "4th").box.united(word(page, "1950").box));
  CHECK(dob->source_text == "4th March 1950");
}

TEST_CASE("A two-digit birth year is not after the document date", "[extract]") {
  CHECK(value_of(extract("Date: 01/03/2024\nDOB: 04/06/24"), FieldKind::DateOfBirth) == "1924-06-04");
  CHECK(value_of(extract("Date: 01/03/2024\nDOB: 04/02/24"), FieldKind::DateOfBirth) == "2024-02-04");
}

TEST_CASE("Without a document date a two-digit birth year is not after today", "[extract]") {
  CHECK(value_of(extract("DOB: 04/06/24"), FieldKind::DateOfBirth) == "1924-06-04");
  CHECK(value_of(extract("DOB: 04/05/24"), FieldKind::DateOfBirth) == "2024-05-04");
}

TEST_CASE("A date of birth after the document date or over 120 years before it is refused", "[extract]") {
  CHECK(extract("Date: 01/03/2024\nDOB: 04/06/2024").find(FieldKind::DateOfBirth) == nullptr);
  CHECK(extract("Date: 01/03/2024\nDOB: 04/03/1900").find(FieldKind::DateOfBirth) == nullptr);
  CHECK(value_of(extract("Date: 01/03/2024\nDOB: 02/03/1904"), FieldKind::DateOfBirth) == "1904-03-02");
}

TEST_CASE("Clinic and admission dates are never taken for the date of birth", "[extract]") {
  DocumentFields fields = extract("Clinic date: 01/05/2024\nDate of admission: 02/05/2024\nDOB: 04/03/1950");
  CHECK(value_of(fields, FieldKind::DateOfBirth) == "1950-03-04");
  CHECK(fields.find(FieldKind::DocumentDate) == nullptr);
}

TEST_CASE("Two different dates of birth leave the field out for review", "[extract]") {
  DocumentFields fields = extract("DOB: 04/03/1950\nDate of birth: 05/03/1950");
  CHECK(fields.find(FieldKind::DateOfBirth) == nullptr);
  CHECK(has_reason(fields, "conflicting dates of birth"));
}

TEST_CASE("A date of birth label without a readable date gives no date of birth", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "DOB: unknown", "DOB: 31/02/1950", "DOB:", "Born in Leeds in 1950");
  INFO(text);
  CHECK(extract(text).find(FieldKind::DateOfBirth) == nullptr);
}

TEST_CASE("Document dates are read after each label", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Date: 12/03/2024", "Letter date: 12 March 2024", "Date of letter 12.3.24",
                       "Reported: 2024-03-12", "Date reported 12/03/2024", "Date of discharge: 12/03/2024",
                       "Discharge date 12-Mar-2024", "Dated 12th March 2024");
  INFO(text);
  DocumentFields fields = extract(text);
  const ExtractedField* date = fields.find(FieldKind::DocumentDate);
  REQUIRE(date != nullptr);
  CHECK(date->value == "2024-03-12");
  CHECK(date->confidence == Approx(kConfidence / 100));
}

TEST_CASE("A date alone on a line near the top of a letter is its date, with lowered confidence", "[extract]") {
  DocumentFields fields = extract("Leeds Teaching Hospitals NHS Trust\n\n12 March 2024\n\nDear Dr Jones");
  const ExtractedField* date = fields.find(FieldKind::DocumentDate);
  REQUIRE(date != nullptr);
  CHECK(date->value == "2024-03-12");
  CHECK(date->confidence < kConfidence / 100);
}

TEST_CASE("A date alone on a line low on the page is not taken for the letter's date", "[extract]") {
  RecognisedPage page = PageBuilder().text(100, 100, "Dear Dr Jones").text(100, 1200, "12 March 2024").page();
  CHECK(extract({page}).find(FieldKind::DocumentDate) == nullptr);
}

TEST_CASE("A date set below its label is not taken for the letter's date", "[extract]") {
  DocumentFields fields = extract("Date of Birth:\n04/03/1950");
  CHECK(value_of(fields, FieldKind::DateOfBirth) == "1950-03-04");
  CHECK(fields.find(FieldKind::DocumentDate) == nullptr);
  CHECK(extract("Clinic date:\n05/03/2024").find(FieldKind::DocumentDate) == nullptr);
}

TEST_CASE("A lone date equal to the date of birth is not taken for the letter's date", "[extract]") {
  DocumentFields fields = extract("Mr John SMITH   DOB: 04/03/1950\n\n04/03/1950");
  CHECK(value_of(fields, FieldKind::DateOfBirth) == "1950-03-04");
  CHECK(fields.find(FieldKind::DocumentDate) == nullptr);
}

TEST_CASE("The document date is never the date of birth, clinic or follow-up date", "[extract]") {
  DocumentFields fields = extract(
      "Date: 12/03/2024\nDOB: 04/03/1950\nClinic date: 05/03/2024\nFollow up: 12/06/2024\nDate of admission: "
      "01/03/2024");
  CHECK(value_of(fields, FieldKind::DocumentDate) == "2024-03-12");
  CHECK(value_of(fields, FieldKind::DateOfBirth) == "1950-03-04");
}

TEST_CASE("A date after a qualifying word is not the document date", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Clinic date: 05/03/2024", "Appointment date 05/03/2024",
                       "Date of admission: 05/03/2024", "Review date: 05/03/2024", "Date seen: 05/03/2024");
  INFO(text);
  CHECK(extract(text).find(FieldKind::DocumentDate) == nullptr);
}

TEST_CASE("A plain Date label counts only where a field can start", "[extract]") {
  CHECK(extract("Expected date 05/03/2024").find(FieldKind::DocumentDate) == nullptr);
  CHECK(value_of(extract("Hospital No: K1234567 Date: 12/03/2024"), FieldKind::DocumentDate) == "2024-03-12");
  CHECK(value_of(extract("Dr A Jones   Date: 12/03/2024"), FieldKind::DocumentDate) == "2024-03-12");
}

TEST_CASE("A label naming the document's date exactly wins over a plain Date", "[extract]") {
  CHECK(value_of(extract("Date: 10/03/2024\nDate reported: 12/03/2024"), FieldKind::DocumentDate) == "2024-03-12");
  CHECK(value_of(extract("Date of discharge: 05/03/2024\nDate: 10/03/2024"), FieldKind::DocumentDate) ==
        "2024-03-05");
}

TEST_CASE("Two different document dates under equal labels leave the field out for review", "[extract]") {
  DocumentFields fields = extract("Date: 10/03/2024\nDate: 12/03/2024");
  CHECK(fields.find(FieldKind::DocumentDate) == nullptr);
  CHECK(has_reason(fields, "conflicting document dates"));
}

TEST_CASE("A document date after today is a misreading and is refused", "[extract]") {
  CHECK(extract("Date: 12/03/2030").find(FieldKind::DocumentDate) == nullptr);
}

TEST_CASE("Dates on one form line are told apart by their labels", "[extract]") {
  DocumentFields fields = extract("Name: John SMITH   DOB: 04/03/1950   Date: 12/03/2024");
  CHECK(value_of(fields, FieldKind::DateOfBirth) == "1950-03-04");
  CHECK(value_of(fields, FieldKind::DocumentDate) == "2024-03-12");
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John");
}

TEST_CASE("Month-first dates parse only with the comma and a four-digit year", "[extract]") {
  CHECK(parsed("March 22, 1905") == "1905-03-22");
  CHECK(parsed("Mar. 25, 1905.") == "1905-03-25");
  CHECK(parsed("Mar.22,1905.") == "1905-03-22");
  CHECK(parsed("June 1st, 2021") == "2021-06-01");
  CHECK(parsed("March 22 1905").empty());
  CHECK(parsed("Mar 4, 50").empty());
  CHECK(parsed("March 32, 1905").empty());
}

TEST_CASE("Two-digit years are told apart from four-digit ones", "[extract]") {
  CHECK(has_two_digit_year("4.3.50"));
  CHECK(has_two_digit_year("4 Mar 50"));
  CHECK_FALSE(has_two_digit_year("04/03/1950"));
  CHECK_FALSE(has_two_digit_year("not a date"));
}

TEST_CASE("Each kind of date is read after its labels, as ISO with its source text", "[extract]") {
  struct Case {
    std::string text;
    FieldKind kind;
  };
  auto c = GENERATE(Case{"Clinic date: 05/03/2024", FieldKind::ClinicDate},
                    Case{"Date seen: 5th March 2024", FieldKind::ClinicDate},
                    Case{"Appointment date 05-Mar-2024", FieldKind::ClinicDate},
                    Case{"Date of admission: 05/03/2024", FieldKind::AdmissionDate},
                    Case{"Admitted: 5.3.24", FieldKind::AdmissionDate},
                    Case{"Admitted on 05/03/2024", FieldKind::AdmissionDate},
                    Case{"Discharged on 05/03/2024", FieldKind::DischargeDate},
                    Case{"Date of discharge: 05/03/2024", FieldKind::DischargeDate},
                    Case{"Discharge date 5 Mar 2024", FieldKind::DischargeDate},
                    Case{"Date of death: 05/03/2024", FieldKind::DeathDate},
                    Case{"Reported: 05/03/2024", FieldKind::ReportDate},
                    Case{"Report date: 05/03/2024", FieldKind::ReportDate},
                    Case{"Date referred: 05/03/2024", FieldKind::ReferralDate},
                    Case{"Referral date: 5th March 2024", FieldKind::ReferralDate});
  INFO(c.text);
  DocumentFields fields = extract(c.text);
  const ExtractedField* date = fields.find(c.kind);
  REQUIRE(date != nullptr);
  CHECK(date->value == "2024-03-05");
  CHECK(c.text.ends_with(date->source_text));
  CHECK(fields.find(FieldKind::DateOfBirth) == nullptr);
}

TEST_CASE("Dates of other kinds never become another kind", "[extract]") {
  DocumentFields fields = extract(
      "Date of admission: 01/03/2024\nDate of discharge: 05/03/2024\nClinic date: 10/04/2024\nDate typed: 11/04/2024\n"
      "Follow up: 12/06/2024\nCollected: 04/03/2024\nDate referred: 20/02/2024");
  CHECK(value_of(fields, FieldKind::AdmissionDate) == "2024-03-01");
  CHECK(value_of(fields, FieldKind::DischargeDate) == "2024-03-05");
  CHECK(value_of(fields, FieldKind::ClinicDate) == "2024-04-10");
  CHECK(value_of(fields, FieldKind::ReferralDate) == "2024-02-20");
  CHECK(fields.find(FieldKind::ReportDate) == nullptr);
  CHECK(fields.find(FieldKind::DeathDate) == nullptr);
  CHECK(fields.find(FieldKind::DateOfBirth) == nullptr);
}

TEST_CASE("The narrative's admission date stands in for a labelled one OCR made impossible", "[extract]") {
  DocumentFields fields = extract("Admitted: 01/03/2624\nAdmitted on 01/03/2024 with a three-day history of cough.");
  CHECK(value_of(fields, FieldKind::AdmissionDate) == "2024-03-01");
}

TEST_CASE("An appointment date may be after the letter, other dates may not", "[extract]") {
  CHECK(value_of(extract("Appointment date: 05/03/2025"), FieldKind::ClinicDate) == "2025-03-05");
  CHECK(extract("Appointment date: 05/03/2027").find(FieldKind::ClinicDate) == nullptr);
  CHECK(extract("Date of admission: 05/03/2025").find(FieldKind::AdmissionDate) == nullptr);
  CHECK(value_of(extract("Clinic date: 5.3.25"), FieldKind::ClinicDate) == "2025-03-05");
}

TEST_CASE("Two different dates of one kind leave that kind out, without holding up filing", "[extract]") {
  DocumentFields fields = extract("Clinic date: 05/03/2024\nClinic date: 06/03/2024");
  CHECK(fields.find(FieldKind::ClinicDate) == nullptr);
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A report or discharge date is the document date unless the letter's own date is given", "[extract]") {
  CHECK(value_of(extract("Reported: 05/03/2024"), FieldKind::DocumentDate) == "2024-03-05");
  CHECK(value_of(extract("Date of discharge: 05/03/2024"), FieldKind::DocumentDate) == "2024-03-05");
  CHECK(value_of(extract("Letter date: 07/03/2024\nReported: 05/03/2024"), FieldKind::DocumentDate) == "2024-03-07");
  CHECK(value_of(extract("Date: 07/03/2024\nReported: 05/03/2024"), FieldKind::DocumentDate) == "2024-03-05");
  CHECK(extract("Date referred: 05/03/2024").find(FieldKind::DocumentDate) == nullptr);
}

TEST_CASE("The date of birth is never a result, referral, death or letter date", "[extract]") {
  DocumentFields fields = extract(
      "Letter date: 07/03/2024\nReported: 05/03/2024\nDate referred: 01/02/2024\nDate of death: 04/03/2024\n"
      "Result of 12/01/2024 noted.");
  CHECK(fields.find(FieldKind::DateOfBirth) == nullptr);
}

TEST_CASE("Two different dates of birth are named in the review reason", "[extract]") {
  std::vector pages{page_from_text("DOB: 04/03/1950", 1), page_from_text("DOB: 05/03/1950", 2)};
  DocumentFields fields = extract(pages);
  CHECK(fields.find(FieldKind::DateOfBirth) == nullptr);
  REQUIRE(fields.review_reasons.size() == 1);
  CHECK(fields.review_reasons[0] == "conflicting dates of birth: 1950-03-04 (page 1), 1950-03-05 (page 2)");
}

TEST_CASE("A two-digit birth year lowers confidence, more so when either century makes a possible age", "[extract]") {
  double four_digits = extract("DOB: 04/03/1950").find(FieldKind::DateOfBirth)->confidence;
  DocumentFields century_inferred = extract("DOB: 4.3.50");
  const ExtractedField* unambiguous = century_inferred.find(FieldKind::DateOfBirth);
  REQUIRE(unambiguous != nullptr);
  CHECK(unambiguous->value == "1950-03-04");
  CHECK(unambiguous->confidence < four_digits);
  // 2015 or 1915: a 9-year-old or a 109-year-old. The younger is taken, less confidently.
  DocumentFields century_ambiguous = extract("DOB: 4.3.15");
  const ExtractedField* ambiguous = century_ambiguous.find(FieldKind::DateOfBirth);
  REQUIRE(ambiguous != nullptr);
  CHECK(ambiguous->value == "2015-03-04");
  CHECK(ambiguous->confidence < unambiguous->confidence);
}

TEST_CASE("A month-first letter date at the top of the page is the document date", "[extract]") {
  CHECK(value_of(extract("Stanford University\n\nMar. 25, 1905.\n\nMy dear Sir:"), FieldKind::DocumentDate) ==
        "1905-03-25");
}
