// Clinical codes written on a document: ICD-10 diagnoses, OPCS-4 procedures and SNOMED CT
// concept ids, each with the phrase beside it. Format and check digits are validated; a code
// list, when one is given for a system, also checks that the code exists and describes it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/box.h"
#include "core/recognised_text.h"
#include "core/result.h"

namespace casenote {

enum class CodeSystem { Icd10, Opcs4, SnomedCt };

// The stored name of a code system: "icd10", "opcs4", "snomed_ct".
const char* code_system_name(CodeSystem system);

// The system a stored name names, nothing for an unknown name.
std::optional<CodeSystem> code_system_named(std::string_view name);

struct ClinicalCode {
  CodeSystem system;
  std::string code;         // as coders write it: "I21.4", "K40.1", "22298006"
  std::string phrase;       // the words beside it on its line: "Acute subendocardial myocardial infarction"
  std::string description;  // from the code list; empty without one
  double confidence = 0;    // 0..1: the OCR confidence of the code's word
  int page = 1;
  Box box;                  // the code's word

  bool operator==(const ClinicalCode&) const = default;
};

// The codes of one system that exist, with their descriptions, keyed without the dot ("I214").
struct CodeList {
  std::map<std::string, std::string> descriptions;

  // The description of `code` (dotted or not), nothing when the list does not hold it.
  std::optional<std::string> describe(std::string_view code) const;
};

// A code list per system; a system without one is checked for format and check digit only.
using CodeLists = std::map<CodeSystem, CodeList>;

// Reads a code list in CSV: "code,description" per line, an optional header line naming those
// columns; a description runs to the end of its line unless it is in double quotes (with "" for
// a quote). A line without a code or a description is an error naming its line number.
Result<CodeList> parse_code_list(std::string_view csv_text);

// True when the digits end in a valid Verhoeff check digit (SNOMED CT's, and Aadhaar's).
bool verhoeff_valid(std::string_view digits);

// True when `text` is a SNOMED CT concept id: 6 to 18 digits without a leading zero, a valid
// Verhoeff check digit, and partition identifier 00 or 10 (a concept, not a description or a
// relationship).
bool is_snomed_concept_id(std::string_view text);

// The codes on the pages, in reading order. A code counts only as a whole word (never inside a
// postcode, a reference or a longer token), and never after a label of something else ("Ref",
// "Tel", "Bed"). ICD-10 and OPCS-4 codes share a shape (letter, two digits, point, digit): the
// line's own words ("Diagnosis", "ICD-10", "Procedure", "OPCS") or else the section heading above
// it decide the system; a code whose system nothing decides is not reported, since a procedure
// filed as a diagnosis is a wrong value. Undotted three-character ICD-10 categories ("E11") and
// SNOMED CT ids are read only where such words say codes are written.
std::vector<ClinicalCode> find_clinical_codes(const std::vector<RecognisedPage>& pages, const CodeLists& lists = {});

}  // namespace casenote
