#include "pipeline/page_view.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "pipeline/input_files.h"
#include "pipeline/page_source.h"

namespace casenote {
namespace {

constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;

// The page at `scale` (at most 1) in 8-bit grey, or in colour when it has colour: area
// averaging keeps small print legible where sampling would drop strokes.
PageImage screen_sized(const PageImage& loaded, double scale) {
  Pix* source = loaded.pix();
  if (pixGetDepth(source) == 1) {
    if (scale < 1) return PageImage(pixScaleToGray(source, static_cast<float>(scale)));
    return PageImage(pixConvertTo8(source, 0));
  }
  PageImage plain(pixRemoveColormap(source, REMOVE_CMAP_BASED_ON_SRC));
  if (plain.empty()) return plain;
  if (pixGetDepth(plain.pix()) != 32 && pixGetDepth(plain.pix()) != 8) plain = PageImage(pixConvertTo8(plain.pix(), 0));
  if (plain.empty() || scale >= 1) return plain;
  return PageImage(pixScaleAreaMap(plain.pix(), static_cast<float>(scale), static_cast<float>(scale)));
}

}  // namespace

PageView view_of_page(const PageImage& loaded, int rotation_degrees, double skew_degrees, int max_width) {
  const int quarter_turns = ((rotation_degrees % 360 + 360) % 360) / 90;
  const double upright_w = quarter_turns % 2 ? loaded.height() : loaded.width();
  const double upright_h = quarter_turns % 2 ? loaded.width() : loaded.height();
  const double radians = skew_degrees * kRadiansPerDegree;
  // The deskewed canvas is about this wide: the turned page's bounding box.
  const double levelled_w = upright_w * std::abs(std::cos(radians)) + upright_h * std::abs(std::sin(radians));
  const double scale = std::min(1.0, max_width / std::max(1.0, levelled_w));

  PageView view;
  view.scale = scale;
  PageImage image = screen_sized(loaded, scale);
  if (!image.empty() && quarter_turns != 0) image = PageImage(pixRotateOrth(image.pix(), quarter_turns));
  if (!image.empty() && skew_degrees != 0) {
    // Growing the canvas as preparation did keeps the prepared page's centre at the centre.
    image = PageImage(pixRotate(image.pix(), static_cast<float>(radians), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE,
                                image.width(), image.height()));
  }
  view.image = std::move(image);
  view.page_width = static_cast<int>(std::lround(view.image.width() / scale));
  view.page_height = static_cast<int>(std::lround(view.image.height() / scale));
  return view;
}

Result<PageView> view_document_page(const DocumentRecord& document, int number, int max_width) {
  const PageRecord* page = nullptr;
  for (const auto& p : document.pages)
    if (p.number == number) page = &p;
  if (!page) return Error{"document " + document.id + " has no page " + std::to_string(number)};
  auto sha256 = sha256_of_file(document.source);
  if (!sha256) return Error{document.source + ": " + sha256.error().message};
  if (*sha256 != document.sha256)
    return Error{document.source + ": the file has changed since document " + document.id + " was read from it"};
  auto source = open_page_source(document.source);
  if (!source) return source.error();
  if (number > (*source)->page_count())
    return Error{document.source + ": has no page " + std::to_string(number)};
  auto loaded = (*source)->page(number - 1);
  if (!loaded) return loaded.error();
  PageView view = view_of_page(*loaded, page->rotation_degrees, page->skew_degrees, max_width);
  if (view.image.empty()) return Error{document.source + ": page " + std::to_string(number) + " could not be drawn"};
  return view;
}

Result<std::string> jpeg_of(const PageImage& image, int quality) {
  l_uint8* data = nullptr;
  size_t size = 0;
  if (image.empty() || pixWriteMemJpeg(&data, &size, image.pix(), quality, 0) != 0 || !data)
    return Error{"the page could not be encoded as JPEG"};
  std::string bytes(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return bytes;
}

}  // namespace casenote
