// Comparing a name read off a document with a patient's name in the index, tolerant of how
// names are written (case, accents, hyphens, apostrophes, middle names, nicknames) and of
// OCR slips, but never so tolerant that two different people agree.
#pragma once

#include <string>
#include <string_view>

namespace casenote {

// Upper-case ASCII letters and single spaces: accents dropped (É -> E), apostrophes removed
// (O'Brien -> OBRIEN), hyphens and other separators turned into spaces.
std::string fold_name(std::string_view name);

// Jaro-Winkler similarity of two strings, 0..1 (1 = equal).
double jaro_winkler(std::string_view a, std::string_view b);

// True when the two given names are the same name: equal, a known nickname of one another
// (Bill/William, Liz/Elizabeth, Jon/John ...), or one OCR slip apart.
bool given_names_agree(std::string_view a, std::string_view b);

enum class NameAgreement {
  Agrees,       // family name and first given name agree
  Partly,       // family name agrees, the given name is missing or only an initial
  Contradicts,  // a different family name or a different given name
};

struct NameComparison {
  NameAgreement agreement = NameAgreement::Contradicts;
  double score = 0;  // 0..1
};

// Compares `document_name` ("FAMILY, Given Middle" as extraction writes it) with a patient's
// family and given names from the index.
NameComparison compare_names(const std::string& document_name, const std::string& family_name,
                             const std::string& given_names);

}  // namespace casenote
