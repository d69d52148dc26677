// The PNGs Tesseract makes of each line it reads are written stored, not deflated
// (ocr/tesseract_setup.cpp), and hold the same pixels.
#include <dlfcn.h>

#include <leptonica/allheaders.h>

#include <catch2/catch.hpp>

#include "tests/support/barcode_page.h"

using casenote::testing::PixPtr;

TEST_CASE("Tesseract's in-memory PNGs are stored uncompressed with the same pixels, the caller's image untouched",
          "[ocr]") {
  // What a call from libtesseract binds to: the first definition in the process's global scope.
  using WriteMem = l_ok (*)(l_uint8**, size_t*, PIX*, l_int32);
  const auto bound = reinterpret_cast<WriteMem>(dlsym(RTLD_DEFAULT, "pixWriteMem"));
  REQUIRE(bound);

  // A line of plain paper with a dark bar: deflate would shrink it to a few hundred bytes.
  PixPtr line(pixCreate(1200, 60, 8));
  REQUIRE(line);
  pixSetAllArbitrary(line.get(), 230);
  ::Box* bar = boxCreate(100, 20, 800, 20);
  pixClearInRect(line.get(), bar);
  boxDestroy(&bar);

  l_uint8* png = nullptr;
  size_t png_size = 0;
  REQUIRE(bound(&png, &png_size, line.get(), IFF_PNG) == 0);
  CHECK(png_size >= 1200u * 60u);
  PixPtr read_back(pixReadMem(png, png_size));
  lept_free(png);
  REQUIRE(read_back);
  l_int32 same = 0;
  REQUIRE(pixEqual(line.get(), read_back.get(), &same) == 0);
  CHECK(same == 1);

  // The caller's own image keeps Leptonica's default level for its next PNG.
  l_uint8* deflated = nullptr;
  size_t deflated_size = 0;
  REQUIRE(pixWriteMemPng(&deflated, &deflated_size, line.get(), 0.0f) == 0);
  lept_free(deflated);
  CHECK(deflated_size < 2000u);
}
