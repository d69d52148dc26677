// bench_extract: extraction scored on the evaluation set (samples/generate_eval.py), by running
// the real pipeline (casenote patients import, ingest, export), beside two peers measured in the
// same run on the same documents: a regular expression over casenote's own OCR text, and the
// `tesseract` command with the same regular expression.
//
//   bench_extract [--set DIR] [--workers N] [--no-tesseract] [--keep]
//
// Without --set the set is generated afresh into a temporary folder. Prints, per field kind:
// documents stating it, values right, accuracy, values wrong (including values where the
// document states none), values missed; then the same for the documents filed to a patient,
// and NHS numbers found on documents whose OCR text is readable.
#include <leptonica/allheaders.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "ocr/openmp_threads.h"
#include "bench/bench_support.h"
#include "bench/extraction_scoring.h"
#include "extract/dates.h"
#include "extract/nhs_number.h"
#include "pipeline/opencv_threads.h"
#include "pipeline/page_source.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace casenote;
using namespace casenote::bench;
using nlohmann::json;

namespace {

const std::string kCli = CASENOTE_BINARY_DIR "/casenote";
const std::string kGenerator = CASENOTE_SOURCE_DIR "/samples/generate_eval.py";

// Field kinds in the order the table lists them; any other kind follows.
const std::vector<std::string> kFieldOrder{"nhs_number",    "date_of_birth",  "patient_name",   "hospital_number",
                                           "postcode",      "document_date",  "clinic_date",    "admission_date",
                                           "discharge_date", "death_date",    "report_date",    "referral_date",
                                           "chi_number",    "hc_number"};

struct Options {
  std::string set;
  int workers = 2;
  bool tesseract = true;
  bool keep = false;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

[[noreturn]] void fail(const std::string& what, const PeerRun& run) {
  std::fprintf(stderr, "bench_extract: %s failed:\n%s\n", what.c_str(), run.output.c_str());
  std::exit(1);
}

PeerRun must_run(const std::string& what, const std::vector<std::string>& args) {
  PeerRun run = run_peer(args);
  if (!run.ran) fail(what, run);
  return run;
}

std::vector<std::string> ordered_keys(const std::map<std::string, FieldTally>& tallies) {
  std::vector<std::string> keys;
  for (const auto& key : kFieldOrder)
    if (tallies.contains(key)) keys.push_back(key);
  for (const auto& [key, tally] : tallies)
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  return keys;
}

void print_row(const FieldTally& t) {
  std::printf("%5d %6d %8.1f%% %6d %7d", t.expected, t.correct, 100 * t.accuracy(), t.wrong, t.missed);
}

void print_field_table(const ExtractionScore& score) {
  std::printf("\n%-16s %5s %6s %9s %6s %7s  | filed: %5s %6s %9s %6s %7s\n", "field", "docs", "right", "accuracy",
              "wrong", "missed", "docs", "right", "accuracy", "wrong", "missed");
  for (const std::string& key : ordered_keys(score.all)) {
    std::printf("%-16s ", key.c_str());
    print_row(score.all.at(key));
    std::printf("  |        ");
    auto filed = score.filed.find(key);
    print_row(filed == score.filed.end() ? FieldTally{} : filed->second);
    std::printf("\n");
  }
}

// --- The peers: what a regular expression over the text finds ---

// The first ten-digit number in the text, however grouped, that passes the NHS checksum.
std::optional<std::string> regex_nhs_number(const std::string& text) {
  static const std::regex number(R"(\b\d{3}[ -]?\d{3}[ -]?\d{4}\b)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
    std::string digits;
    for (char c : it->str())
      if (c >= '0' && c <= '9') digits += c;
    if (nhs_number_valid(digits)) return digits;
  }
  return std::nullopt;
}

// The first date after a birth label, read with casenote's own date parser.
std::optional<std::string> regex_date_of_birth(const std::string& text, Date today) {
  static const std::regex label(R"((?:DOB|D\.O\.B\.?|Date of [Bb]irth|Born)\W*(\S+)(?: (\S+) (\S+))?)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), label); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    for (std::string candidate : {m[1].str() + " " + m[2].str() + " " + m[3].str(), m[1].str()})
      if (auto date = parse_date_not_after(candidate, today)) return date->iso();
  }
  return std::nullopt;
}

struct PeerScore {
  FieldTally nhs_number;
  FieldTally date_of_birth;
  double seconds_per_page = 0;  // median; 0 when not timed
};

json* value_or_null(std::optional<std::string>& value, json& holder) {
  if (!value) return nullptr;
  holder = *value;
  return &holder;
}

void tally_peer(PeerScore& score, const json& truth_entry, const std::string& text) {
  const json& fields = truth_entry["fields"];
  auto nhs = regex_nhs_number(text);
  auto dob = regex_date_of_birth(text, local_today());
  json nhs_holder, dob_holder;
  tally(score.nhs_number, fields.contains("nhs_number") ? &fields["nhs_number"] : nullptr,
        value_or_null(nhs, nhs_holder));
  tally(score.date_of_birth, fields.contains("date_of_birth") ? &fields["date_of_birth"] : nullptr,
        value_or_null(dob, dob_holder));
}

// The regular expression over the text casenote's OCR gave: what labels, layout and checks add.
PeerScore regex_on_casenote_text(const json& truth, const std::map<std::string, json>& exported) {
  PeerScore score;
  for (const json& entry : truth) {
    auto found = exported.find(entry["file"].get<std::string>());
    tally_peer(score, entry, found == exported.end() ? "" : found->second["text"].get<std::string>());
  }
  return score;
}

// The `tesseract` command on each page as casenote loads it (written out losslessly), with the
// regular expression over its text. It neither turns nor deskews pages.
PeerScore regex_on_tesseract_text(const json& truth, const fs::path& set, const fs::path& scratch) {
  PeerScore score;
  std::vector<double> page_seconds;
  fs::create_directories(scratch);
  for (const json& entry : truth) {
    std::string text;
    auto source = open_page_source((set / entry["file"].get<std::string>()).string());
    for (int i = 0; source && i < (*source)->page_count(); ++i) {
      auto image = (*source)->page(i);
      if (!image) continue;
      std::string png = (scratch / "page.png").string();
      pixWrite(png.c_str(), image->pix(), IFF_PNG);
      PeerRun run = run_peer({"tesseract", png, "stdout"});
      page_seconds.push_back(run.wall_ms / 1000);
      text += run.output + "\n";
    }
    tally_peer(score, entry, text);
  }
  score.seconds_per_page = median(page_seconds);
  return score;
}

void print_peer(const char* name, const PeerScore& score, const char* seconds) {
  std::printf("%-34s ", name);
  print_row(score.nhs_number);
  std::printf("  | ");
  print_row(score.date_of_birth);
  std::printf("  %s\n", seconds);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) {
      options.set = argv[++i];
    } else if (arg == "--workers" && i + 1 < argc) {
      options.workers = std::atoi(argv[++i]);
    } else if (arg == "--no-tesseract") {
      options.tesseract = false;
    } else if (arg == "--keep") {
      options.keep = true;
    } else {
      std::fprintf(stderr, "usage: bench_extract [--set DIR] [--workers N] [--no-tesseract] [--keep]\n");
      std::exit(2);
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  // Every OCR process single-threaded, as a casenote worker runs.
  restart_with_one_openmp_thread(argv);
  hold_opencv_to_one_thread();
  Options options = parse_options(argc, argv);
  fs::path work = fs::temp_directory_path() / ("casenote-bench-extract-" + std::to_string(getpid()));
  fs::create_directories(work);
  fs::permissions(work, fs::perms::owner_all);
  fs::path set = options.set.empty() ? work / "set" : fs::path(options.set);
  if (options.set.empty()) must_run("generating the evaluation set", {"/usr/bin/python3", kGenerator, set.string()});
  json truth = json::parse(read_text(set / "ground_truth.json"));
  std::string db = (work / "bench.db").string();

  must_run("patients import", {kCli, "patients", "import", "--db", db, (set / "patients.csv").string()});
  PeerRun ingest = must_run("ingest", {kCli, "ingest", "--db", db, "--workers", std::to_string(options.workers), set.string()});
  must_run("export", {kCli, "export", "--db", db, "--format", "jsonl", "--output", (work / "export.jsonl").string()});
  std::map<std::string, json> exported = documents_by_file(read_text(work / "export.jsonl"));
  auto store = open_sqlite_store(db);
  if (!store) fail("opening the store", PeerRun{false, store.error().message});
  ExtractionScore score = score_extraction(truth, exported, [&](const std::string& id) -> std::optional<std::string> {
    auto patient = (*store)->patient(id);
    if (!patient || !*patient) return std::nullopt;
    return (*patient)->nhs_number;
  });

  int pages = 0;
  for (const json& entry : truth) pages += static_cast<int>(entry["pages"].size());
  std::printf("Extraction on the evaluation set: %d documents, %d pages (%s)\n", score.documents, pages,
              set.string().c_str());
  std::printf("casenote ingest: %.0f s wall with %d workers, %.2f s/page\n", ingest.wall_ms / 1000, options.workers,
              ingest.wall_ms / 1000 / pages);
  print_field_table(score);

  const FieldTally& readable = score.readable["nhs_number"];
  std::printf("\nNHS numbers on readable documents (every page within %.0f%% character error rate): %d of %d found "
              "(%.1f%%), %d wrong\n",
              100 * kReadableCharacterErrorRate, readable.correct, readable.expected, 100 * readable.accuracy(),
              readable.wrong);
  std::printf("Documents: %d exported of %d; %d filed (%d to the wrong patient), %d expected filed by the ground "
              "truth; status as expected for %d; document type right for %d\n",
              score.documents - score.not_exported, score.documents, score.filed_documents,
              score.filed_to_wrong_patient, score.expected_filed, score.status_as_expected, score.type_correct);

  std::printf("\nPeers on the same documents%s\n", options.tesseract ? "" : " (tesseract skipped)");
  std::printf("%-34s %5s %6s %9s %6s %7s  | %5s %6s %9s %6s %7s  %s\n", "nhs_number | date_of_birth", "docs", "right",
              "accuracy", "wrong", "missed", "docs", "right", "accuracy", "wrong", "missed", "median s/page");
  PeerScore ours{score.all["nhs_number"], score.all["date_of_birth"]};
  char ours_seconds[64];
  std::snprintf(ours_seconds, sizeof ours_seconds, "%.2f (wall/pages, %d workers)", ingest.wall_ms / 1000 / pages,
                options.workers);
  print_peer("casenote", ours, ours_seconds);
  print_peer("regex over casenote's OCR text", regex_on_casenote_text(truth, exported), "-");
  if (options.tesseract) {
    PeerScore tesseract = regex_on_tesseract_text(truth, set, work / "tesseract");
    char seconds[64];
    std::snprintf(seconds, sizeof seconds, "%.2f (1 process)", tesseract.seconds_per_page);
    print_peer("regex over tesseract CLI text", tesseract, seconds);
  }
  if (options.keep)
    std::printf("\nkept %s\n", work.string().c_str());
  else
    fs::remove_all(work);
  return 0;
}
