// Cleanup: blank pages are told from faint ones, scanner borders and punched holes are erased
// without the text beside them, uneven paper flattens, and faint text survives binarisation.
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "ocr/orientation.h"
#include "pipeline/prepare.h"
#include "pipeline/prepare_ink.h"
#include "pipeline/prepare_marks.h"
#include "pipeline/prepare_skew.h"
#include "support/page_fixtures.h"

using namespace casenote;
using namespace casenote::testing;

namespace {

OrientationDetector& detector() {
  static auto created = OrientationDetector::create("");
  REQUIRE(created);
  return **created;
}

PageImage a4() { return paper(2480, 3508, 300); }

// A `depth` bpp image of random values from `low` to `low + span - 1`.
Pix* random_values(int width, int height, int depth, int low, int span, std::mt19937& random) {
  Pix* pix = pixCreate(width, height, depth);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) pixSetPixel(pix, x, y, low + random() % span);
  return pix;
}

// Whether both images were made and hold the same pixels; frees both.
bool same_pixels_freed(Pix* ours, Pix* theirs) {
  l_int32 same = 0;
  const bool made = ours && theirs && pixEqual(ours, theirs, &same) == 0;
  pixDestroy(&ours);
  pixDestroy(&theirs);
  return made && same == 1;
}

// Ink pixels of a binary page within a rectangle.
int ink_in(const PageImage& binary, int x, int y, int w, int h) {
  ::Box* box = boxCreate(x, y, w, h);
  l_int32 count = 0;
  pixCountPixelsInRect(binary.pix(), box, &count, nullptr);
  boxDestroy(&box);
  return count;
}

bool blank(const PageImage& page) {
  PreparedPage prepared = prepare_page(page, detector(), PrepareSettings{});
  return prepared.blank;
}

}  // namespace

TEST_CASE("blank paper is blank, with punched holes, a scanner border or a smudge too", "[prepare]") {
  PageImage plain = a4();
  CHECK(blank(plain));

  PageImage holed = a4();
  add_punched_holes(holed);
  CHECK(blank(holed));

  PageImage bordered = a4();
  add_punched_holes(bordered);
  add_left_border(bordered, 0.3);
  CHECK(blank(bordered));

  PageImage smudged = a4();
  add_smudge(smudged);
  CHECK(blank(smudged));
}

TEST_CASE("a page of faint text is not blank", "[prepare]") {
  PageImage one_line = a4();
  write_lines(one_line, 1, 190, 900);
  CHECK_FALSE(blank(one_line));

  PageImage faint_letter = a4();
  write_lines(faint_letter, 5, 190, 900);
  PreparedPage prepared = prepare_page(faint_letter, detector(), PrepareSettings{});
  CHECK_FALSE(prepared.blank);
  CHECK(prepared.rotation_degrees == 0);
}

TEST_CASE("a blank page is recorded as analysed only", "[prepare]") {
  PreparedPage prepared = prepare_page(a4(), detector(), PrepareSettings{});
  REQUIRE(prepared.blank);
  CHECK(prepared.rotation_degrees == 0);
  CHECK(prepared.skew_degrees == 0);
  CHECK(prepared.resolution.dpi == 300);
  REQUIRE(prepared.timings.size() == 1);
  CHECK(prepared.timings[0].step == "analyse");
}

TEST_CASE("faint text survives binarisation", "[prepare]") {
  PageImage dark = a4(), faint = a4();
  write_lines(dark, 3, 20, 900);
  write_lines(faint, 3, 190, 900);  // 22% darker than the paper, as pencil is
  const PageImage dark_ink = binarise(dark, 300), faint_ink = binarise(faint, 300);
  const int strip_y = 850, strip_h = 300;
  const int dark_count = ink_in(dark_ink, 0, strip_y, 2480, strip_h);
  REQUIRE(dark_count > 1000);
  CHECK(ink_in(faint_ink, 0, strip_y, 2480, strip_h) > dark_count * 8 / 10);
  // and the paper around it stays white
  CHECK(ink_in(faint_ink, 0, 2000, 2480, 1000) < 100);
}

TEST_CASE("shading across the page flattens to white paper, keeping the text", "[prepare]") {
  PageImage page = a4();
  // Paper darkening from 245 at the left to 140 at the right, as a curled page under a lid.
  for (int y = 0; y < page.height(); ++y)
    for (int x = 0; x < page.width(); ++x) {
      l_uint32 value = 0;
      pixGetPixel(page.pix(), x, y, &value);
      pixSetPixel(page.pix(), x, y, static_cast<l_uint32>(value * (1.0 - 0.43 * x / page.width())));
    }
  write_lines(page, 3, 20, 900);
  const PageImage ink = binarise(page, 300);
  CHECK(ink_in(ink, 0, 2000, 2480, 1000) < 100);
  CHECK(ink_in(ink, 0, 850, 2480, 300) > 1000);
}

TEST_CASE("scanner borders and punched holes are erased, the text beside them kept", "[prepare]") {
  PageImage page = a4();
  write_lines(page, 12, 20, 900);
  add_left_border(page, 0.3);
  add_punched_holes(page);
  const PageImage marks = find_scanner_marks(page, 300);
  REQUIRE_FALSE(marks.empty());
  // The border strip and both holes are marked; the text is not.
  CHECK(ink_in(marks, 0, 0, 80, page.height()) > 80 * page.height() * 9 / 10);
  CHECK(ink_in(marks, 100, page.height() / 3 - 20, 80, 40) > 2000);
  CHECK(ink_in(marks, 100, 2 * page.height() / 3 - 20, 80, 40) > 2000);
  CHECK(ink_in(marks, 250, 850, 2230, 1000) == 0);

  PageImage ink = binarise(page, 300);
  const int text_before = ink_in(ink, 250, 850, 2230, 1000);
  erase_marks(ink, marks);
  CHECK(ink_in(ink, 0, 0, 100, page.height()) == 0);
  CHECK(ink_in(ink, 250, 850, 2230, 1000) == text_before);
}

TEST_CASE("a page without scanner marks has an empty mask", "[prepare]") {
  PageImage page = a4();
  write_lines(page, 12, 20, 900);
  CHECK(find_scanner_marks(page, 300).empty());
}

TEST_CASE("a bilevel scan keeps its pixels, less its specks", "[prepare]") {
  PageImage page = a4();
  write_lines(page, 4, 20, 900);
  PageImage bilevel(pixConvertTo1(page.pix(), 128));
  pixSetResolution(bilevel.pix(), 300, 300);
  PageImage ink = binarise(bilevel, 300);
  l_int32 same = 0;
  pixEqual(ink.pix(), bilevel.pix(), &same);
  CHECK(same);

  // Dust: 2-pixel dots on the paper go, a full stop's worth of ink stays.
  for (int x = 300; x < 2000; x += 100) pixRasterop(bilevel.pix(), x, 2500, 2, 2, PIX_SET, nullptr, 0, 0);
  pixRasterop(bilevel.pix(), 300, 2800, 6, 6, PIX_SET, nullptr, 0, 0);
  PageImage cleaned = binarise(bilevel, 300);
  CHECK(ink_in(cleaned, 0, 2450, 2480, 100) == 0);
  CHECK(ink_in(cleaned, 290, 2790, 20, 20) == 36);
}

TEST_CASE("a bilevel scan is analysed as the same page in grey is, and kept in grey when blank", "[prepare]") {
  // A bilevel page is reduced for analysis straight from its bits; the grey copy of it must
  // come out the same.
  PageImage page = a4();
  write_lines(page, 12, 20, 900);
  PageImage bilevel(pixConvertTo1(rotated_page(page, 3.0).pix(), 128));
  pixSetResolution(bilevel.pix(), 300, 300);
  PageImage grey(pixConvertTo8(bilevel.pix(), 0));
  pixSetResolution(grey.pix(), 300, 300);
  const PreparedPage from_bits = prepare_page(bilevel, detector(), PrepareSettings{});
  const PreparedPage from_grey = prepare_page(grey, detector(), PrepareSettings{});
  CHECK_FALSE(from_bits.blank);
  CHECK(from_bits.resolution.dpi == from_grey.resolution.dpi);
  CHECK(std::abs(from_bits.skew_degrees - -3.0) <= 0.1);
  CHECK(std::abs(from_bits.skew_degrees - from_grey.skew_degrees) <= 0.05);

  PageImage blank_bits(pixConvertTo1(a4().pix(), 128));
  pixSetResolution(blank_bits.pix(), 300, 300);
  const PreparedPage blank = prepare_page(blank_bits, detector(), PrepareSettings{});
  REQUIRE(blank.blank);
  REQUIRE_FALSE(blank.image.empty());
  CHECK(pixGetDepth(blank.image.pix()) == 8);
  CHECK(blank.image.width() == 2480);
}

TEST_CASE("OCR can be given the page in grey: levelled and turned like the ink, marks painted out, the scan untouched", "[prepare]") {
  PageImage page = a4();
  write_lines(page, 12, 20, 900);
  add_left_border(page, 0.3);
  add_punched_holes(page);
  const PageImage scan = turned_page(rotated_page(page, -4.0), 1);
  const PageImage before(pixCopy(nullptr, scan.pix()));

  PrepareSettings grey_settings;
  grey_settings.ocr_image = OcrImage::Grey;
  PrepareSettings ink_settings;
  ink_settings.ocr_image = OcrImage::Binarised;
  const PreparedPage binarised = prepare_page(scan, detector(), ink_settings);
  const PreparedPage grey = prepare_page(scan, detector(), grey_settings);

  l_int32 untouched = 0;
  pixEqual(scan.pix(), before.pix(), &untouched);
  CHECK(untouched == 1);
  REQUIRE(pixGetDepth(grey.image.pix()) == 8);
  CHECK(grey.rotation_degrees == binarised.rotation_degrees);
  CHECK(grey.skew_degrees == binarised.skew_degrees);
  CHECK(grey.image.width() == binarised.image.width());
  CHECK(grey.image.height() == binarised.image.height());

  // Thresholded, the grey page lies where the ink page does: level, its text in place (strokes
  // differ at their edges only, rotated by area mapping against shears), its marks gone.
  REQUIRE(binarised.rotation_degrees == 270);
  const PageImage ink = binarise(grey.image, 300);
  const SkewEstimate skew = measure_skew(binarise(PageImage(pixScaleAreaMap(grey.image.pix(), 0.5f, 0.5f)), 150), 150, 15);
  CHECK(std::abs(skew.degrees) <= 0.1);
  auto pixels_outside = [](const PageImage& a, const PageImage& b) {
    Pix* near_b = pixDilateBrick(nullptr, b.pix(), 5, 5);
    Pix* outside = pixSubtract(nullptr, a.pix(), near_b);
    l_int32 count = 0;
    pixCountPixels(outside, &count, nullptr);
    pixDestroy(&near_b);
    pixDestroy(&outside);
    return count;
  };
  l_int32 text = 0;
  pixCountPixels(binarised.image.pix(), &text, nullptr);
  REQUIRE(text > 10000);
  CHECK(pixels_outside(ink, binarised.image) < text / 50);
  CHECK(pixels_outside(binarised.image, ink) < text / 50);
}

TEST_CASE("flattening applies the paper map as Leptonica does, bit for bit", "[prepare]") {
  std::mt19937 random(7);
  // Widths that do and do not fill whole words and tiles; maps short of the page, exactly
  // covering it and reaching past it, with multipliers that do and do not saturate.
  for (const auto& [width, height, tile, map_w, map_h] :
       std::vector<std::array<int, 5>>{{37, 23, 7, 6, 4}, {64, 16, 4, 16, 4}, {101, 57, 7, 12, 7}, {13, 9, 3, 6, 5}}) {
    CAPTURE(width, height, tile, map_w, map_h);
    Pix* grey = random_values(width, height, 8, 0, 256, random);
    Pix* map = random_values(map_w, map_h, 16, 100, 600, random);
    CHECK(same_pixels_freed(apply_inverse_map(grey, map, tile), pixApplyInvBackgroundGrayMap(grey, map, tile, tile)));
    pixDestroy(&map);
    // Multipliers over the whole 16-bit range, most of them taking the product far past 255.
    map = random_values(map_w, map_h, 16, 0, 65536, random);
    CHECK(same_pixels_freed(apply_inverse_map(grey, map, tile), pixApplyInvBackgroundGrayMap(grey, map, tile, tile)));
    pixDestroy(&map);
    pixDestroy(&grey);
  }
  Pix* bilevel = pixCreate(8, 8, 1);
  Pix* map = pixCreate(2, 2, 16);
  CHECK(apply_inverse_map(bilevel, map, 4) == nullptr);
  pixDestroy(&bilevel);
  pixDestroy(&map);
}

TEST_CASE("ink is thresholded as Leptonica does, bit for bit", "[prepare]") {
  std::mt19937 random(11);
  for (const int width : {1, 31, 32, 33, 64, 95, 200}) {
    Pix* grey = random_values(width, 5, 8, 0, 256, random);
    pixSetPixel(grey, 0, 0, 0);
    pixSetPixel(grey, width - 1, 4, 255);
    for (const int threshold : {0, 1, 100, 128, 255, 256}) {
      CAPTURE(width, threshold);
      CHECK(same_pixels_freed(threshold_ink(grey, threshold), pixThresholdToBinary(grey, threshold)));
    }
    pixDestroy(&grey);
  }
  Pix* bilevel = pixCreate(8, 8, 1);
  CHECK(threshold_ink(bilevel, 100) == nullptr);
  pixDestroy(&bilevel);
}
