#include <catch2/catch.hpp>

#include <sstream>

#include "pipeline/patient_csv.h"

using namespace casenote;

namespace {
const std::string kHeader = "nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode\n";

PatientCsv parse(const std::string& text) {
  std::istringstream in(text);
  return parse_patient_csv(in);
}
}  // namespace

TEST_CASE("patient CSV rows load with quoting and CRLF", "[csv]") {
  auto csv = parse(kHeader +
                   "9434765919,K1234567,SMITH,John Paul,1950-03-04,M,LS1 4AP\r\n"
                   "943 476 5870,,\"O'BRIEN\",\"Mary, Ann\",1962-11-12,F,\"M1 1AE\"\n"
                   ",RX99887,\"DOE \"\"JR\"\"\",Jane,2001-01-31,F,\n");
  REQUIRE(csv.errors.empty());
  REQUIRE(csv.rows.size() == 3);
  CHECK(csv.rows[0].nhs_number == "9434765919");
  CHECK(csv.rows[0].given_names == "John Paul");
  CHECK(csv.rows[0].postcode == "LS1 4AP");
  CHECK(csv.rows[1].nhs_number == "9434765870");
  CHECK(csv.rows[1].given_names == "Mary, Ann");
  CHECK(csv.rows[2].nhs_number.empty());
  CHECK(csv.rows[2].family_name == "DOE \"JR\"");
  CHECK(csv.rows[2].hospital_number == "RX99887");
  CHECK(csv.row_lines == std::vector<int>{2, 3, 4});
}

TEST_CASE("bad patient CSV rows are reported by line number and the rest load", "[csv]") {
  auto csv = parse(kHeader +
                   "9434765918,K1,SMITH,John,1950-03-04,M,LS1 4AP\n"   // line 2: bad check digit
                   "9434765919,K2,SMITH,John,04/03/1950,M,LS1 4AP\n"   // line 3: not ISO
                   "9434765919,K3,,John,1950-03-04,M,LS1 4AP\n"        // line 4: no family name
                   ",,NOBODY,Jim,1950-03-04,M,LS1 4AP\n"               // line 5: no identifier
                   "9434765919,K5,SMITH,John\n"                         // line 6: too few fields
                   "9434765919,K6,SMITH,John,1950-02-30,M,LS1 4AP\n"   // line 7: impossible date
                   "\n"
                   "9434765870,K7,JONES,Ann,1970-01-01,F,M1 1AE\n");   // line 9: good
  REQUIRE(csv.rows.size() == 1);
  CHECK(csv.rows[0].family_name == "JONES");
  CHECK(csv.row_lines == std::vector<int>{9});
  REQUIRE(csv.errors.size() == 6);
  CHECK(csv.errors[0].rfind("line 2: NHS number", 0) == 0);
  CHECK(csv.errors[1].rfind("line 3: date_of_birth", 0) == 0);
  CHECK(csv.errors[2].rfind("line 4: family_name", 0) == 0);
  CHECK(csv.errors[3].rfind("line 5: neither", 0) == 0);
  CHECK(csv.errors[4].rfind("line 6: expected 7 fields", 0) == 0);
  CHECK(csv.errors[5].rfind("line 7: date_of_birth", 0) == 0);
}

TEST_CASE("a quoted field spanning lines keeps later line numbers right", "[csv]") {
  auto csv = parse(kHeader +
                   "9434765919,K1,SMITH,\"John\nPaul\",1950-03-04,M,LS1 4AP\n"
                   "9434765918,K2,SMITH,John,1950-03-04,M,LS1 4AP\n");
  REQUIRE(csv.rows.size() == 1);
  REQUIRE(csv.errors.size() == 1);
  CHECK(csv.errors[0].rfind("line 4:", 0) == 0);
}

TEST_CASE("a wrong or missing header rejects the file", "[csv]") {
  CHECK(parse("").errors.size() == 1);
  auto csv = parse("nhs,name\n9434765919,SMITH\n");
  CHECK(csv.rows.empty());
  REQUIRE(csv.errors.size() == 1);
  CHECK(csv.errors[0].rfind("line 1: header", 0) == 0);
}

TEST_CASE("an unterminated quote and an overlong line are errors, not hangs", "[csv]") {
  auto csv = parse(kHeader + "9434765919,K1,\"SMITH,John,1950-03-04,M,LS1 4AP\n");
  CHECK(csv.rows.empty());
  REQUIRE(csv.errors.size() == 1);
  CHECK(csv.errors[0].find("unterminated") != std::string::npos);

  auto long_line = parse(kHeader + std::string(100000, 'x') + "\n9434765870,K7,JONES,Ann,1970-01-01,F,M1 1AE\n");
  REQUIRE(long_line.errors.size() == 1);
  CHECK(long_line.errors[0].find("longer than") != std::string::npos);
  REQUIRE(long_line.rows.size() == 1);
  CHECK(long_line.rows[0].family_name == "JONES");
}
