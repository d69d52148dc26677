// Skew measurement methods side by side on the same upright pages of known skew, and where
// casenote's page preparation spends its time.
//
//   bench/skew [--samples DIR] [--corpus DIR] [--peers] [--verbose]
//
// Each page is first turned upright by its known rotation, so every method measures skew only.
// Methods: casenote's projection profile and line fit (pipeline/prepare_skew.h) on the 150 dpi
// analysis image preparation makes; Leptonica's pixFindSkew with its defaults on the
// full-resolution binary image; the foundation's measurement (a sweep and search on the
// full-resolution page thresholded at 160); with --peers, `tesseract --psm 2`, which is how
// OCRmyPDF's --deskew measures. Times are CPU milliseconds for the measurement alone, from the
// binary image (Tesseract's include its start-up).
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
#include "ocr/orientation.h"
#include "pipeline/opencv_threads.h"
#include "pipeline/prepare.h"
#include "pipeline/prepare_ink.h"

namespace fs = std::filesystem;
using namespace casenote;
using namespace casenote::bench;

namespace {

struct Scores {
  std::vector<double> errors, ms;
  int unmeasured = 0;
};

constexpr double kRadiansPerDegree = M_PI / 180.0;

double foundation_skew(const PageImage& grey) {
  Pix* binary = pixConvertTo1(grey.pix(), 160);
  float angle = 0, confidence = 0;
  const int failed = pixFindSkewSweepAndSearch(binary, &angle, &confidence, 4, 2, 15.0f, 1.0f, 0.01f);
  pixDestroy(&binary);
  return failed || confidence < 3.0f ? NAN : angle;
}

double leptonica_default_skew(const PageImage& binary) {
  float angle = 0, confidence = 0;
  return pixFindSkew(binary.pix(), &angle, &confidence) || confidence < 3.0f ? NAN : angle;
}

void print_scores(const std::string& set, const std::string& method, const Scores& s) {
  double sum = 0, worst = 0;
  int within = 0;
  for (double e : s.errors) {
    sum += e;
    worst = std::max(worst, e);
    if (e <= 0.1) ++within;
  }
  const size_t n = s.errors.size();
  std::printf("| %-22s | %-34s | %5zu | %5d | %7.3f | %7.3f | %5d/%-3zu | %7.1f |\n", set.c_str(), method.c_str(), n,
              s.unmeasured, n ? sum / n : 0.0, worst, within, n, median(s.ms));
}

}  // namespace

int main(int argc, char** argv) {
  // One OpenMP thread per engine, as a casenote worker runs; any peer run inherits it.
  restart_with_one_openmp_thread(argv);
  hold_opencv_to_one_thread();
  fs::path samples = CASENOTE_SOURCE_DIR "/samples", corpus = CASENOTE_SOURCE_DIR "/../shared/corpus";
  bool peers = false, verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--samples") && i + 1 < argc) samples = argv[++i];
    else if (!std::strcmp(argv[i], "--corpus") && i + 1 < argc) corpus = argv[++i];
    else if (!std::strcmp(argv[i], "--peers")) peers = true;
    else if (!std::strcmp(argv[i], "--verbose")) verbose = true;
    else {
      std::fprintf(stderr, "usage: %s [--samples DIR] [--corpus DIR] [--peers] [--verbose]\n", argv[0]);
      return 2;
    }
  }
  setMsgSeverity(L_SEVERITY_NONE);
  auto orientation = OrientationDetector::create("");
  if (!orientation) {
    std::fprintf(stderr, "cannot load Tesseract models\n");
    return 1;
  }

  std::vector<BenchPage> pages;
  for (auto& page : sample_pages(samples))
    if (page.set == "samples") pages.push_back(std::move(page));
  for (auto& page : skewed_pages(samples, "clinic_letter_smith.png", 2.5, 1)) pages.push_back(std::move(page));
  for (auto& page : skewed_pages(samples, "referral_jones.pdf", -8.0, 3)) pages.push_back(std::move(page));
  if (fs::exists(corpus / "manifest.csv"))
    for (auto& page : corpus_pages(corpus))
      if (page.skew && page.rotation) pages.push_back(std::move(page));

  const fs::path scratch = fs::temp_directory_path() / ("casenote-bench-" + std::to_string(getpid()));
  fs::create_directories(scratch);
  std::vector<std::string> set_order;
  std::map<std::string, std::map<std::string, Scores>> scores;
  std::map<std::string, std::vector<double>> step_ms;
  const std::vector<std::string> methods = {"projection profile, 150 dpi", "line fit (OpenCV), 150 dpi",
                                            "Leptonica pixFindSkew, full res", "foundation (431b15c), full res",
                                            "tesseract --psm 2"};
  for (const BenchPage& page : pages) {
    PageImage loaded = page.load();
    if (loaded.empty()) continue;
    if (std::find(set_order.begin(), set_order.end(), page.set) == set_order.end()) set_order.push_back(page.set);
    auto& by_method = scores[page.set];

    // Where preparation spends its time, on the page as loaded.
    PreparedPage prepared = prepare_page(loaded, **orientation, PrepareSettings{});
    for (const auto& timing : prepared.timings) step_ms[timing.step].push_back(timing.milliseconds);

    PageImage upright = testing::turned_page(loaded, *page.rotation / 90);
    const int dpi = prepared.resolution.dpi;
    pixSetResolution(upright.pix(), dpi, dpi);
    PageImage grey(pixConvertTo8(upright.pix(), 0));
    const double scale = std::min(1.0, 150.0 / dpi);
    PageImage analysis_grey(scale < 1 ? pixScaleAreaMap(grey.pix(), static_cast<float>(scale), static_cast<float>(scale))
                                      : pixClone(grey.pix()));
    const int analysis_dpi = static_cast<int>(std::lround(dpi * scale));
    PageImage analysis = binarise(analysis_grey, analysis_dpi);
    PageImage full = binarise(upright, dpi);

    auto score = [&](const std::string& method, double measured, double ms) {
      Scores& s = by_method[method];
      s.ms.push_back(ms);
      if (std::isnan(measured)) {
        ++s.unmeasured;
        measured = 0;
      }
      s.errors.push_back(std::abs(measured - *page.skew));
      if (verbose) std::printf("  %-46s %-34s %7.2f (truth %6.2f)\n", page.name.c_str(), method.c_str(), measured, *page.skew);
    };
    for (SkewMethod method : {SkewMethod::ProjectionProfile, SkewMethod::LineFit}) {
      const double start = thread_cpu_ms();
      const SkewEstimate estimate = measure_skew(analysis, analysis_dpi, 15.0, method);
      score(methods[method == SkewMethod::LineFit ? 1 : 0], estimate.found ? estimate.degrees : NAN,
            thread_cpu_ms() - start);
    }
    double start = thread_cpu_ms();
    double measured = leptonica_default_skew(full);
    score(methods[2], measured, thread_cpu_ms() - start);
    start = thread_cpu_ms();
    measured = foundation_skew(grey);
    score(methods[3], measured, thread_cpu_ms() - start);
    if (peers) {
      const std::string png = (scratch / "page.png").string();
      pixWrite(png.c_str(), upright.pix(), IFF_PNG);
      PeerRun run = run_peer({"tesseract", png, "stdout", "--psm", "2"});
      double radians = 0;
      // Tesseract reports the angle that levels the page, counter-clockwise: minus the skew.
      score(methods[4], read_number(run.output, "Deskew angle:", radians) ? -radians / kRadiansPerDegree : NAN, run.cpu_ms);
    }
  }
  fs::remove_all(scratch);

  std::printf("\nSkew error |measured - truth| in degrees; a method that found no skew counts as 0 degrees.\n\n");
  std::printf("| %-22s | %-34s | %5s | %5s | %7s | %7s | %9s | %7s |\n", "set", "method", "pages", "none", "mean|e|",
              "max|e|", "<=0.1 deg", "cpu ms");
  std::printf("|------------------------|------------------------------------|-------|-------|---------|---------|-----------|---------|\n");
  for (const auto& set : set_order)
    for (const auto& method : methods)
      if (scores[set].count(method)) print_scores(set, method, scores[set][method]);

  std::printf("\nWhere prepare_page spends its time (all pages above; wall-clock milliseconds per step as recorded per page):\n\n");
  std::printf("| step | median ms | max ms |\n|------|-----------|--------|\n");
  for (const char* step : {"analyse", "skew", "binarise", "level", "orientation"}) {
    const auto& ms = step_ms[step];
    std::printf("| %s | %.1f | %.1f |\n", step, median(ms), ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()));
  }
  return 0;
}
