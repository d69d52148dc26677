// People's names as letters and forms write them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casenote {

struct PersonName {
  std::string family;          // upper case
  std::string given;           // as written, separated by single spaces
  size_t words_used = 0;       // how many of the words read, from the first, the name came from (title included)
  bool titled = false;         // has a title: Mr, Mrs, Ms, Miss, Mx, Dr, Master, Prof, before it or bracketed after
  bool family_marked = false;  // the writer marked the family name: in capitals, or before a comma

  // "FAMILY, Given Names".
  std::string formatted() const { return family + ", " + given; }
};

// Reads a name from the start of `words`: "Mr John Paul SMITH", "SMITH, John Paul", "John SMITH",
// "Mrs Jane Doe-Smith", "Mr Sean O'Brien", "John Smith (Mr)". Titles are dropped; typographic
// apostrophes and hyphens become ASCII ones, and each part of a hyphenated given name begins
// with a capital ("Mary-jane" is OCR's "Mary-Jane"); "lan" where a given name must stand (after a title
// or the family name's comma, or before another name) is OCR's "Ian". The family name is the one written in
// capitals or before a comma, else the last word. Reading stops at the first word that cannot be
// part of a name (a number, a lower-case word) or after a comma that ends the name. Nothing when
// a family name and at least one given name cannot both be read.
std::optional<PersonName> read_person_name(const std::vector<std::string_view>& words);

// True when two names can be the same person written more or less fully: the same family name,
// and given names that agree as far as both go, an initial agreeing with a name it begins.
bool same_person_name(const PersonName& a, const PersonName& b);

}  // namespace casenote
