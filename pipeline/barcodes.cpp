#include "pipeline/barcodes.h"

#include <leptonica/allheaders.h>

// text() returns UTF-8 rather than UTF-16 with this set, as ZXing 2 always will.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <memory>

#include "pipeline/prepare_text_marks.h"

namespace casenote {
namespace {

struct PixFree {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};

// Where a symbol found in a view of the page lies on the page: the view may be `scale` times
// smaller, start `top` pixels down, and be of the page turned a quarter clockwise.
struct ViewPlacement {
  int scale = 1;
  int top = 0;
  bool quarter_turned = false;
  int page_height = 0;  // needed to undo the quarter turn
};

Box bounding_box(const ZXing::Position& corners, const ViewPlacement& placement) {
  int left = corners[0].x, right = corners[0].x, upper = corners[0].y, lower = corners[0].y;
  for (const auto& point : corners) {
    left = std::min(left, point.x);
    right = std::max(right, point.x);
    upper = std::min(upper, point.y);
    lower = std::max(lower, point.y);
  }
  const int s = placement.scale;
  Box in_view{left * s, upper * s + placement.top, (right - left + 1) * s, (lower - upper + 1) * s};
  if (!placement.quarter_turned) return in_view;
  // A quarter turn clockwise took the page's (x, y) to (page_height - 1 - y, x).
  return {in_view.y, placement.page_height - in_view.x - in_view.w, in_view.h, in_view.w};
}

ZXing::DecodeHints hints_for(ZXing::BarcodeFormats formats) {
  ZXing::DecodeHints hints;
  hints.setFormats(formats);
  // Measured on a 300 dpi A4 page: without trying harder a Code 128 label was missed; the
  // downscaled passes found nothing more and nearly doubled the time (80 ms to 140 ms).
  hints.setTryRotate(true);
  hints.setTryHarder(true);
  hints.setTryDownscale(false);
  return hints;
}

void add_valid(const ZXing::Results& symbols, const ViewPlacement& placement, std::vector<Barcode>& found) {
  for (const auto& symbol : symbols) {
    if (!symbol.isValid()) continue;
    Barcode barcode{ZXing::ToString(symbol.format()), symbol.text(), bounding_box(symbol.position(), placement)};
    bool seen = std::any_of(found.begin(), found.end(), [&](const Barcode& b) {
      return b.format == barcode.format && b.text == barcode.text;
    });
    if (!seen) found.push_back(std::move(barcode));
  }
}

// The page's grey pixels as ZXing reads them; `grey` must have had its bytes swapped into row
// order (pixEndianByteSwap).
ZXing::ImageView view_of(Pix* grey) {
  return ZXing::ImageView(reinterpret_cast<const uint8_t*>(pixGetData(grey)), pixGetWidth(grey), pixGetHeight(grey),
                          ZXing::ImageFormat::Lum, pixGetWpl(grey) * 4);
}

// ZXing 1.4 looks for a Data Matrix symbol only along lines through the image's centre, so one
// on a label near a page's edge is missed. Reading strips 2 cm tall, each 0.5 cm below the last,
// finds any symbol at least 1 cm tall wherever it is (45 of 45 positions on an A4 page, against
// 5 of 45 without). The strips are read at 150 to 299 dpi (every second pixel at 300 dpi, every
// fourth at 600), which keeps labels' modules (0.5 mm and up) at 3 pixels or more.
void read_data_matrix_in_strips(const ZXing::ImageView& page, int dpi, ViewPlacement placement,
                                std::vector<Barcode>& found) {
  int pixels_per_cm = dpi * 100 / 254;
  placement.scale = std::max(1, dpi / 150);
  auto hints = hints_for(ZXing::BarcodeFormat::DataMatrix);
  for (int top = 0; top < page.height(); top += pixels_per_cm / 2) {
    ZXing::ImageView strip = page.cropped(0, top, 0, 2 * pixels_per_cm);
    placement.top = top;
    add_valid(ZXing::ReadBarcodes(placement.scale > 1 ? strip.subsampled(placement.scale) : strip, hints), placement,
              found);
  }
}

}  // namespace

std::vector<Barcode> read_barcodes(const PageImage& page) {
  if (page.empty()) return {};
  std::unique_ptr<Pix, PixFree> grey(pixConvertTo8(page.pix(), 0));
  if (!grey) return {};
  // Leptonica keeps 8-bit pixels in 32-bit words; swapping makes each row plain bytes in order.
  if (pixEndianByteSwap(grey.get()) != 0) return {};
  const ZXing::ImageView view = view_of(grey.get());
  std::vector<Barcode> found;
  add_valid(ZXing::ReadBarcodes(view, hints_for(ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::QRCode |
                                                ZXing::BarcodeFormat::DataMatrix)),
            {}, found);
  // Strips sized by a wrong tag would be too short to hold a symbol (a 72 dpi tag on a 300 dpi
  // scan) or needlessly fine; a page without a usable tag is sized as if A4, but never taken for
  // coarser than 300 dpi, so that a small page such as a receipt keeps its strips tall enough.
  const int dpi = plausible_file_dpi(page.dpi()) ? page.dpi() : std::max(300, dpi_from_page_size(page));
  read_data_matrix_in_strips(view, dpi, {}, found);
  // In a strip ZXing 1.4 finds a Data Matrix symbol upright or upside down, never on its side
  // (0 of 56 positions on a sideways A4 page), so the strips are read again across the page
  // turned a quarter clockwise. The turned view only changes how the pixels are walked: a
  // turned copy of the page took 13 ms to make on an A4 page at 300 dpi (41 ms on a larger one)
  // and read only 2 to 5 ms quicker. Measured on a 300 dpi letter: 20 to 30 ms CPU for each
  // pass of strips.
  read_data_matrix_in_strips(view.rotated(90), dpi, {1, 0, true, page.height()}, found);
  return found;
}

}  // namespace casenote
