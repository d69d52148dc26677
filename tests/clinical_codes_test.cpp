#include <catch2/catch.hpp>

#include "extract/clinical_codes.h"
#include "extract_page_fixture.h"
#include "pipeline/code_lists.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::fixture::PageBuilder;

namespace {

std::vector<ClinicalCode> codes_in(std::string_view text, const CodeLists& lists = {}) {
  return find_clinical_codes({PageBuilder().text(100, 100, text).page()}, lists);
}

}  // namespace

TEST_CASE("Verhoeff check digits and SNOMED CT concept ids", "[codes]") {
  CHECK(verhoeff_valid("22298006"));
  CHECK_FALSE(verhoeff_valid("22298007"));
  CHECK(is_snomed_concept_id("22298006"));    // myocardial infarction
  CHECK(is_snomed_concept_id("195967001"));   // asthma
  CHECK(is_snomed_concept_id("233604007"));   // pneumonia
  CHECK_FALSE(is_snomed_concept_id("22298007"));  // check digit wrong
  CHECK_FALSE(is_snomed_concept_id("02298006"));  // leading zero
  CHECK_FALSE(is_snomed_concept_id("12346"));     // too short
  CHECK_FALSE(is_snomed_concept_id("1234567890123456789"));  // too long
  // A valid check digit on partition 01 (a description id) is no concept.
  std::string description_id;
  for (char check = '0'; check <= '9'; ++check)
    if (verhoeff_valid(std::string("4123456701") + check)) description_id = std::string("4123456701") + check;
  REQUIRE_FALSE(description_id.empty());
  CHECK_FALSE(is_snomed_concept_id(description_id));
}

TEST_CASE("ICD-10 codes under a diagnoses heading, with their phrases", "[codes]") {
  auto codes = codes_in(
      "Diagnoses:\n"
      "1. Community acquired pneumonia (J18.9)\n"
      "2. Type 2 diabetes mellitus E11.9\n"
      "I10 Essential hypertension");
  REQUIRE(codes.size() == 3);
  CHECK(codes[0].system == CodeSystem::Icd10);
  CHECK(codes[0].code == "J18.9");
  CHECK(codes[0].phrase == "Community acquired pneumonia");
  CHECK(codes[1].code == "E11.9");
  CHECK(codes[1].phrase == "Type 2 diabetes mellitus");
  CHECK(codes[2].code == "I10");
  CHECK(codes[2].phrase == "Essential hypertension");
  CHECK(codes[0].page == 1);
  CHECK(codes[0].box.x > 100);
  CHECK(codes[0].confidence == Approx(0.9));
}

TEST_CASE("OPCS-4 and ICD-10 codes of the same shape are told apart by their headings", "[codes]") {
  auto codes = codes_in(
      "Diagnosis: Inguinal hernia K40.9\n"
      "Procedures\n"
      "K40.1 Primary repair of inguinal hernia using prosthetic material\n"
      "Follow up\n"
      "Seen again in clinic, reference K40.2 in the letter");
  REQUIRE(codes.size() == 2);
  CHECK(codes[0].system == CodeSystem::Icd10);
  CHECK(codes[0].code == "K40.9");
  CHECK(codes[1].system == CodeSystem::Opcs4);
  CHECK(codes[1].code == "K40.1");
  CHECK(codes[1].phrase == "Primary repair of inguinal hernia using prosthetic material");
}

TEST_CASE("A code's own line decides its system over the section", "[codes]") {
  auto codes = codes_in(
      "Diagnoses\n"
      "Acute appendicitis K35.8\n"
      "OPCS-4: H01.1 Emergency excision of abnormal appendix");
  REQUIRE(codes.size() == 2);
  CHECK(codes[0].system == CodeSystem::Icd10);
  CHECK(codes[1].system == CodeSystem::Opcs4);
  CHECK(codes[1].code == "H01.1");
  CHECK(codes[1].phrase == "Emergency excision of abnormal appendix");
}

TEST_CASE("Codes nobody says are codes, or that sit inside other text, are not reported", "[codes]") {
  // No heading or word says which system: a procedure filed as a diagnosis would be wrong.
  CHECK(codes_in("Seen today. J18.9 noted.").empty());
  auto codes = codes_in(
      "Diagnoses:\n"
      "Lives at 4 Mill Lane, Leeds M12 5AB and LS1 1AA\n"
      "Ref K40.1 Bed B12 Tel 01632 960123\n"
      "Reference REF-J18.9X and J18.9/2 and J18.95.1\n"
      "OPCS: I21.4 is no procedure\n"
      "Diagnosis: U07.1 provisional");
  CHECK(codes.empty());
}

TEST_CASE("SNOMED CT ids are read where codes are written, with valid check digits only", "[codes]") {
  auto codes = codes_in(
      "SNOMED CT: 22298006 Myocardial infarction\n"
      "SNOMED CT: 22298007 Misread infarction\n"
      "Problems\n"
      "Asthma (195967001)\n"
      "Tel 233604007");
  REQUIRE(codes.size() == 2);
  CHECK(codes[0].system == CodeSystem::SnomedCt);
  CHECK(codes[0].code == "22298006");
  CHECK(codes[0].phrase == "Myocardial infarction");
  CHECK(codes[1].code == "195967001");
  CHECK(codes[1].phrase == "Asthma");
  // Without such words a number that happens to pass the check is no code.
  CHECK(codes_in("Please call 233604007 to rearrange").empty());
}

TEST_CASE("A code list checks that a code exists and gives its description", "[codes]") {
  auto list = parse_code_list(
      "code,description\n"
      "J18.9,\"Pneumonia, unspecified\"\n"
      "E119,Type 2 diabetes mellitus without complications\r\n");
  REQUIRE(list.ok());
  CodeLists lists{{CodeSystem::Icd10, *list}};
  auto codes = codes_in("Diagnoses:\nPneumonia J18.9\nDiabetes E11.9\nMade up J99.9", lists);
  REQUIRE(codes.size() == 2);
  CHECK(codes[0].description == "Pneumonia, unspecified");
  CHECK(codes[1].description == "Type 2 diabetes mellitus without complications");
  // Systems without a list are checked for format only.
  auto opcs = codes_in("Procedure: K40.1 Hernia repair", lists);
  REQUIRE(opcs.size() == 1);
  CHECK(opcs[0].description.empty());
}

TEST_CASE("A code list line without a description is an error naming the line", "[codes]") {
  auto list = parse_code_list("J18.9,Pneumonia\nE11.9\n");
  REQUIRE_FALSE(list.ok());
  CHECK(list.error().message == "line 2: expected code,description");
}

TEST_CASE("Code system names round-trip", "[codes]") {
  for (CodeSystem system : {CodeSystem::Icd10, CodeSystem::Opcs4, CodeSystem::SnomedCt})
    CHECK(code_system_named(code_system_name(system)) == system);
  CHECK_FALSE(code_system_named("read_v2"));
}

TEST_CASE("Code list files are read per system, and bad ones named", "[codes]") {
  casenote::testing::TempDir dir;
  std::string icd10 = dir.write("icd10.csv", "code,description\nJ18.9,Pneumonia, unspecified\n");
  std::string broken = dir.write("broken.csv", "K40.1\n");
  auto lists = load_code_lists({"icd10=" + icd10});
  REQUIRE(lists.ok());
  REQUIRE(lists->count(CodeSystem::Icd10));
  CHECK(lists->at(CodeSystem::Icd10).describe("J18.9") == "Pneumonia, unspecified");

  CHECK(load_code_lists({"icd9=" + icd10}).error().message ==
        "code list 'icd9=" + icd10 + "': expected SYSTEM=FILE with SYSTEM one of icd10, opcs4, snomed_ct");
  CHECK(load_code_lists({"opcs4"}).error().message ==
        "code list 'opcs4': expected SYSTEM=FILE with SYSTEM one of icd10, opcs4, snomed_ct");
  CHECK(load_code_lists({"icd10=" + icd10, "icd10=" + icd10}).error().message ==
        "code list 'icd10=" + icd10 + "': a second list for icd10");
  CHECK(load_code_lists({"opcs4=" + broken}).error().message == broken + ": line 1: expected code,description");
  CHECK(load_code_lists({"opcs4=" + dir.file("absent.csv")}).error().message ==
        dir.file("absent.csv") + ": cannot be read");
}
