// Searchable PDFs, read back with poppler's tools as a viewer would: the invisible words sit
// on the printed ones, the text extracts, and the scans are embedded without loss.
#include <catch2/catch.hpp>
#include <leptonica/allheaders.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "ocr/ocr_engine.h"
#include "ocr/orientation.h"
#include "ocr/searchable_pdf.h"
#include "pipeline/archive_stage.h"
#include "pipeline/input_files.h"
#include "pipeline/page_source.h"
#include "pipeline/stages.h"
#include "support/jbig2_fixture.h"
#include "support/temp_dir.h"
#include "support/text_distance.h"

namespace fs = std::filesystem;
using namespace casenote;
using casenote::testing::read_file;
using casenote::testing::TempDir;

namespace {

const fs::path kSamples = CASENOTE_SOURCE_DIR "/samples";

std::string capture(const std::string& command) {
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  REQUIRE(pclose(pipe) == 0);
  return out;
}

struct ExtractedWord {
  std::string text;
  double x_min, y_min, x_max, y_max;  // points, top-left origin
};

struct ExtractedPage {
  double width = 0, height = 0;
  std::vector<ExtractedWord> words;
};

// Poppler's word boxes: what a viewer highlights when the word is searched for.
std::vector<ExtractedPage> pdftotext_boxes(const std::string& pdf) {
  const std::string html = capture("pdftotext -bbox '" + pdf + "' -");
  std::vector<ExtractedPage> pages;
  static const std::regex page_re(R"re(<page width="([\d.]+)" height="([\d.]+)">)re");
  static const std::regex word_re(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
  std::istringstream lines(html);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, page_re)) pages.push_back({std::stod(m[1]), std::stod(m[2]), {}});
    else if (std::regex_search(line, m, word_re) && !pages.empty())
      pages.back().words.push_back({m[5], std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4])});
  }
  return pages;
}

PageOutcome unread_page(int number) {
  PageOutcome page;
  page.number = number;
  return page;
}

struct Engines {
  std::unique_ptr<OcrEngine> ocr;
  std::unique_ptr<OrientationDetector> orientation;
};

Engines& engines() {
  static Engines loaded = [] {
    auto ocr = OcrEngine::create({});
    auto orientation = OrientationDetector::create("");
    REQUIRE(ocr);
    REQUIRE(orientation);
    return Engines{std::move(*ocr), std::move(*orientation)};
  }();
  return loaded;
}

// A sample as the pipeline reads it: every page prepared and recognised.
RecognisedDocument recognised_sample(const std::string& name, PageSource& source) {
  RecognisedDocument document;
  document.source = (kSamples / name).string();
  document.sha256 = sha256_of_file(document.source).value();
  for (int i = 0; i < source.page_count(); ++i) {
    auto image = source.page(i);
    REQUIRE(image);
    document.pages.push_back(recognise_page(*image, i + 1, *engines().orientation, *engines().ocr, {}));
  }
  return document;
}

// The same document with no text, for tests about the images alone.
RecognisedDocument unread_sample(const std::string& name, int pages) {
  RecognisedDocument document;
  document.source = (kSamples / name).string();
  document.sha256 = sha256_of_file(document.source).value();
  for (int i = 0; i < pages; ++i) document.pages.push_back(unread_page(i + 1));
  return document;
}

// A page source that counts the pages it decodes.
class CountingSource : public PageSource {
 public:
  explicit CountingSource(PageSource& source) : source_(source) {}
  int page_count() const override { return source_.page_count(); }
  Result<PageImage> page(int index) override {
    ++decoded;
    return source_.page(index);
  }
  Result<std::optional<StoredJpeg>> stored_jpeg(int index) override { return source_.stored_jpeg(index); }
  int decoded = 0;

 private:
  PageSource& source_;
};

bool same_map(const Affine& x, const Affine& y) {
  return x.a == y.a && x.b == y.b && x.c == y.c && x.d == y.d && x.e == y.e && x.f == y.f;
}

std::string write_pdf(const TempDir& dir, const RecognisedDocument& document, PageSource& source) {
  auto pages = searchable_pages(document, source);
  REQUIRE(pages);
  auto pdf = build_searchable_pdf(*pages, {"test", "2024-05-06T07:08:09Z"});
  REQUIRE(pdf);
  return dir.write("out.pdf", *pdf);
}

// Reads what the page shows inside a word box that poppler reports. Poppler reports boxes on
// the page as displayed, turned by its /Rotate, so `shown` is the loaded page turned the same way.
std::string read_under(const PageImage& shown, const ExtractedWord& word) {
  const double px = shown.dpi() / 72.0;
  const double pad = 0.25 * std::min(word.x_max - word.x_min, word.y_max - word.y_min);
  ::Box* area = boxCreate(static_cast<int>((word.x_min - pad) * px), static_cast<int>((word.y_min - pad) * px),
                        static_cast<int>((word.x_max - word.x_min + 2 * pad) * px),
                        static_cast<int>((word.y_max - word.y_min + 2 * pad) * px));
  Pix* crop = pixClipRectangle(shown.pix(), area, nullptr);
  boxDestroy(&area);
  REQUIRE(crop);
  pixSetResolution(crop, shown.dpi(), shown.dpi());
  auto read = engines().ocr->recognise(PageImage(crop), 1);
  REQUIRE(read);
  return read->text();
}

void check_words_sit_on_the_scan(const std::string& sample, const std::vector<std::string>& probes) {
  INFO(sample);
  TempDir dir;
  auto source = open_page_source((kSamples / sample).string());
  REQUIRE(source);
  RecognisedDocument document = recognised_sample(sample, **source);
  const std::string pdf = write_pdf(dir, document, **source);
  auto loaded = (*source)->page(0);
  REQUIRE(loaded);
  // The archive page opens upright: a viewer turns it as preparation turned it for OCR.
  PageImage shown(pixRotateOrth(loaded->pix(), document.pages[0].rotation_degrees / 90));
  pixSetResolution(shown.pix(), loaded->dpi(), loaded->dpi());

  std::vector<ExtractedPage> pages = pdftotext_boxes(pdf);
  REQUIRE(pages.size() == 1);
  // The page is the paper's size as scanned (poppler gives it before /Rotate, and word boxes
  // after): pixels over dots per inch, in points.
  CHECK(pages[0].width == Approx(loaded->width() * 72.0 / loaded->dpi()).margin(0.01));
  CHECK(pages[0].height == Approx(loaded->height() * 72.0 / loaded->dpi()).margin(0.01));
  for (const std::string& probe : probes) {
    INFO(probe);
    auto found = std::find_if(pages[0].words.begin(), pages[0].words.end(),
                              [&](const ExtractedWord& w) { return w.text == probe; });
    REQUIRE(found != pages[0].words.end());
    CHECK(read_under(shown, *found).find(probe) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("the text layer's words sit on the scanned words, on a skewed page and a turned one", "[pdf][slow]") {
  // Smith's letter is skewed 2.5 degrees; Brown's report is stored sideways and skewed -1.
  check_words_sit_on_the_scan("clinic_letter_smith.png", {"Cardiology", "Holter", "apixaban", "Jarvis"});
  check_words_sit_on_the_scan("lab_report_brown.tif", {"Haematology", "Haemoglobin", "Platelets"});
}

TEST_CASE("pdftotext reads the OCR text back from the searchable PDF", "[pdf][slow]") {
  TempDir dir;
  auto source = open_page_source((kSamples / "discharge_summary_okafor.tif").string());
  REQUIRE(source);
  RecognisedDocument document = recognised_sample("discharge_summary_okafor.tif", **source);
  // -raw keeps the order the words were written in, which is the OCR's reading order.
  const std::string text = capture("pdftotext -raw '" + write_pdf(dir, document, **source) + "' -");
  // Page 1 is skewed 4 degrees, so its lines may break where their baselines step; a viewer's
  // search, like this, takes a line break for a space.
  const std::string words = casenote::testing::collapse_whitespace(text);
  CHECK(words.find("Diagnosis on discharge: Community-acquired pneumonia, right lower lobe") != std::string::npos);
  // Page 2 was scanned upside down: the archive shows it turned upright, and its words read in order.
  CHECK(words.find("Levothyroxine 75 micrograms once daily (unchanged)") != std::string::npos);
  CHECK(text.find('\f') != std::string::npos);
  CHECK(std::regex_search(capture("pdfinfo -f 2 -l 2 '" + dir.file("out.pdf") + "'"), std::regex(R"(Page +2 rot: +180)")));
}

TEST_CASE("a JPEG page is embedded byte for byte, from a JPEG file or a scanner PDF", "[pdf]") {
  for (const auto& [sample, pages] : std::vector<std::pair<std::string, int>>{{"clinic_letter_nowak.jpg", 1}, {"lab_report_patel.pdf", 2}}) {
    INFO(sample);
    TempDir dir;
    auto source = open_page_source((kSamples / sample).string());
    REQUIRE(source);
    const std::string pdf = write_pdf(dir, unread_sample(sample, pages), **source);
    // pdfimages -j writes a DCT-encoded image out exactly as the PDF stores it.
    capture("pdfimages -j '" + pdf + "' '" + dir.file("out") + "'");
    for (int i = 0; i < pages; ++i) {
      const std::string out = read_file(dir.file("out-00" + std::to_string(i) + ".jpg"));
      REQUIRE(!out.empty());
      if (sample.ends_with(".jpg")) {
        CHECK(out == read_file((kSamples / sample).string()));
      } else {
        capture("pdfimages -j '" + (kSamples / sample).string() + "' '" + dir.file("in") + "'");
        CHECK(out == read_file(dir.file("in-00" + std::to_string(i) + ".jpg")));
      }
    }
  }
}

TEST_CASE("a JPEG page whose size was recorded as it was read is not decoded again for its archive copy", "[pdf]") {
  for (const auto& [sample, jpeg] : std::vector<std::pair<std::string, bool>>{
           {"clinic_letter_nowak.jpg", true}, {"lab_report_patel.pdf", true}, {"clinic_letter_smith.png", false}}) {
    INFO(sample);
    auto source = open_page_source((kSamples / sample).string());
    REQUIRE(source);
    auto loaded = (*source)->page(0);
    REQUIRE(loaded);
    // One read page, turned and skewed, with a word, as a worker hands it back.
    RecognisedDocument unrecorded = unread_sample(sample, 1);
    PageOutcome& outcome = unrecorded.pages[0];
    outcome.rotation_degrees = 90;
    outcome.skew_degrees = 1.5;
    outcome.recognised = {1, loaded->height(), loaded->width(), {{"Dear", {100, 200, 120, 40}, 95, 0, 0, 0}}};
    RecognisedDocument recorded = unrecorded;
    recorded.pages[0].loaded_width = loaded->width();
    recorded.pages[0].loaded_height = loaded->height();
    recorded.pages[0].loaded_dpi = loaded->dpi();

    CountingSource decoding(**source), reusing(**source);
    auto from_decoded = searchable_pages(unrecorded, decoding);
    auto from_recorded = searchable_pages(recorded, reusing);
    REQUIRE(from_decoded);
    REQUIRE(from_recorded);
    CHECK(decoding.decoded == 1);
    // Only a stored JPEG goes into the PDF as it is; other pages are encoded from their pixels.
    CHECK(reusing.decoded == (jpeg ? 0 : 1));
    const SearchablePage &a = (*from_decoded)[0], &b = (*from_recorded)[0];
    CHECK(a.width_points == b.width_points);
    CHECK(a.height_points == b.height_points);
    CHECK(a.image.bytes == b.image.bytes);
    CHECK(same_map(a.image_to_page, b.image_to_page));
    CHECK(same_map(a.words_to_page, b.words_to_page));
    CHECK(a.display_rotation == b.display_rotation);
    CHECK(b.words.size() == 1);
  }
}

TEST_CASE("bilevel, grey and colour pages are embedded without losing a pixel", "[pdf]") {
  TempDir dir;
  Pix* colour = pixCreate(64, 48, 32);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 64; ++x) pixSetRGBPixel(colour, x, y, x * 4, y * 5, (x * y) % 256);
  pixSetResolution(colour, 150, 150);
  const std::string colour_png = dir.file("colour.png");
  REQUIRE(pixWrite(colour_png.c_str(), colour, IFF_PNG) == 0);
  pixDestroy(&colour);

  // A JBIG2 scanner PDF of the G4 sample's first page: it is stored again as CCITT G4.
  Pix* bilevel = pixRead((kSamples / "discharge_summary_okafor.tif").c_str());
  REQUIRE(bilevel);
  const std::string jbig2_pdf = dir.write(
      "jbig2.pdf", casenote::testing::jbig2_pdf(casenote::testing::jbig2_page_of(bilevel), pixGetWidth(bilevel),
                                                pixGetHeight(bilevel)));
  pixDestroy(&bilevel);

  for (const std::string& input : {(kSamples / "discharge_summary_okafor.tif").string(),
                                   (kSamples / "clinic_letter_smith.png").string(), colour_png, jbig2_pdf}) {
    INFO(input);
    auto source = open_page_source(input);
    REQUIRE(source);
    RecognisedDocument document;
    document.source = input;
    document.pages.push_back(unread_page(1));
    const std::string pdf = write_pdf(dir, document, **source);
    capture("pdfimages -png '" + pdf + "' '" + dir.file("page") + "'");
    Pix* back = pixRead(dir.file("page-000.png").c_str());
    REQUIRE(back);
    auto original = (*source)->page(0);
    REQUIRE(original);
    l_int32 same = 0;
    pixEqual(back, original->pix(), &same);
    CHECK(same == 1);
    pixDestroy(&back);
    if (input == jbig2_pdf) CHECK(capture("pdfimages -list '" + pdf + "'").find(" ccitt ") != std::string::npos);
  }
}

TEST_CASE("words beyond one font's 256 characters still extract as written", "[pdf]") {
  TempDir dir;
  auto source = open_page_source((kSamples / "clinic_letter_smith.png").string());
  REQUIRE(source);
  RecognisedDocument document = unread_sample("clinic_letter_smith.png", 1);
  auto pages = searchable_pages(document, **source);
  REQUIRE(pages);
  // The scan is 300 dpi; the words' boxes are in its pixels.
  (*pages)[0].words_to_page = Affine::scale(72.0 / 300, 72.0 / 300);
  // 300 distinct letters (Latin Extended-A and -B), ten words of thirty on one line.
  std::string expected;
  for (int w = 0; w < 10; ++w) {
    RecognisedWord word;
    for (unsigned cp = 0x100 + 30 * w; cp < 0x100 + 30 * (w + 1u); ++cp) {
      word.text += static_cast<char>(0xC0 | (cp >> 6));
      word.text += static_cast<char>(0x80 | (cp & 0x3F));
    }
    word.box = {100 + 220 * w, 100, 200, 40};
    expected += (w ? " " : "") + word.text;
    (*pages)[0].words.push_back(word);
  }
  auto pdf = build_searchable_pdf(*pages, {"test", ""});
  REQUIRE(pdf);
  const std::string text = capture("pdftotext -raw '" + dir.write("wide.pdf", *pdf) + "' -");
  CHECK(text.find(expected) != std::string::npos);
}

TEST_CASE("the PDF carries PDF/A-2b identification and an sRGB output intent", "[pdf]") {
  auto image = lossless_image(PageImage(pixCreate(10, 10, 8)));
  REQUIRE(image);
  SearchablePage page;
  page.width_points = page.height_points = 72;
  page.image = *image;
  page.image_to_page = Affine::scale(7.2, 7.2);
  auto pdf = build_searchable_pdf({page}, {"Ward <12> & co", "2024-05-06T07:08:09Z"});
  REQUIRE(pdf);
  CHECK(pdf->starts_with("%PDF-1.7"));
  CHECK(pdf->find("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>") != std::string::npos);
  CHECK(pdf->find("Ward &lt;12&gt; &amp; co") != std::string::npos);
  CHECK(pdf->find("<xmp:CreateDate>2024-05-06T07:08:09+00:00</xmp:CreateDate>") != std::string::npos);
  CHECK(pdf->find("D:20240506070809+00'00'") != std::string::npos);
  CHECK(pdf->find("/GTS_PDFA1") != std::string::npos);
  CHECK(pdf->find("/DestOutputProfile") != std::string::npos);

  CHECK_FALSE(build_searchable_pdf({}, {"empty", ""}));
  page.width_points = 0;
  CHECK_FALSE(build_searchable_pdf({page}, {"no size", ""}));
  CHECK_FALSE(jpeg_image("not a jpeg"));
}

TEST_CASE("a long document's PDF is written page by page, not held whole", "[pdf]") {
  TempDir dir;
  const std::string path = dir.file("long.pdf");
  // Noise does not compress: each page's image is about 500 KB, far over any write buffer.
  auto noise_page = [](int seed) {
    Pix* pix = pixCreate(700, 700, 8);
    uint32_t state = static_cast<uint32_t>(seed) + 1;
    for (int y = 0; y < 700; ++y)
      for (int x = 0; x < 700; ++x) {
        state = state * 1664525u + 1013904223u;
        pixSetPixel(pix, x, y, state >> 24);
      }
    auto image = lossless_image(PageImage(pix));
    REQUIRE(image);
    SearchablePage page;
    page.width_points = page.height_points = 168;
    page.image = std::move(*image);
    page.image_to_page = Affine::scale(0.24, 0.24);
    return page;
  };
  size_t images_given = 0;
  std::vector<uintmax_t> size_when_asked;
  auto page_at = [&](int index) -> Result<SearchablePage> {
    size_when_asked.push_back(fs::exists(path) ? fs::file_size(path) : 0);
    if (index == 2) return Error{"page 3 could not be loaded again"};
    SearchablePage page = noise_page(index);
    images_given += page.image.bytes.size();
    return page;
  };
  REQUIRE(write_searchable_pdf(path, 5, page_at, {"long", ""}));
  REQUIRE(size_when_asked.size() == 5);
  // When a page is asked for, the images of the pages before it are already in the file.
  CHECK(size_when_asked[1] > 400'000);
  CHECK(size_when_asked[4] > 3 * 400'000);
  CHECK(fs::file_size(path) > images_given);
  const std::string info = capture("pdfinfo '" + path + "'");
  CHECK(std::regex_search(info, std::regex("Pages:\\s+4\\n")));

  auto none = [](int) -> Result<SearchablePage> { return Error{"page 1 could not be loaded again"}; };
  auto failed = write_searchable_pdf(dir.file("none.pdf"), 2, none, {"none", ""});
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message == "page 1 could not be loaded again");
  CHECK_FALSE(write_searchable_pdf(dir.file("empty.pdf"), 0, none, {"empty", ""}));
}

TEST_CASE("archive names come from the template, and never leave the archive", "[archive]") {
  DocumentRecord record;
  record.id = "D0123456789abcdef";
  record.document_type = "clinic_letter";
  record.status = "filed";
  PatientRecord patient;
  patient.id = "P7";
  patient.nhs_number = "9990516324";
  patient.family_name = "../O'NEIL/x";

  CHECK(archive_name("{patient_id}/{document_id}.pdf", record, patient) == "P7/D0123456789abcdef.pdf");
  CHECK(archive_name("{family_name}-{nhs_number}/{document_type}.pdf", record, patient) == ".._O_NEIL_x-9990516324/clinic_letter.pdf");
  CHECK(archive_name("{patient_id}/{document_id}.pdf", record, std::nullopt) == "unfiled/D0123456789abcdef.pdf");
  patient.family_name = "..";
  CHECK(archive_name("{family_name}/{document_id}.pdf", record, patient) == "_../D0123456789abcdef.pdf");

  CHECK(check_archive_template("{patient_id}/{document_id}.pdf"));
  CHECK_FALSE(check_archive_template("/srv/{document_id}.pdf"));
  CHECK_FALSE(check_archive_template("../{document_id}.pdf"));
  CHECK_FALSE(check_archive_template("{patient}/{document_id}.pdf"));
  CHECK_FALSE(check_archive_template("{document_id.pdf"));
  CHECK_FALSE(check_archive_template("archive/"));
  CHECK_FALSE(check_archive_template(""));
}

TEST_CASE("archive files are owner-only and never overwrite one another", "[archive]") {
  TempDir dir;
  const std::string folder = dir.file("archive");
  auto first = write_new_file(folder, "P1/D1.pdf", "first");
  auto second = write_new_file(folder, "P1/D1.pdf", "second");
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*first == folder + "/P1/D1.pdf");
  CHECK(*second == folder + "/P1/D1-2.pdf");
  CHECK(read_file(*first) == "first");
  CHECK(read_file(*second) == "second");
  struct stat info{};
  REQUIRE(::stat(first->c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(::stat((folder + "/P1").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
  // No temporary file is left behind.
  CHECK(std::distance(fs::directory_iterator(folder + "/P1"), fs::directory_iterator()) == 2);

  auto replaced = write_new_file(folder, "P1/D1.pdf", "third", NameTaken::kReplace);
  REQUIRE(replaced);
  CHECK(*replaced == folder + "/P1/D1.pdf");
  CHECK(read_file(*replaced) == "third");
  REQUIRE(::stat(replaced->c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(std::distance(fs::directory_iterator(folder + "/P1"), fs::directory_iterator()) == 2);

  dir.write("not-a-folder", "x");
  auto blocked = write_new_file(dir.file("not-a-folder"), "D1.pdf", "x");
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().message.find("not-a-folder") != std::string::npos);
}

TEST_CASE("only temporary archive files older than the sweep's age are swept", "[archive][crash_safety]") {
  TempDir dir;
  fs::create_directories(dir.file("archive/P1"));
  // An hour and a bit ago: what a crash mid-write left.
  auto age = [](const std::string& path, std::chrono::seconds by) {
    fs::last_write_time(path, fs::file_time_type::clock::now() - by);
  };
  const std::string abandoned = dir.write("archive/P1/.D1.pdf.a1B2c3", "half");
  age(abandoned, kAbandonedTempAge + std::chrono::minutes(5));
  const std::string in_progress = dir.write("archive/P1/.D2.pdf.Xy9z0Q", "being written");
  const std::string kept[] = {
      dir.write("archive/P1/D1.pdf", "stored"),
      dir.write("archive/P1/.notes", "someone else's"),
      dir.write("archive/P1/.D3.pdf.short", "not mkstemp's"),
      dir.write("archive/P1/.D4.pdf.ab-cd!", "not mkstemp's"),
  };
  for (const auto& path : kept) age(path, std::chrono::hours(24));

  CHECK(sweep_abandoned_temp_files(dir.file("archive")) == 1);
  CHECK_FALSE(fs::exists(abandoned));
  CHECK(fs::exists(in_progress));
  for (const auto& path : kept) CHECK(fs::exists(path));
  CHECK(sweep_abandoned_temp_files(dir.file("no-archive-yet")) == 0);
}

TEST_CASE("a document whose archive copy cannot be made goes to review with the reason", "[archive]") {
  TempDir dir;
  const std::string input = dir.write("letter.jpg", read_file((kSamples / "clinic_letter_nowak.jpg").string()));
  RecognisedDocument document;
  document.source = input;
  document.sha256 = sha256_of_file(input).value();
  document.pages.push_back(unread_page(1));
  auto no_patient = [](const std::string&) { return std::optional<PatientRecord>{}; };
  const ArchiveSettings settings{dir.file("archive"), "{document_id}.pdf"};

  DocumentRecord record;
  record.id = "D1";
  record.status = "filed";
  record.patient_id = "P1";
  archive_document(document, settings, no_patient, record);
  CHECK(record.status == "filed");
  CHECK(record.archive_path == dir.file("archive") + "/D1.pdf");
  CHECK(pdftotext_boxes(record.archive_path).size() == 1);

  // The input changed after it was read: the archive must not show different pages.
  dir.write("letter.jpg", "changed");
  DocumentRecord changed = record;
  changed.archive_path.clear();
  archive_document(document, settings, no_patient, changed);
  CHECK(changed.status == "needs_review");
  CHECK_FALSE(changed.patient_id);
  CHECK(changed.archive_path.empty());
  REQUIRE(changed.review_reasons.size() == 1);
  CHECK(changed.review_reasons[0] == "archive PDF not written: the input changed after it was read");
  dir.write("letter.jpg", read_file((kSamples / "clinic_letter_nowak.jpg").string()));

  // Run again after a kill that came before the record was saved: the copy that run left at
  // the document's name is replaced, not kept beside a second one.
  DocumentRecord rerun = record;
  rerun.archive_path.clear();
  archive_document(document, settings, no_patient, rerun);
  CHECK(rerun.status == "filed");
  CHECK(rerun.archive_path == record.archive_path);
  CHECK(std::distance(fs::directory_iterator(dir.file("archive")), fs::directory_iterator()) == 1);

  DocumentRecord unset = record;
  unset.archive_path.clear();
  archive_document(document, ArchiveSettings{}, no_patient, unset);
  CHECK(unset.status == "filed");
  CHECK(unset.archive_path.empty());
}

TEST_CASE("ingest writes each document's searchable PDF into the archive beside the database", "[archive][e2e]") {
  TempDir dir;
  const std::string cli = CASENOTE_BINARY_DIR "/casenote";
  const std::string input = dir.write("letter.jpg", read_file((kSamples / "clinic_letter_nowak.jpg").string()));
  capture(cli + " ingest --db '" + dir.file("records.db") + "' '" + input + "'");
  std::vector<fs::path> archived;
  for (const auto& entry : fs::recursive_directory_iterator(dir.file("records-archive")))
    if (entry.is_regular_file()) archived.push_back(entry.path());
  REQUIRE(archived.size() == 1);
  // The patient is not in the (empty) index, so the document waits in review, unfiled.
  CHECK(archived[0].parent_path().filename() == "unfiled");
  CHECK(capture("pdftotext -raw '" + archived[0].string() + "' -").find("Dermatology") != std::string::npos);

  // A template that would leave the archive is refused before anything is read.
  FILE* pipe = popen((cli + " ingest --db '" + dir.file("records.db") + "' --archive-name '../{document_id}.pdf' '" +
                      input + "' 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buffer[512] = {};
  const size_t n = fread(buffer, 1, sizeof buffer - 1, pipe);
  CHECK(WEXITSTATUS(pclose(pipe)) == 2);
  CHECK(std::string(buffer, n) == "casenote: archive name template must not contain '..'\n");
}
