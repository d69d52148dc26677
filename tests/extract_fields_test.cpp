#include <catch2/catch.hpp>

#include "extract/person_name.h"
#include "extract/postcode.h"
#include "extract_page_fixture.h"

using namespace casenote;
using namespace casenote::fixture;

namespace {

std::string name_in(std::string_view text) { return value_of(extract(text), FieldKind::PatientName); }
std::string postcode_in(const RecognisedPage& page) { return value_of(extract({page}), FieldKind::Postcode); }
std::string postcode_in(std::string_view text) { return value_of(extract(text), FieldKind::Postcode); }

// Page 2 of a letter, under a running header: the patient's name, then their identifiers.
RecognisedPage header_page(std::string_view header) {
  return page_from_text(std::string(header) + "\nWe will review in the clinic in three months.", 2);
}

}  // namespace

// --- Names ---

TEST_CASE("Patient names are read in each written form", "[extract]") {
  CHECK(name_in("Patient: Mr John Paul SMITH") == "SMITH, John Paul");
  CHECK(name_in("Patient name: SMITH, John Paul") == "SMITH, John Paul");
  CHECK(name_in("Name: John SMITH") == "SMITH, John");
  CHECK(name_in("Re: Mrs Jane Doe-Smith") == "DOE-SMITH, Jane");
  CHECK(name_in("Patient: Mr Sean O'Brien") == "O'BRIEN, Sean");
  CHECK(name_in("Name: SMITH John") == "SMITH, John");
  CHECK(name_in("Patient Name: Smith, John") == "SMITH, John");
  CHECK(name_in("Patient: Miss Anna de la CRUZ") == "DE LA CRUZ, Anna");
  CHECK(name_in("Patient: Mr J P SMITH") == "SMITH, J P");
  CHECK(name_in("Patient's name: Jane Doe") == "DOE, Jane");
  // Family names that are also labels of other values.
  CHECK(name_in("Patient: Mr John WARD") == "WARD, John");
  CHECK(name_in("Name: Jane Age") == "AGE, Jane");
}

TEST_CASE("Titles are dropped from names", "[extract]") {
  auto title = GENERATE(as<std::string>{}, "Mr", "Mrs", "Ms", "Miss", "Dr", "Master", "Prof", "Mr.");
  INFO(title);
  CHECK(name_in("Patient: " + title + " Alex JONES") == "JONES, Alex");
}

TEST_CASE("A name stops at the end of its line, a form column or the next label", "[extract]") {
  CHECK(name_in("Name: John SMITH   DOB: 04/03/1950") == "SMITH, John");
  CHECK(name_in("Name: John SMITH   Ward 12") == "SMITH, John");
  CHECK(name_in("Name: John SMITH DOB 04/03/1950") == "SMITH, John");
  CHECK(name_in("Name: John SMITH\nDOB: 04/03/1950") == "SMITH, John");
}

TEST_CASE("A letter's Re line yields the name and the details after it", "[extract]") {
  DocumentFields fields = extract("Re: Mr John SMITH, DOB 04/03/1950, NHS No 943 476 5919");
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John");
  CHECK(value_of(fields, FieldKind::DateOfBirth) == "1950-03-04");
  CHECK(value_of(fields, FieldKind::NhsNumber) == "9434765919");
}

TEST_CASE("A name below its label is read", "[extract]") {
  CHECK(name_in("Patient name:\nMr John SMITH") == "SMITH, John");
}

TEST_CASE("Text after a name-like label that is not a name gives no name", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Re: Hip replacement review", "Re: Follow Up Appointment",
                       "Re: MRI SCAN RESULTS", "Patient was seen in clinic today", "Patient Information Leaflet",
                       "GP Name: Dr Alan JONES", "Name: SMITH", "Name: Mr", "Patient: 12 High Street",
                       "Name: Alpha Beta Gamma Delta Epsilon Zeta Eta");
  INFO(text);
  CHECK(extract(text).find(FieldKind::PatientName) == nullptr);
}

TEST_CASE("The same patient named more and less fully yields the fullest name", "[extract]") {
  DocumentFields fields = extract("Re: Mr J SMITH\nPatient name: John Paul SMITH");
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John Paul");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("Two different patient names leave the field out for review, naming both", "[extract]") {
  DocumentFields fields = extract("Patient: John SMITH\nRe: Mr Peter JONES");
  CHECK(fields.find(FieldKind::PatientName) == nullptr);
  CHECK(has_reason(fields, "conflicting patient names: SMITH, John (page 1), JONES, Peter (page 1)"));
}

TEST_CASE("A title in brackets after the name counts as its title", "[extract]") {
  CHECK(name_in("Re: John Paul Smith (Mr), DOB 04/03/1950") == "SMITH, John Paul");
  CHECK(name_in("Patient: Jane Doe-Smith (Mrs)") == "DOE-SMITH, Jane");
  std::vector<std::string_view> words{"John", "Smith", "(Mr)", "12"};
  auto name = read_person_name(words);
  REQUIRE(name);
  CHECK(name->titled);
  CHECK(name->words_used == 3);
}

TEST_CASE("Typographic apostrophes and hyphens in names are read as ASCII", "[extract]") {
  CHECK(name_in("Patient: Mr Sean O\u2019BRIEN") == "O'BRIEN, Sean");
  CHECK(name_in("Patient: Mrs Jane Doe\u2013Smith") == "DOE-SMITH, Jane");
}

TEST_CASE("A form's Surname and Forename(s) fields make one name", "[extract]") {
  CHECK(name_in("Surname: THOMAS   Forename(s): Mary Anne") == "THOMAS, Mary Anne");
  CHECK(name_in("Surname: O'Connor\nForenames: Sean") == "O'CONNOR, Sean");
  CHECK(name_in("Family name: DE LA CRUZ   First name: Anna   DOB: 04/03/1950") == "DE LA CRUZ, Anna");
  CHECK(name_in("Surname: THOMAS") == "");
}

TEST_CASE("A split name agrees with the same name written whole", "[extract]") {
  DocumentFields fields = extract("Surname: THOMAS   Forename(s): Mary Anne\nRe: Ms Mary THOMAS");
  CHECK(value_of(fields, FieldKind::PatientName) == "THOMAS, Mary Anne");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A Name label under a next of kin, GP or consultant heading is not the patient's", "[extract]") {
  auto heading = GENERATE(as<std::string>{}, "Next of kin", "NOK:", "GP details", "Consultant", "Emergency contact");
  INFO(heading);
  DocumentFields fields =
      extract("Patient: Mr John SMITH\nDOB: 04/03/1950\n\n" + heading + "\nName: Mrs Brenda JONES\nTelephone: 07700 900123");
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A Name label after another party's label on its line is not the patient's", "[extract]") {
  DocumentFields fields = extract("Patient: Mr John SMITH\nNext of kin: Name: Mrs Brenda JONES (partner)");
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John");
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A Name label below the patient's own details is still the patient's", "[extract]") {
  CHECK(name_in("NHS No: 999 000 0018\nName: Mr John SMITH") == "SMITH, John");
}

TEST_CASE("Consultants, signatories and cc lists are never the patient", "[extract]") {
  DocumentFields fields = extract(
      "Consultant: Dr Katherine JARVIS\nPatient: Mr John SMITH\nYours sincerely,\nDr Katherine Jarvis\n"
      "Consultant Cardiologist\ncc: Mrs Brenda SMITH (daughter)\nSigned: Dr A HUGHES");
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John");
  CHECK(fields.review_reasons.empty());
  CHECK(extract("Yours sincerely,\nDr Katherine Jarvis\nConsultant Cardiologist").find(FieldKind::PatientName) ==
        nullptr);
}

TEST_CASE("A name's box covers its words and not its label", "[extract]") {
  RecognisedPage page = page_from_text("Patient: Mr John SMITH");
  DocumentFields fields = extract({page});
  const ExtractedField* name = fields.find(FieldKind::PatientName);
  REQUIRE(name != nullptr);
  CHECK(name->box == word(page, "Mr").box.united(word(page, "SMITH").box));
  CHECK(name->source_text == "Mr John SMITH");
}

TEST_CASE("Person names report how many words they used", "[extract]") {
  std::vector<std::string_view> words{"Mr", "John", "SMITH,", "12", "High", "Street"};
  auto name = read_person_name(words);
  REQUIRE(name);
  CHECK(name->formatted() == "SMITH, John");
  CHECK(name->words_used == 3);
  CHECK(name->titled);
  CHECK(name->family_marked);
}

TEST_CASE("A comma with no given name after it is not a name", "[extract]") {
  std::vector<std::string_view> words{"SMITH,", "12"};
  CHECK_FALSE(read_person_name(words));
}

TEST_CASE("Names agree when initials match the names they begin", "[extract]") {
  PersonName john{"SMITH", "John Paul"}, initials{"SMITH", "J P"}, jane{"SMITH", "Jane"}, jones{"JONES", "John"};
  CHECK(same_person_name(john, initials));
  CHECK(same_person_name(initials, jane));
  CHECK_FALSE(same_person_name(john, jane));
  CHECK_FALSE(same_person_name(john, jones));
}

// --- Postcodes ---

TEST_CASE("Postcodes parse in every outward form and normalise", "[extract]") {
  CHECK(parse_postcode("LS1 4AP") == "LS1 4AP");
  CHECK(parse_postcode("SW1A 1AA") == "SW1A 1AA");
  CHECK(parse_postcode("M1 1AE") == "M1 1AE");
  CHECK(parse_postcode("B33 8TH") == "B33 8TH");
  CHECK(parse_postcode("W1A 0AX") == "W1A 0AX");
  CHECK(parse_postcode("DN55 1PT") == "DN55 1PT");
  CHECK(parse_postcode("ls14ap") == "LS1 4AP");
  CHECK(parse_postcode("ec1a 1bb") == "EC1A 1BB");
}

TEST_CASE("Text that is not exactly one postcode does not parse", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "", "LS1", "LS1 4CP", "QS1 4AP", "LS1  4AP", "LS14 AP", "12345",
                       "LS1 4AP X", "LSS1 4AP", "L 4AP", "LS1-4AP", " LS1 4AP");
  INFO(text);
  CHECK_FALSE(parse_postcode(text));
}

TEST_CASE("The patient's postcode is chosen over the letterhead's and the GP's", "[extract]") {
  DocumentFields fields = extract(
      "Leeds Teaching Hospitals NHS Trust\nSt James's University Hospital\nBeckett Street\nLeeds LS9 7TF\n\n"
      "Dr A Jones\nPark Surgery\n1 Park Road\nLeeds LS2 9JT\n\n"
      "Re: Mr John SMITH\n12 High Street\nLeeds LS1 4AP\nNHS No: 943 476 5919\n\n"
      "Dear Dr Jones");
  CHECK(value_of(fields, FieldKind::Postcode) == "LS1 4AP");
}

TEST_CASE("A postcode's box covers its outward and inward words", "[extract]") {
  RecognisedPage page = page_from_text("Re: Mr John SMITH\n12 High Street, Leeds LS1 4AP.");
  DocumentFields fields = extract({page});
  const ExtractedField* postcode = fields.find(FieldKind::Postcode);
  REQUIRE(postcode != nullptr);
  CHECK(postcode->value == "LS1 4AP");
  CHECK(postcode->box == word(page, "LS1").box.united(word(page, "4AP.").box));
}

TEST_CASE("The GP's postcode after the patient's details is not the patient's", "[extract]") {
  CHECK(postcode_in("Re: Mr John SMITH, DOB 04/03/1950\nGP: Dr Jones, Park Surgery, Leeds LS2 9JT").empty());
  CHECK(postcode_in("Re: Mr John SMITH\n12 High Street\n\nDear Dr Jones, Leeds LS2 9JT").empty());
}

TEST_CASE("The letterhead's postcode beside the patient's details is not the patient's", "[extract]") {
  RecognisedPage page = PageBuilder()
                            .text(100, 100, "Patient: Mr John SMITH\n12 High Street\nLeeds")
                            .text(1200, 80, "Leeds Teaching Hospitals NHS Trust\nBeckett Street\nLeeds LS9 7TF")
                            .page();
  CHECK(postcode_in(page).empty());
}

TEST_CASE("Lines above the patient's name are not the patient's address", "[extract]") {
  RecognisedPage page =
      PageBuilder().text(100, 300, "Name: John SMITH\n12 High Street").text(1200, 200, "Leeds LS9 7TF").page();
  CHECK(postcode_in(page).empty());
}

TEST_CASE("Of two postcodes below the patient's name the nearest is chosen", "[extract]") {
  CHECK(postcode_in("Patient: John SMITH\n1 Ash Road, Leeds LS1 4AP\nPrevious address: York YO1 7HH") == "LS1 4AP");
}

TEST_CASE("A postcode far below the patient's name is not their address", "[extract]") {
  RecognisedPage page = PageBuilder().text(100, 100, "Patient: John SMITH").text(100, 900, "Leeds LS1 4AP").page();
  CHECK(postcode_in(page).empty());
}

TEST_CASE("Without the patient's name the patient details labels anchor the address", "[extract]") {
  CHECK(postcode_in("NHS No: 943 476 5919\nHospital No: K1234567\n12 High Street\nLeeds ls14ap") == "LS1 4AP");
}

TEST_CASE("A postcode with nothing saying whose it is is not taken", "[extract]") {
  CHECK(postcode_in("12 High Street\nLeeds LS1 4AP").empty());
}

// --- Hospital numbers ---

TEST_CASE("Hospital numbers are read after each default label", "[extract]") {
  CHECK(value_of(extract("Hospital No: K1234567"), FieldKind::HospitalNumber) == "K1234567");
  CHECK(value_of(extract("Hosp No. RX12345678"), FieldKind::HospitalNumber) == "RX12345678");
  CHECK(value_of(extract("Hospital Number 1234567"), FieldKind::HospitalNumber) == "1234567");
  CHECK(value_of(extract("MRN: k1234567"), FieldKind::HospitalNumber) == "K1234567");
  CHECK(value_of(extract("Unit No: 1234567,"), FieldKind::HospitalNumber) == "1234567");
  CHECK(value_of(extract("K Number: K1234567"), FieldKind::HospitalNumber) == "K1234567");
  CHECK(value_of(extract("Patient ID: 12345678"), FieldKind::HospitalNumber) == "12345678");
}

TEST_CASE("Hospital number values of the wrong shape are refused", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Hospital No: K123", "Hospital No: ABCDEF1", "Hospital No: 1234567890123",
                       "Hospital No: K12-34567", "Hospital No: unknown");
  INFO(text);
  CHECK(extract(text).find(FieldKind::HospitalNumber) == nullptr);
}

TEST_CASE("Two different hospital numbers leave the field out for review", "[extract]") {
  DocumentFields fields = extract("Hospital No: K1234567\nMRN: K7654321");
  CHECK(fields.find(FieldKind::HospitalNumber) == nullptr);
  CHECK(has_reason(fields, "conflicting hospital numbers"));
}

TEST_CASE("Hospital number labels come from the options", "[extract]") {
  ExtractionOptions options;
  options.today = kToday;
  options.hospital_number_labels = {"Case No"};
  DocumentFields fields = extract_fields({page_from_text("Case No: 7654321\nMRN: K1234567")}, options);
  CHECK(value_of(fields, FieldKind::HospitalNumber) == "7654321");
}

// --- Labels ---

TEST_CASE("A label glued to its value is split, the value keeping its share of the box", "[extract]") {
  RecognisedPage page = page_from_text("DOB:04/03/1950");
  DocumentFields fields = extract({page});
  const ExtractedField* dob = fields.find(FieldKind::DateOfBirth);
  REQUIRE(dob != nullptr);
  CHECK(dob->value == "1950-03-04");
  const Box& glued = word(page, "DOB:04/03/1950").box;
  CHECK(dob->box.x == glued.x + 4 * kCharWidth);
  CHECK(dob->box.right() == glued.right());
}

TEST_CASE("An empty document yields no fields and no reasons", "[extract]") {
  DocumentFields fields = extract(std::vector<RecognisedPage>{});
  CHECK(fields.fields.empty());
  CHECK(fields.review_reasons.empty());
  CHECK(fields.type == DocumentType::Other);
}

// --- Document type ---

TEST_CASE("Documents are classified by the words their kind uses", "[extract]") {
  CHECK(extract("DISCHARGE SUMMARY\nDate of discharge: 05/03/2024").type == DocumentType::DischargeSummary);
  CHECK(extract("Dear Dr Jones\nI saw Mr Smith in the clinic today.").type == DocumentType::ClinicLetter);
  CHECK(extract("Dear Dr Jones\nThis patient was seen in clinic.").type == DocumentType::ClinicLetter);
  CHECK(extract("Haematology Laboratory\nSpecimen: blood\nResult  Reference range").type == DocumentType::LabReport);
  CHECK(extract("Two Week Wait referral\nSuspected lower GI cancer").type == DocumentType::Referral);
  CHECK(extract("Thank you for your referral of this patient").type == DocumentType::Referral);
  CHECK(extract("Shopping list\nMilk, eggs").type == DocumentType::Other);
  CHECK(extract("Blood results are attached").type == DocumentType::Other);
}

TEST_CASE("A document's type comes with a score, higher when a title names it", "[extract]") {
  DocumentFields titled = extract("DISCHARGE SUMMARY\nDate of admission: 01/03/2024\nPneumonia, treated.");
  DocumentFields mentioned = extract("To whom it may concern\nThe discharge summary is attached, as is the date of "
                                     "admission.\nPneumonia, treated.");
  CHECK(titled.type == DocumentType::DischargeSummary);
  CHECK(mentioned.type == DocumentType::DischargeSummary);
  CHECK(titled.type_score > mentioned.type_score);
  CHECK(titled.type_score < 1);
  CHECK(extract("Shopping list\nMilk, eggs").type_score == 0);
}

TEST_CASE("A title outweighs incidental words of another kind", "[extract]") {
  DocumentFields fields = extract("LABORATORY REPORT\nReferred by clinic\nSodium 139 mmol/L");
  CHECK(fields.type == DocumentType::LabReport);
}

TEST_CASE("Field kinds and document types have export names", "[extract]") {
  CHECK(std::string(field_key(FieldKind::NhsNumber)) == "nhs_number");
  CHECK(std::string(field_key(FieldKind::HospitalNumber)) == "hospital_number");
  CHECK(std::string(field_key(FieldKind::PatientName)) == "patient_name");
  CHECK(std::string(field_key(FieldKind::DateOfBirth)) == "date_of_birth");
  CHECK(std::string(field_key(FieldKind::Postcode)) == "postcode");
  CHECK(std::string(field_key(FieldKind::DocumentDate)) == "document_date");
  CHECK(std::string(field_key(FieldKind::ClinicDate)) == "clinic_date");
  CHECK(std::string(field_key(FieldKind::AdmissionDate)) == "admission_date");
  CHECK(std::string(field_key(FieldKind::DischargeDate)) == "discharge_date");
  CHECK(std::string(field_key(FieldKind::DeathDate)) == "death_date");
  CHECK(std::string(field_key(FieldKind::ReportDate)) == "report_date");
  CHECK(std::string(field_key(FieldKind::ReferralDate)) == "referral_date");
  CHECK(std::string(field_key(FieldKind::ChiNumber)) == "chi_number");
  CHECK(std::string(field_key(FieldKind::HcNumber)) == "hc_number");
  CHECK(std::string(document_type_name(DocumentType::ClinicLetter)) == "clinic_letter");
  CHECK(std::string(document_type_name(DocumentType::DischargeSummary)) == "discharge_summary");
  CHECK(std::string(document_type_name(DocumentType::LabReport)) == "lab_report");
  CHECK(std::string(document_type_name(DocumentType::Referral)) == "referral");
  CHECK(std::string(document_type_name(DocumentType::Other)) == "other");
}

// --- OCR's usual misreadings ---

TEST_CASE("Labels are read through OCR's rn for m", "[extract]") {
  CHECK(name_in("Sumame: TAYLOR   Forename(s): Aisha") == "TAYLOR, Aisha");
  CHECK(value_of(extract("Bom: 04/03/1950"), FieldKind::DateOfBirth) == "1950-03-04");
}

TEST_CASE("Specks OCR reads as punctuation do not hide a label or split a name", "[extract]") {
  CHECK(value_of(extract(". Date: 15/08/2019"), FieldKind::DocumentDate) == "2019-08-15");
  CHECK(name_in("Surname: WILSON ~ ;   Forename(s): Sophie Elizabeth") == "WILSON, Sophie Elizabeth");
}

TEST_CASE("A given name OCR began with l for I is read as I", "[extract]") {
  CHECK(name_in("Name: Mr lan Alexander TAYLOR") == "TAYLOR, Ian Alexander");
  CHECK(name_in("Name: KHAN, lan James") == "KHAN, Ian James");
  CHECK(name_in("Surname: TAYLOR   Forename(s): lan") == "TAYLOR, Ian");
  // Where no given name must stand, a word in lower case ends the name.
  CHECK(name_in("Name: John SMITH lives alone") == "SMITH, John");
}

TEST_CASE("A hyphenated given name OCR read with a lower-case part is capitalised", "[extract]") {
  CHECK(name_in("Name: Miss Mary-jane Anne PRICE") == "PRICE, Mary-Jane Anne");
  CHECK(name_in("Patient: PRICE, Mary-jane") == "PRICE, Mary-Jane");
  // The family name is upper case whatever its writing.
  CHECK(name_in("Patient: Mrs Jane Doe-smith") == "DOE-SMITH, Jane");
}

TEST_CASE("A quote OCR read after a name is not part of it", "[extract]") {
  CHECK(name_in("Surname: LEWIS\u2019   Forename(s): Jean-Luc") == "LEWIS, Jean-Luc");
  CHECK(name_in("Name: LEWIS', Jean-Luc") == "LEWIS, Jean-Luc");
  CHECK(name_in("Patient: Mr Sean O'Brien'") == "O'BRIEN, Sean");
}

TEST_CASE("A running header that names the patient otherwise leaves the name out for review", "[extract]") {
  // OCR read "Fatima" as "Fatina" on page 1; page 2's header has it right. Which is right is
  // not in the words, so neither is taken.
  DocumentFields fields = extract({page_from_text("Name: Miss Fatina BROWN   DOB: 10 November 1943"),
                                   header_page("Miss Fatima BROWN   Hosp No: K6133801   Page 2 of 2")});
  CHECK(fields.find(FieldKind::PatientName) == nullptr);
  CHECK(has_reason(fields, "conflicting patient names: BROWN, Fatina (page 1), BROWN, Fatima (page 2)"));

  fields = extract({page_from_text("Surname: EVANS   Forename(s): Ajun Owain"),
                    header_page("EVANS, Arjun Owain   Hosp No: K2065861   DOB: 01/03/1999   Page 2 of 2")});
  CHECK(fields.find(FieldKind::PatientName) == nullptr);
  CHECK(has_reason(fields, "conflicting patient names"));
}

TEST_CASE("A running header that names the patient alike confirms the name", "[extract]") {
  DocumentFields fields = extract({page_from_text("Name: Miss Mary-jane Anne PRICE\nDOB: 14-Dec-1930"),
                                   header_page("PRICE, Mary-Jane Anne NHS No: 999 051 6324 Page 2 of 2")});
  CHECK(value_of(fields, FieldKind::PatientName) == "PRICE, Mary-Jane Anne");
  CHECK(fields.find(FieldKind::PatientName)->page == 1);
  CHECK(fields.review_reasons.empty());
}

TEST_CASE("A name followed by the patient's identifiers is read without a label", "[extract]") {
  CHECK(name_in("Mr John SMITH   NHS No: 943 476 5919") == "SMITH, John");
  CHECK(name_in("SMITH, John Paul DOB: 04/03/1950") == "SMITH, John Paul");
}

TEST_CASE("A line beginning with words is no name before identifiers", "[extract]") {
  auto text = GENERATE(as<std::string>{}, "Discharge Summary NHS No: 943 476 5919",
                       "DISCHARGE SUMMARY NHS No: 943 476 5919", "Mr John SMITH was seen. NHS No: 943 476 5919",
                       "John Smith   NHS No: 943 476 5919", "Mr John   SMITH NHS No: 943 476 5919");
  INFO(text);
  CHECK(extract(text).find(FieldKind::PatientName) == nullptr);
}

TEST_CASE("Next of kin details before identifiers are not the patient's name", "[extract]") {
  CHECK(extract("Next of kin\nMrs Irene EVANS   DOB: 01/03/1950").find(FieldKind::PatientName) == nullptr);
}

TEST_CASE("The patient's address follows the labelled name, not a fuller running header", "[extract]") {
  DocumentFields fields = extract({page_from_text("Re: Mr J SMITH\n12 High Street\nLS6 2QT"),
                                   header_page("SMITH, John Paul   NHS No: 943 476 5919")});
  CHECK(value_of(fields, FieldKind::PatientName) == "SMITH, John Paul");
  CHECK(value_of(fields, FieldKind::Postcode) == "LS6 2QT");
}

TEST_CASE("Postcodes OCR misread are read back only where one postcode results", "[extract]") {
  CHECK(parse_postcode_misread("YOI 2YT") == "YO1 2YT");
  CHECK(parse_postcode_misread("YO! 9NJ") == "YO1 9NJ");
  CHECK(parse_postcode_misread("$10 7ET") == "S10 7ET");
  CHECK(parse_postcode_misread("LS1i 1JE") == "LS11 1JE");
  CHECK(parse_postcode_misread("LS6 2QT") == "LS6 2QT");
  CHECK(parse_postcode_misread("Y0I 2YT") == "YO1 2YT");
  // A J ends a line in a hook OCR takes for a bracket.
  CHECK(parse_postcode_misread("BD1 5W)") == "BD1 5WJ");
  CHECK(parse_postcode_misread("LS17 6]X") == "LS17 6JX");
  CHECK(parse_postcode_misread("LS7 3P}") == "LS7 3PJ");
  // An S where the inward code's digit stands is no reading: OCR has read a printed 9 so.
  auto text = GENERATE(as<std::string>{}, "12 High", "BD7 SAY", "LS13 SFT", "Shelf", "SOUTH", "OOI OOO", "12 HIGH",
                       "HALFORD");
  INFO(text);
  CHECK_FALSE(parse_postcode_misread(text));
}

TEST_CASE("A capital OCR read twice in a postcode is read once", "[extract]") {
  CHECK(parse_postcode_misread("BD1 2zZP") == "BD1 2ZP");
  CHECK(parse_postcode_misread("M14 4xXP") == "M14 4XP");
  // Read once more, the text is no postcode either; a lower-case letter alone is a word.
  auto text = GENERATE(as<std::string>{}, "BD1 2zzP", "BD1 2zP", "BD1 2xZP", "6|xX", "LS17 6|xX");
  INFO(text);
  CHECK_FALSE(parse_postcode_misread(text));
}

TEST_CASE("A patient's postcode with a capital read twice is taken", "[extract]") {
  DocumentFields fields = extract("Patient: Miss Ruth AHMED\nAddress: 163 Station Road\nHebden\nM14 4xXP");
  CHECK(value_of(fields, FieldKind::Postcode) == "M14 4XP");
  CHECK(fields.find(FieldKind::Postcode)->confidence < kConfidence / 100);
}

TEST_CASE("A misread postcode in the patient's address is taken with lowered confidence", "[extract]") {
  DocumentFields fields = extract("Patient: Mr John SMITH\n12 High Street\nYOI 2YT");
  const ExtractedField* postcode = fields.find(FieldKind::Postcode);
  REQUIRE(postcode != nullptr);
  CHECK(postcode->value == "YO1 2YT");
  CHECK(postcode->confidence < kConfidence / 100);
}

TEST_CASE("A postcode whose J OCR read as a bracket is taken", "[extract]") {
  CHECK(value_of(extract("Patient: Mr John SMITH\n12 High Street\nBD1 5W)"), FieldKind::Postcode) == "BD1 5WJ");
  CHECK(value_of(extract("Patient: Mr John SMITH\n12 High Street\n(LS17 6JX)"), FieldKind::Postcode) == "LS17 6JX");
}

TEST_CASE("NHS in the trust's name does not anchor the patient's address", "[extract]") {
  DocumentFields fields = extract(
      "Calderbridge Royal Infirmary NHS Trust\nDISCHARGE SUMMARY\nSurname: WILSON ~ ;\nNHS no. 999 000 0018\n"
      "Address: 174 Moor View\nHalford\nHX3 7XH");
  CHECK(value_of(fields, FieldKind::Postcode) == "HX3 7XH");
}
