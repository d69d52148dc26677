// Page preparation against known truth: skew error, orientation and blank accuracy, and time
// per page, for casenote's prepare_page and, with --peers, for the Tesseract command line as
// OCRmyPDF runs it (--psm 0 for --rotate-pages, --psm 2 for --deskew), measured in the same run.
//
//   bench/prepare [--samples DIR] [--corpus DIR] [--peers] [--ocr] [--verbose]
//
// It uses only prepare_page's oldest interface, so the same source measures earlier versions.
#include <leptonica/allheaders.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ocr/openmp_threads.h"
#include "bench/bench_support.h"
#include "bench/page_sets.h"
#include "ocr/ocr_engine.h"
#include "ocr/orientation.h"
#include "pipeline/opencv_threads.h"
#include "pipeline/prepare.h"

namespace fs = std::filesystem;
using namespace casenote;
using namespace casenote::bench;

namespace {

// What one method made of the pages of one set.
struct Tally {
  int pages = 0, rotation_known = 0, rotation_right = 0, blank_known = 0, blank_right = 0;
  std::vector<double> skew_errors, cpu_ms, wall_ms, ocr_cpu_ms;
  std::vector<double> page_shares;  // each OCR'd page's preparation over its own OCR

  void add_rotation(const BenchPage& page, int found) {
    if (!page.rotation) return;
    ++rotation_known;
    if (found == *page.rotation) ++rotation_right;
  }
  void add_skew(const BenchPage& page, double found) {
    if (page.skew) skew_errors.push_back(std::abs(found - *page.skew));
  }
};

std::string mean_of(const std::vector<double>& values) {
  if (values.empty()) return "-";
  double sum = 0;
  for (double v : values) sum += v;
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", sum / values.size());
  return text;
}

std::string max_of(const std::vector<double>& values) {
  if (values.empty()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", *std::max_element(values.begin(), values.end()));
  return text;
}

std::string ratio(int right, int known) {
  if (known == 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%d/%d", right, known);
  return text;
}

std::string ms(const std::vector<double>& values) {
  if (values.empty()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", median(values));
  return text;
}

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * share);
  return text;
}

void print_row(const std::string& set, const std::string& method, const Tally& t) {
  std::string share = "-", page_share = "-";
  if (!t.ocr_cpu_ms.empty() && !t.cpu_ms.empty()) share = percent(median(t.cpu_ms) / median(t.ocr_cpu_ms));
  if (!t.page_shares.empty()) page_share = percent(median(t.page_shares));
  std::printf("| %-22s | %-18s | %5d | %5zu | %7s | %7s | %9s | %7s | %7s | %7s | %8s | %7s | %10s |\n", set.c_str(),
              method.c_str(), t.pages, t.skew_errors.size(), mean_of(t.skew_errors).c_str(),
              max_of(t.skew_errors).c_str(), ratio(t.rotation_right, t.rotation_known).c_str(),
              ratio(t.blank_right, t.blank_known).c_str(), ms(t.cpu_ms).c_str(), ms(t.wall_ms).c_str(),
              ms(t.ocr_cpu_ms).c_str(), share.c_str(), page_share.c_str());
}

// The page as a PNG for the peer programs, with its resolution.
std::string write_png(const PageImage& page, const fs::path& folder) {
  const std::string path = (folder / "page.png").string();
  pixWrite(path.c_str(), page.pix(), IFF_PNG);
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  // One OpenMP thread per engine, as a casenote worker runs; any peer run inherits it.
  restart_with_one_openmp_thread(argv);
  hold_opencv_to_one_thread();
  fs::path samples = CASENOTE_SOURCE_DIR "/samples", corpus = CASENOTE_SOURCE_DIR "/../shared/corpus";
  bool peers = false, ocr = false, verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--samples") && i + 1 < argc) samples = argv[++i];
    else if (!std::strcmp(argv[i], "--corpus") && i + 1 < argc) corpus = argv[++i];
    else if (!std::strcmp(argv[i], "--peers")) peers = true;
    else if (!std::strcmp(argv[i], "--ocr")) ocr = true;
    else if (!std::strcmp(argv[i], "--verbose")) verbose = true;
    else {
      std::fprintf(stderr, "usage: %s [--samples DIR] [--corpus DIR] [--peers] [--ocr] [--verbose]\n", argv[0]);
      return 2;
    }
  }
  setMsgSeverity(L_SEVERITY_NONE);

  auto orientation = OrientationDetector::create("");
  auto engine = OcrEngine::create({});
  if (!orientation || !engine) {
    std::fprintf(stderr, "cannot load Tesseract models\n");
    return 1;
  }

  std::vector<BenchPage> pages = sample_pages(samples);
  for (auto& page : skewed_pages(samples, "clinic_letter_smith.png", 2.5, 1)) pages.push_back(std::move(page));
  for (auto& page : skewed_pages(samples, "referral_jones.pdf", -8.0, 3)) pages.push_back(std::move(page));
  for (auto& page : pictogram_pages()) pages.push_back(std::move(page));
  for (auto& page : blank_and_text_pages()) pages.push_back(std::move(page));
  if (fs::exists(corpus / "manifest.csv"))
    for (auto& page : corpus_pages(corpus)) pages.push_back(std::move(page));
  else
    std::printf("(no corpus at %s)\n", corpus.string().c_str());

  const fs::path scratch = fs::temp_directory_path() / ("casenote-bench-" + std::to_string(getpid()));
  fs::create_directories(scratch);
  std::vector<std::string> set_order;
  std::map<std::string, Tally> ours, osd, deskew;
  const PrepareSettings settings;
  for (const BenchPage& page : pages) {
    PageImage image = page.load();
    if (image.empty()) {
      std::printf("cannot load %s\n", page.name.c_str());
      continue;
    }
    if (std::find(set_order.begin(), set_order.end(), page.set) == set_order.end()) set_order.push_back(page.set);

    Tally& tally = ours[page.set];
    const double cpu_start = thread_cpu_ms(), wall_start = wall_ms();
    PreparedPage prepared = prepare_page(image, **orientation, settings);
    tally.cpu_ms.push_back(thread_cpu_ms() - cpu_start);
    tally.wall_ms.push_back(wall_ms() - wall_start);
    ++tally.pages;
    tally.add_rotation(page, prepared.rotation_degrees);
    if (!prepared.blank) tally.add_skew(page, prepared.skew_degrees);
    if (page.blank) {
      ++tally.blank_known;
      if (prepared.blank == *page.blank) ++tally.blank_right;
    }
    if (ocr && !prepared.blank && page.set != "generated skew") {
      const double ocr_start = thread_cpu_ms();
      (void)(*engine)->recognise(prepared.image, 1);
      tally.ocr_cpu_ms.push_back(thread_cpu_ms() - ocr_start);
      tally.page_shares.push_back(tally.cpu_ms.back() / tally.ocr_cpu_ms.back());
    }
    if (verbose) {
      std::printf("  %-46s rotation %3d (truth %4s) skew %7.2f (truth %6s) blank %d  %.0f ms\n", page.name.c_str(),
                  prepared.rotation_degrees, page.rotation ? std::to_string(*page.rotation).c_str() : "-",
                  prepared.skew_degrees, page.skew ? std::to_string(*page.skew).substr(0, 6).c_str() : "-",
                  prepared.blank, tally.cpu_ms.back());
      for (const StepTiming& step : prepared.timings) std::printf("    %s %.1f", step.step.c_str(), step.milliseconds);
      std::printf("\n");
    }

    if (peers && !page.blank.value_or(false)) {
      const std::string png = write_png(image, scratch);
      PeerRun detected = run_peer({"tesseract", png, "stdout", "--psm", "0"});
      Tally& o = osd[page.set];
      ++o.pages;
      o.cpu_ms.push_back(detected.cpu_ms);
      o.wall_ms.push_back(detected.wall_ms);
      double rotate = 0;
      o.add_rotation(page, read_number(detected.output, "Rotate:", rotate) ? static_cast<int>(rotate) : 0);
      PeerRun levelled = run_peer({"tesseract", png, "stdout", "--psm", "2"});
      Tally& d = deskew[page.set];
      ++d.pages;
      d.cpu_ms.push_back(levelled.cpu_ms);
      d.wall_ms.push_back(levelled.wall_ms);
      double radians = 0;
      // Tesseract reports the angle that levels the page, counter-clockwise: minus the skew.
      d.add_skew(page, read_number(levelled.output, "Deskew angle:", radians) ? -radians * 180 / M_PI : 0.0);
    }
  }
  fs::remove_all(scratch);

  std::printf("\nSkew error in degrees; times are medians per page in CPU milliseconds (wall in brackets column);\n"
              "OCR is Tesseract LSTM on the prepared page; share = median prepare / median OCR;\n"
              "page share = the median over pages of each page's prepare / its own OCR.\n\n");
  std::printf("| %-22s | %-18s | %5s | %5s | %7s | %7s | %9s | %7s | %7s | %7s | %8s | %7s | %10s |\n", "set", "method",
              "pages", "skews", "mean|e|", "max|e|", "upright", "blank", "cpu ms", "wall ms", "ocr ms", "share", "page share");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(24, '-').c_str(), std::string(20, '-').c_str(),
              std::string(7, '-').c_str(), std::string(7, '-').c_str(), std::string(9, '-').c_str(),
              std::string(9, '-').c_str(), std::string(11, '-').c_str(), std::string(9, '-').c_str(),
              std::string(9, '-').c_str(), std::string(9, '-').c_str(), std::string(10, '-').c_str(),
              std::string(9, '-').c_str(), std::string(12, '-').c_str());
  for (const auto& set : set_order) {
    print_row(set, "casenote", ours[set]);
    if (peers && osd.count(set)) {
      print_row(set, "tesseract --psm 0", osd[set]);
      print_row(set, "tesseract --psm 2", deskew[set]);
    }
  }
  return 0;
}
