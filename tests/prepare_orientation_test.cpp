// Orientation: pages are turned upright from all four ways round, and an unsure page is left
// as it is with a note rather than turned on a guess.
#include <catch2/catch.hpp>

#include "ocr/orientation.h"
#include "pipeline/page_source.h"
#include "pipeline/prepare.h"
#include "pipeline/prepare_ink.h"
#include "support/page_fixtures.h"

using namespace casenote;
using namespace casenote::testing;

namespace {

const std::string kSamples = CASENOTE_SOURCE_DIR "/samples/";

PageImage sample(const std::string& file, int index = 0) {
  auto source = open_page_source(kSamples + file);
  REQUIRE(source);
  auto page = (*source)->page(index);
  REQUIRE(page);
  return std::move(page.value());
}

OrientationDetector& detector() {
  static auto created = OrientationDetector::create("");
  REQUIRE(created);
  return **created;
}

int upright_turn(int as_loaded, int extra_quarter_turns) { return ((as_loaded - 90 * extra_quarter_turns) % 360 + 360) % 360; }

}  // namespace

TEST_CASE("sample pages are turned upright from all four orientations", "[prepare]") {
  struct Case {
    const char* file;
    int index;
    int rotation;  // as loaded, from the ground truth
  };
  for (const Case& c : {Case{"clinic_letter_smith.png", 0, 0}, Case{"discharge_summary_okafor.tif", 1, 180},
                        Case{"lab_report_brown.tif", 0, 270}}) {
    const PageImage loaded = sample(c.file, c.index);
    for (int turns = 0; turns < 4; ++turns) {
      INFO(c.file << " page " << c.index + 1 << " turned " << 90 * turns);
      PreparedPage prepared = prepare_page(turned_page(loaded, turns), detector(), PrepareSettings{});
      CHECK(prepared.rotation_degrees == upright_turn(c.rotation, turns));
      CHECK(prepared.rotation_method != OrientationMethod::None);
      CHECK(prepared.notes.empty());
    }
  }
}

TEST_CASE("a page of five lines is turned upright from all four orientations", "[prepare]") {
  const PageImage five = text_page(5);
  for (int turns = 0; turns < 4; ++turns) {
    INFO("turned " << 90 * turns);
    PreparedPage prepared = prepare_page(turned_page(five, turns), detector(), PrepareSettings{});
    CHECK(prepared.rotation_degrees == upright_turn(0, turns));
    CHECK(prepared.rotation_confidence > 0);
    CHECK(std::abs(prepared.skew_degrees) <= 0.1);
  }
}

TEST_CASE("a page that reads the same either way up is left as it is, with a note", "[prepare]") {
  // Capitals that look alike upside down give no check anything to go on.
  PageImage page = paper(1748, 2480, 300);
  L_BMF* font = bmfCreate(nullptr, 10);
  for (int line = 0; line < 8; ++line) {
    l_int32 width = 0, overflow = 0;
    pixSetTextline(page.pix(), font, "NOON SOS HOH OXO ZOZ NOON SIS", 20, 150, 300 + 90 * line, &width, &overflow);
  }
  bmfDestroy(&font);
  PreparedPage prepared = prepare_page(page, detector(), PrepareSettings{});
  CHECK(prepared.rotation_method == OrientationMethod::None);
  CHECK(prepared.rotation_degrees == 0);
  REQUIRE(prepared.notes.size() == 1);
  CHECK(prepared.notes[0] == "orientation unsure: left as scanned");

  // Sideways, it is turned so that its lines run across, and the note says it may be upside down.
  PreparedPage sideways = prepare_page(turned_page(page, 1), detector(), PrepareSettings{});
  CHECK(sideways.rotation_method == OrientationMethod::None);
  CHECK(sideways.rotation_degrees % 180 == 90);
  REQUIRE(sideways.notes.size() == 1);
  CHECK(sideways.notes[0].find("may be upside down") != std::string::npos);
}

TEST_CASE("text lines running down a page are found", "[prepare]") {
  PageImage page = binarise(text_page(12), 300);
  const LineDirection across = find_line_direction(page, 300, 15);
  CHECK(across.quarter_turns == 0);
  CHECK(across.ratio > 1.5);
  const LineDirection down = find_line_direction(turned_page(page, 1), 300, 15);
  CHECK(down.quarter_turns == 1);
  CHECK(down.ratio > 1.5);
}

TEST_CASE("letter shapes tell an upright page from an upside-down one", "[prepare]") {
  PageImage page = binarise(text_page(12), 300);
  CHECK(upright_confidence(page, 8) >= 8);
  CHECK(upright_confidence(turned_page(page, 2), 8) <= -8);
  CHECK(upright_confidence(binarise(paper(1748, 2480, 300), 300), 8) == 0);
}

TEST_CASE("reading tells the right way round by how much reads", "[prepare]") {
  PageImage page = binarise(text_page(6), 300);
  const double upright = detector().readable_characters(page);
  CHECK(upright > 100);
  CHECK(detector().readable_characters(turned_page(page, 2)) < upright / 2);
}
