#include "extract/document_type.h"

#include <algorithm>
#include <array>
#include <string>

namespace casenote {
namespace {

struct Phrase {
  const char* words;  // lower case, single spaces; matches whole words, the last also with a plural "s"
  DocumentType type;
  int weight;
};

using T = DocumentType;

// One incidental mention ("results", "clinic") is not enough to classify; a title or two cues are.
constexpr int kEnoughWeight = 2;
// A phrase that titles the first page says what the document is more than one in its text.
constexpr int kTitleWeight = 2;

constexpr std::array<Phrase, 25> kPhrases{{
    {"discharge summary", T::DischargeSummary, 3},
    {"date of discharge", T::DischargeSummary, 2},
    {"discharge date", T::DischargeSummary, 2},
    {"discharged", T::DischargeSummary, 1},
    {"date of admission", T::DischargeSummary, 1},
    {"admission", T::DischargeSummary, 1},
    {"laboratory", T::LabReport, 2},
    {"specimen", T::LabReport, 2},
    {"reference range", T::LabReport, 2},
    {"pathology", T::LabReport, 2},
    {"result", T::LabReport, 1},
    {"haematology", T::LabReport, 1},
    {"biochemistry", T::LabReport, 1},
    {"microbiology", T::LabReport, 1},
    {"referral", T::Referral, 2},
    {"referred", T::Referral, 1},
    {"two week wait", T::Referral, 3},
    {"2ww", T::Referral, 3},
    {"urgent suspected cancer", T::Referral, 2},
    {"clinic letter", T::ClinicLetter, 3},
    {"seen in clinic", T::ClinicLetter, 2},
    {"seen in the clinic", T::ClinicLetter, 2},
    {"clinic", T::ClinicLetter, 1},
    {"outpatient", T::ClinicLetter, 1},
    {"dear dr", T::ClinicLetter, 1},
}};

// Types in the order that wins a tie: the more specific document first.
constexpr std::array<DocumentType, 4> kTieOrder{T::DischargeSummary, T::LabReport, T::Referral, T::ClinicLetter};

bool contains_phrase(const std::string& text, const std::string& phrase) {
  return text.find(" " + phrase + " ") != std::string::npos || text.find(" " + phrase + "s ") != std::string::npos;
}

size_t word_count(const std::string& phrase) { return std::count(phrase.begin(), phrase.end(), ' ') + 1; }

// The token keys of `line` as " key key ... ", and how many there are.
std::pair<std::string, size_t> keys_of(const Line& line) {
  std::string text = " ";
  size_t count = 0;
  for (const Token& token : line.tokens) {
    if (token.key.empty()) continue;
    text += token.key + " ";
    ++count;
  }
  return {text, count};
}

// Lines near the top of the first page that are mostly one phrase: "DISCHARGE SUMMARY",
// "REFERRAL LETTER: GASTROENTEROLOGY".
bool titles_first_page(const std::vector<Line>& lines, const Phrase& phrase) {
  for (const Line& line : lines) {
    if (line.page_index != 0 || 5 * line.box.y >= 2 * line.page_height) continue;
    auto [text, count] = keys_of(line);
    if (2 * word_count(phrase.words) >= count && contains_phrase(text, phrase.words)) return true;
  }
  return false;
}

}  // namespace

DocumentClass classify_document(const std::vector<Line>& lines) {
  std::string text = " ";
  for (const Line& line : lines) text += keys_of(line).first.substr(1);

  std::array<int, kTieOrder.size()> score{};
  int total = 0;
  for (const Phrase& phrase : kPhrases) {
    if (!contains_phrase(text, phrase.words)) continue;
    int weight = phrase.weight + (titles_first_page(lines, phrase) ? kTitleWeight : 0);
    total += weight;
    for (size_t t = 0; t < kTieOrder.size(); ++t)
      if (kTieOrder[t] == phrase.type) score[t] += weight;
  }
  DocumentClass best;
  int best_score = kEnoughWeight - 1;
  for (size_t t = 0; t < kTieOrder.size(); ++t) {
    if (score[t] > best_score) {
      best.type = kTieOrder[t];
      best_score = score[t];
    }
  }
  // One more in the denominator: a single cue, however strong, leaves some doubt.
  if (best.type != T::Other) best.score = static_cast<double>(best_score) / (total + 1);
  return best;
}

}  // namespace casenote
