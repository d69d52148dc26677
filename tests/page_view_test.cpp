// The reviewer's page view: the page redrawn as OCR read it, so field boxes land on their words.
#include <catch2/catch.hpp>
#include <leptonica/allheaders.h>

#include <cmath>
#include <filesystem>

#include "pipeline/input_files.h"
#include "pipeline/page_geometry.h"
#include "pipeline/page_view.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

constexpr int kWidth = 900, kHeight = 600;
constexpr int kMarkX = 700, kMarkY = 100, kMarkSize = 40;

// A white page with one black square: where it lands tells how the page was turned.
PageImage marked_page() {
  Pix* pix = pixCreate(kWidth, kHeight, 8);
  pixSetAllArbitrary(pix, 255);
  pixRasterop(pix, kMarkX, kMarkY, kMarkSize, kMarkSize, PIX_CLR, nullptr, 0, 0);
  return PageImage(pix);
}

int grey_at(const PageImage& image, double x, double y) {
  l_uint32 value = 0;
  pixGetPixel(image.pix(), static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)), &value);
  return pixGetDepth(image.pix()) == 32 ? static_cast<int>(GET_DATA_BYTE(&value, COLOR_RED)) : static_cast<int>(value);
}

DocumentRecord stored_document(const std::string& path, int rotation) {
  DocumentRecord d;
  d.id = "D1";
  d.source = path;
  d.sha256 = *sha256_of_file(path);
  d.pages = {{1, rotation, 2.0, 90, false, "text", {}}};
  return d;
}

}  // namespace

TEST_CASE("a page view puts a prepared-page point on the loaded page's pixel it came from", "[page_view]") {
  const PageImage loaded = marked_page();
  const auto [rotation, skew] = GENERATE(table<int, double>({{0, 0.0}, {90, 0.0}, {180, 3.0}, {270, -5.0}, {0, 8.0}}));
  CAPTURE(rotation, skew);
  PageView view = view_of_page(loaded, rotation, skew, 450);
  REQUIRE_FALSE(view.image.empty());
  CHECK(view.image.width() <= 452);
  CHECK(view.scale < 1);

  // Preparation's own geometry says where the square's centre is on the prepared page.
  const Affine to_prepared =
      prepared_to_loaded({kWidth, kHeight, rotation, skew, view.page_width, view.page_height}).inverse();
  const double cx = kMarkX + kMarkSize / 2.0, cy = kMarkY + kMarkSize / 2.0;
  const double px = to_prepared.x_of(cx, cy), py = to_prepared.y_of(cx, cy);
  CHECK(grey_at(view.image, px * view.scale, py * view.scale) < 100);
  // Well outside the square the page is white.
  const double ox = to_prepared.x_of(cx - 120, cy + 120), oy = to_prepared.y_of(cx - 120, cy + 120);
  CHECK(grey_at(view.image, ox * view.scale, oy * view.scale) > 200);
}

TEST_CASE("a page view is never scaled up", "[page_view]") {
  PageView view = view_of_page(marked_page(), 90, 0, 5000);
  CHECK(view.scale == 1);
  CHECK(view.image.width() == kHeight);
  CHECK(view.page_width == kHeight);
  CHECK(view.page_height == kWidth);
}

TEST_CASE("a stored document's page is drawn from its input only while the input is unchanged", "[page_view]") {
  TempDir dir;
  const std::string path = dir.file("letter.png");
  PageImage page = marked_page();
  REQUIRE(pixWrite(path.c_str(), page.pix(), IFF_PNG) == 0);
  const DocumentRecord document = stored_document(path, 90);

  auto view = view_document_page(document, 1, 300);
  REQUIRE(view.ok());
  CHECK(view->image.width() <= 302);
  auto jpeg = jpeg_of(view->image, 80);
  REQUIRE(jpeg.ok());
  REQUIRE(jpeg->size() > 2);
  CHECK(static_cast<unsigned char>((*jpeg)[0]) == 0xFF);
  CHECK(static_cast<unsigned char>((*jpeg)[1]) == 0xD8);

  auto no_page = view_document_page(document, 2, 300);
  REQUIRE_FALSE(no_page.ok());
  CHECK(no_page.error().message == "document D1 has no page 2");

  // Another scan saved under the same name must not be shown beside this document's fields.
  pixRasterop(page.pix(), 10, 10, 50, 50, PIX_CLR, nullptr, 0, 0);
  REQUIRE(pixWrite(path.c_str(), page.pix(), IFF_PNG) == 0);
  auto changed = view_document_page(document, 1, 300);
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.error().message == path + ": the file has changed since document D1 was read from it");

  std::filesystem::remove(path);
  auto gone = view_document_page(document, 1, 300);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().message.find(path) != std::string::npos);
}
