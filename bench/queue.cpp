// bench_queue: what one shared PostgreSQL store costs an archive migration, against the OCR it
// coordinates, measured in one run on this machine:
//   1. a claim-and-file round trip per input (claim_input, mark_input_processing,
//      save_input_documents of a one-page document of 250 words), by 1, 2 and 4 clients at once,
//      on a throwaway PostgreSQL server, and on SQLite for reference;
//   2. pages per minute of `casenote worker` with 1 and then 2 worker processes (one page
//      worker each) on copies of the sample scans, and the OCR time per page that implies;
//   3. from those, how many hosts one PostgreSQL server could feed before the queue, not OCR,
//      is the limit.
// Usage: bench_queue [--inputs N] [--scans N]
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace casenote;
using namespace std::chrono_literals;

namespace {

const std::string kSource = CASENOTE_SOURCE_DIR;
const std::string kCasenote = CASENOTE_BINARY_DIR "/casenote";

// A PostgreSQL server of its own for one measurement (scripts/test-postgres.sh), so that each
// starts from an empty database.
class ThrowawayServer {
 public:
  // Through the shell with its output in a file: the server it leaves running would hold a pipe
  // open, and a reader waiting for the pipe's end would wait for ever.
  explicit ThrowawayServer(const std::string& dir) : dir_(dir) {
    if (std::system((kSource + "/scripts/test-postgres.sh start " + dir_ + " >/dev/null 2>&1").c_str()) != 0)
      throw std::runtime_error("cannot start PostgreSQL in " + dir_);
    std::ifstream(dir_ + "/url") >> url_;
  }
  ~ThrowawayServer() { std::system((kSource + "/scripts/test-postgres.sh stop " + dir_ + " >/dev/null 2>&1").c_str()); }
  const std::string& url() const { return url_; }

 private:
  std::string dir_;
  std::string url_;
};

// A typed one-page letter of about 250 words with boxes, five fields and a review reason: what
// filing one scanned page writes.
DocumentRecord synthetic_document(const std::string& id, const std::string& sha256) {
  DocumentRecord d;
  d.id = id;
  d.source = "/shared/" + id + ".tif";
  d.sha256 = sha256;
  d.document_type = "clinic_letter";
  d.status = "needs_review";
  d.review_reasons = {"no NHS number found"};
  PageRecord page;
  page.number = 1;
  for (int i = 0; i < 250; ++i) {
    WordRecord word;
    word.text = "word" + std::to_string(i);
    word.box = {40 + (i % 12) * 180, 200 + (i / 12) * 60, 150, 40};
    word.confidence = 90;
    word.line = i / 12;
    page.words.push_back(word);
    page.text += word.text + (i % 12 == 11 ? "\n" : " ");
  }
  d.pages = {page};
  d.text = page.text;
  for (const char* name : {"document_date", "date_of_birth", "postcode", "patient_name", "hospital_number"})
    d.fields.push_back({name, "value", 0.9, 1, {100, 100, 200, 40}});
  return d;
}

struct RoundTrips {
  double seconds = 0;
  int inputs = 0;
  std::vector<double> ms;  // each input's claim-and-file time, as its client saw it
  std::string error;
};

// `clients` threads, each with its own connection, claim and file inputs until none is left.
RoundTrips claim_and_file(const std::string& db, int inputs, int clients) {
  RoundTrips out;
  {
    auto store = open_store(db);
    if (!store) return out.error = store.error().message, out;
    std::vector<std::string> paths;
    for (int i = 0; i < inputs; ++i) paths.push_back(fmt::format("/shared/D{:06d}.tif", i));
    if (auto queued = (*store)->queue_inputs(paths); !queued) return out.error = queued.error().message, out;
  }
  std::vector<std::vector<double>> times(static_cast<size_t>(clients));
  std::vector<std::string> errors(static_cast<size_t>(clients));
  const double started = bench::wall_ms();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto store = open_store(db);
      if (!store) return void(errors[c] = store.error().message);
      const std::string worker = "bench:" + std::to_string(c);
      for (;;) {
        const double t0 = bench::wall_ms();
        auto path = (*store)->claim_input(worker, 60s);
        if (!path) return void(errors[c] = path.error().message);
        if (!*path) return;
        const std::string id = fs::path(**path).stem().string();
        const std::string sha256 = "sha-" + id;
        if (auto marked = (*store)->mark_input_processing(**path, sha256); !marked)
          return void(errors[c] = marked.error().message);
        DocumentRecord document = synthetic_document(id, sha256);
        document.source = **path;
        if (auto saved = (*store)->save_input_documents(**path, sha256, {document}); !saved)
          return void(errors[c] = saved.error().message);
        times[c].push_back(bench::wall_ms() - t0);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  out.seconds = (bench::wall_ms() - started) / 1000;
  for (int c = 0; c < clients; ++c) {
    if (!errors[c].empty()) out.error = errors[c];
    out.ms.insert(out.ms.end(), times[c].begin(), times[c].end());
  }
  out.inputs = static_cast<int>(out.ms.size());
  return out;
}

struct WorkerRun {
  double seconds = 0;
  int pages = 0;
  std::string error;
};

// Queues `scans` copies of the sample scans and runs `processes` workers until the queue is empty.
WorkerRun run_workers(const std::string& db, const fs::path& folder, int processes) {
  WorkerRun out;
  auto imported = bench::run_peer({kCasenote, "patients", "import", "--db", db, kSource + "/samples/patients.csv"});
  auto enqueued = bench::run_peer({kCasenote, "enqueue", "--db", db, folder.string()});
  if (enqueued.output.find("enqueued") == std::string::npos) return out.error = enqueued.output, out;
  const double started = bench::wall_ms();
  std::vector<std::thread> threads;
  std::vector<bench::PeerRun> runs(static_cast<size_t>(processes));
  for (int p = 0; p < processes; ++p)
    threads.emplace_back([&, p] {
      runs[p] = bench::run_peer({kCasenote, "worker", "--db", db, "--archive", (folder.parent_path() / "archive").string(),
                                 "--workers", "1", "--until-empty", "--name", "w" + std::to_string(p)});
    });
  for (auto& thread : threads) thread.join();
  out.seconds = (bench::wall_ms() - started) / 1000;
  for (const auto& run : runs) {
    // "N filed, M need review, ...; P pages in S s"
    auto at = run.output.find(" pages in ");
    if (at == std::string::npos) return out.error = run.output, out;
    auto start = run.output.rfind(' ', at - 1);
    out.pages += std::atoi(run.output.substr(start + 1, at - start - 1).c_str());
  }
  return out;
}

// Copies of the sample scans with different bytes (trailing bytes the readers ignore), so that
// each is its own input.
void write_scans(const fs::path& folder, int count) {
  fs::create_directories(folder);
  const char* samples[] = {"clinic_letter_smith.png", "clinic_letter_nowak.jpg", "lab_report_brown.tif",
                           "discharge_summary_okafor.tif"};
  for (int i = 0; i < count; ++i) {
    const std::string sample = samples[i % 4];
    std::ifstream in(kSource + "/samples/" + sample, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(folder / (std::to_string(i) + "-" + sample), std::ios::binary) << bytes << "copy " << i;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int inputs = 400, scans = 12;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--inputs") inputs = std::atoi(argv[i + 1]);
    if (flag == "--scans") scans = std::atoi(argv[i + 1]);
  }
  const fs::path work = fs::temp_directory_path() / fmt::format("casenote-bench-queue-{}", ::getpid());
  fs::create_directories(work);

  fmt::print("1. Claim and file, {} one-page inputs of 250 words (no OCR)\n\n", inputs);
  fmt::print("{:<12} {:>8} {:>10} {:>14} {:>14}\n", "store", "clients", "inputs/s", "median ms", "p90 ms");
  double best_rate = 0, single_ms = 0;
  for (int clients : {1, 2, 4}) {
    ThrowawayServer server((work / fmt::format("pg{}", clients)).string());
    RoundTrips trips = claim_and_file(server.url(), inputs, clients);
    if (!trips.error.empty()) {
      fmt::print("postgresql: {}\n", trips.error);
      return 1;
    }
    std::vector<double> sorted = trips.ms;
    std::sort(sorted.begin(), sorted.end());
    const double rate = trips.inputs / trips.seconds;
    best_rate = std::max(best_rate, rate);
    if (clients == 1) single_ms = bench::median(trips.ms);
    fmt::print("{:<12} {:>8} {:>10.1f} {:>14.2f} {:>14.2f}\n", "postgresql", clients, rate, bench::median(trips.ms),
               sorted[sorted.size() * 9 / 10]);
  }
  {
    RoundTrips trips = claim_and_file((work / "reference.db").string(), inputs, 1);
    if (trips.error.empty())
      fmt::print("{:<12} {:>8} {:>10.1f} {:>14.2f}\n", "sqlite", 1, trips.inputs / trips.seconds, bench::median(trips.ms));
  }

  fmt::print("\n2. casenote worker on {} scans (OMP_THREAD_LIMIT=1, one page worker per process)\n\n", scans);
  fmt::print("{:<10} {:>8} {:>10} {:>10} {:>14}\n", "processes", "pages", "seconds", "pages/min", "s/page/process");
  write_scans(work / "scans", scans);
  double one_process_pages_per_min = 0;
  for (int processes : {1, 2}) {
    ThrowawayServer server((work / fmt::format("pgw{}", processes)).string());
    WorkerRun run = run_workers(server.url(), work / "scans", processes);
    if (!run.error.empty()) {
      fmt::print("worker: {}\n", run.error);
      return 1;
    }
    const double per_min = run.pages / run.seconds * 60;
    if (processes == 1) one_process_pages_per_min = per_min;
    fmt::print("{:<10} {:>8} {:>10.1f} {:>10.1f} {:>14.2f}\n", processes, run.pages, run.seconds, per_min,
               run.seconds * processes / run.pages);
    fs::remove_all(work / "archive");
  }

  // A two-core host runs two worker processes; an input is about one page in a migration of
  // single letters, more for case notes, so one page per input is the queue's worst case.
  const double host_inputs_per_s = 2 * one_process_pages_per_min / 60;
  fmt::print("\n3. Projection\n\n");
  fmt::print("one claim-and-file round trip, one client: {:.2f} ms\n", single_ms);
  fmt::print("the store's filing rate at its best here: {:.0f} inputs/s (PostgreSQL sharing this machine's 2 cores "
             "with its clients)\n", best_rate);
  fmt::print("one 2-core host, two worker processes, one-page inputs: {:.2f} inputs/s\n", host_inputs_per_s);
  fmt::print("hosts one such PostgreSQL server feeds before the queue is the limit: about {:.0f}\n",
             best_rate / host_inputs_per_s);
  fs::remove_all(work);
  return 0;
}
