#include <catch2/catch.hpp>
#include <leptonica/allheaders.h>

#include "pipeline/page_source.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::read_file;
using casenote::testing::TempDir;

namespace {

// A white page with a black block in its top-left corner, so orientation can be checked.
Pix* marked_page(int w, int h, int depth) {
  Pix* pix = pixCreate(w, h, depth);
  if (depth == 8) pixSetAllArbitrary(pix, 255);
  Box* mark = boxCreate(5, 5, w / 4, h / 6);
  if (depth == 1)
    pixSetInRect(pix, mark);
  else
    pixClearInRect(pix, mark);
  boxDestroy(&mark);
  pixSetResolution(pix, 300, 300);
  return pix;
}

std::string write_pix(const TempDir& dir, const std::string& name, Pix* pix, int format) {
  std::string path = dir.file(name);
  REQUIRE(pixWrite(path.c_str(), pix, format) == 0);
  return path;
}

}  // namespace

TEST_CASE("PNG, JPEG and TIFF pages load by their bytes, whatever their name", "[load]") {
  TempDir dir;
  Pix* grey = marked_page(200, 300, 8);
  std::string png = write_pix(dir, "page.png", grey, IFF_PNG);
  std::string jpeg = write_pix(dir, "page.jpg", grey, IFF_JFIF_JPEG);
  std::string misnamed = dir.write("scan.tif", read_file(png));
  pixDestroy(&grey);

  for (const auto& path : {png, jpeg, misnamed}) {
    auto source = open_page_source(path);
    REQUIRE(source.ok());
    CHECK((*source)->page_count() == 1);
    auto page = (*source)->page(0);
    REQUIRE(page.ok());
    CHECK(page->width() == 200);
    CHECK(page->height() == 300);
    CHECK(page->dpi() == 300);
  }
}

TEST_CASE("a multi-page G4 TIFF gives each page in order", "[load]") {
  TempDir dir;
  std::string path = dir.file("pages.tif");
  for (int i = 0; i < 3; ++i) {
    Pix* page = marked_page(100 + 10 * i, 150, 1);
    REQUIRE(pixWriteTiff(path.c_str(), page, IFF_TIFF_G4, i == 0 ? "w" : "a") == 0);
    pixDestroy(&page);
  }
  auto source = open_page_source(path);
  REQUIRE(source.ok());
  REQUIRE((*source)->page_count() == 3);
  for (int i = 0; i < 3; ++i) {
    auto page = (*source)->page(i);
    REQUIRE(page.ok());
    CHECK(page->width() == 100 + 10 * i);
  }
  CHECK_FALSE((*source)->page(3).ok());
}

TEST_CASE("bad raster inputs give a clear reason", "[load]") {
  TempDir dir;
  Pix* grey = marked_page(400, 600, 8);
  std::string png = read_file(write_pix(dir, "ok.png", grey, IFF_PNG));
  std::string tiff = read_file(write_pix(dir, "ok.tif", grey, IFF_TIFF_LZW));
  std::string jpeg = read_file(write_pix(dir, "ok.jpg", grey, IFF_JFIF_JPEG));
  pixDestroy(&grey);

  auto reason = [](const std::string& path) -> std::string {
    auto source = open_page_source(path);
    if (!source) return source.error().message;
    auto page = (*source)->page(0);
    return page ? std::string() : page.error().message;
  };

  CHECK(reason(dir.write("empty.png", "")) == "file is empty");
  CHECK(reason(dir.write("notes.png", "Dear Dr Smith,\nThis is a text file.\n")) == "not a PNG, JPEG, TIFF or PDF file");
  CHECK(reason(dir.write("cut.png", png.substr(0, png.size() / 2))) == "PNG data is truncated");
  std::string flipped = png;
  flipped[flipped.size() / 2] ^= 0x55;
  CHECK(reason(dir.write("flipped.png", flipped)) == "PNG data is corrupt (bad chunk checksum)");
  CHECK(reason(dir.write("cut.jpg", jpeg.substr(0, jpeg.size() / 2))) == "JPEG data is truncated");
  CHECK_FALSE(reason(dir.write("cut.tif", tiff.substr(0, tiff.size() / 2))).empty());
  CHECK_FALSE(reason(dir.write("header-only.tif", tiff.substr(0, 8))).empty());
  CHECK(reason(dir.file("absent.png")) == "cannot be opened");
}
