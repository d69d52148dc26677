#include <catch2/catch.hpp>

#include "pipeline/name_match.h"

using namespace casenote;

TEST_CASE("names fold to upper-case letters without accents or apostrophes", "[names]") {
  CHECK(fold_name("O'Brien") == "OBRIEN");
  CHECK(fold_name("O\xE2\x80\x99" "Brien") == "OBRIEN");
  CHECK(fold_name("Hughes-Davies") == "HUGHES DAVIES");
  CHECK(fold_name("  Zo\xC3\xAB  Ren\xC3\xA9\xC3\xA9 ") == "ZOE RENEE");
  CHECK(fold_name("\xC5\x81ukasz") == "UKASZ");
  CHECK(fold_name("M\xC3\xBCller") == "MULLER");
}

TEST_CASE("Jaro-Winkler similarity", "[names]") {
  CHECK(jaro_winkler("MARTHA", "MARHTA") == Approx(0.961).epsilon(0.001));
  CHECK(jaro_winkler("DWAYNE", "DUANE") == Approx(0.84).epsilon(0.001));
  CHECK(jaro_winkler("SMITH", "SMITH") == 1.0);
  CHECK(jaro_winkler("", "SMITH") == 0.0);
}

TEST_CASE("given names agree through nicknames and OCR slips, not across different names", "[names]") {
  CHECK(given_names_agree("Bill", "William"));
  CHECK(given_names_agree("Liz", "ELIZABETH"));
  CHECK(given_names_agree("Jon", "John"));
  CHECK(given_names_agree("Margaret", "Margarct"));  // one OCR slip
  CHECK(given_names_agree("Helen", "Heelen"));       // a letter read twice
  CHECK(given_names_agree("Phillip", "Philip"));
  CHECK_FALSE(given_names_agree("Helen", "Ellen"));
  CHECK_FALSE(given_names_agree("John", "Joan"));
  CHECK(given_names_agree("Ann", "Anne"));
  CHECK_FALSE(given_names_agree("William", "Wendy"));
}

TEST_CASE("document names compare with the index tolerantly but safely", "[names]") {
  using A = NameAgreement;
  CHECK(compare_names("SMITH, John Paul", "Smith", "John Paul").agreement == A::Agrees);
  CHECK(compare_names("OBRIEN, Declan", "O'BRIEN", "Declan").agreement == A::Agrees);
  CHECK(compare_names("HUGHES-DAVIES, Rhiannon", "HUGHES DAVIES", "Rhiannon").agreement == A::Agrees);
  CHECK(compare_names("DAVIES, Rhiannon", "HUGHES-DAVIES", "Rhiannon").agreement == A::Agrees);
  CHECK(compare_names("SMITH, Paul", "SMITH", "John Paul").agreement == A::Agrees);  // middle name first
  CHECK(compare_names("OKAFQR, Adaeze", "OKAFOR", "Adaeze Ngozi").agreement == A::Agrees);  // OCR slip
  CHECK(compare_names("JONES, Bill", "Jones", "William").agreement == A::Agrees);
  CHECK(compare_names("SMITH", "SMITH", "John").agreement == A::Partly);
  CHECK(compare_names("SMITH, J", "SMITH", "John").agreement == A::Partly);
  CHECK(compare_names("SMITH, K", "SMITH", "John").agreement == A::Contradicts);
  CHECK(compare_names("SMYTH, John", "SMITH", "John").agreement == A::Contradicts);
  CHECK(compare_names("JONES, John", "JONAS", "John").agreement == A::Contradicts);
  CHECK(compare_names("SMITH, Joan", "SMITH", "John").agreement == A::Contradicts);
}
