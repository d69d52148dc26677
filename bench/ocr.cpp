// bench_ocr: casenote's OCR side by side with the `tesseract` command and OCRmyPDF, on the same
// page images, scored against ground truth: character error rate and seconds per page.
//
//   bench_ocr [--samples DIR] [--corpus DIR] [--sweep | --input-sweep] [--pages] [--only TEXT]
//
// Pages come from the samples' ground_truth.json and, when the folder exists, from the shared
// corpus of real scans, with crooked copies of its bilevel test pages made for the run. Every
// system reads the page as casenote loads it, written out as a lossless PNG, so all three see
// the same pixels. All run single-threaded (OMP_THREAD_LIMIT=1, OCRmyPDF with --jobs 1), which
// is how a casenote worker runs. casenote's time includes preparation and its searchable PDF;
// OCRmyPDF's includes its PDF/A; tesseract makes text only. --sweep compares casenote's OCR
// settings instead, --input-sweep the image preparation hands OCR (docs/ocr.md). --only keeps
// the pages whose name contains TEXT.
#include <leptonica/allheaders.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ocr/openmp_threads.h"
#include "ocr/ocr_engine.h"
#include "ocr/orientation.h"
#include "ocr/searchable_pdf.h"
#include "pipeline/archive_stage.h"
#include "pipeline/opencv_threads.h"
#include "pipeline/page_source.h"
#include "pipeline/prepare.h"
#include "pipeline/stages.h"
#include "support/text_distance.h"

namespace fs = std::filesystem;
using namespace casenote;
using Clock = std::chrono::steady_clock;

namespace {

struct Item {
  std::string subset;
  std::string name;
  std::string path;
  int index = 0;
  std::string truth;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<Item> sample_items(const fs::path& samples) {
  std::vector<Item> items;
  for (const auto& entry : nlohmann::json::parse(read_text(samples / "ground_truth.json")))
    for (const auto& page : entry["pages"]) {
      const std::string file = entry["file"];
      const int number = page["number"];
      items.push_back({"samples (synthetic)", file + " p" + std::to_string(number), (samples / file).string(), number - 1, page["text"]});
    }
  return items;
}

// The corpus pages with ground truth. The OCRmyPDF brochure appears once upright and twice as
// its skewed and rotated PDFs; its reference text is itself OCR output, so it is its own subset.
std::vector<Item> corpus_items(const fs::path& corpus) {
  const std::vector<std::tuple<std::string, std::string, std::string>> pages = {
      {"tesseract-test", "tesseract-test/phototest.tif", "tesseract-test/phototest.gt.txt"},
      {"tesseract-test", "tesseract-test/eurotext.tif", "tesseract-test/eurotext.gt.txt"},
      {"tesseract-test", "tesseract-test/8087_054.3B.tif", "tesseract-test/8087_054.3B.gt.txt"},
      {"tesseract-test turned", "tesseract-test/phototest-rotated-R.png", "tesseract-test/phototest-rotated-R.gt.txt"},
      {"tesseract-test turned", "tesseract-test/phototest-rotated-180.png", "tesseract-test/phototest-rotated-180.gt.txt"},
      {"tesseract-test turned", "tesseract-test/phototest-rotated-L.png", "tesseract-test/phototest-rotated-L.gt.txt"},
      {"ocrmypdf brochure (approx. ref)", "ocrmypdf/linn.png", "ocrmypdf/linn.ref-ocr.txt"},
      {"ocrmypdf brochure (approx. ref)", "ocrmypdf/skew.pdf", "ocrmypdf/linn.ref-ocr.txt"},
      {"ocrmypdf brochure (approx. ref)", "ocrmypdf/rotated_skew.pdf", "ocrmypdf/linn.ref-ocr.txt"},
  };
  std::vector<Item> items;
  for (const auto& [subset, file, truth] : pages)
    if (fs::exists(corpus / file)) items.push_back({subset, file, (corpus / file).string(), 0, read_text(corpus / truth)});
  for (const char* letter : {"42", "46", "49", "50", "54", "60"}) {
    const std::string file = std::string("stanford-memorials-1905/Lettre") + letter;
    if (fs::exists(corpus / (file + ".jpg")))
      items.push_back({"stanford letters (typed lines)", file + ".jpg", (corpus / (file + ".jpg")).string(), 0,
                       read_text(corpus / (file + ".typed.gt.txt"))});
  }
  return items;
}

// The bilevel test pages as a scanner returns them fed crooked: turned in grey and thresholded,
// written as G4 TIFFs into `folder`. One page of them, eurotext, reads better left as it came
// than levelled; these show whether that holds for crooked bilevel pages in general.
std::vector<Item> crooked_items(const fs::path& corpus, const fs::path& folder) {
  std::vector<Item> items;
  for (const char* page : {"phototest", "eurotext", "8087_054.3B"}) {
    const fs::path image = corpus / "tesseract-test" / (std::string(page) + ".tif");
    if (!fs::exists(image)) continue;
    const std::string truth = read_text(corpus / "tesseract-test" / (std::string(page) + ".gt.txt"));
    for (double degrees : {-0.9, -0.6, -0.3, 0.3, 0.6, 0.9}) {
      char label[32];
      std::snprintf(label, sizeof label, " turned %+.1f deg", degrees);
      const fs::path crooked = folder / (std::string(page) + label + ".tif");
      Pix* bilevel = pixRead(image.c_str());
      Pix* grey = pixConvertTo8(bilevel, 0);
      Pix* turned = pixRotate(grey, static_cast<float>(degrees * M_PI / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE,
                              pixGetWidth(grey), pixGetHeight(grey));
      Pix* scanned = pixThresholdToBinary(turned, 128);
      pixCopyResolution(scanned, bilevel);
      pixWrite(crooked.c_str(), scanned, IFF_TIFF_G4);
      for (Pix* pix : {bilevel, grey, turned, scanned}) pixDestroy(&pix);
      items.push_back({"tesseract-test crooked (generated)", "tesseract-test/" + std::string(page) + label,
                       crooked.string(), 0, truth});
    }
  }
  return items;
}

struct Run {
  int status = -1;
  std::string output;
  double seconds = 0;
};

Run run(const std::string& command) {
  Run r;
  const auto started = Clock::now();
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) r.output.append(buffer, n);
  const int status = pclose(pipe);
  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string quoted(const std::string& path) { return "'" + path + "'"; }

// Words of the truth missing from the reading, counted with multiplicity: blind to reading
// order, which the corpus transcriptions do not always follow.
double bag_of_words_error(const std::string& recognised, const std::string& truth) {
  std::map<std::string, int> counts;
  std::istringstream r(recognised), t(truth);
  for (std::string w; r >> w;) ++counts[w];
  int total = 0, missing = 0;
  for (std::string w; t >> w;) {
    ++total;
    if (counts[w]-- <= 0) ++missing;
  }
  return total ? static_cast<double>(missing) / total : 0;
}

struct Score {
  double edits = 0, chars = 0, missing_words = 0, words = 0;
  std::vector<double> seconds;
  int failures = 0;

  void add(const std::string& recognised, const std::string& truth, double secs) {
    const std::string t = testing::collapse_whitespace(truth);
    edits += static_cast<double>(testing::edit_distance(testing::collapse_whitespace(recognised), t));
    chars += static_cast<double>(t.size());
    const double truth_words = static_cast<double>(std::count(t.begin(), t.end(), ' ') + 1);
    missing_words += bag_of_words_error(recognised, truth) * truth_words;
    words += truth_words;
    seconds.push_back(secs);
  }
  double cer() const { return chars ? edits / chars : 0; }
  double word_error() const { return words ? missing_words / words : 0; }
  double median_seconds() const {
    if (seconds.empty()) return 0;
    std::vector<double> s = seconds;
    std::sort(s.begin(), s.end());
    return s.size() % 2 ? s[s.size() / 2] : (s[s.size() / 2 - 1] + s[s.size() / 2]) / 2;
  }
  double total_seconds() const {
    double sum = 0;
    for (double s : seconds) sum += s;
    return sum;
  }
};

std::string pct(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f%%", 100 * v);
  return b;
}
std::string fixed(double v, int places) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", places, v);
  return b;
}

struct Engines {
  std::unique_ptr<OcrEngine> ocr;
  std::unique_ptr<OrientationDetector> orientation;
  PrepareSettings prepare;
};

Engines load_engines(const OcrSettings& settings, const PrepareSettings& prepare) {
  auto ocr = OcrEngine::create(settings);
  auto orientation = OrientationDetector::create(settings.tessdata_dir);
  if (!ocr || !orientation) {
    std::cerr << "bench_ocr: cannot load Tesseract models\n";
    std::exit(2);
  }
  return {std::move(*ocr), std::move(*orientation), prepare};
}

// casenote on one page as ingest runs it: prepare, recognise, and make the searchable PDF.
std::string casenote_read(const Item& item, PageSource& source, const PageImage& image, Engines& engines) {
  RecognisedDocument document;
  document.source = item.path;
  document.pages.push_back(recognise_page(image, item.index + 1, *engines.orientation, *engines.ocr, engines.prepare));
  auto pages = searchable_pages(document, source);
  if (pages) (void)build_searchable_pdf(*pages, {"bench", ""});
  return document.pages[0].recognised.text();
}

using Reader = std::function<std::optional<std::string>(const Item&, PageSource&, const PageImage&, const std::string& png)>;

struct System {
  std::string name;
  Reader read;
};

void print_table(const std::vector<std::string>& subsets, const std::vector<System>& systems,
                 std::map<std::string, std::map<std::string, Score>>& scores) {
  std::cout << "\n| subset | pages |";
  for (const auto& s : systems) std::cout << " " << s.name << " CER | " << s.name << " words missed | " << s.name << " s/page (median) |";
  std::cout << "\n|---|---|";
  for (size_t i = 0; i < systems.size(); ++i) std::cout << "---|---|---|";
  std::cout << "\n";
  for (const auto& subset : subsets) {
    std::cout << "| " << subset << " | " << scores[subset][systems[0].name].seconds.size() << " |";
    for (const auto& s : systems) {
      const Score& score = scores[subset][s.name];
      std::cout << " " << pct(score.cer()) << " | " << pct(score.word_error()) << " | " << fixed(score.median_seconds(), 2)
                << (score.failures ? " (" + std::to_string(score.failures) + " failed)" : "") << " |";
    }
    std::cout << "\n";
  }
  std::cout << "\n| system | total s | total s vs " << systems[0].name << " |\n|---|---|---|\n";
  for (const auto& s : systems) {
    double total = 0, base = 0;
    for (const auto& subset : subsets) {
      total += scores[subset][s.name].total_seconds();
      base += scores[subset][systems[0].name].total_seconds();
    }
    std::cout << "| " << s.name << " | " << fixed(total, 1) << " | " << fixed(base ? total / base : 0, 2) << "x |\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  // One OpenMP thread per engine, as the CLI runs; the peers inherit it.
  restart_with_one_openmp_thread(argv);
  hold_opencv_to_one_thread();
  fs::path samples = CASENOTE_SOURCE_DIR "/samples";
  fs::path corpus = fs::path(CASENOTE_SOURCE_DIR) / ".." / "shared" / "corpus";
  bool sweep = false, input_sweep = false, per_page = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--samples" && i + 1 < argc) samples = argv[++i];
    else if (arg == "--corpus" && i + 1 < argc) corpus = argv[++i];
    else if (arg == "--sweep") sweep = true;
    else if (arg == "--input-sweep") input_sweep = true;
    else if (arg == "--pages") per_page = true;
    else if (arg == "--only" && i + 1 < argc) only = argv[++i];
    else {
      std::cerr << "usage: bench_ocr [--samples DIR] [--corpus DIR] [--sweep | --input-sweep] [--pages] [--only TEXT]\n";
      return 2;
    }
  }

  const fs::path scratch = fs::temp_directory_path() / ("bench_ocr-" + std::to_string(getpid()));
  fs::create_directories(scratch);

  std::vector<Item> items = sample_items(samples);
  if (fs::is_directory(corpus)) {
    for (auto more : {corpus_items(corpus), crooked_items(corpus, scratch)}) items.insert(items.end(), more.begin(), more.end());
  } else {
    std::cout << "(no corpus at " << corpus.string() << ": samples only)\n";
  }
  std::erase_if(items, [&](const Item& item) { return item.name.find(only) == std::string::npos; });

  std::vector<System> systems;
  std::map<std::string, std::unique_ptr<Engines>> engines;
  auto casenote_system = [&](const std::string& name, const OcrSettings& settings, const PrepareSettings& prepare = {}) {
    engines[name] = std::make_unique<Engines>(load_engines(settings, prepare));
    Engines* e = engines[name].get();
    systems.push_back({name, [e](const Item& item, PageSource& source, const PageImage& image, const std::string&) {
                         return std::optional<std::string>(casenote_read(item, source, image, *e));
                       }});
  };
  casenote_system("casenote", OcrSettings{});
  if (sweep) {
    OcrSettings single_column;
    single_column.layout = PageLayout::SingleColumn;
    casenote_system("PSM 4 always", single_column);
    OcrSettings automatic;
    automatic.layout = PageLayout::Automatic;
    casenote_system("PSM 3 always", automatic);
    OcrSettings block;
    block.layout = PageLayout::SingleBlock;
    casenote_system("PSM 6 always", block);
    OcrSettings no_second_pass;
    no_second_pass.reread_numbers_below = 0;
    casenote_system("no second pass", no_second_pass);
    OcrSettings no_postcode_pass;
    no_postcode_pass.reread_postcodes_below = 0;
    casenote_system("no postcode pass", no_postcode_pass);
    OcrSettings no_invert;
    no_invert.read_inverted_lines = false;
    casenote_system("no invert", no_invert);
    OcrSettings no_dictionary;
    no_dictionary.use_dictionary = false;
    casenote_system("no dictionary", no_dictionary);
  } else if (input_sweep) {
    PrepareSettings binarised;
    binarised.ocr_image = OcrImage::Binarised;
    casenote_system("binarised", OcrSettings{}, binarised);
    // Tesseract's layout analysis and preparation take time by the pixel; its recogniser
    // scales each line to a fixed height whatever the resolution.
    for (int dpi : {240, 200}) {
      PrepareSettings coarser;
      coarser.max_ocr_dpi = coarser.ocr_dpi = dpi;
      casenote_system("read at " + std::to_string(dpi) + " dpi", OcrSettings{}, coarser);
    }
  } else {
    systems.push_back({"tesseract", [&](const Item&, PageSource&, const PageImage&, const std::string& png) -> std::optional<std::string> {
                         Run r = run("tesseract " + quoted(png) + " stdout 2>/dev/null");
                         if (r.status != 0) return std::nullopt;
                         return r.output;
                       }});
    systems.push_back({"ocrmypdf", [&](const Item&, PageSource&, const PageImage& image, const std::string& png) -> std::optional<std::string> {
                         const std::string sidecar = (scratch / "sidecar.txt").string();
                         fs::remove(sidecar);
                         const std::string dpi = image.dpi() > 0 ? "" : " --image-dpi 300";
                         Run r = run("ocrmypdf -q --jobs 1 --deskew --rotate-pages --sidecar " + quoted(sidecar) + dpi + " " +
                                     quoted(png) + " " + quoted((scratch / "out.pdf").string()) + " 2>&1");
                         if (r.status != 0) return std::nullopt;
                         return read_text(sidecar);
                       }});
  }

  std::vector<std::string> subsets;
  std::map<std::string, std::map<std::string, Score>> scores;
  if (per_page) std::cout << "| page | system | CER | seconds |\n|---|---|---|---|\n";
  for (const Item& item : items) {
    if (std::find(subsets.begin(), subsets.end(), item.subset) == subsets.end()) subsets.push_back(item.subset);
    auto source = open_page_source(item.path);
    if (!source) {
      std::cerr << item.name << ": " << source.error().message << "\n";
      continue;
    }
    auto image = (*source)->page(item.index);
    if (!image) {
      std::cerr << item.name << ": " << image.error().message << "\n";
      continue;
    }
    const std::string png = (scratch / "page.png").string();
    pixWrite(png.c_str(), image->pix(), IFF_PNG);
    for (const System& system : systems) {
      const auto started = Clock::now();
      std::optional<std::string> text = system.read(item, **source, *image, png);
      const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
      Score& score = scores[item.subset][system.name];
      if (!text) {
        ++score.failures;
        continue;
      }
      score.add(*text, item.truth, seconds);
      if (per_page)
        std::cout << "| " << item.name << " | " << system.name << " | " << pct(testing::character_error_rate(*text, item.truth))
                  << " | " << fixed(seconds, 2) << " |" << std::endl;
    }
    std::cerr << "." << std::flush;
  }
  std::cerr << "\n";
  print_table(subsets, systems, scores);
  fs::remove_all(scratch);
  return 0;
}
