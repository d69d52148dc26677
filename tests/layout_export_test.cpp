// Each page's words with their boxes: kept by the store, filled by the pipeline, and written as
// hOCR and ALTO by `casenote export --format hocr|alto`.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "app/export_layout.h"
#include "app/export_redaction.h"
#include "app/page_layout.h"
#include "app/xml_text.h"
#include "pipeline/stages.h"
#include "store/store.h"
#include "support/cli.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace casenote;
using namespace casenote::testing;

namespace {

// Two blocks, three paragraphs, four lines; one word holds every character XML escapes.
std::vector<WordRecord> letter_words() {
  return {
      {"Dermatology", {100, 80, 420, 52}, 96, 0, 0, 0},
      {"Clinic", {540, 80, 200, 52}, 91, 0, 0, 0},
      {"Dear", {100, 300, 120, 40}, 95, 1, 1, 1},
      {"Dr", {235, 300, 60, 40}, 88, 1, 1, 1},
      {"O'Neill&\"<Co>\"", {310, 298, 330, 44}, 52, 1, 1, 1},
      {"seen", {100, 360, 110, 40}, 77, 1, 1, 2},
      {"Plan:", {100, 460, 130, 42}, 64, 1, 2, 3},
  };
}

DocumentRecord letter() {
  DocumentRecord document;
  document.id = "D00000000000000b7";
  document.source = "scans/letter.jpg";
  document.sha256 = std::string(64, 'b');
  document.document_type = "clinic_letter";
  document.status = "needs_review";
  PageRecord first;
  first.number = 1;
  first.text = "Dermatology Clinic\n\nDear Dr O'Neill&\"<Co>\"\nseen\n\nPlan:";
  first.dpi = 300;
  first.width = 2480;
  first.height = 3508;
  first.words = letter_words();
  PageRecord blank;
  blank.number = 2;
  blank.blank = true;
  blank.width = 2480;
  blank.height = 3508;
  document.pages = {first, blank};
  document.text = first.text + "\f";
  return document;
}

// An XML document parsed with libxml2; null when it is not well-formed.
struct ParsedXml {
  xmlDocPtr doc = nullptr;
  explicit ParsedXml(const std::string& xml) {
    doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "export.xml", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  }
  ~ParsedXml() { xmlFreeDoc(doc); }
  ParsedXml(const ParsedXml&) = delete;
  ParsedXml& operator=(const ParsedXml&) = delete;

  // Every element under the root, in document order, for which `wanted` holds.
  std::vector<xmlNodePtr> elements(const std::function<bool(xmlNodePtr)>& wanted) const {
    std::vector<xmlNodePtr> found;
    collect(xmlDocGetRootElement(doc), wanted, found);
    return found;
  }
  std::vector<xmlNodePtr> named(const std::string& name) const {
    return elements([&](xmlNodePtr n) { return xmlStrEqual(n->name, BAD_CAST name.c_str()); });
  }
  std::vector<xmlNodePtr> of_class(const std::string& hocr_class) const {
    return elements([&](xmlNodePtr n) { return attribute(n, "class") == hocr_class; });
  }

  static std::string attribute(xmlNodePtr node, const char* name) {
    xmlChar* value = xmlGetProp(node, BAD_CAST name);
    std::string out = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
  }
  static std::string text(xmlNodePtr node) {
    xmlChar* value = xmlNodeGetContent(node);
    std::string out = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
  }
  // Elements of `hocr_class` inside `node`.
  static int count_inside(xmlNodePtr node, const std::string& hocr_class) {
    int n = 0;
    for (xmlNodePtr child = node->children; child; child = child->next)
      if (child->type == XML_ELEMENT_NODE) n += (attribute(child, "class") == hocr_class) + count_inside(child, hocr_class);
    return n;
  }

 private:
  static void collect(xmlNodePtr node, const std::function<bool(xmlNodePtr)>& wanted, std::vector<xmlNodePtr>& found) {
    for (; node; node = node->next) {
      if (node->type != XML_ELEMENT_NODE) continue;
      if (wanted(node)) found.push_back(node);
      collect(node->children, wanted, found);
    }
  }
};

std::string hocr_title(const WordRecord& w) {
  return fmt::format("bbox {} {} {} {}; x_wconf {}", w.box.x, w.box.y, w.box.right(), w.box.bottom(), w.confidence);
}

// Answers every linking question with "no such patient".
struct EmptyIndex : PatientIndex {
  Result<std::vector<PatientRecord>> with_nhs_number(const std::string&) override { return std::vector<PatientRecord>{}; }
  Result<std::vector<PatientRecord>> with_hospital_number(const std::string&) override {
    return std::vector<PatientRecord>{};
  }
  Result<std::vector<PatientRecord>> born_on(const std::string&) override { return std::vector<PatientRecord>{}; }
};

unsigned permissions(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777;
}

}  // namespace

TEST_CASE("the store keeps each page's words, boxes, confidences and grouping, and its size", "[layout][store]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("casenote.db"));
  REQUIRE(store);
  const DocumentRecord document = letter();
  REQUIRE((*store)->save_document(document));
  auto read = (*store)->document(document.id);
  REQUIRE(read);
  REQUIRE(read->has_value());
  CHECK(**read == document);
  CHECK((*read)->pages[0].words == letter_words());
  CHECK((*read)->pages[0].width == 2480);
  CHECK((*read)->pages[1].words.empty());

  std::vector<DocumentRecord> all;
  REQUIRE((*store)->for_each_document([&](const DocumentRecord& d) { all.push_back(d); }));
  REQUIRE(all.size() == 1);
  CHECK(all[0] == document);
}

TEST_CASE("a store from before words were kept gains them, its pages reading back without words", "[layout][store]") {
  TempDir dir;
  const std::string path = dir.file("casenote.db");
  const DocumentRecord document = letter();
  {
    auto store = open_sqlite_store(path);
    REQUIRE(store);
    REQUIRE((*store)->save_document(document));
  }
  // Back to schema version 6, as a casenote of then left it.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db,
                     "DROP TABLE page_words; ALTER TABLE pages DROP COLUMN width; "
                     "ALTER TABLE pages DROP COLUMN height; ALTER TABLE inputs DROP COLUMN worker; "
                     "ALTER TABLE inputs DROP COLUMN lease_expires; ALTER TABLE inputs DROP COLUMN pages; "
                     "PRAGMA user_version = 6;",
                     nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  auto store = open_sqlite_store(path);
  REQUIRE(store);
  auto read = (*store)->document(document.id);
  REQUIRE(read);
  REQUIRE(read->has_value());
  DocumentRecord before_words = document;
  for (PageRecord& page : before_words.pages) {
    page.words.clear();
    page.width = page.height = 0;
  }
  CHECK(**read == before_words);
  CHECK(document_alto(**read).find("<String") == std::string::npos);
}

TEST_CASE("a word's confidence outside 0..100 is refused with the document", "[layout][store]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("casenote.db"));
  REQUIRE(store);
  DocumentRecord document = letter();
  document.pages[0].words[3].confidence = 101;
  CHECK_FALSE((*store)->save_document(document));
  auto read = (*store)->document(document.id);
  REQUIRE(read);
  CHECK_FALSE(read->has_value());
}

TEST_CASE("the pipeline files each page's words and size as OCR gave them", "[layout][pipeline]") {
  RecognisedDocument recognised;
  recognised.source = "scans/letter.jpg";
  recognised.sha256 = std::string(64, 'c');
  PageOutcome page;
  page.number = 1;
  page.recognised = {1, 1654, 2339, {{"Dermatology", {80, 60, 300, 40}, 93.6f, 0, 0, 0},
                                     {"Clinic", {400, 60, 150, 40}, 100.4f, 0, 0, 0},
                                     {"seen", {80, 200, 100, 38}, -1.0f, 1, 1, 1}}};
  recognised.pages = {page};
  EmptyIndex index;
  auto filed = file_document(recognised, index, LinkingPolicy{});
  REQUIRE(filed);
  REQUIRE(filed->record.pages.size() == 1);
  const PageRecord& stored = filed->record.pages[0];
  CHECK(stored.width == 1654);
  CHECK(stored.height == 2339);
  CHECK(stored.words == std::vector<WordRecord>{{"Dermatology", {80, 60, 300, 40}, 94, 0, 0, 0},
                                                {"Clinic", {400, 60, 150, 40}, 100, 0, 0, 0},
                                                {"seen", {80, 200, 100, 38}, 0, 1, 1, 1}});
}

TEST_CASE("a page's words group into blocks, paragraphs and lines with their boxes", "[layout]") {
  PageRecord page;
  page.words = letter_words();
  auto blocks = page_layout(page);
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].box == Box{100, 80, 640, 52});
  REQUIRE(blocks[1].paragraphs.size() == 2);
  REQUIRE(blocks[1].paragraphs[0].lines.size() == 2);
  CHECK(blocks[1].paragraphs[0].lines[0].words.size() == 3);
  CHECK(blocks[1].paragraphs[0].lines[0].box == Box{100, 298, 540, 44});
  CHECK(blocks[1].paragraphs[0].box == Box{100, 298, 540, 102});
  CHECK(page_layout(PageRecord{}).empty());
}

TEST_CASE("text is escaped for XML, and what XML cannot hold becomes U+FFFD", "[layout]") {
  CHECK(xml_escaped("A&E <b> \"x\" 'y'") == "A&amp;E &lt;b&gt; &quot;x&quot; &#39;y&#39;");
  CHECK(xml_escaped("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\ttab") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\ttab");
  const std::string replacement = "\xEF\xBF\xBD";
  CHECK(xml_escaped(std::string("a\x01" "b\x00" "c", 5)) == "a" + replacement + "b" + replacement + "c");
  CHECK(xml_escaped("\xFF") == replacement);                        // not UTF-8
  CHECK(xml_escaped("\xC3") == replacement);                        // cut short
  CHECK(xml_escaped("\xC0\xAF") == replacement + replacement);      // overlong '/'
  CHECK(xml_escaped("\xED\xA0\x80") == replacement + replacement + replacement);  // a surrogate
  CHECK(xml_escaped("\xEF\xBF\xBF") == replacement + replacement + replacement);  // U+FFFF
}

TEST_CASE("hOCR of a document is well-formed, its words carrying their boxes and confidences", "[layout]") {
  const DocumentRecord document = letter();
  const std::string hocr = document_hocr(document);
  ParsedXml parsed(hocr);
  REQUIRE(parsed.doc);
  CHECK(xmlStrEqual(xmlDocGetRootElement(parsed.doc)->name, BAD_CAST "html"));

  auto pages = parsed.of_class("ocr_page");
  REQUIRE(pages.size() == 2);
  CHECK(ParsedXml::attribute(pages[0], "title") == "bbox 0 0 2480 3508; ppageno 0; scan_res 300 300");
  CHECK(ParsedXml::attribute(pages[1], "title") == "bbox 0 0 2480 3508; ppageno 1");
  CHECK(ParsedXml::count_inside(pages[0], "ocr_carea") == 2);
  CHECK(ParsedXml::count_inside(pages[0], "ocr_par") == 3);
  CHECK(ParsedXml::count_inside(pages[0], "ocr_line") == 4);
  CHECK(ParsedXml::count_inside(pages[1], "ocrx_word") == 0);

  auto words = parsed.of_class("ocrx_word");
  const auto expected = letter_words();
  REQUIRE(words.size() == expected.size());
  for (size_t i = 0; i < words.size(); ++i) {
    INFO(expected[i].text);
    CHECK(ParsedXml::attribute(words[i], "title") == hocr_title(expected[i]));
    CHECK(ParsedXml::text(words[i]) == expected[i].text);
    CHECK(ParsedXml::attribute(words[i]->parent, "class") == "ocr_line");
  }
  auto lines = parsed.of_class("ocr_line");
  REQUIRE(lines.size() == 4);
  CHECK(ParsedXml::attribute(lines[1], "title") == "bbox 100 298 640 342");
  CHECK(ParsedXml::text(lines[1]) == "Dear Dr O'Neill&\"<Co>\"");
  CHECK(ParsedXml::attribute(lines[1]->parent, "class") == "ocr_par");
  CHECK(ParsedXml::attribute(lines[1]->parent->parent, "class") == "ocr_carea");

  // Bytes OCR should never give still leave a well-formed document.
  DocumentRecord odd = document;
  odd.pages[0].words[0].text = "Derm\x01\xFF";
  CHECK(ParsedXml(document_hocr(odd)).doc != nullptr);
}

TEST_CASE("ALTO of a document is well-formed v4, its Strings carrying their boxes and confidences", "[layout]") {
  const DocumentRecord document = letter();
  const std::string alto = document_alto(document);
  ParsedXml parsed(alto);
  REQUIRE(parsed.doc);
  xmlNodePtr root = xmlDocGetRootElement(parsed.doc);
  CHECK(xmlStrEqual(root->name, BAD_CAST "alto"));
  REQUIRE(root->ns);
  CHECK(xmlStrEqual(root->ns->href, BAD_CAST "http://www.loc.gov/standards/alto/ns-v4#"));
  auto unit = parsed.named("MeasurementUnit");
  REQUIRE(unit.size() == 1);
  CHECK(ParsedXml::text(unit[0]) == "pixel");

  auto pages = parsed.named("Page");
  REQUIRE(pages.size() == 2);
  CHECK(ParsedXml::attribute(pages[1], "WIDTH") == "2480");
  CHECK(ParsedXml::attribute(pages[1], "HEIGHT") == "3508");
  CHECK(ParsedXml::attribute(pages[1], "PHYSICAL_IMG_NR") == "2");
  CHECK(parsed.named("PrintSpace").size() == 2);
  CHECK(parsed.named("TextBlock").size() == 3);  // one per paragraph
  CHECK(parsed.named("TextLine").size() == 4);
  CHECK(parsed.named("SP").size() == 3);  // between the words of a line

  auto strings = parsed.named("String");
  const auto expected = letter_words();
  REQUIRE(strings.size() == expected.size());
  for (size_t i = 0; i < strings.size(); ++i) {
    const WordRecord& w = expected[i];
    INFO(w.text);
    CHECK(ParsedXml::attribute(strings[i], "CONTENT") == w.text);
    CHECK(ParsedXml::attribute(strings[i], "HPOS") == std::to_string(w.box.x));
    CHECK(ParsedXml::attribute(strings[i], "VPOS") == std::to_string(w.box.y));
    CHECK(ParsedXml::attribute(strings[i], "WIDTH") == std::to_string(w.box.w));
    CHECK(ParsedXml::attribute(strings[i], "HEIGHT") == std::to_string(w.box.h));
    CHECK(ParsedXml::attribute(strings[i], "WC") == fmt::format("{:.2f}", w.confidence / 100.0));
    CHECK(xmlStrEqual(strings[i]->parent->name, BAD_CAST "TextLine"));
    CHECK(xmlStrEqual(strings[i]->parent->parent->name, BAD_CAST "TextBlock"));
    CHECK(xmlStrEqual(strings[i]->parent->parent->parent->name, BAD_CAST "PrintSpace"));
  }
  auto line = parsed.named("TextLine")[1];
  CHECK(ParsedXml::attribute(line, "HPOS") == "100");
  CHECK(ParsedXml::attribute(line, "WIDTH") == "540");

  // Every ID is unique across the document's pages.
  auto with_id = parsed.elements([](xmlNodePtr n) { return !ParsedXml::attribute(n, "ID").empty(); });
  std::set<std::string> ids;
  for (xmlNodePtr n : with_id) ids.insert(ParsedXml::attribute(n, "ID"));
  CHECK(ids.size() == with_id.size());
}

TEST_CASE("a redacted document carries no words", "[layout][redact]") {
  DocumentRecord document = letter();
  document.fields = {{"nhs_number", "9993251003", 0.95, 1, {}}};
  const DocumentRecord redacted = redact_document(document, {});
  for (const PageRecord& page : redacted.pages) CHECK(page.words.empty());
}

TEST_CASE("export's format and option mistakes are one clear line", "[layout][cli]") {
  TempDir dir;
  const std::string db = dir.file("casenote.db");
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c : {
           Case{"--format xyz", "casenote: unknown export format 'xyz' (supported: jsonl, hocr, alto)\n"},
           Case{"--format alto --redact",
                "casenote: --redact works with jsonl only: hocr and alto carry every word read, and identifiers "
                "cannot be reliably taken out of them\n"},
           Case{"--format hocr --output x.hocr",
                "casenote: --output FILE is for jsonl; hocr writes a file per document: use --out DIR\n"},
           Case{"--format jsonl --out " + dir.file("out"),
                "casenote: --out DIR is for hocr and alto; jsonl is one stream: use --output FILE\n"},
       }) {
    INFO(c.args);
    auto run = run_cli("export --db " + db + " " + c.args);
    CHECK(run.status == 2);
    CHECK(run.output == c.message);
  }
  CHECK_FALSE(fs::exists(db));  // refused before the store was opened

  auto missing = run_cli("export --db " + db + " --format alto --document Dnone");
  CHECK(missing.status == 2);
  CHECK(missing.output == "casenote: no document Dnone\n");
}

TEST_CASE("export --format alto and hocr give an ingested letter's words where they are on the page",
          "[layout][e2e]") {
  TempDir dir;
  const std::string db = dir.file("casenote.db");
  auto ingested = run_cli("ingest --db " + db + " " + CASENOTE_SOURCE_DIR "/samples/clinic_letter_nowak.jpg");
  INFO(ingested.output);
  REQUIRE(ingested.status == 0);

  auto alto = run_cli("export --db " + db + " --format alto");
  REQUIRE(alto.status == 0);
  ParsedXml parsed(alto.output);
  REQUIRE(parsed.doc);
  auto pages = parsed.named("Page");
  REQUIRE(pages.size() == 1);
  const int width = std::stoi(ParsedXml::attribute(pages[0], "WIDTH"));
  const int height = std::stoi(ParsedXml::attribute(pages[0], "HEIGHT"));
  CHECK(width > 1000);
  CHECK(height > width);  // an A4 letter, upright
  auto dermatology = parsed.elements([](xmlNodePtr n) {
    return xmlStrEqual(n->name, BAD_CAST "String") && ParsedXml::attribute(n, "CONTENT") == "Dermatology";
  });
  REQUIRE_FALSE(dermatology.empty());
  auto at = [&](const char* name) { return std::stoi(ParsedXml::attribute(dermatology[0], name)); };
  INFO("HPOS " << at("HPOS") << " VPOS " << at("VPOS") << " WIDTH " << at("WIDTH") << " HEIGHT " << at("HEIGHT"));
  CHECK(at("HPOS") >= 0);
  CHECK(at("HPOS") + at("WIDTH") <= width);
  CHECK(at("VPOS") < height / 4);  // in the letterhead
  CHECK(at("HEIGHT") >= 15);       // a line of print at the scan's resolution
  CHECK(at("HEIGHT") <= 150);
  CHECK(at("WIDTH") > 4 * at("HEIGHT"));  // eleven letters

  const fs::path out = dir.path() / "layout";
  auto hocr = run_cli("export --db " + db + " --format hocr --out " + out.string());
  INFO(hocr.output);
  REQUIRE(hocr.status == 0);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(out)) files.push_back(entry.path());
  REQUIRE(files.size() == 1);
  CHECK(files[0].extension() == ".hocr");
  CHECK(permissions(files[0]) == 0600);
  ParsedXml written(read_file(files[0].string()));
  REQUIRE(written.doc);
  auto words = written.elements([](xmlNodePtr n) {
    return ParsedXml::attribute(n, "class") == "ocrx_word" && ParsedXml::text(n) == "Dermatology";
  });
  CHECK(words.size() == 1);
}
