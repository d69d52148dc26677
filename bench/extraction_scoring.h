// Scoring extraction against the ground truth of the evaluation set (samples/generate_eval.py):
// per field kind, how many values came out right, wrong or not at all, over every document and
// over those filed. Shared by bench_extract and the evaluation test.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/text_distance.h"

namespace casenote::bench {

// A page whose OCR text is within this character error rate of its ground truth is readable:
// a person could read every field off it.
constexpr double kReadableCharacterErrorRate = 0.05;

struct FieldTally {
  int expected = 0;  // documents whose ground truth states the field
  int correct = 0;   // ... and whose export gives that value
  int wrong = 0;     // documents whose export gives a value the ground truth does not: another, or one it lacks
  int missed = 0;    // documents whose ground truth states the field and whose export gives none

  double accuracy() const { return expected ? static_cast<double>(correct) / expected : 1.0; }
};

struct ExtractionScore {
  std::map<std::string, FieldTally> all;       // by field key
  std::map<std::string, FieldTally> filed;     // documents the export files to a patient
  std::map<std::string, FieldTally> readable;  // documents whose every page is readable
  int documents = 0;
  int not_exported = 0;        // documents of the ground truth missing from the export
  int filed_documents = 0;
  int expected_filed = 0;      // documents the ground truth expects to be filed
  int status_as_expected = 0;  // filed or sent to review as the ground truth expects
  int filed_to_wrong_patient = 0;  // filed to a patient whose NHS number is not the document's patient's
  int type_correct = 0;
};

// The NHS number of the patient a store holds under an id; nothing when unknown.
using PatientNhsNumber = std::function<std::optional<std::string>(const std::string& patient_id)>;

// The exported documents (export --format jsonl) keyed by the file name of their source.
inline std::map<std::string, nlohmann::json> documents_by_file(const std::string& jsonl) {
  std::map<std::string, nlohmann::json> documents;
  std::istringstream lines(jsonl);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    nlohmann::json document = nlohmann::json::parse(line);
    documents[std::filesystem::path(document["source"].get<std::string>()).filename().string()] = document;
  }
  return documents;
}

inline void tally(FieldTally& tally, const nlohmann::json* want, const nlohmann::json* got) {
  if (want) ++tally.expected;
  if (want && got && *want == *got)
    ++tally.correct;
  else if (got)
    ++tally.wrong;
  else if (want)
    ++tally.missed;
}

inline bool all_pages_readable(const nlohmann::json& truth, const nlohmann::json& exported) {
  if (truth["pages"].size() != exported["pages"].size()) return false;
  for (size_t i = 0; i < truth["pages"].size(); ++i) {
    double cer = testing::character_error_rate(exported["pages"][i]["text"], truth["pages"][i]["text"]);
    if (cer > kReadableCharacterErrorRate) return false;
  }
  return true;
}

// Scores `exported` (documents_by_file()) against `truth` (the generator's ground_truth.json).
// A field kind the ground truth leaves out of a document must not be exported for it either.
// `nhs_number_of` checks whom each filed document went to.
inline ExtractionScore score_extraction(const nlohmann::json& truth, const std::map<std::string, nlohmann::json>& exported,
                                        const PatientNhsNumber& nhs_number_of) {
  ExtractionScore score;
  for (const nlohmann::json& expected : truth) {
    ++score.documents;
    bool expect_filed = expected["expected_status"] == "filed";
    score.expected_filed += expect_filed;
    auto found = exported.find(expected["file"].get<std::string>());
    if (found == exported.end()) {
      ++score.not_exported;
      continue;
    }
    const nlohmann::json& got = found->second;
    bool filed = got["status"] == "filed";
    score.filed_documents += filed;
    score.status_as_expected += filed == expect_filed;
    score.type_correct += got["document_type"] == expected["document_type"];
    if (filed && nhs_number_of(got["patient_id"].get<std::string>()) != expected["patient"]["nhs_number"].get<std::string>())
      ++score.filed_to_wrong_patient;
    bool readable = all_pages_readable(expected, got);

    std::map<std::string, std::pair<const nlohmann::json*, const nlohmann::json*>> values;
    for (const auto& [key, value] : expected["fields"].items()) values[key].first = &value;
    for (const auto& [key, field] : got["fields"].items()) values[key].second = &field["value"];
    for (const auto& [key, pair] : values) {
      tally(score.all[key], pair.first, pair.second);
      if (filed) tally(score.filed[key], pair.first, pair.second);
      if (readable) tally(score.readable[key], pair.first, pair.second);
    }
  }
  return score;
}

}  // namespace casenote::bench
