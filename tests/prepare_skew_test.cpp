// Skew: measured to within 0.1 degree over ±15 degrees on text pages, and removed.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

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

// The 150 dpi binary page preparation measures skew on.
PageImage analysis_view(const PageImage& page) {
  const float scale = 150.0f / page.dpi();
  PageImage grey(pixScaleAreaMap(grey_of(page).pix(), scale, scale));
  return binarise(grey, 150);
}

}  // namespace

TEST_CASE("skew is measured to within 0.1 degree on average and 0.3 at worst from -15 to +15 degrees", "[prepare]") {
  // The Smith letter leans +2.5 degrees; rotating it clockwise by a leaves it leaning 2.5 - a.
  const PageImage letter = sample("clinic_letter_smith.png");
  double total = 0;
  int pages = 0;
  for (double target : {-15.0, -12.5, -10.0, -7.0, -4.0, -1.5, 0.0, 0.7, 2.0, 5.0, 8.5, 11.0, 13.5, 15.0}) {
    INFO("skew " << target);
    PreparedPage prepared = prepare_page(rotated_page(letter, 2.5 - target), detector(), PrepareSettings{});
    const double error = std::abs(prepared.skew_degrees - target);
    CHECK(error <= 0.3);
    CHECK(prepared.rotation_degrees == 0);
    total += error;
    ++pages;
  }
  CHECK(total / pages <= 0.1);
}

TEST_CASE("the samples' skews are measured as their generator drew them", "[prepare]") {
  struct Case {
    const char* file;
    int index;
    double skew;
  };
  for (const Case& c : {Case{"discharge_summary_okafor.tif", 0, -4.0}, Case{"discharge_summary_okafor.tif", 1, 0.6},
                        Case{"lab_report_patel.pdf", 0, 1.5}, Case{"referral_jones.pdf", 0, -8.0},
                        Case{"clinic_letter_nowak.jpg", 0, 0.8}, Case{"lab_report_brown.tif", 0, -1.0}}) {
    INFO(c.file << " page " << c.index + 1);
    PreparedPage prepared = prepare_page(sample(c.file, c.index), detector(), PrepareSettings{});
    CHECK(std::abs(prepared.skew_degrees - c.skew) <= 0.1);
    CHECK(prepared.skew_confidence >= 3.0);
  }
}

TEST_CASE("both skew methods measure an upright page's lean", "[prepare]") {
  const PageImage letter = analysis_view(sample("clinic_letter_smith.png"));
  for (SkewMethod method : {SkewMethod::ProjectionProfile, SkewMethod::LineFit}) {
    SkewEstimate estimate = measure_skew(letter, 150, 15, method);
    REQUIRE(estimate.found);
    CHECK(std::abs(estimate.degrees - 2.5) <= 0.1);
    CHECK(estimate.confidence > 0);
  }
}

TEST_CASE("a levelled page has no skew left, on a canvas that keeps its corners", "[prepare]") {
  const PageImage page = analysis_view(sample("referral_jones.pdf"));
  const SkewEstimate before = measure_skew(page, 150, 15);
  REQUIRE(before.found);
  PageImage levelled = level(page, before.degrees);
  CHECK(levelled.width() > page.width());
  CHECK(levelled.height() > page.height());
  const SkewEstimate after = measure_skew(levelled, 150, 15);
  CHECK(after.found);
  CHECK(std::abs(after.degrees) <= 0.1);
}

TEST_CASE("a levelled grey page has no skew left and keeps white paper at its corners", "[prepare]") {
  const PageImage page = sample("referral_jones.pdf");
  const float scale = 150.0f / page.dpi();
  const PageImage grey(pixScaleAreaMap(grey_of(page).pix(), scale, scale));
  const SkewEstimate before = measure_skew(binarise(grey, 150), 150, 15);
  REQUIRE(before.found);
  REQUIRE(std::abs(before.degrees) >= 0.5);
  PageImage levelled = level(grey, before.degrees);
  REQUIRE(pixGetDepth(levelled.pix()) == 8);
  CHECK(levelled.width() > grey.width());
  // Levelled the wrong way, the page would lean twice as far, past the measurable range.
  const SkewEstimate after = measure_skew(binarise(levelled, 150), 150, 15);
  CHECK(after.found);
  CHECK(std::abs(after.degrees) <= 0.1);
  l_uint32 corner = 0;
  pixGetPixel(levelled.pix(), 0, 0, &corner);
  CHECK(corner == 255);
}

TEST_CASE("a grey page turned and levelled in one step matches the two steps to within rounding", "[prepare]") {
  const PageImage page = sample("referral_jones.pdf");
  const float scale = 150.0f / page.dpi();
  const PageImage grey(pixScaleAreaMap(grey_of(page).pix(), scale, scale));
  const PageImage bilevel = binarise(grey, 150);
  for (int turns : {0, 1, 2, 3})
    for (double degrees : {2.5, -12.0}) {
      CAPTURE(turns, degrees);
      const PageImage two_steps = level(PageImage(pixRotateOrth(grey.pix(), turns)), degrees);
      const PageImage one_step = turned_and_levelled(grey, turns, degrees);
      REQUIRE(pixGetDepth(one_step.pix()) == 8);
      REQUIRE(one_step.width() == two_steps.width());
      REQUIRE(one_step.height() == two_steps.height());
      // OpenCV places each sample to 1/32 pixel, so composing the turns rounds some samples to
      // the neighbouring 1/32 along either axis: at an edge from black to white that is at most
      // 255/32 grey levels an axis, 16 in all; never a stroke moved.
      int differing = 0, far_apart = 0;
      for (int y = 0; y < one_step.height(); ++y)
        for (int x = 0; x < one_step.width(); ++x) {
          l_uint32 a = 0, b = 0;
          pixGetPixel(one_step.pix(), x, y, &a);
          pixGetPixel(two_steps.pix(), x, y, &b);
          differing += a != b;
          far_apart += std::abs(static_cast<int>(a) - static_cast<int>(b)) > 16;
        }
      CHECK(far_apart == 0);
      CHECK(differing < one_step.width() * one_step.height() / 100);
      // A bilevel page is turned and levelled by shears as before, bit for bit.
      l_int32 same = 0;
      const PageImage bilevel_two_steps = level(PageImage(pixRotateOrth(bilevel.pix(), turns)), degrees);
      REQUIRE(pixEqual(turned_and_levelled(bilevel, turns, degrees).pix(), bilevel_two_steps.pix(), &same) == 0);
      CHECK(same == 1);
    }
}

TEST_CASE("a page is left as it is for a turn of under 0.057 degrees, and levelled for more", "[prepare]") {
  const PageImage page = sample("referral_jones.pdf");
  const PageImage grey = grey_of(page);
  const PageImage bilevel = binarise(grey, page.dpi());
  for (const PageImage* image : {&grey, &bilevel}) {
    l_int32 same = 0;
    const PageImage hardly = level(*image, 0.05);
    REQUIRE(pixEqual(hardly.pix(), image->pix(), &same) == 0);
    CHECK(same == 1);
    const PageImage turned = level(*image, 0.06);
    CHECK(turned.width() > image->width());
  }
}

TEST_CASE("a page without text lines gives no skew", "[prepare]") {
  PageImage blank = binarise(paper(1240, 1754, 150), 150);
  SkewEstimate estimate = measure_skew(blank, 150, 15);
  CHECK_FALSE(estimate.found);
  CHECK(estimate.degrees == 0);
}

TEST_CASE("a weak skew measurement is kept aside to be checked, a strong one is not", "[prepare]") {
  // Rotating the sheet anticlockwise by 10 degrees leaves its lines rising by 10.
  const SkewEstimate weak = measure_skew(analysis_view(rotated_page(pictogram_sheet(), -10)), 150, 15);
  CHECK_FALSE(weak.found);
  CHECK(weak.degrees == 0);
  CHECK(weak.worth_checking);
  CHECK(weak.confidence >= 2.0);
  CHECK(std::abs(weak.best_degrees - 10) <= 1.0);

  const SkewEstimate strong = measure_skew(analysis_view(sample("referral_jones.pdf")), 150, 15);
  CHECK(strong.found);
  CHECK_FALSE(strong.worth_checking);
}

TEST_CASE("a weakly measured skew is removed when the page then reads clearly better, with a note", "[prepare]") {
  // The angle comes from a weak profile, so it is held to a degree rather than a text page's 0.3.
  for (double skew : {10.0, -12.0}) {
    INFO("skew " << skew);
    PreparedPage prepared = prepare_page(rotated_page(pictogram_sheet(), -skew), detector(), PrepareSettings{});
    CHECK(std::abs(prepared.skew_degrees - skew) <= 1.0);
    CHECK(prepared.skew_confidence < 3.0);
    CHECK(prepared.rotation_degrees == 0);
    REQUIRE(prepared.notes.size() == 1);
    CHECK(prepared.notes[0].find("skew measured weakly") == 0);
  }
}

TEST_CASE("a weakly measured skew is left when the page reads no better without it", "[prepare]") {
  // At 4 degrees Tesseract follows the sheet's captions nearly as well as when levelled.
  const SkewEstimate weak = measure_skew(analysis_view(rotated_page(pictogram_sheet(), -4)), 150, 15);
  REQUIRE(weak.worth_checking);
  REQUIRE(std::abs(weak.best_degrees) >= 1.0);
  PreparedPage prepared = prepare_page(rotated_page(pictogram_sheet(), -4), detector(), PrepareSettings{});
  CHECK(prepared.skew_degrees == 0);
  CHECK(prepared.skew_confidence >= 2.0);
  CHECK(prepared.notes.empty());
}
