// casenote's opening by a brick (ocr/brick_opening.h), which Tesseract's calls to pixOpenBrick
// bind to, gives Leptonica's bits.
#include <dlfcn.h>

#include <random>

#include <leptonica/allheaders.h>

#include <catch2/catch.hpp>

#include "ocr/brick_opening.h"
#include "tests/support/barcode_page.h"

using casenote::open_by_brick;
using casenote::testing::PixPtr;

namespace {

using OpenBrick = PIX* (*)(PIX*, PIX*, l_int32, l_int32);

// Leptonica's own pixOpenBrick, past the process's definition.
OpenBrick leptonica_open() { return reinterpret_cast<OpenBrick>(dlsym(RTLD_NEXT, "pixOpenBrick")); }

// A page of random black rectangles, lines and specks, several touching the image's edges.
PixPtr scattered_marks(int width, int height, unsigned seed) {
  PixPtr pix(pixCreate(width, height, 1));
  std::mt19937 random(seed);
  auto below = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(std::max(1, n))); };
  for (int i = 0; i < 60; ++i) {
    const int w = 1 + below(i % 3 == 0 ? width : 12), h = 1 + below(i % 3 == 1 ? height : 12);
    ::Box* box = boxCreate(below(width + 4) - 2, below(height + 4) - 2, w, h);
    pixSetInRect(pix.get(), box);
    boxDestroy(&box);
  }
  return pix;
}

bool same_bits(Pix* a, Pix* b) {
  l_int32 same = 0;
  return pixEqual(a, b, &same) == 0 && same == 1;
}

}  // namespace

TEST_CASE("opening by a brick gives Leptonica's bits on any size of image and brick", "[ocr]") {
  const OpenBrick leptonica = leptonica_open();
  REQUIRE(leptonica);
  const int widths[] = {1, 31, 32, 33, 100, 257};
  const int bricks[][2] = {{1, 1}, {2, 1}, {1, 2}, {3, 3}, {75, 1}, {1, 75}, {15, 15}, {40, 7}, {33, 64}, {300, 2}};
  unsigned seed = 1;
  for (int width : widths)
    for (int height : {1, 40, 131}) {
      PixPtr page = scattered_marks(width, height, seed++);
      for (const auto& brick : bricks) {
        CAPTURE(width, height, brick[0], brick[1]);
        PixPtr ours(open_by_brick(page.get(), brick[0], brick[1]));
        PixPtr theirs(leptonica(nullptr, page.get(), brick[0], brick[1]));
        REQUIRE(ours);
        REQUIRE(theirs);
        CHECK(same_bits(ours.get(), theirs.get()));
      }
    }
}

TEST_CASE("Tesseract's openings bind to casenote's, which keeps a line and drops text", "[ocr]") {
  CHECK(dlsym(RTLD_DEFAULT, "pixOpenBrick") != reinterpret_cast<void*>(leptonica_open()));

  // A rule 600 pixels long under a row of letter-sized marks, as on a form at 300 dpi.
  PixPtr page(pixCreate(800, 200, 1));
  for (int x = 40; x < 700; x += 30) {
    ::Box* letter = boxCreate(x, 60, 18, 30);
    pixSetInRect(page.get(), letter);
    boxDestroy(&letter);
  }
  ::Box* rule = boxCreate(100, 120, 600, 3);
  pixSetInRect(page.get(), rule);
  boxDestroy(&rule);

  PixPtr lines(pixOpenBrick(nullptr, page.get(), 75, 1));
  REQUIRE(lines);
  l_int32 black = 0;
  pixCountPixels(lines.get(), &black, nullptr);
  CHECK(black == 600 * 3);
  CHECK(same_bits(lines.get(), PixPtr(leptonica_open()(nullptr, page.get(), 75, 1)).get()));

  CHECK(open_by_brick(page.get(), 0, 3) == nullptr);
  PixPtr grey(pixCreate(10, 10, 8));
  CHECK(open_by_brick(grey.get(), 3, 3) == nullptr);
}
