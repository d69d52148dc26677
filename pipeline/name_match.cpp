#include "pipeline/name_match.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <sstream>
#include <vector>

namespace casenote {
namespace {

// Two names closer than this are one OCR slip apart ("JONFS" for "JONES"); measured pairs of
// different common surnames (SMITH/SMYTH 0.89, JONES/JONAS 0.89) stay below it.
constexpr double kSameNameSimilarity = 0.92;

// Latin-1 supplement letters (U+00C0..U+00FF) without their accents, upper case.
constexpr std::string_view kLatin1Base =
    "AAAAAAACEEEEIIII"   // C0..CF (C6 Æ -> A, close enough for matching)
    "DNOOOOO*OUUUUYPS"   // D0..DF (D7 × is not a letter, DF ß -> S)
    "AAAAAAACEEEEIIII"   // E0..EF
    "DNOOOOO*OUUUUYPY";  // F0..FF

const std::vector<std::vector<std::string_view>>& nickname_groups() {
  static const std::vector<std::vector<std::string_view>> groups = {
      {"JOHN", "JON", "JACK", "JOHNNY", "JONNY"},
      {"WILLIAM", "BILL", "BILLY", "WILL", "WILLIE", "LIAM"},
      {"ELIZABETH", "LIZ", "LIZZIE", "BETH", "BETTY", "ELIZA", "LIBBY", "BETSY"},
      {"ROBERT", "BOB", "BOBBY", "ROB", "ROBBIE", "BERT"},
      {"JAMES", "JIM", "JIMMY", "JAMIE"},
      {"MARGARET", "PEGGY", "MAGGIE", "MEG", "MAISIE", "RITA"},
      {"KATHERINE", "CATHERINE", "KATHRYN", "KATE", "KATIE", "KATHY", "CATH", "CATHY", "KAY"},
      {"THOMAS", "TOM", "TOMMY"},
      {"RICHARD", "DICK", "RICK", "RICKY", "RICH", "RICHIE"},
      {"ANTHONY", "TONY"},
      {"SUSAN", "SUE", "SUZANNE", "SUSIE"},
      {"DAVID", "DAVE", "DAVY"},
      {"MICHAEL", "MIKE", "MICK", "MICKY"},
      {"STEPHEN", "STEVEN", "STEVE"},
      {"ALEXANDER", "ALEX", "SANDY", "ALEC"},
      {"ALEXANDRA", "ALEX", "SANDRA", "SANDY"},
      {"CHRISTOPHER", "CHRIS", "KIT"},
      {"CHRISTINE", "CHRIS", "CHRISSIE", "TINA"},
      {"PATRICK", "PAT", "PADDY"},
      {"PATRICIA", "PAT", "PATSY", "TRISH"},
      {"SAMUEL", "SAM", "SAMMY"},
      {"SAMANTHA", "SAM", "SAMMY"},
      {"BENJAMIN", "BEN", "BENNY"},
      {"DANIEL", "DAN", "DANNY"},
      {"EDWARD", "ED", "EDDIE", "TED", "TEDDY", "NED"},
      {"FREDERICK", "FRED", "FREDDIE"},
      {"HENRY", "HARRY", "HAL"},
      {"JENNIFER", "JENNY", "JEN"},
      {"NICHOLAS", "NICK", "NICKY"},
      {"PETER", "PETE"},
      {"MARY", "POLLY", "MOLLY", "MAE"},
      {"ANN", "ANNE", "ANNIE", "ANNA", "NANCY"},
      {"GERALD", "GERRY", "JERRY"},
      {"MATTHEW", "MATT"},
      {"ANDREW", "ANDY", "DREW"},
      {"JOSEPH", "JOE", "JOEY"},
      {"CHARLES", "CHARLIE", "CHUCK"},
      {"DOROTHY", "DOT", "DOTTIE", "DOLLY"},
      {"DEBORAH", "DEBBIE", "DEB", "DEBRA"},
      {"REBECCA", "BECKY", "BECCA"},
      {"VICTORIA", "VICKY", "TORI"},
      {"PHILIP", "PHILLIP", "PHIL"},
      {"ALBERT", "ALBIE", "BERT"},
      {"ALFRED", "ALF", "ALFIE"},
      {"GEORGE", "GEORDIE"},
      {"LAWRENCE", "LAURENCE", "LARRY"},
      {"JACQUELINE", "JACKIE"},
      {"JOSEPHINE", "JOSIE", "JO"},
      {"JOANNE", "JOANNA", "JO"},
      {"ELEANOR", "ELLIE", "NELL", "NELLIE"},
      {"HELEN", "NELL"},
      {"GWENDOLINE", "GWEN"},
      {"ABIGAIL", "ABBY", "ABBIE"},
  };
  return groups;
}

std::vector<std::string> words_of(const std::string& folded) {
  std::istringstream in(folded);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool is_nickname_pair(std::string_view a, std::string_view b) {
  for (const auto& group : nickname_groups()) {
    bool has_a = std::find(group.begin(), group.end(), a) != group.end();
    bool has_b = std::find(group.begin(), group.end(), b) != group.end();
    if (has_a && has_b) return true;
  }
  return false;
}

// Family names agree when equal, one OCR slip apart, or when one double-barrelled name holds
// the other whole (HUGHES-DAVIES and DAVIES): people drop half of such names on forms.
bool family_names_agree(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  std::string joined_a = a, joined_b = b;
  std::erase(joined_a, ' ');
  std::erase(joined_b, ' ');
  if (joined_a == joined_b) return true;  // "O BRIEN" vs "OBRIEN", "MC DONALD" vs "MCDONALD"
  if (jaro_winkler(joined_a, joined_b) >= kSameNameSimilarity) return true;
  auto parts_a = words_of(a), parts_b = words_of(b);
  auto contains_all = [](const std::vector<std::string>& whole, const std::vector<std::string>& part) {
    return std::all_of(part.begin(), part.end(),
                       [&](const std::string& w) { return std::find(whole.begin(), whole.end(), w) != whole.end(); });
  };
  return (parts_a.size() > 1 || parts_b.size() > 1) && (contains_all(parts_a, parts_b) || contains_all(parts_b, parts_a));
}

// The name with each run of one letter written once: PHILLIP and PHILIP, or HELEN and an OCR's
// HEELEN, are one name, where a letter changed (JOAN, JOHN) may be another person.
std::string without_doubled_letters(const std::string& folded) {
  std::string out;
  for (char c : folded)
    if (out.empty() || out.back() != c) out += c;
  return out;
}

}  // namespace

std::string fold_name(std::string_view name) {
  std::string out;
  auto separator = [&] {
    if (!out.empty() && out.back() != ' ') out += ' ';
  };
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (std::isalpha(c))
        out += static_cast<char>(std::toupper(c));
      else if (c != '\'' && c != '`')
        separator();
      continue;
    }
    // Two-byte UTF-8 for U+00C0..U+00FF starts with 0xC3; curly apostrophes (U+2019) are dropped.
    if (c == 0xC3 && i + 1 < name.size()) {
      unsigned char next = static_cast<unsigned char>(name[++i]);
      char base = next >= 0x80 && next <= 0xBF ? kLatin1Base[next - 0x80] : '*';
      if (base == '*')
        separator();
      else
        out += base;
      continue;
    }
    if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(name[i + 2]) == 0x99 || static_cast<unsigned char>(name[i + 2]) == 0x98)) {
      i += 2;
      continue;
    }
    separator();
    // Skip the continuation bytes of any other character.
    while (i + 1 < name.size() && (static_cast<unsigned char>(name[i + 1]) & 0xC0) == 0x80) ++i;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  size_t window = std::max(a.size(), b.size()) / 2;
  window = window > 0 ? window - 1 : 0;
  std::vector<bool> matched_a(a.size()), matched_b(b.size());
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    size_t from = i > window ? i - window : 0, to = std::min(b.size(), i + window + 1);
    for (size_t j = from; j < to; ++j) {
      if (matched_b[j] || a[i] != b[j]) continue;
      matched_a[i] = matched_b[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!matched_a[i]) continue;
    while (!matched_b[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  double m = static_cast<double>(matches);
  double jaro = (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

bool given_names_agree(std::string_view a, std::string_view b) {
  std::string fa = fold_name(a), fb = fold_name(b);
  if (fa.empty() || fb.empty()) return false;
  return fa == fb || is_nickname_pair(fa, fb) || without_doubled_letters(fa) == without_doubled_letters(fb) ||
         (std::min(fa.size(), fb.size()) >= 4 && jaro_winkler(fa, fb) >= kSameNameSimilarity);
}

NameComparison compare_names(const std::string& document_name, const std::string& family_name,
                             const std::string& given_names) {
  auto comma = document_name.find(',');
  std::string doc_family = fold_name(document_name.substr(0, comma));
  auto doc_given = comma == std::string::npos ? std::vector<std::string>{} : words_of(fold_name(document_name.substr(comma + 1)));
  auto index_given = words_of(fold_name(given_names));

  if (!family_names_agree(doc_family, fold_name(family_name))) return {NameAgreement::Contradicts, 0.0};
  if (doc_given.empty() || index_given.empty()) return {NameAgreement::Partly, 0.6};

  // The first given name on the document must be one of the patient's given names: letters often
  // give only the first, and forms sometimes put a middle name first.
  const std::string& first = doc_given.front();
  if (first.size() == 1) {
    bool initial_fits = std::any_of(index_given.begin(), index_given.end(),
                                    [&](const std::string& g) { return g.front() == first.front(); });
    return initial_fits ? NameComparison{NameAgreement::Partly, 0.7} : NameComparison{NameAgreement::Contradicts, 0.0};
  }
  for (const auto& g : index_given)
    if (given_names_agree(first, g)) return {NameAgreement::Agrees, first == index_given.front() ? 1.0 : 0.9};
  return {NameAgreement::Contradicts, 0.0};
}

}  // namespace casenote
