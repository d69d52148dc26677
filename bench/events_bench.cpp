// bench_events: events and clinical codes scored on the events evaluation set
// (samples/generate_events_eval.py) through the real pipeline (casenote patients import, ingest),
// beside two peers read off the same run: the document's dated fields (what extraction gave
// before events: one date per labelled kind, no details) for events, and a regular expression
// over casenote's own OCR text (code shapes without context or sections) for codes.
//
// Usage: bench_events [--set DIR] [--workers N] [--keep]
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "ocr/openmp_threads.h"
#include "pipeline/opencv_threads.h"
#include "bench/bench_support.h"
#include "extract/clinical_codes.h"
#include "store/store.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace casenote;
using namespace casenote::bench;

namespace {

const std::string kCli = CASENOTE_BINARY_DIR "/casenote";
const std::string kGenerator = CASENOTE_SOURCE_DIR "/samples/generate_events_eval.py";
const char* const kKinds[] = {"admission", "transfer",     "discharge",        "death",
                              "referral",  "waiting_list", "clinic_attendance"};
const char* const kSystems[] = {"icd10", "opcs4", "snomed_ct"};
const char* const kDetails[] = {"ward", "specialty", "method", "from", "to", "destination", "priority", "procedure",
                                "clinic"};
// The dated fields a document had before events, by the event kind each stands for.
const std::map<std::string, std::string> kDateFields{{"admission", "admission_date"},
                                                     {"discharge", "discharge_date"},
                                                     {"death", "death_date"},
                                                     {"referral", "referral_date"},
                                                     {"clinic_attendance", "clinic_date"}};

struct Options {
  std::string set;
  int workers = 2;
  bool keep = false;
};

[[noreturn]] void fail(const std::string& doing, const std::string& why) {
  std::fprintf(stderr, "bench_events: %s failed\n%s\n", doing.c_str(), why.c_str());
  std::exit(1);
}

PeerRun must_run(const std::string& doing, const std::vector<std::string>& args) {
  PeerRun run = run_peer(args);
  if (!run.ran) fail(doing, run.output);
  return run;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string folded(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Found, wrong and missed values of one kind (or system) over every document.
struct Tally {
  int truth = 0;
  int found = 0;
  int wrong = 0;
  int missed = 0;
  int details_stated = 0;  // details the truth states on found events (phrases, for codes)
  int details_right = 0;
  int details_invented = 0;  // details read that the truth does not state

  void add(const std::set<std::string>& expected, const std::set<std::string>& read) {
    truth += static_cast<int>(expected.size());
    for (const auto& value : read) (expected.count(value) ? found : wrong) += 1;
    for (const auto& value : expected) missed += read.count(value) ? 0 : 1;
  }
  double accuracy() const { return truth ? 100.0 * found / truth : 0; }
};

std::string detail_of(const EventRecord& e, const std::string& name) {
  const std::map<std::string, const std::string*> details{
      {"ward", &e.ward},       {"specialty", &e.specialty},     {"method", &e.method},
      {"from", &e.from},       {"to", &e.to},                   {"destination", &e.destination},
      {"priority", &e.priority}, {"procedure", &e.procedure},   {"clinic", &e.clinic}};
  return *details.at(name);
}

void score_event_details(const json& expected, const std::vector<EventRecord>& read, Tally& tally) {
  for (const json& event : expected) {
    auto match = std::find_if(read.begin(), read.end(), [&](const EventRecord& e) {
      return e.kind == event["kind"] && e.date == event["date"];
    });
    if (match == read.end()) continue;
    for (const char* name : kDetails) {
      std::string value = detail_of(*match, name);
      if (event.contains(name)) {
        ++tally.details_stated;
        if (folded(value) == folded(event[name].get<std::string>())) ++tally.details_right;
      } else if (!value.empty()) {
        ++tally.details_invented;
      }
    }
  }
}

// Letter, two digits, point and digits as ICD-10, and Verhoeff-valid concept-shaped numbers as
// SNOMED CT, wherever they stand: what the shapes alone give without the words around them.
std::map<std::string, std::set<std::string>> codes_by_regex(const std::string& text) {
  std::map<std::string, std::set<std::string>> found;
  static const std::regex dotted(R"(\b[A-Z][0-9]{2}\.[0-9]{1,2}\b)");
  static const std::regex digits(R"(\b[1-9][0-9]{5,17}\b)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), dotted); it != std::sregex_iterator(); ++it)
    found["icd10"].insert(it->str());
  for (auto it = std::sregex_iterator(text.begin(), text.end(), digits); it != std::sregex_iterator(); ++it)
    if (is_snomed_concept_id(it->str())) found["snomed_ct"].insert(it->str());
  return found;
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) {
      options.set = argv[++i];
    } else if (arg == "--workers" && i + 1 < argc) {
      options.workers = std::atoi(argv[++i]);
    } else if (arg == "--keep") {
      options.keep = true;
    } else {
      std::fprintf(stderr, "usage: bench_events [--set DIR] [--workers N] [--keep]\n");
      std::exit(2);
    }
  }
  return options;
}

void print_row(const char* name, const Tally& t, const Tally* peer) {
  std::printf("%-18s %5d %5d %5d %6d %8.1f%%   %3d/%-3d %4d", name, t.truth, t.found, t.wrong, t.missed, t.accuracy(),
              t.details_right, t.details_stated, t.details_invented);
  if (peer)
    std::printf("   | %5d %5d %6d %8.1f%%\n", peer->found, peer->wrong, peer->missed, peer->accuracy());
  else
    std::printf("   |     -     -      -         -\n");
}

}  // namespace

int main(int argc, char** argv) {
  // Every OCR process single-threaded, as a casenote worker runs.
  restart_with_one_openmp_thread(argv);
  hold_opencv_to_one_thread();
  Options options = parse_options(argc, argv);
  fs::path work = fs::temp_directory_path() / ("casenote-bench-events-" + std::to_string(getpid()));
  fs::create_directories(work);
  fs::permissions(work, fs::perms::owner_all);
  fs::path set = options.set.empty() ? work / "set" : fs::path(options.set);
  if (options.set.empty())
    must_run("generating the events evaluation set", {"/usr/bin/python3", kGenerator, set.string()});
  json truth = json::parse(read_text(set / "events_truth.json"));
  std::string db = (work / "bench.db").string();

  must_run("patients import", {kCli, "patients", "import", "--db", db, (set / "patients.csv").string()});
  // ingest exits 1 when an input failed; failures are counted below, not fatal here.
  PeerRun ingest = run_peer({kCli, "ingest", "--db", db, "--workers", std::to_string(options.workers), set.string()});
  auto opened = open_sqlite_store(db);
  if (!opened) fail("opening the store", opened.error().message);
  Store& store = **opened;
  auto inputs = store.inputs();
  if (!inputs) fail("listing inputs", inputs.error().message);

  std::map<std::string, Tally> events, fields, codes, regex;
  int documents = 0, filed = 0, in_review = 0, failed = 0, impossible = 0, impossible_flagged = 0;
  for (const json& entry : truth) {
    ++documents;
    std::string file = entry["file"];
    auto input = std::find_if(inputs->begin(), inputs->end(),
                              [&](const InputRecord& r) { return fs::path(r.path).filename() == file; });
    std::optional<DocumentRecord> document;
    if (input != inputs->end() && input->document_id) {
      auto read = store.document(*input->document_id);
      if (!read) fail("reading " + file, read.error().message);
      document = *read;
    }
    if (!document) ++failed;
    else (document->status == "filed" ? filed : in_review) += 1;
    if (entry.contains("expected_review_reason")) {
      ++impossible;
      if (document && std::count(document->review_reasons.begin(), document->review_reasons.end(),
                                 entry["expected_review_reason"].get<std::string>()))
        ++impossible_flagged;
    }
    const std::vector<EventRecord> read_events = document ? document->events : std::vector<EventRecord>{};
    for (const char* kind : kKinds) {
      std::set<std::string> expected, read, from_fields;
      for (const json& e : entry["events"])
        if (e["kind"] == kind) expected.insert(e["date"].get<std::string>());
      for (const EventRecord& e : read_events)
        if (e.kind == kind) read.insert(e.date);
      events[kind].add(expected, read);
      if (auto field = kDateFields.find(kind); field != kDateFields.end()) {
        if (document)
          for (const FieldRecord& f : document->fields)
            if (f.name == field->second) from_fields.insert(f.value);
        fields[kind].add(expected, from_fields);
      }
    }
    for (const char* kind : kKinds) {
      json of_kind = json::array();
      for (const json& e : entry["events"])
        if (e["kind"] == kind) of_kind.push_back(e);
      score_event_details(of_kind, read_events, events[kind]);
    }

    auto regex_codes = codes_by_regex(document ? document->text : "");
    for (const char* system : kSystems) {
      std::set<std::string> expected, read;
      std::map<std::string, std::string> phrases;
      for (const json& c : entry["codes"])
        if (c["system"] == system) {
          expected.insert(c["code"].get<std::string>());
          phrases[c["code"]] = c["phrase"];
        }
      if (document)
        for (const ClinicalCodeRecord& c : document->clinical_codes)
          if (c.system == system) {
            read.insert(c.code);
            auto phrase = phrases.find(c.code);
            if (phrase == phrases.end() || phrase->second.empty()) continue;
            ++codes[system].details_stated;
            if (folded(c.phrase) == folded(phrase->second)) ++codes[system].details_right;
          }
      codes[system].add(expected, read);
      regex[system].add(expected, regex_codes[system]);
    }
  }

  std::printf("Events and clinical codes on the events evaluation set: %d documents, one page each (%s)\n", documents,
              set.string().c_str());
  std::printf("casenote ingest: %.0f s wall with %d workers, %.2f s/page; %d filed, %d in review, %d not stored\n",
              ingest.wall_ms / 1000, options.workers, ingest.wall_ms / 1000 / documents, filed, in_review, failed);
  std::printf("Discharge before admission: %d of %d such documents sent to review with that reason\n\n",
              impossible_flagged, impossible);

  std::printf("%-18s %5s %5s %5s %6s %9s   %7s %4s   | %s\n", "event kind", "truth", "found", "wrong", "missed",
              "accuracy", "details", "inv.", "peer: the document's dated fields (found wrong missed accuracy)");
  for (const char* kind : kKinds) {
    auto peer = fields.find(kind);
    print_row(kind, events[kind], peer == fields.end() ? nullptr : &peer->second);
  }
  std::printf("\n%-18s %5s %5s %5s %6s %9s   %7s %4s   | %s\n", "code system", "truth", "found", "wrong", "missed",
              "accuracy", "phrases", "", "peer: regex over casenote's OCR text (found wrong missed accuracy)");
  for (const char* system : kSystems) print_row(system, codes[system], &regex[system]);
  std::printf("\n'found' is an exact date (code) on the document it belongs to; 'wrong' one read that the truth does "
              "not hold; 'details' right/stated on found events; 'inv.' details read that the document does not "
              "state.\n");

  if (!options.keep) fs::remove_all(work);
  else std::printf("kept %s\n", work.string().c_str());
  return 0;
}
