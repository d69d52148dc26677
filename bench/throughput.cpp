// bench_throughput: pages per minute of a whole ingest against the practical limit and a peer,
// on the same N pages in one run, and casenote's peak memory at N and 5xN pages.
//
//   casenote      `casenote ingest` of one N-page PDF, default workers
//   tesseract     the `tesseract` command over the same pages already prepared (upright,
//                 deskewed, binarised by casenote), two processes at a time: the OCR alone
//   ocrmypdf      `ocrmypdf -j 2 --deskew --rotate-pages --sidecar` of the same PDF
//
// Pages: the samples' pages, and the shared corpus's typed letters and scans when present,
// repeated in turn up to N. Peak memory is that of casenote and its page workers together
// (the sum of their resident sizes, sampled every 50 ms), for one N-page PDF and for five
// different N-page PDFs in one batch.
//
// Usage: bench_throughput [--pages N] [--runs R] [--casenote PATH]
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "ocr/openmp_threads.h"
#include "bench/bench_support.h"
#include "ocr/orientation.h"
#include "pipeline/opencv_threads.h"
#include "pipeline/page_source.h"
#include "pipeline/prepare.h"

namespace fs = std::filesystem;
using namespace casenote;
using namespace casenote::bench;

namespace {

struct Options {
  int pages = 40;
  int runs = 1;
  std::string casenote = CASENOTE_BINARY_DIR "/casenote";
};

struct PixFree {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};

// The distinct pages the N pages are drawn from: every page of the samples, then the corpus's.
std::vector<std::pair<std::string, int>> page_pool() {
  std::vector<std::pair<std::string, int>> pool;
  const fs::path samples = CASENOTE_SOURCE_DIR "/samples";
  for (const char* name : {"clinic_letter_smith.png", "discharge_summary_okafor.tif", "lab_report_patel.pdf",
                           "referral_jones.pdf", "clinic_letter_nowak.jpg", "lab_report_brown.tif"}) {
    auto source = open_page_source((samples / name).string());
    if (!source) continue;
    for (int i = 0; i < (*source)->page_count(); ++i) pool.emplace_back((samples / name).string(), i);
  }
  const fs::path corpus = "/work/shared/corpus";
  for (const char* name : {"stanford-memorials-1905/Lettre42.jpg", "stanford-memorials-1905/Lettre46.jpg",
                           "stanford-memorials-1905/Lettre49.jpg", "stanford-memorials-1905/Lettre50.jpg",
                           "stanford-memorials-1905/Lettre60.jpg", "ocrmypdf/linn.png",
                           "deskew-testimages/galfar-3.png", "deskew-testimages/galfar-4.png"})
    if (fs::exists(corpus / name)) pool.emplace_back((corpus / name).string(), 0);
  return pool;
}

// Writes each pool page as a grey JPEG (what img2pdf embeds unchanged) and, prepared by
// casenote, as the binarised PNG the tesseract command reads.
bool write_pages(const std::vector<std::pair<std::string, int>>& pool, const fs::path& dir,
                 std::vector<std::string>& jpegs, std::vector<std::string>& prepared) {
  auto detector = OrientationDetector::create("");
  if (!detector) {
    std::fprintf(stderr, "bench_throughput: %s\n", detector.error().message.c_str());
    return false;
  }
  for (size_t i = 0; i < pool.size(); ++i) {
    auto source = open_page_source(pool[i].first);
    if (!source) return false;
    auto page = (*source)->page(pool[i].second);
    if (!page) return false;
    std::unique_ptr<Pix, PixFree> grey(pixConvertTo8(page->pix(), 0));
    if (pixGetXRes(page->pix()) > 0)
      pixCopyResolution(grey.get(), page->pix());
    else
      pixSetResolution(grey.get(), 300, 300);
    std::string jpeg = (dir / ("page" + std::to_string(i) + ".jpg")).string();
    if (pixWriteJpeg(jpeg.c_str(), grey.get(), 90, 0) != 0) return false;
    jpegs.push_back(jpeg);

    PreparedPage ready = prepare_page(*page, **detector, PrepareSettings{});
    std::string png = (dir / ("prepared" + std::to_string(i) + ".png")).string();
    if (pixWrite(png.c_str(), ready.image.pix(), IFF_PNG) != 0) return false;
    prepared.push_back(png);
  }
  return true;
}

// An N-page PDF of the pool's pages in turn, starting `offset` pages in, so that PDFs made with
// different offsets hold different bytes.
bool make_pdf(const std::vector<std::string>& jpegs, int pages, int offset, const std::string& pdf) {
  std::vector<std::string> args = {"img2pdf", "-o", pdf};
  for (int i = 0; i < pages; ++i) args.push_back(jpegs[static_cast<size_t>(i + offset) % jpegs.size()]);
  return run_peer(args).ran;
}

// The resident memory of `root` and its descendants, in MiB.
double tree_rss_mib(pid_t root) {
  std::map<pid_t, pid_t> parent;
  std::map<pid_t, long> rss_pages;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    std::string state;
    long ppid = 0;
    fields >> state >> ppid;
    std::ifstream statm(entry.path() / "statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    parent[pid] = static_cast<pid_t>(ppid);
    rss_pages[pid] = resident;
  }
  long total = 0;
  for (const auto& [pid, pages] : rss_pages) {
    for (pid_t p = pid; p > 1; p = parent.count(p) ? parent[p] : 0) {
      if (p == root) {
        total += pages;
        break;
      }
    }
  }
  return total * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024 * 1024);
}

struct CasenoteRun {
  bool ok = false;
  double wall_ms = 0;
  double peak_mib = 0;
  int pages = 0;
};

// Runs `casenote ingest` on `inputs` into a fresh database, sampling its memory.
CasenoteRun run_casenote(const Options& options, const std::vector<std::string>& inputs, const fs::path& dir) {
  CasenoteRun run;
  std::string db = (dir / ("run" + std::to_string(getpid()) + std::to_string(wall_ms()) + ".db")).string();
  std::vector<std::string> args = {options.casenote, "ingest", "--db", db};
  args.insert(args.end(), inputs.begin(), inputs.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::string log = db + ".log";
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  const double started = wall_ms();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ) != 0) return run;
  posix_spawn_file_actions_destroy(&files);
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      run.peak_mib = std::max(run.peak_mib, tree_rss_mib(pid));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  int status = 0;
  waitpid(pid, &status, 0);
  run.wall_ms = wall_ms() - started;
  done = true;
  sampler.join();
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  double pages = 0;
  read_number(output.str(), "duplicates; ", pages);
  run.pages = static_cast<int>(pages);
  run.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!run.ok) std::fprintf(stderr, "casenote failed:\n%s\n", output.str().c_str());
  return run;
}

// Runs the tesseract command over each image, `parallel` at a time; the wall time of them all.
double run_tesseract(const std::vector<std::string>& images, int parallel, bool& ok) {
  std::mutex mutex;
  size_t next = 0;
  ok = true;
  const double started = wall_ms();
  std::vector<std::thread> lanes;
  for (int lane = 0; lane < parallel; ++lane) {
    lanes.emplace_back([&] {
      for (;;) {
        std::string image;
        {
          std::lock_guard lock(mutex);
          if (next == images.size()) return;
          image = images[next++];
        }
        // PSM 4 (a single column of lines) is the segmentation casenote's engine uses.
        auto run = run_peer({"tesseract", image, "stdout", "-l", "eng", "--psm", "4"});
        if (!run.ran) {
          std::lock_guard lock(mutex);
          ok = false;
        }
      }
    });
  }
  for (auto& lane : lanes) lane.join();
  return wall_ms() - started;
}

double per_minute(int pages, double ms) { return ms > 0 ? pages * 60000.0 / ms : 0; }

}  // namespace

int main(int argc, char** argv) {
  // Every OCR engine here, casenote's, tesseract's and OCRmyPDF's, runs single-threaded.
  restart_with_one_openmp_thread(argv);
  hold_opencv_to_one_thread();
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--pages") options.pages = std::atoi(argv[i + 1]);
    else if (flag == "--runs") options.runs = std::atoi(argv[i + 1]);
    else if (flag == "--casenote") options.casenote = argv[i + 1];
  }
  const int n = options.pages;
  fs::path dir = fs::temp_directory_path() / ("casenote-throughput-" + std::to_string(getpid()));
  fs::create_directories(dir);

  auto pool = page_pool();
  std::vector<std::string> jpegs, prepared;
  if (pool.empty() || !write_pages(pool, dir, jpegs, prepared)) {
    std::fprintf(stderr, "bench_throughput: cannot make the pages\n");
    return 1;
  }
  std::string pdf = (dir / "pages.pdf").string();
  std::vector<std::string> five_pdfs;
  for (int k = 0; k < 5; ++k) five_pdfs.push_back((dir / ("batch" + std::to_string(k) + ".pdf")).string());
  bool made = make_pdf(jpegs, n, 0, pdf);
  for (int k = 0; k < 5 && made; ++k) made = make_pdf(jpegs, n, k + 1, five_pdfs[static_cast<size_t>(k)]);
  if (!made) {
    std::fprintf(stderr, "bench_throughput: img2pdf failed\n");
    return 1;
  }
  std::vector<std::string> prepared_n;
  for (int i = 0; i < n; ++i) prepared_n.push_back(prepared[static_cast<size_t>(i) % prepared.size()]);

  std::printf("%d pages drawn in turn from %zu distinct pages; %d run(s); %u cores\n\n", n, pool.size(),
              options.runs, std::thread::hardware_concurrency());
  std::vector<double> casenote_ms, tesseract_ms, ocrmypdf_ms, peak_n;
  for (int r = 0; r < options.runs; ++r) {
    CasenoteRun ours = run_casenote(options, {pdf}, dir);
    if (!ours.ok || ours.pages != n) {
      std::fprintf(stderr, "bench_throughput: casenote ingested %d of %d pages\n", ours.pages, n);
      return 1;
    }
    casenote_ms.push_back(ours.wall_ms);
    peak_n.push_back(ours.peak_mib);

    bool ok = false;
    tesseract_ms.push_back(run_tesseract(prepared_n, 2, ok));
    if (!ok) std::fprintf(stderr, "bench_throughput: a tesseract run failed\n");

    auto peer = run_peer({"ocrmypdf", "-j", "2", "--deskew", "--rotate-pages", "--sidecar",
                          (dir / "sidecar.txt").string(), pdf, (dir / "ocrmypdf-out.pdf").string()});
    if (!peer.ran) std::fprintf(stderr, "bench_throughput: ocrmypdf failed:\n%s\n", peer.output.c_str());
    ocrmypdf_ms.push_back(peer.wall_ms);
  }
  CasenoteRun five = run_casenote(options, five_pdfs, dir);

  const double ours = per_minute(n, median(casenote_ms));
  const double limit = per_minute(n, median(tesseract_ms));
  const double peer = per_minute(n, median(ocrmypdf_ms));
  std::printf("| way | median wall s | pages/min | casenote / this |\n|---|---:|---:|---:|\n");
  std::printf("| casenote ingest (default workers) | %.1f | %.1f | 1.00 |\n", median(casenote_ms) / 1000, ours);
  std::printf("| tesseract x2 on prepared pages | %.1f | %.1f | %.2f |\n", median(tesseract_ms) / 1000, limit,
              limit > 0 ? ours / limit : 0);
  std::printf("| ocrmypdf -j 2 --deskew --rotate-pages | %.1f | %.1f | %.2f |\n\n", median(ocrmypdf_ms) / 1000, peer,
              peer > 0 ? ours / peer : 0);
  std::printf("| casenote peak memory | pages | MiB |\n|---|---:|---:|\n");
  std::printf("| one %d-page PDF (median) | %d | %.0f |\n", n, n, median(peak_n));
  std::printf("| five %d-page PDFs | %d | %.0f |\n", n, five.pages, five.peak_mib);
  std::printf("\n5xN / N peak memory: %.2f; 5xN run: %.1f pages/min%s\n", median(peak_n) > 0 ? five.peak_mib / median(peak_n) : 0,
              per_minute(five.pages, five.wall_ms), five.ok ? "" : " (FAILED)");
  fs::remove_all(dir);
  return 0;
}
