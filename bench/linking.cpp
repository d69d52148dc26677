// bench_linking: the linking rules scored on the evaluation set (samples/generate_eval.py).
//
//   bench_linking [--set DIR] [--export FILE.jsonl]
//
// The set's documents go through the real pipeline once (casenote ingest, export) to get the
// fields as OCR and extraction read them. Then the patient index is made harder than the set's
// own: for every tenth patient in turn the index spells the name differently (a nickname or an
// OCR slip), leaves the patient out, holds a twin (same name and date of birth, another NHS
// number), or holds the patient with a date of birth one day off. Each document's fields are
// linked against that index by three policies side by side: a naive one that files on any
// NHS-number match, casenote's rules as shipped (name and date of birth only suggest), and
// casenote's rules allowed to file on name and date of birth. Prints misfiles (filed to a patient
// who is not the document's), the auto-file rate over documents whose patient is in the index,
// and pairwise same-patient precision and recall over filed documents.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bench/bench_support.h"
#include "extract/fields.h"
#include "pipeline/filing.h"
#include "pipeline/patient_csv.h"

namespace fs = std::filesystem;
using namespace casenote;
using nlohmann::json;

namespace {

const std::string kCli = CASENOTE_BINARY_DIR "/casenote";
const std::string kGenerator = CASENOTE_SOURCE_DIR "/samples/generate_eval.py";

struct Options {
  std::string set;
  std::string exported;  // an export of the set already ingested, to skip the OCR run
};

// The index as plain lists, the way the rules see it.
class ListIndex : public PatientIndex {
 public:
  explicit ListIndex(std::vector<PatientRecord> patients) : patients_(std::move(patients)) {}
  Result<std::vector<PatientRecord>> with_nhs_number(const std::string& v) override {
    return where([&](const PatientRecord& p) { return !v.empty() && p.nhs_number == v; });
  }
  Result<std::vector<PatientRecord>> with_hospital_number(const std::string& v) override {
    return where([&](const PatientRecord& p) { return !v.empty() && p.hospital_number == v; });
  }
  Result<std::vector<PatientRecord>> born_on(const std::string& v) override {
    return where([&](const PatientRecord& p) { return p.date_of_birth == v; });
  }

 private:
  template <class Predicate>
  std::vector<PatientRecord> where(Predicate keep) const {
    std::vector<PatientRecord> out;
    for (const auto& p : patients_)
      if (keep(p)) out.push_back(p);
    return out;
  }
  std::vector<PatientRecord> patients_;
};

enum class Variant { Exact, Respelled, Absent, Twin, DobOff };

const char* variant_name(Variant v) {
  switch (v) {
    case Variant::Exact: return "exact";
    case Variant::Respelled: return "respelled";
    case Variant::Absent: return "absent";
    case Variant::Twin: return "twin";
    case Variant::DobOff: return "dob off by a day";
  }
  return "";
}

// Six in ten patients are held as they are; the rest each get one kind of trouble.
Variant variant_for(size_t i) {
  switch (i % 10) {
    case 6: return Variant::Respelled;
    case 7: return Variant::Absent;
    case 8: return Variant::Twin;
    case 9: return Variant::DobOff;
    default: return Variant::Exact;
  }
}

std::string respelled_given(const std::string& given) {
  static const std::map<std::string, std::string> nicknames{
      {"William", "Bill"}, {"Elizabeth", "Liz"}, {"John", "Jon"},     {"Robert", "Bob"},  {"James", "Jim"},
      {"Margaret", "Peggy"}, {"Thomas", "Tom"},  {"Michael", "Mike"}, {"David", "Dave"}, {"Peter", "Pete"}};
  std::string first = given.substr(0, given.find(' '));
  std::string rest = given.size() > first.size() ? given.substr(first.size()) : "";
  if (auto it = nicknames.find(first); it != nicknames.end()) return it->second + rest;
  // An OCR slip: one letter doubled in the first given name.
  return first.size() > 2 ? first.substr(0, 2) + first[1] + first.substr(2) + rest : given;
}

// The date of birth a clerk mistyped by one day.
std::string one_day_off(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d);
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d < 28 ? d + 1 : d - 1);
  return out;
}

// An NHS number nobody in the set holds, for a twin: 999 range, valid check digit.
std::string twin_nhs_number(size_t i) {
  for (size_t n = 900000000 + i * 97;; ++n) {
    std::string body = "999" + std::to_string(n).substr(3, 6);
    int sum = 0;
    for (int k = 0; k < 9; ++k) sum += (body[static_cast<size_t>(k)] - '0') * (10 - k);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check != 10) return body + static_cast<char>('0' + check);
  }
}

struct Scenario {
  std::vector<PatientRecord> index;
  std::map<std::string, std::string> patient_of_nhs;  // true NHS number -> id in the index, when held
  std::map<std::string, Variant> variant_of_nhs;      // true NHS number -> how the index holds them
  std::map<Variant, int> counts;
};

Scenario build_scenario(const std::vector<PatientRecord>& set_patients) {
  Scenario s;
  int next_id = 1;
  auto add = [&](PatientRecord p) {
    char id[24];
    std::snprintf(id, sizeof id, "P%06d", next_id++);
    p.id = id;
    s.index.push_back(p);
    return p.id;
  };
  for (size_t i = 0; i < set_patients.size(); ++i) {
    PatientRecord p = set_patients[i];
    Variant v = variant_for(i);
    ++s.counts[v];
    s.variant_of_nhs[p.nhs_number] = v;
    if (v == Variant::Absent) continue;
    if (v == Variant::Respelled) p.given_names = respelled_given(p.given_names);
    if (v == Variant::DobOff) p.date_of_birth = one_day_off(p.date_of_birth);
    std::string id = add(p);
    if (!p.nhs_number.empty()) s.patient_of_nhs[p.nhs_number] = id;
    if (v == Variant::Twin) {
      PatientRecord twin = p;
      twin.nhs_number = twin_nhs_number(i);
      twin.hospital_number = "T" + p.hospital_number;
      add(twin);
    }
  }
  return s;
}

DocumentFields fields_of(const json& exported) {
  static const std::map<std::string, FieldKind> kinds{
      {"nhs_number", FieldKind::NhsNumber},     {"hospital_number", FieldKind::HospitalNumber},
      {"patient_name", FieldKind::PatientName}, {"date_of_birth", FieldKind::DateOfBirth},
      {"postcode", FieldKind::Postcode},        {"document_date", FieldKind::DocumentDate}};
  DocumentFields fields;
  for (const auto& [key, field] : exported["fields"].items()) {
    auto kind = kinds.find(key);
    if (kind == kinds.end()) continue;
    fields.fields.emplace(kind->second, ExtractedField{kind->second, field["value"].get<std::string>(),
                                                       field["confidence"].get<double>(), field["page"].get<int>(),
                                                       {}, ""});
  }
  // Conflicts extraction found are review reasons the rules must honour.
  for (const auto& reason : exported["review_reasons"]) {
    std::string r = reason.get<std::string>();
    if (r.rfind("conflicting", 0) == 0 || r.find("label") != std::string::npos || r.find("unlabelled") != std::string::npos)
      fields.review_reasons.push_back(r);
  }
  return fields;
}

struct Tally {
  int documents = 0, patient_in_index = 0, filed = 0, filed_right = 0, misfiled = 0;
  int fileable = 0, fileable_filed_right = 0;
  long long pairs_predicted = 0, pairs_right = 0, pairs_true = 0;
};

struct Linked {
  std::string truth;     // the true patient's id in the index; empty when not held
  std::string filed_to;  // empty when sent to review
};

void score_pairs(const std::vector<Linked>& linked, Tally& t) {
  for (size_t a = 0; a < linked.size(); ++a)
    for (size_t b = a + 1; b < linked.size(); ++b) {
      bool same_truth = !linked[a].truth.empty() && linked[a].truth == linked[b].truth;
      bool same_filed = !linked[a].filed_to.empty() && linked[a].filed_to == linked[b].filed_to;
      t.pairs_true += same_truth;
      t.pairs_predicted += same_filed;
      t.pairs_right += same_truth && same_filed;
    }
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) o.set = argv[++i];
    else if (arg == "--export" && i + 1 < argc) o.exported = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_linking [--set DIR] [--export FILE.jsonl]\n");
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse_options(argc, argv);
  fs::path scratch = fs::temp_directory_path() / ("casenote-bench-linking-" + std::to_string(getpid()));
  fs::create_directories(scratch);
  fs::path set = options.set.empty() ? scratch / "set" : fs::path(options.set);
  if (options.set.empty()) {
    auto generated = bench::run_peer({"/usr/bin/python3", kGenerator, set.string()});
    if (!generated.ran) {
      std::fprintf(stderr, "bench_linking: generating the set failed:\n%s", generated.output.c_str());
      return 1;
    }
  }
  std::string exported_text;
  if (options.exported.empty()) {
    std::string db = (scratch / "linking.db").string();
    auto ingested = bench::run_peer({kCli, "ingest", "--db", db, "--archive", (scratch / "archive").string(), set.string()});
    auto exported = bench::run_peer({kCli, "export", "--db", db, "--format", "jsonl"});
    if (!exported.ran) {
      std::fprintf(stderr, "bench_linking: export failed:\n%s", exported.output.c_str());
      return 1;
    }
    exported_text = exported.output;
    std::printf("ingested the set in %.0f s\n", ingested.wall_ms / 1000);
  } else {
    exported_text = read_text(options.exported);
  }

  std::ifstream csv(set / "patients.csv");
  PatientCsv set_patients = parse_patient_csv(csv);
  Scenario scenario = build_scenario(set_patients.rows);
  json truth = json::parse(read_text(set / "ground_truth.json"));
  std::map<std::string, json> by_file;
  std::istringstream lines(exported_text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    json d = json::parse(line);
    by_file[fs::path(d["source"].get<std::string>()).filename().string()] = d;
  }

  struct Policy {
    const char* name;
    bool naive;
    LinkingPolicy rules;
  };
  const std::vector<Policy> policies{{"naive: any NHS number match", true, {}},
                                     {"casenote rules (default)", false, {}},
                                     {"casenote rules + name/DOB filing", false, {true, false}}};
  std::vector<Tally> tallies(policies.size());
  // Why the shipped rules did not file a document whose patient the index holds, or filed it wrongly.
  std::vector<std::string> not_filed_right;
  std::vector<std::vector<Linked>> linked(policies.size());
  ListIndex index(scenario.index);

  for (const auto& entry : truth) {
    std::string file = entry["file"];
    auto found = by_file.find(file);
    if (found == by_file.end()) continue;  // the input failed; the ingest said why
    // The person the document is about, also when the document states no usable NHS number.
    std::string true_nhs = entry.contains("patient") ? entry["patient"].value("nhs_number", "")
                                                     : entry["fields"].value("nhs_number", "");
    auto held = scenario.patient_of_nhs.find(true_nhs);
    std::string truth_id = held == scenario.patient_of_nhs.end() ? "" : held->second;
    // Fileable: the paper says nothing contradictory (the set expects it filed) and the index
    // holds the patient as they are, or respelled, or beside a twin; not with another birth date.
    auto variant = scenario.variant_of_nhs.find(true_nhs);
    bool fileable = entry.value("expected_status", "") == "filed" && variant != scenario.variant_of_nhs.end() &&
                    variant->second != Variant::Absent && variant->second != Variant::DobOff;
    DocumentFields fields = fields_of(found->second);
    auto matches = find_index_matches(fields, index);
    for (size_t k = 0; k < policies.size(); ++k) {
      std::string filed_to;
      if (policies[k].naive) {
        if (!matches->by_nhs_number.empty()) filed_to = matches->by_nhs_number.front().id;
      } else {
        FilingDecision decision = decide_filing(fields, *matches, policies[k].rules);
        if (decision.filed && decision.patient_id) filed_to = *decision.patient_id;
        if (k == 1 && !truth_id.empty() && filed_to != truth_id)
          not_filed_right.push_back(fmt::format("{:<28} {:<22} {}", file, entry.value("scenario", ""),
                                                filed_to.empty() ? fmt::format("review: {}", fmt::join(decision.reasons, "; "))
                                                                 : "filed to " + filed_to + " by " + decision.rule));
      }
      Tally& t = tallies[k];
      ++t.documents;
      t.patient_in_index += !truth_id.empty();
      t.fileable += fileable;
      t.fileable_filed_right += fileable && !filed_to.empty() && filed_to == truth_id;
      if (!filed_to.empty()) {
        ++t.filed;
        if (filed_to == truth_id) ++t.filed_right;
        else ++t.misfiled;
      }
      linked[k].push_back({truth_id, filed_to});
    }
  }

  std::printf("\nindex: %zu patients from the set's %zu;", scenario.index.size(), set_patients.rows.size());
  for (const auto& [variant, count] : scenario.counts) std::printf(" %s %d,", variant_name(variant), count);
  std::printf("\n\n%-34s %9s %10s %7s %9s %10s %9s %10s %8s\n", "policy", "documents", "in index", "filed", "misfiled",
              "auto-file", "fileable", "precision", "recall");
  for (size_t k = 0; k < policies.size(); ++k) {
    Tally& t = tallies[k];
    score_pairs(linked[k], t);
    auto pct = [](double a, double b) { return b > 0 ? 100.0 * a / b : 0.0; };
    std::printf("%-34s %9d %10d %7d %9d %9.1f%% %4d/%-4d %9.1f%% %7.1f%%\n", policies[k].name, t.documents,
                t.patient_in_index, t.filed, t.misfiled, pct(t.filed_right, t.patient_in_index),
                t.fileable_filed_right, t.fileable,
                pct(t.pairs_right, t.pairs_predicted), pct(t.pairs_right, t.pairs_true));
  }
  std::printf("\nnot filed to their own patient by the default rules, with the patient in the index:\n");
  for (const auto& line : not_filed_right) std::printf("  %s\n", line.c_str());
  std::printf("\nauto-file = documents filed to their own patient / documents whose patient is in the index;\n"
              "fileable = of those, the documents without a contradiction on the paper or in the index, filed right;\n"
              "precision and recall over pairs of documents filed to one patient vs pairs of one true patient.\n");
  fs::remove_all(scratch);
  return 0;
}
